using CoSim.Assessment;
using CoSim.Core.Assessment;
using static CoSim.Assessment.Tests.Traces;

namespace CoSim.Assessment.Tests;

public class MonotonicTests
{
    private const double H = 0.01;

    [Test]
    public void Evaluate_SineOverItsPeak_FailsAtTheFirstSampleBelowTheMaximum()
    {
        var r = Assertions.Monotonic("x", Direction.Increasing).Evaluate(Completed(Sample("x", 0, 5, H, Math.Sin)));
        r.Verdict.ShouldBe(Verdict.Fail);
        // The peak π/2 = 1.5708 lies between the samples 1.57 and 1.58; sin(1.58) < sin(1.57).
        r.Violation!.Time.ShouldBe(1.58, 1e-12);
        r.Violation.Value.ShouldBe(Math.Sin(1.58), 1e-15);
        r.Violation.Bound.ShouldBe(Math.Sin(157 * H), 1e-15);
    }

    [Test]
    public void Evaluate_SineUpToItsPeak_Passes() =>
        Assertions.Monotonic("x", Direction.Increasing, to: 1.57).Evaluate(Completed(Sample("x", 0, 5, H, Math.Sin))).Verdict.ShouldBe(Verdict.Pass);

    [Test]
    public void Evaluate_NoiseWithinTheTolerance_PassesAndSlowDriftBackFails()
    {
        // e^−t plus ±1e-3 of deterministic noise: decreasing within 2e-3, but not exactly.
        var noisy = Sample("x", 0, 10, H, t => Math.Exp(-t) + 1e-3 * Math.Sin(97 * t));
        Assertions.Monotonic("x", Direction.Decreasing, tolerance: 2.1e-3).Evaluate(Completed(noisy)).Verdict.ShouldBe(Verdict.Pass);
        Assertions.Monotonic("x", Direction.Decreasing).Evaluate(Completed(noisy)).Verdict.ShouldBe(Verdict.Fail);
        // A drift back of 0.05 in steps of 1e-4, each far below the tolerance, is caught against the running minimum.
        var drift = Sample("x", 0, 10, H, t => t < 5 ? -t : -5 + 0.01 * (t - 5));
        var r = Assertions.Monotonic("x", Direction.Decreasing, tolerance: 0.02).Evaluate(Completed(drift));
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Violation!.Time.ShouldBe(NextSample(7, H), 0.011); // −5 + 0.01·(t − 5) > −5 + 0.02 after t = 7
        r.Violation.Bound.ShouldBe(-4.98, 1e-9);
    }
}

public class FollowsReferenceTests
{
    private const double H = 0.01;

    [Test]
    public void Evaluate_OffsetWithinAbsoluteTolerance_Passes() =>
        Assertions.FollowsReference("y", Math.Sin, absolute: 0.02).Evaluate(Completed(Sample("y", 0, 10, H, t => Math.Sin(t) + 0.01)))
            .Verdict.ShouldBe(Verdict.Pass);

    [Test]
    public void Evaluate_OffsetBeyondAbsoluteTolerance_FailsAtTheFirstSample()
    {
        var r = Assertions.FollowsReference("y", Math.Sin, absolute: 0.005).Evaluate(Completed(Sample("y", 0, 10, H, t => Math.Sin(t) + 0.01)));
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Violation!.Time.ShouldBe(0);
        r.Violation.Value.ShouldBe(0.01);
        r.Violation.Bound.ShouldBe(0.005);
    }

    [Test]
    public void Evaluate_RelativeTolerance_ScalesWithTheReference()
    {
        // y = 1.04·e^t against e^t: within 5 % everywhere, not within 3 %; an absolute 0.03 covers only small values.
        var y = Sample("y", 0, 3, H, t => 1.04 * Math.Exp(t));
        Assertions.FollowsReference("y", Math.Exp, relative: 0.05).Evaluate(Completed(y)).Verdict.ShouldBe(Verdict.Pass);
        Assertions.FollowsReference("y", Math.Exp, relative: 0.03).Evaluate(Completed(y)).Violation!.Bound.ShouldBe(1.03, 1e-12);
        var r = Assertions.FollowsReference("y", Math.Exp, absolute: 0.05, relative: 0.001).Evaluate(Completed(y));
        r.Violation!.Time.ShouldBe(NextSample(Math.Log(0.05 / 0.04), H), 1e-12); // 0.04·e^t > 0.05 from t = ln 1.25
    }

