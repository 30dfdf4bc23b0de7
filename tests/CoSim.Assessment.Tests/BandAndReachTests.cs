using CoSim.Assessment;
using CoSim.Core.Assessment;
using static CoSim.Assessment.Tests.Traces;

namespace CoSim.Assessment.Tests;

public class StaysWithinTests
{
    private const double H = 0.01;

    [Test]
    public void Evaluate_SineWithinUnitBand_Passes()
    {
        var r = Assertions.StaysWithin("x", -1, 1).Evaluate(Completed(Sample("x", 0, 10, H, Math.Sin)));
        r.Verdict.ShouldBe(Verdict.Pass, r.Message);
        r.Window.ShouldBe((0.0, 10.0));
    }

    [Test]
    public void Evaluate_FirstOrderStepAboveHalf_FailsAtFirstSampleAfterLn2()
    {
        var f = FirstOrder(1);
        var r = Assertions.StaysWithin("y", 0, 0.5).Evaluate(Completed(Sample("y", 0, 5, H, f)));

        r.Verdict.ShouldBe(Verdict.Fail);
        var expected = NextSample(Math.Log(2), H); // 1 − e^−t = 0.5 at t = ln 2
        r.Violation!.Time.ShouldBe(expected, 1e-12);
        r.Violation.Value.ShouldBe(f(expected), 1e-15);
        r.Violation.Bound.ShouldBe(0.5);
        r.Signal.ShouldBe("y");
        r.Message.ShouldBe($"y left [0, 0.5] at t = 0.7 s: {f(0.7):G6} > 0.5");
    }

    [Test]
    public void Evaluate_ToleranceWidensTheBand_BoundIsTheWidenedEdge()
    {
        var trace = Sample("y", 0, 5, H, FirstOrder(1));
        Assertions.StaysWithin("y", 0, 0.99, tolerance: 0.01).Evaluate(Completed(trace)).Verdict.ShouldBe(Verdict.Pass);
        var r = Assertions.StaysWithin("y", 0.1, 2, tolerance: 0.05).Evaluate(Completed(trace));
        r.Violation!.Time.ShouldBe(0);
        r.Violation.Bound.ShouldBe(0.05, 1e-15);
    }

    [Test]
    public void Evaluate_WindowEdges_AreInclusive()
    {
        var trace = Sample("y", 0, 10, 1, t => t); // 0, 1, ..., 10
        // [2, 5] holds the samples 2..5: the band [2, 5] contains them exactly.
        Assertions.StaysWithin("y", 2, 5, from: 2, to: 5).Evaluate(Completed(trace)).Verdict.ShouldBe(Verdict.Pass);
        // An edge given as a sum that misses the grid by rounding (0.1 + 0.2 vs 0.3) still includes the sample.
        (0.1 + 0.2).ShouldNotBe(0.3);
        var fine = new SignalTrace("z", new[] { 0, 0.1, 0.2, 0.3, 0.4 }, new double[] { 0, 0, 0, 1, 1 });
        var r = Assertions.StaysWithin("z", 0, 0, from: 0, to: 0.1 + 0.2).Evaluate(Completed(fine));
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Violation!.Time.ShouldBe(0.3, 1e-12);
    }

    [Test]
    public void Evaluate_NaNSample_IsAViolationUnlessIgnored()
    {
        var trace = Sample("y", 0, 10, 1, t => t == 3 ? double.NaN : 0);
        var r = Assertions.StaysWithin("y", -1, 1).Evaluate(Completed(trace));
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Violation!.Time.ShouldBe(3);
        double.IsNaN(r.Violation.Value).ShouldBeTrue();
        r.Message.ShouldContain("is NaN");
        Assertions.StaysWithin("y", -1, 1).IgnoringNaN().Evaluate(Completed(trace)).Verdict.ShouldBe(Verdict.Pass);
    }

    [Test]
    public void Named_GivesTheReportName()
    {
        var r = Assertions.StaysWithin("y", -1, 1).Named("level in range").Evaluate(Completed(Sample("y", 0, 1, 0.1, t => 0)));
        r.Name.ShouldBe("level in range");
        Assertions.StaysWithin("Tank.level", 0.5, 1.5).Name.ShouldBe("Tank.level stays within [0.5, 1.5]");
    }

    [Test]
    public void Factory_BandUpsideDown_Throws() =>
        Should.Throw<ArgumentException>(() => Assertions.StaysWithin("y", 2, 1)).Message.ShouldContain("min must not exceed max");
}

public class ReachesTests
{
    private const double H = 0.01;
    private const double Tau = 2;

    [Test]
    public void Evaluate_FirstOrderStep_ReachesTheTargetWhenWithinTheTolerance()
    {
        // |1 − y| = e^−t/τ ≤ 0.02 from t = τ·ln 50 = 7.824 s on.
        var r = Assertions.Reaches("y", 1, within: 10, tolerance: 0.02).Evaluate(Completed(Sample("y", 0, 20, H, FirstOrder(Tau))));
        r.Verdict.ShouldBe(Verdict.Pass, r.Message);
        r.Message.ShouldContain($"at t = {NextSample(Tau * Math.Log(50), H):G6} s");
    }

