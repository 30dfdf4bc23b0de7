using CoSim.Assessment;
using CoSim.Core.Assessment;
using static CoSim.Assessment.Tests.Traces;

namespace CoSim.Assessment.Tests;

public class RisesWithinAfterTests
{
    private static readonly SignalTrace Alarm = Sample("alarm", 0, 30, 0.1, t => t >= 12.35 ? 1 : 0); // first true sample: 12.4

    private static AssessmentContext Run(double? faultAt = 10) =>
        new([Alarm], 0, 30, true, faultAt is { } t ? new Dictionary<string, double> { ["sensor fails"] = t } : null);

    [Test]
    public void Evaluate_AlarmWithinTheLimitAfterTheFault_Passes()
    {
        var r = Assertions.RisesWithinAfter("alarm", "sensor fails", within: 3).Evaluate(Run());
        r.Verdict.ShouldBe(Verdict.Pass, r.Message);
        r.Message.ShouldContain("at t = 12.4 s, 2.4 s after 'sensor fails' at 10 s");
        r.Window.ShouldBe((10.0, 13.0));
    }

    [Test]
    public void Evaluate_AlarmTooLate_FailsAtTheDeadlineWithValueAndThreshold()
    {
        var r = Assertions.RisesWithinAfter("alarm", "sensor fails", within: 2).Evaluate(Run());
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Violation.ShouldBe(new Violation(12, 0, 0.5));
        r.Message.ShouldBe("alarm did not rise to 0.5 within 2 s after 'sensor fails' at 10 s: at t = 12 s it was 0");
    }

    [Test]
    public void Evaluate_EventNeverHappened_IsNotEvaluated()
    {
        var r = Assertions.RisesWithinAfter("alarm", "sensor fails", within: 3).Evaluate(Run(faultAt: null));
        r.Verdict.ShouldBe(Verdict.NotEvaluated);
        r.Message.ShouldContain("event 'sensor fails' never happened");
    }

    [Test]
    public void Evaluate_GivenTimeAndThreshold_UsesThem()
    {
        var level = Sample("level", 0, 30, 0.1, t => 0.1 * t);
        var context = Completed(level);
        Assertions.RisesWithinAfter("level", 5.0, within: 15, threshold: 2).Evaluate(context).Verdict.ShouldBe(Verdict.Pass);
        Assertions.RisesWithinAfter("level", 5.0, within: 10, threshold: 2).Evaluate(context).Violation!.Value.ShouldBe(1.5, 1e-12);
    }

    [Test]
    public void Evaluate_RunEndedBeforeTheDeadlineWithoutAlarm_IsNotEvaluated() =>
        Assertions.RisesWithinAfter("alarm", "sensor fails", within: 3)
            .Evaluate(new AssessmentContext([Alarm.Slice(0, 11)], 0, 11, false, new Dictionary<string, double> { ["sensor fails"] = 10 }))
            .Verdict.ShouldBe(Verdict.NotEvaluated);
}

public class CustomTests
{
    private const double H = 0.01;

    [Test]
    public void Evaluate_PredicateHoldsEverywhere_Passes() =>
        Assertions.Custom("bounded", "x", (t, x) => Math.Abs(x) <= 1).Evaluate(Completed(Sample("x", 0, 10, H, Math.Sin))).Verdict.ShouldBe(Verdict.Pass);

    [Test]
    public void Evaluate_PredicateFalse_FailsAtTheFirstSampleWithItsTimeAndValue()
    {
        var f = FirstOrder(1);
        var r = Assertions.Custom("below half", "y", (t, y) => y < 0.5).Evaluate(Completed(Sample("y", 0, 5, H, f)));
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Name.ShouldBe("below half");
        r.Violation!.Time.ShouldBe(NextSample(Math.Log(2), H), 1e-12);
        r.Violation.Value.ShouldBe(f(r.Violation.Time));
        double.IsNaN(r.Violation.Bound).ShouldBeTrue();
        r.Message.ShouldContain("below half: false for y at t = 0.7 s");
    }

    [Test]
    public void Evaluate_PredicateSeesTime_AndTheWindow()
    {
        var trace = Sample("y", 0, 10, 1, t => t);
        Assertions.Custom("later than 3", "y", (t, _) => t >= 3, from: 3).Evaluate(Completed(trace)).Verdict.ShouldBe(Verdict.Pass);
        Assertions.Custom("later than 3", "y", (t, _) => t >= 3, from: 2).Evaluate(Completed(trace)).Violation!.Time.ShouldBe(2);
    }

    [Test]
    public void Evaluate_WholeTracePredicate_PassesOrFails()
    {
        var trace = Sample("y", 0, 40, H, FirstOrder(2));
        Assertions.Custom("ends near 1", "y", tr => Math.Abs(tr.ValueAt(40) - 1) < 1e-6).Evaluate(Completed(trace)).Verdict.ShouldBe(Verdict.Pass);
        var r = Assertions.Custom("mean above 0.99", "y", tr => Mean(tr) > 0.99).Evaluate(Completed(trace));
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Violation.ShouldBeNull();
        r.Message.ShouldBe("mean above 0.99: false for y (4001 samples)");
    }

    private static double Mean(SignalTrace trace)
    {
        var sum = 0.0;
        foreach (var x in trace.Values.Span) sum += x;
        return sum / trace.Count;
    }
}