    [Test]
    public void Evaluate_LaggingSignal_PassesOnlyWithATimeToleranceCoveringTheLag()
    {
        var reference = Sample("ref", 0, 10, H, Math.Sin);
        var lagging = Sample("y", 0, 10, H, t => Math.Sin(t - 0.1));
        var context = Completed(lagging, reference);
        Assertions.FollowsReference("y", "ref", absolute: 1e-3).Evaluate(context).Verdict.ShouldBe(Verdict.Fail);
        var funnel = Assertions.FollowsReference("y", "ref", absolute: 1e-9, timeTolerance: 0.1).Evaluate(context);
        funnel.Verdict.ShouldBe(Verdict.Fail); // at t = 0 the reference is held at sin(0): sin(−0.1) is below it
        funnel.Violation!.Time.ShouldBe(0);
        var r = Assertions.FollowsReference("y", "ref", absolute: 1e-9, timeTolerance: 0.1, from: 0.1).Evaluate(context);
        r.Verdict.ShouldBe(Verdict.Pass, r.Message);
        r.Window.ShouldBe((0.1, 10.0));
    }

    [Test]
    public void Evaluate_RandomTraces_AgreesWithBruteForceFunnel([Values(1, 2, 3, 4, 5, 6, 7, 8)] int seed)
    {
        // Irregular grids for signal and reference: the sliding-window funnel must give the same first
        // violation as the O(n·m) definition (min/max of the reference's samples in [t − dt, t + dt] and
        // of its interpolated values at both edges).
        var random = new Random(seed);
        var reference = Irregular(random, "ref", 400, t => Math.Sin(t) + 0.3 * Math.Sin(3.1 * t));
        var signal = Irregular(random, "y", 600, t => Math.Sin(t - 0.05) + 0.3 * Math.Sin(3.1 * t - 0.1) + 0.01 * (random.NextDouble() - 0.5));
        var dt = 0.01 + 0.1 * random.NextDouble();
        double abs = 0.02 * random.NextDouble(), rel = 0.02 * random.NextDouble();

        var r = Assertions.FollowsReference("y", reference, absolute: abs, relative: rel, timeTolerance: dt).Evaluate(Completed(signal));
        var expected = BruteForceFirstViolation(signal, reference, abs, rel, dt);

        if (expected == null) r.Verdict.ShouldBe(Verdict.Pass, r.Message);
        else
        {
            r.Verdict.ShouldBe(Verdict.Fail);
            r.Violation!.Time.ShouldBe(expected.Time);
            r.Violation.Value.ShouldBe(expected.Value);
            r.Violation.Bound.ShouldBe(expected.Bound, 1e-12);
        }
    }

    [Test]
    public void Evaluate_ReferenceNaN_IsAViolation()
    {
        var reference = Sample("ref", 0, 10, 1, t => t == 4 ? double.NaN : 0);
        var r = Assertions.FollowsReference("y", "ref", absolute: 1).Evaluate(Completed(Sample("y", 0, 10, 0.5, _ => 0), reference));
        r.Verdict.ShouldBe(Verdict.Fail);
        r.Violation!.Time.ShouldBe(3.5); // the reference between 3 and 4 is undefined
        r.Message.ShouldContain("reference ref is NaN");
    }

    [Test]
    public void Evaluate_ReferenceNotRecorded_IsNotEvaluated()
    {
        var assertion = Assertions.FollowsReference("y", "ref", absolute: 1);
        assertion.Signals.ShouldBe(["y", "ref"]);
        assertion.Evaluate(Completed(Sample("y", 0, 1, 0.1, _ => 0))).Message.ShouldBe("the reference ref was not recorded");
    }

    private static SignalTrace Irregular(Random random, string name, int n, Func<double, double> f)
    {
        var t = new double[n];
        var v = new double[n];
        for (var k = 0; k < n; k++)
        {
            t[k] = (k == 0 ? 0 : t[k - 1]) + 0.005 + 0.03 * random.NextDouble();
            v[k] = f(t[k]);
        }
        return new SignalTrace(name, t, v);
    }

    private static Violation? BruteForceFirstViolation(SignalTrace signal, SignalTrace reference, double abs, double rel, double dt)
    {
        var t = signal.Times.Span;
        var v = signal.Values.Span;
        var rt = reference.Times.Span;
        var rv = reference.Values.Span;
        for (var k = 0; k < t.Length; k++)
        {
            double a = t[k] - dt, b = t[k] + dt;
            double low = Math.Min(reference.ValueAt(a), reference.ValueAt(b)), high = Math.Max(reference.ValueAt(a), reference.ValueAt(b));
            for (var j = 0; j < rt.Length; j++)
                if (rt[j] >= a && rt[j] <= b)
                {
                    low = Math.Min(low, rv[j]);
                    high = Math.Max(high, rv[j]);
                }
            var lower = low - Math.Max(abs, rel * Math.Abs(low));
            var upper = high + Math.Max(abs, rel * Math.Abs(high));
            if (v[k] < lower) return new Violation(t[k], v[k], lower);
            if (v[k] > upper) return new Violation(t[k], v[k], upper);
        }
        return null;
    }
}
