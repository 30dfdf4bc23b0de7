namespace CoSim.Assessment;

/// <summary>
/// Step-response figures of a recorded trace (for reports and sweep summaries; the assertions
/// <see cref="Assertions.RiseTimeBelow"/>, <see cref="Assertions.SettlesWithin"/> and
/// <see cref="Assertions.OvershootBelow"/> judge the same quantities). The step starts at
/// <c>from</c> (default: the first sample); <c>initial</c> defaults to the value there and
/// <c>target</c> to the last sample's value. Crossing times are interpolated linearly between
/// the two samples around the crossing; NaN samples are skipped.
/// </summary>
public static class StepMetrics
{
    /// <summary>
    /// Time from the first crossing of initial + <paramref name="low"/>·step to the first crossing
    /// of initial + <paramref name="high"/>·step [s]; +∞ when the trace never reaches the upper
    /// level, NaN when it has no step (target = initial) or no sample.
    /// </summary>
    public static double RiseTime(SignalTrace trace, double? target = null, double? initial = null, double low = 0.1, double high = 0.9, double? from = null)
    {
        if (!Step(trace, from, initial, target, out var t, out var v, out var y0, out var y1)) return double.NaN;
        var sign = Math.Sign(y1 - y0);
        var k = FirstReaching(t, v, 0, y0 + low * (y1 - y0), sign, true, out _);
        if (k < 0) return double.PositiveInfinity;
        var tLow = CrossingTime(t, v, k, y0 + low * (y1 - y0));
        var j = FirstReaching(t, v, k, y0 + high * (y1 - y0), sign, true, out _);
        return j < 0 ? double.PositiveInfinity : CrossingTime(t, v, j, y0 + high * (y1 - y0)) - tLow;
    }

    /// <summary>
    /// Time after <c>from</c> [s] from which the trace stays within target ± max(<paramref name="absoluteBand"/>,
    /// <paramref name="relativeBand"/>·|target|): the crossing into the band after the last sample outside it
    /// (0 when no sample is outside); +∞ when the last sample is outside; NaN without samples.
    /// </summary>
    public static double SettlingTime(SignalTrace trace, double? target = null, double relativeBand = 0.02, double absoluteBand = 0, double? from = null)
    {
        var t = trace.Times.Span;
        var v = trace.Values.Span;
        var first = TraceMath.FirstAtOrAfter(t, (from ?? double.NegativeInfinity) - TraceMath.TimeEpsilon);
        t = t[first..];
        v = v[first..];
        if (t.Length == 0) return double.NaN;
        var goal = target ?? v[^1];
        var half = Math.Max(absoluteBand, relativeBand * Math.Abs(goal));
        var lastOut = -1;
        for (var k = 0; k < t.Length; k++)
            if (Math.Abs(v[k] - goal) > half) lastOut = k; // NaN compares false: skipped
        return SettledAfter(t, v, lastOut, goal, half) - (from ?? t[0]);
    }

    /// <summary>
    /// Overshoot in percent of the step: how far the peak (the maximum for a rising step, the
    /// minimum for a falling one) goes beyond the target, 0 when it never does; NaN when there is no step.
    /// </summary>
    public static double Overshoot(SignalTrace trace, double? target = null, double? initial = null, double? from = null)
    {
        if (!Step(trace, from, initial, target, out _, out var v, out var y0, out var y1)) return double.NaN;
        var sign = Math.Sign(y1 - y0);
        var peak = double.NegativeInfinity;
        foreach (var x in v)
            if (sign * x > peak) peak = sign * x;
        return Math.Max(0, peak - sign * y1) / Math.Abs(y1 - y0) * 100;
    }

    /// <summary>The samples from <paramref name="from"/> on with the step's initial and target values; false when there is no step.</summary>
    private static bool Step(SignalTrace trace, double? from, double? initial, double? target, out ReadOnlySpan<double> t, out ReadOnlySpan<double> v, out double y0, out double y1)
    {
        t = trace.Times.Span;
        v = trace.Values.Span;
        var first = TraceMath.FirstAtOrAfter(t, (from ?? double.NegativeInfinity) - TraceMath.TimeEpsilon);
        t = t[first..];
        v = v[first..];
        y0 = initial ?? FirstFinite(v);
        y1 = target ?? LastFinite(v);
        return double.IsFinite(y0) && double.IsFinite(y1) && y0 != y1;
    }

    internal static double FirstFinite(ReadOnlySpan<double> v)
    {
        foreach (var x in v)
            if (double.IsFinite(x)) return x;
        return double.NaN;
    }

    internal static double LastFinite(ReadOnlySpan<double> v)
    {
        for (var k = v.Length - 1; k >= 0; k--)
            if (double.IsFinite(v[k])) return v[k];
        return double.NaN;
    }

    /// <summary>
    /// Index of the first sample from <paramref name="start"/> on with sign·(v − level) ≥ 0, or −1.
    /// Unless <paramref name="skipNaN"/>, the search stops at a NaN sample: −1 with its index in
    /// <paramref name="nanIndex"/> (else −1 there).
    /// </summary>
    internal static int FirstReaching(ReadOnlySpan<double> t, ReadOnlySpan<double> v, int start, double level, int sign, bool skipNaN, out int nanIndex)
    {
        nanIndex = -1;
        for (var k = start; k < v.Length; k++)
        {
            if (double.IsNaN(v[k]))
            {
                if (skipNaN) continue;
                nanIndex = k;
                return -1;
            }
            if (sign * (v[k] - level) >= 0) return k;
        }
        return -1;
    }

    /// <summary>When the signal reached <paramref name="level"/> at sample k: interpolated from the last finite sample before it.</summary>
    internal static double CrossingTime(ReadOnlySpan<double> t, ReadOnlySpan<double> v, int k, double level)
    {
        var p = k - 1;
        while (p >= 0 && double.IsNaN(v[p])) p--;
        return p < 0 ? t[k] : TraceMath.Crossing(t[p], v[p], t[k], v[k], level);
    }

    /// <summary>The time from which the samples stay in the band, given the last sample outside it (−1: none).</summary>
    internal static double SettledAfter(ReadOnlySpan<double> t, ReadOnlySpan<double> v, int lastOut, double goal, double half)
    {
        if (lastOut < 0) return t[0];
        if (lastOut == t.Length - 1) return double.PositiveInfinity;
        var edge = v[lastOut] > goal ? goal + half : goal - half;
        return double.IsNaN(v[lastOut]) ? t[lastOut + 1] : TraceMath.Crossing(t[lastOut], v[lastOut], t[lastOut + 1], v[lastOut + 1], edge);
    }
}
