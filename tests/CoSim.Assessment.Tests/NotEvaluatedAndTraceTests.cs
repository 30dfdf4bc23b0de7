using CoSim.Assessment;
using CoSim.Core.Assessment;
using static CoSim.Assessment.Tests.Traces;

namespace CoSim.Assessment.Tests;

/// <summary>What every kind says when it cannot judge, and when an early end still gives a verdict.</summary>
public class NotEvaluatedTests
{
    private static readonly SignalTrace Step = Sample("y", 0, 20, 0.1, FirstOrder(2));

    private static IEnumerable<TestCaseData> EveryKind()
    {
        yield return new TestCaseData(Assertions.StaysWithin("y", -1, 2)).SetArgDisplayNames("StaysWithin");
        yield return new TestCaseData(Assertions.Reaches("y", 1, 10, 0.01)).SetArgDisplayNames("Reaches");
        yield return new TestCaseData(Assertions.SettlesWithin("y", 10)).SetArgDisplayNames("SettlesWithin");
        yield return new TestCaseData(Assertions.OvershootBelow("y", 5)).SetArgDisplayNames("OvershootBelow");
        yield return new TestCaseData(Assertions.RiseTimeBelow("y", 5)).SetArgDisplayNames("RiseTimeBelow");
        yield return new TestCaseData(Assertions.Monotonic("y", Direction.Increasing)).SetArgDisplayNames("Monotonic");
        yield return new TestCaseData(Assertions.FollowsReference("y", t => FirstOrder(2)(t), absolute: 0.01)).SetArgDisplayNames("FollowsReference");
        yield return new TestCaseData(Assertions.RisesWithinAfter("y", 1.0, 10, threshold: 0.99)).SetArgDisplayNames("RisesWithinAfter");
        yield return new TestCaseData(Assertions.Custom("c", "y", (_, v) => v < 2)).SetArgDisplayNames("CustomSample");
        yield return new TestCaseData(Assertions.Custom("c", "y", _ => true)).SetArgDisplayNames("CustomTrace");
    }

    [TestCaseSource(nameof(EveryKind))]
    public void Evaluate_SignalNotRecorded_IsNotEvaluatedNamingIt(Assertion assertion)
    {
        var r = assertion.Evaluate(new AssessmentContext([Sample("other", 0, 20, 0.1, _ => 0)], 0, 20, true));
        r.Verdict.ShouldBe(Verdict.NotEvaluated);
        r.Message.ShouldBe("y was not recorded");
        r.Signal.ShouldBe("y");
    }

    [TestCaseSource(nameof(EveryKind))]
    public void Evaluate_RunEndedEarlyWithoutAViolation_IsNotEvaluated(Assertion assertion)
    {
        var r = assertion.Evaluate(EndedAt(0.5, Step));
        r.Verdict.ShouldBe(Verdict.NotEvaluated, r.Message);
        r.Message.ShouldContain("0.5 s");
    }

    [TestCaseSource(nameof(EveryKind))]
    public void Evaluate_CompletedRun_GivesAVerdict(Assertion assertion) =>
        assertion.Evaluate(Completed(Step)).Verdict.ShouldNotBe(Verdict.NotEvaluated);

    [Test]
    public void Evaluate_ViolationBeforeAnEarlyEnd_StillFails()
    {
        var r = Assertions.StaysWithin("y", 0, 0.5).Evaluate(EndedAt(5, Step));
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Violation!.Time.ShouldBe(1.4, 1e-12); // 1 − e^−t/2 > 0.5 from t = 2 ln 2 = 1.386
    }

    [Test]
    public void Evaluate_WindowAfterTheRunsEnd_IsNotEvaluated()
    {
        var r = Assertions.StaysWithin("y", 0, 1, from: 25, to: 30).Evaluate(Completed(Step));
        r.Verdict.ShouldBe(Verdict.NotEvaluated);
        r.Message.ShouldBe("the run ended at t = 20 s, before the window starts at 25 s");
    }

    [Test]
    public void Evaluate_WindowBeyondTheStopTime_IsNotEvaluatedEvenIfTheRunCompleted()
    {
        var r = Assertions.StaysWithin("y", 0, 1, from: 10, to: 30).Evaluate(Completed(Step));
        r.Verdict.ShouldBe(Verdict.NotEvaluated);
        r.Message.ShouldBe("the run ended at t = 20 s, before the window's end at 30 s");
    }

    [Test]
    public void Evaluate_WindowBetweenSamples_IsNotEvaluated() =>
        Assertions.StaysWithin("y", 0, 1, from: 1.01, to: 1.05).Evaluate(Completed(Step)).Message.ShouldBe("y has no sample in [1.01, 1.05] s");
}

public class SignalTraceTests
{
    [Test]
    public void Constructor_TimesNotIncreasing_ThrowsNamingTheSample() =>
        Should.Throw<ArgumentException>(() => new SignalTrace("x", new[] { 0.0, 1, 1 }, new[] { 0.0, 0, 0 })).Message
            .ShouldBe("trace 'x': times must increase strictly, but #2 (1 s) follows 1 s");

    [Test]
    public void Constructor_LengthsDiffer_Throws() =>
        Should.Throw<ArgumentException>(() => new SignalTrace("x", new[] { 0.0, 1 }, new[] { 0.0 }));

