namespace CoSim.Reports;

/// <summary>
/// Which recorded signals are measurements of which simulated ones (shadow mode): the one rule that
/// plots (overlays) and reports (residuals) share. A column named <c>X.measured</c> is the measurement
/// of the column <c>X</c> (e.g. <c>Tank.level.measured</c> beside <c>Tank.level</c>).
/// </summary>
public static class SignalPairs
{
    /// <summary>The suffix that marks a measured column.</summary>
    public const string MeasuredSuffix = ".measured";

    /// <summary>The simulated signal <paramref name="column"/> measures, or null when it is not a measurement.</summary>
    public static string? SimulatedOf(string column) =>
        column.EndsWith(MeasuredSuffix, StringComparison.Ordinal) && column.Length > MeasuredSuffix.Length ? column[..^MeasuredSuffix.Length] : null;

    /// <summary>The pairs (simulated, measured) among <paramref name="columns"/> where both are present, in column order.</summary>
    public static IReadOnlyList<(string Simulated, string Measured)> Find(IEnumerable<string> columns)
    {
        var all = columns.ToList();
        var present = all.ToHashSet(StringComparer.Ordinal);
        return all.Select(c => (Simulated: SimulatedOf(c), Measured: c))
            .Where(p => p.Simulated != null && present.Contains(p.Simulated))
            .Select(p => (p.Simulated!, p.Measured)).ToList();
    }
}
