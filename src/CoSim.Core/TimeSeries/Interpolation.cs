namespace CoSim.Core;

/// <summary>
/// How a sampled signal is valued between two of its samples: the one vocabulary of historian replay
/// (<c>--replay-interpolation</c>), input tables and live sources (a Kafka source's <c>interpolation</c>).
/// </summary>
public enum Interpolation
{
    /// <summary>Straight line between the samples around the time (a live source waits for the sample after it).</summary>
    Linear,

    /// <summary>Zero-order hold: the last sample at or before the time.</summary>
    Hold,
}

/// <summary>The value between two samples, one formula for every sampler (file replay, input tables, live sources), so that they agree to the bit.</summary>
public static class Sampling
{
    /// <summary>
    /// The value at <paramref name="time"/> between the samples (<paramref name="t0"/>, <paramref name="v0"/>) and
    /// (<paramref name="t1"/>, <paramref name="v1"/>), t0 &lt;= time &lt;= t1 and t0 &lt; t1: <paramref name="v0"/> for
    /// <see cref="Interpolation.Hold"/>, the straight line for <see cref="Interpolation.Linear"/>.
    /// </summary>
    public static double Between(double t0, double v0, double t1, double v1, double time, Interpolation interpolation) =>
        interpolation == Interpolation.Hold ? v0 : v0 + (time - t0) / (t1 - t0) * (v1 - v0);
}