    [Test]
    public void ValueAt_InterpolatesAndHoldsTheEnds()
    {
        var trace = new SignalTrace("x", new[] { 1.0, 2, 4 }, new[] { 10.0, 20, 0 });
        trace.ValueAt(0).ShouldBe(10);
        trace.ValueAt(1.5).ShouldBe(15);
        trace.ValueAt(2).ShouldBe(20);
        trace.ValueAt(3).ShouldBe(10);
        trace.ValueAt(9).ShouldBe(0);
    }

    [Test]
    public void Slice_IsInclusive()
    {
        var slice = Sample("x", 0, 10, 1, t => t).Slice(2, 5);
        slice.Times.ToArray().ShouldBe([2.0, 3, 4, 5]);
    }

    [Test]
    public void Builder_CollectsGrowsAndReplacesARepeatedTime()
    {
        var builder = new SignalTraceBuilder("x", "m", capacity: 2);
        for (var k = 0; k < 100; k++) builder.Add(k * 0.1, k);
        builder.Add(99 * 0.1, -1);
        var trace = builder.ToTrace();
        trace.Count.ShouldBe(100);
        trace.Unit.ShouldBe("m");
        trace.Values.Span[^1].ShouldBe(-1);
        Should.Throw<ArgumentException>(() => builder.Add(1, 0));
    }

    [Test]
    public void Context_DuplicateTraceNames_Throws() =>
        Should.Throw<ArgumentException>(() => new AssessmentContext([Sample("x", 0, 1, 1, _ => 0), Sample("x", 0, 1, 1, _ => 0)], 0, 1, true));
}

/// <summary>Evaluation cost grows with the samples, allocation does not (no allocation per sample).</summary>
public class AllocationTests
{
    [Test]
    public void Evaluate_MillionSamples_AllocatesNoMorePerSampleThanForAThousand()
    {
        foreach (var make in Kinds())
        {
            var small = Allocated(make(), 1_000);
            var large = Allocated(make(), 1_000_000);
            (large - small).ShouldBeLessThan(4_000, $"{make().Name}: {small} B for 1e3 samples, {large} B for 1e6");
        }
    }

    private static IEnumerable<Func<Assertion>> Kinds() =>
    [
        () => Assertions.StaysWithin("y", -1, 2),
        () => Assertions.Reaches("y", 1, 1e9, 1e-12),
        () => Assertions.SettlesWithin("y", 1),
        () => Assertions.OvershootBelow("y", 5),
        () => Assertions.RiseTimeBelow("y", 1e9),
        () => Assertions.Monotonic("y", Direction.Increasing),
        () => Assertions.FollowsReference("y", "r", absolute: 0.1, timeTolerance: 0.5),
        () => Assertions.RisesWithinAfter("y", 0.0, 1e9, threshold: 10),
        () => Assertions.Custom("c", "y", (_, v) => v < 2),
    ];

    private static long Allocated(Assertion assertion, int n)
    {
        var t = new double[n];
        var v = new double[n];
        for (var k = 0; k < n; k++)
        {
            t[k] = k * 1e-3;
            v[k] = 1 - Math.Exp(-t[k]);
        }
        // The reference lives on a fixed, coarse grid: its deques are per evaluation, not per sample.
        var r = Sample("r", 0, t[^1], t[^1] / 100, FirstOrder(1));
        var context = new AssessmentContext([new SignalTrace("y", t, v), r], 0, t[^1], true);
        assertion.Evaluate(context); // warm up (JIT, message formatting)
        var before = GC.GetAllocatedBytesForCurrentThread();
        assertion.Evaluate(context);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

/// <summary>The messages a reader sees, one per kind and verdict (printed for review; each names signal, time, value and bound).</summary>
public class MessageTests
{
    [Test]
    public void Evaluate_EveryKindFailing_MessageNamesSignalTimeValueAndBound()
    {
        var step = Sample("Tank.level", 0, 100, 0.1, SecondOrder(0.3, 0.2));
        var alarm = Sample("Alarm.high", 0, 100, 0.1, t => t > 70 ? 1 : 0);
        var context = new AssessmentContext([step, alarm], 0, 100, true, new Dictionary<string, double> { ["sensor fails"] = 60 });
        Assertion[] failing =
        [
            Assertions.StaysWithin("Tank.level", 0, 1.2, from: 10),
            Assertions.Reaches("Tank.level", 1, within: 5, tolerance: 0.02),
            Assertions.SettlesWithin("Tank.level", 40, target: 1),
            Assertions.OvershootBelow("Tank.level", 5, target: 1),
            Assertions.RiseTimeBelow("Tank.level", 3, target: 1, initial: 0),
            Assertions.Monotonic("Tank.level", Direction.Increasing, tolerance: 0.01),
            Assertions.FollowsReference("Tank.level", t => 1 - Math.Exp(-t / 20), absolute: 0.05, timeTolerance: 1),
            Assertions.RisesWithinAfter("Alarm.high", "sensor fails", within: 5),
        ];
        foreach (var assertion in failing)
        {
            var r = assertion.Evaluate(context);
            TestContext.Out.WriteLine($"{r.Name}: {r.Verdict}: {r.Message}");
            r.Verdict.ShouldBe(Verdict.Fail, r.Message);
            r.Message.ShouldContain(r.Signal);
            r.Message.ShouldContain($"t = {r.Violation!.Time:G6} s");
            r.Message.ShouldContain($"{r.Violation.Value:G6}");
            r.Message.ShouldContain($"{r.Violation.Bound:G6}");
        }
    }
}
