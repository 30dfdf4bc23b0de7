using CoSim.Assessment;

namespace CoSim.Assessment.Tests;

/// <summary>Analytic traces sampled on a uniform grid, and contexts around them.</summary>
internal static class Traces
{
    /// <summary>f sampled at t0, t0 + h, ..., t1 (times computed as t0 + k·h, as the engine's communication points are).</summary>
    public static SignalTrace Sample(string name, double t0, double t1, double h, Func<double, double> f)
    {
        var n = (int)Math.Round((t1 - t0) / h) + 1;
        var t = new double[n];
        var v = new double[n];
        for (var k = 0; k < n; k++)
        {
            t[k] = t0 + k * h;
            v[k] = f(t[k]);
        }
        return new SignalTrace(name, t, v);
    }

    /// <summary>First-order step response 1 − exp(−t/τ).</summary>
    public static Func<double, double> FirstOrder(double tau) => t => 1 - Math.Exp(-t / tau);

    /// <summary>Unit step response of ωn²/(s² + 2ζωn s + ωn²).</summary>
    public static Func<double, double> SecondOrder(double zeta, double omegaN)
    {
        var wd = omegaN * Math.Sqrt(1 - zeta * zeta);
        return t => 1 - Math.Exp(-zeta * omegaN * t) * (Math.Cos(wd * t) + zeta / Math.Sqrt(1 - zeta * zeta) * Math.Sin(wd * t));
    }

    /// <summary>A run from the first to the last sample of the traces that reached its stop time.</summary>
    public static AssessmentContext Completed(params SignalTrace[] traces) =>
        new(traces, traces[0].Times.Span[0], traces[0].Times.Span[^1], true);

    /// <summary>A run that stopped early at <paramref name="end"/>: the traces cut there.</summary>
    public static AssessmentContext EndedAt(double end, params SignalTrace[] traces) =>
        new(traces.Select(t => t.Slice(double.NegativeInfinity, end)), traces[0].Times.Span[0], end, false);

    /// <summary>The root of f in [a, b] (f(a), f(b) of opposite signs) by bisection: an independent reference for crossing times.</summary>
    public static double Root(Func<double, double> f, double a, double b)
    {
        var fa = f(a);
        for (var i = 0; i < 200 && b - a > 1e-14; i++)
        {
            var m = 0.5 * (a + b);
            var fm = f(m);
            if (Math.Sign(fm) == Math.Sign(fa)) (a, fa) = (m, fm);
            else b = m;
        }
        return 0.5 * (a + b);
    }

    /// <summary>The first grid time t0 + k·h at or after <paramref name="time"/>.</summary>
    public static double NextSample(double time, double h, double t0 = 0) => t0 + Math.Ceiling((time - t0) / h - 1e-9) * h;
}