    [Test]
    public void Evaluate_DeadlineBeforeTheTube_FailsAtTheDeadlineWithValueAndBound()
    {
        var f = FirstOrder(Tau);
        var r = Assertions.Reaches("y", 1, within: 5, tolerance: 0.02).Evaluate(Completed(Sample("y", 0, 20, H, f)));
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Violation!.Time.ShouldBe(5);
        r.Violation.Value.ShouldBe(f(5), 1e-12);
        r.Violation.Bound.ShouldBe(0.98);
        r.Message.ShouldContain("did not reach 1 ± 0.02 within 5 s");
    }

    [Test]
    public void Evaluate_FromLaterTime_CountsTheLimitFromThere()
    {
        var trace = Sample("y", 0, 20, H, t => t < 10 ? 0 : FirstOrder(Tau)(t - 10));
        Assertions.Reaches("y", 1, within: 8, tolerance: 0.02, from: 10).Evaluate(Completed(trace)).Verdict.ShouldBe(Verdict.Pass);
        Assertions.Reaches("y", 1, within: 7.5, tolerance: 0.02, from: 10).Evaluate(Completed(trace)).Violation!.Time.ShouldBe(17.5);
    }

    [Test]
    public void Evaluate_RunEndedBeforeTheDeadline_IsNotEvaluated()
    {
        var r = Assertions.Reaches("y", 1, within: 10, tolerance: 0.02).Evaluate(EndedAt(4, Sample("y", 0, 20, H, FirstOrder(Tau))));
        r.Verdict.ShouldBe(Verdict.NotEvaluated);
        r.Message.ShouldContain("before the window's end at 10 s");
    }

    [Test]
    public void Evaluate_ReachedBeforeTheRunEndedEarly_StillPasses() =>
        Assertions.Reaches("y", 0.5, within: 10, tolerance: 0.05).Evaluate(EndedAt(4, Sample("y", 0, 20, H, FirstOrder(Tau))))
            .Verdict.ShouldBe(Verdict.Pass);
}

/// <summary>The step-response kinds measured from a named event instead of a fixed time.</summary>
public class AfterEventTests
{
    private const double Tau = 2;
    private static readonly SignalTrace Step = Sample("y", 0, 60, 0.01, t => t < 13.37 ? 0 : FirstOrder(Tau)(t - 13.37));

    private static AssessmentContext Run(bool stepped = true) =>
        new([Step], 0, 60, true, stepped ? new Dictionary<string, double> { ["setpoint step"] = 13.37 } : null);

    [Test]
    public void Evaluate_StepResponseKindsAfterTheEvent_MeasureFromIt()
    {
        Assertions.Reaches("y", 1, within: 8, tolerance: 0.02, afterEvent: "setpoint step").Evaluate(Run()).Verdict.ShouldBe(Verdict.Pass);
        var late = Assertions.Reaches("y", 1, within: 7.5, tolerance: 0.02, afterEvent: "setpoint step").Evaluate(Run());
        late.Violation!.Time.ShouldBe(13.37 + 7.5, 1e-12);
        late.Message.ShouldContain("after 'setpoint step' at 13.37 s");
        Assertions.SettlesWithin("y", 8, target: 1, afterEvent: "setpoint step").Evaluate(Run()).Verdict.ShouldBe(Verdict.Pass);
        Assertions.SettlesWithin("y", 7.5, target: 1, afterEvent: "setpoint step").Evaluate(Run()).Violation!.Time.ShouldBe(13.37 + 7.5, 0.01);
        Assertions.RiseTimeBelow("y", 4.5, target: 1, initial: 0, afterEvent: "setpoint step").Evaluate(Run()).Verdict.ShouldBe(Verdict.Pass);
        Assertions.OvershootBelow("y", 1, target: 1, afterEvent: "setpoint step").Evaluate(Run()).Verdict.ShouldBe(Verdict.Pass);
    }

    [Test]
    public void Evaluate_EventNeverHappened_IsNotEvaluated()
    {
        var r = Assertions.SettlesWithin("y", 8, target: 1, afterEvent: "setpoint step").Evaluate(Run(stepped: false));
        r.Verdict.ShouldBe(Verdict.NotEvaluated);
        r.Message.ShouldBe("event 'setpoint step' never happened, so y could not be judged");
    }

    [Test]
    public void Factory_FromAndAfterEvent_Throws() =>
        Should.Throw<ArgumentException>(() => Assertions.Reaches("y", 1, 1, 0.1, from: 3, afterEvent: "e")).Message.ShouldContain("not both");
}

public class FactoryTests
{
    [Test]
    public void Factory_BadArguments_ThrowNamingThem()
    {
        Should.Throw<ArgumentException>(() => Assertions.StaysWithin("", 0, 1));
        Should.Throw<ArgumentException>(() => Assertions.Reaches("y", 1, within: -1, tolerance: 0)).ParamName.ShouldBe("within");
        Should.Throw<ArgumentException>(() => Assertions.SettlesWithin("y", 5, relativeBand: 0)).Message.ShouldContain("needs a band");
        Should.Throw<ArgumentException>(() => Assertions.RiseTimeBelow("y", 5, low: 0.9, high: 0.1)).Message.ShouldContain("0 <= low < high <= 1");
        Should.Throw<ArgumentException>(() => Assertions.Monotonic("y", Direction.Increasing, from: 5, to: 1)).Message.ShouldContain("from must not be after to");
        Should.Throw<ArgumentException>(() => Assertions.FollowsReference("y", Math.Sin, absolute: double.NaN)).ParamName.ShouldBe("absolute");
    }
}
