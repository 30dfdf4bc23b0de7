namespace CoSim.Assessment;

/// <summary>Searches and interpolation on sorted sample times, shared by the assertions.</summary>
internal static class TraceMath
{
    /// <summary>
    /// Slack for comparing times [s]: half of the engine's 1 ns time resolution, so that a window
    /// edge written as 0.1 + 0.2 still includes the communication point 0.3.
    /// </summary>
    public const double TimeEpsilon = 0.5e-9;

    /// <summary>Index of the first time ≥ <paramref name="time"/> (the length when there is none).</summary>
    public static int FirstAtOrAfter(ReadOnlySpan<double> times, double time)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (times[mid] < time) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Index of the first time &gt; <paramref name="time"/> (the length when there is none).</summary>
    public static int FirstAfter(ReadOnlySpan<double> times, double time)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (times[mid] <= time) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The straight line through (t0, v0) and (t1, v1) at <paramref name="t"/>.</summary>
    public static double Interpolate(double t0, double v0, double t1, double v1, double t) =>
        t1 == t0 ? v1 : v0 + (v1 - v0) * ((t - t0) / (t1 - t0));

    /// <summary>The time where the line through (t0, v0) and (t1, v1) takes <paramref name="level"/> (t1 when it is flat).</summary>
    public static double Crossing(double t0, double v0, double t1, double v1, double level) =>
        v1 == v0 || !double.IsFinite(v0) || !double.IsFinite(v1) ? t1 : Math.Clamp(t0 + (level - v0) / (v1 - v0) * (t1 - t0), t0, t1);

    /// <summary>The value at <paramref name="time"/> from the last sample at or before it (the first sample when none is).</summary>
    public static double LastAtOrBefore(ReadOnlySpan<double> times, ReadOnlySpan<double> values, double time)
    {
        var i = FirstAfter(times, time + TimeEpsilon) - 1;
        return values[Math.Max(i, 0)];
    }
}
