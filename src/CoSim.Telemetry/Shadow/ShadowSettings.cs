using CoSim.Core;
using CoSim.Telemetry.Signals;

namespace CoSim.Telemetry.Shadow;

/// <summary>
/// A simulated output compared with a measured column: <paramref name="Output"/> is <c>Component.variable</c>,
/// <paramref name="Unit"/> the column's unit (the engine converts the output into it on the connection),
/// <paramref name="Band"/> the allowed |residual - bias|; null: learned as k·sigma on the fitting part.
/// </summary>
public sealed record ShadowSignal(string Output, string Column, string? Unit = null, double? Band = null);

/// <summary>How the shadow compares and flags.</summary>
public sealed record ShadowOptions
{
    /// <summary>The shadow's component name (its result columns are <c>NAME.Component.variable.residual</c>...).</summary>
    public string Name { get; init; } = "shadow";

    /// <summary>The first rows of the file are the fitting part: bias and sigma of each residual are learned there, nothing is flagged or scored.</summary>
    public int FitRows { get; init; }

    /// <summary>Band = <see cref="K"/> · sigma of the residual on the fitting part (for signals without a given band); bias = its median, sigma = 1.4826 · its median absolute deviation.</summary>
    public double K { get; init; } = 4;

    /// <summary>A residual is flagged once it has stayed outside its band for this long [s] (0: at once).</summary>
    public double MinDuration { get; init; } = 5;

    /// <summary>How measured columns are sampled at communication points: linear, no comparison (NaN) inside gaps longer than 10 s.</summary>
    public SignalPolicy Measured { get; init; } = new(Interpolation.Linear, GapPolicy.Missing, 10);

    /// <summary>A 0/1 label column of the file (e.g. SKAB's <c>anomaly</c>) to score the flags against, row by row after the fitting part.</summary>
    public string? LabelColumn { get; init; }
}
