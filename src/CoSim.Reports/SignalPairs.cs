namespace CoSim.Reports;

/// <summary>
/// Which recorded signals are measurements of which simulated ones (shadow mode): the one rule that
/// plots (overlays) and reports (residuals) share. A column named <c>X.measured</c> is the measurement
/// of the column <c>X</c> (e.g. <c>Tank.level.measured</c> beside <c>Tank.level</c>), and so is
/// <c>S.X.measured</c> of a shadow component <c>S</c> (e.g. <c>shadow.Pump.flowRate.measured</c> beside
/// <c>Pump.flowRate</c>), whose flag column is then <c>S.X.flag</c>.
/// </summary>
public static class SignalPairs
{
    /// <summary>The suffix that marks a measured column.</summary>
    public const string MeasuredSuffix = ".measured";

    /// <summary>The suffix of a shadow's flag column (1 while the residual is out of its band).</summary>
    public const string FlagSuffix = ".flag";

    /// <summary>The simulated signal <paramref name="column"/> measures, or null when it is not a measurement.</summary>
    public static string? SimulatedOf(string column) =>
        column.EndsWith(MeasuredSuffix, StringComparison.Ordinal) && column.Length > MeasuredSuffix.Length ? column[..^MeasuredSuffix.Length] : null;

    /// <summary>The pairs (simulated, measured) among <paramref name="columns"/> where both are present, in column order.</summary>
    public static IReadOnlyList<(string Simulated, string Measured)> Find(IEnumerable<string> columns)
    {
        var all = columns.ToList();
        var present = all.ToHashSet(StringComparer.Ordinal);
        var pairs = new List<(string, string)>();
        foreach (var column in all)
        {
            if (SimulatedOf(column) is not { } stem) continue;
            if (present.Contains(stem)) pairs.Add((stem, column));
            else if (stem.IndexOf('.') is var dot and > 0 && present.Contains(stem[(dot + 1)..])) pairs.Add((stem[(dot + 1)..], column)); // a shadow component's column
        }
        return pairs;
    }

    /// <summary>The flag column of a measured column (<c>S.X.measured</c> -> <c>S.X.flag</c>), when <paramref name="columns"/> hold it.</summary>
    public static string? FlagOf(string measured, IEnumerable<string> columns) =>
        SimulatedOf(measured) is { } stem && columns.Contains(stem + FlagSuffix) ? stem + FlagSuffix : null;
}
