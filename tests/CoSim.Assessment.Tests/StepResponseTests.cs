using CoSim.Assessment;
using CoSim.Core.Assessment;
using static CoSim.Assessment.Tests.Traces;

namespace CoSim.Assessment.Tests;

/// <summary>Rise time, settling time and overshoot against the closed forms of first- and second-order step responses.</summary>
public class StepResponseTests
{
    private const double H = 0.01;
    private const double Tau = 2;
    private const double Zeta = 0.3;
    private static readonly SignalTrace FirstOrderTrace = Sample("y", 0, 40, H, FirstOrder(Tau));
    private static readonly SignalTrace SecondOrderTrace = Sample("y", 0, 60, 0.001, SecondOrder(Zeta, 1));
    private static readonly double ExactOvershoot = 100 * Math.Exp(-Zeta * Math.PI / Math.Sqrt(1 - Zeta * Zeta)); // 37.23 %

    [Test]
    public void RiseTime_FirstOrder_IsTauLn9()
    {
        StepMetrics.RiseTime(FirstOrderTrace, target: 1, initial: 0).ShouldBe(Tau * Math.Log(9), 1e-4);
        StepMetrics.RiseTime(FirstOrderTrace).ShouldBe(Tau * Math.Log(9), 1e-4); // final value 1 − e^−20
    }

    [Test]
    public void RiseTimeBelow_LimitAboveTauLn9_Passes()
    {
        var r = Assertions.RiseTimeBelow("y", 4.5, target: 1, initial: 0).Evaluate(Completed(FirstOrderTrace));
        r.Verdict.ShouldBe(Verdict.Pass, r.Message);
        r.Message.ShouldContain($"in {Tau * Math.Log(9):G4}");
    }

    [Test]
    public void RiseTimeBelow_LimitBelowTauLn9_FailsAtLowCrossingPlusLimit()
    {
        var f = FirstOrder(Tau);
        var r = Assertions.RiseTimeBelow("y", 4, target: 1, initial: 0).Evaluate(Completed(FirstOrderTrace));
        r.Verdict.ShouldBe(Verdict.Fail);
        var t10 = Tau * Math.Log(1 / 0.9); // y = 0.1
        r.Violation!.Time.ShouldBe(t10 + 4, 1e-5);
        r.Violation.Value.ShouldBe(f(t10 + 4), 1e-5);
        r.Violation.Bound.ShouldBe(0.9, 1e-15);
        r.Message.ShouldContain("rose too slowly");
    }

    [Test]
    public void RiseTimeBelow_CustomLevels_UsesThem()
    {
        // 0-63.2 %: from t = 0 to t = τ.
        StepMetrics.RiseTime(FirstOrderTrace, 1, 0, low: 0, high: 1 - Math.Exp(-1)).ShouldBe(Tau, 1e-4);
        Assertions.RiseTimeBelow("y", 1.9, 1, 0, low: 0, high: 1 - Math.Exp(-1)).Evaluate(Completed(FirstOrderTrace)).Verdict.ShouldBe(Verdict.Fail);
    }

    [Test]
    public void RiseTimeBelow_RunEndsBeforeTheUpperLevel_IsNotEvaluated() =>
        Assertions.RiseTimeBelow("y", 5, target: 1, initial: 0).Evaluate(EndedAt(3, FirstOrderTrace)).Verdict.ShouldBe(Verdict.NotEvaluated);

    [Test]
    public void RiseTimeBelow_FinalValueOfARunEndedEarly_IsNotEvaluated() =>
        Assertions.RiseTimeBelow("y", 5).Evaluate(EndedAt(30, FirstOrderTrace)).Message.ShouldContain("final value is unknown");

    [Test]
    public void SettlingTime_FirstOrderTwoPercent_IsTauLn50()
    {
        StepMetrics.SettlingTime(FirstOrderTrace, target: 1).ShouldBe(Tau * Math.Log(50), 1e-4);
        StepMetrics.SettlingTime(FirstOrderTrace, target: 1, relativeBand: 0.05).ShouldBe(Tau * Math.Log(20), 1e-4);
    }

    [Test]
    public void SettlesWithin_LimitAboveTauLn50_Passes()
    {
        var r = Assertions.SettlesWithin("y", 8, target: 1).Evaluate(Completed(FirstOrderTrace));
        r.Verdict.ShouldBe(Verdict.Pass, r.Message);
        r.Message.ShouldContain($"after {Tau * Math.Log(50):G4}");
    }

    [Test]
    public void SettlesWithin_LimitBelowTauLn50_FailsAtTheFirstSampleAfterTheLimit()
    {
        var r = Assertions.SettlesWithin("y", 7.5, target: 1).Evaluate(Completed(FirstOrderTrace));
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Violation!.Time.ShouldBe(7.5, 1e-12);
        r.Violation.Value.ShouldBe(FirstOrder(Tau)(7.5), 1e-12);
        r.Violation.Bound.ShouldBe(0.98, 1e-15);
    }

    [Test]
    public void SettlesWithin_SecondOrderToFinalValue_MatchesTheEnvelopeBound()
    {
        // The error's envelope e^−ζt/√(1−ζ²) falls to 2 % at ln(50/√(1−ζ²))/ζ: settled by then. The
        // third peak, at 3π/ωd, still errs by e^−3ζπ/√(1−ζ²) = 5 %: not settled before it.
        var ts = StepMetrics.SettlingTime(SecondOrderTrace);
        ts.ShouldBeLessThan(Math.Log(50 / Math.Sqrt(1 - Zeta * Zeta)) / Zeta);
        ts.ShouldBeGreaterThan(3 * Math.PI / Math.Sqrt(1 - Zeta * Zeta));
        Assertions.SettlesWithin("y", ts + 0.01).Evaluate(Completed(SecondOrderTrace)).Verdict.ShouldBe(Verdict.Pass);
        Assertions.SettlesWithin("y", ts - 0.01).Evaluate(Completed(SecondOrderTrace)).Verdict.ShouldBe(Verdict.Fail);
    }

    [Test]
    public void SettlesWithin_AbsoluteBandAroundZero_Works()
    {
        var decay = Sample("e", 0, 10, H, t => Math.Exp(-t));
        StepMetrics.SettlingTime(decay, target: 0, absoluteBand: 0.01).ShouldBe(Math.Log(100), 1e-4);
        Assertions.SettlesWithin("e", 4, target: 0, absoluteBand: 0.01).Evaluate(Completed(decay)).Violation!.Bound.ShouldBe(0.01);
    }

    [Test]
    public void Overshoot_SecondOrder_IsExpOfMinusZetaPiOverSqrt()
    {
        StepMetrics.Overshoot(SecondOrderTrace, target: 1, initial: 0).ShouldBe(ExactOvershoot, 1e-4);
        StepMetrics.Overshoot(FirstOrderTrace, target: 1).ShouldBe(0);
    }

    [Test]
    public void OvershootBelow_LimitAboveExact_Passes()
    {
        var r = Assertions.OvershootBelow("y", 38, target: 1).Evaluate(Completed(SecondOrderTrace));
        r.Verdict.ShouldBe(Verdict.Pass, r.Message);
        r.Message.ShouldContain($"overshot {ExactOvershoot:G4}");
        r.Message.ShouldContain($"t = {Math.PI / Math.Sqrt(1 - Zeta * Zeta):G4} s"); // the peak at π/ωd
    }

    [Test]
    public void OvershootBelow_LimitBelowExact_FailsWhereTheResponseCrossesTheLimit()
    {
        var f = SecondOrder(Zeta, 1);
        var r = Assertions.OvershootBelow("y", 30, target: 1).Evaluate(Completed(SecondOrderTrace));
        r.Verdict.ShouldBe(Verdict.Fail);
        var crossing = Root(t => f(t) - 1.3, 2, Math.PI / Math.Sqrt(1 - Zeta * Zeta)); // on the way up to the first peak
        r.Violation!.Time.ShouldBe(NextSample(crossing, 0.001), 1e-9);
        r.Violation.Value.ShouldBe(f(r.Violation.Time), 1e-12);
        r.Violation.Bound.ShouldBe(1.3, 1e-12);
        r.Message.ShouldContain($"overshoot {ExactOvershoot:G4}");
    }

    [Test]
    public void OvershootBelow_FallingStep_MeasuresBelowTheTarget()
    {
        var falling = Sample("y", 0, 60, 0.001, t => 5 - 2 * SecondOrder(Zeta, 1)(t)); // 5 -> 3
        StepMetrics.Overshoot(falling).ShouldBe(ExactOvershoot, 1e-3);
        var r = Assertions.OvershootBelow("y", 20, target: 3).Evaluate(Completed(falling));
        r.Violation!.Bound.ShouldBe(2.6, 1e-12);
        r.Violation.Value.ShouldBeLessThan(2.6);
    }

    [Test]
    public void OvershootBelow_NoStep_IsNotEvaluated() =>
        Assertions.OvershootBelow("y", 10).Evaluate(Completed(Sample("y", 0, 1, 0.1, _ => 2))).Verdict.ShouldBe(Verdict.NotEvaluated);
}
