using CoSim.Core.Assessment;

namespace CoSim.Reports;

/// <summary>Residual statistics of a simulated signal against its measurement (shadow mode).</summary>
/// <param name="Signal">The simulated signal.</param>
/// <param name="Samples">Samples compared (both values finite).</param>
/// <param name="Mean">Mean of simulated - measured.</param>
/// <param name="Rms">Root mean square of the residual.</param>
/// <param name="MaxAbs">Largest absolute residual.</param>
/// <param name="MaxAbsTime">Time [s] of the largest absolute residual.</param>
public sealed record ResidualStatistics(string Signal, int Samples, double Mean, double Rms, double MaxAbs, double MaxAbsTime)
{
    /// <summary>
    /// Statistics of every (simulated, measured) pair among <paramref name="traces"/> (<see cref="SignalPairs"/>),
    /// sample by sample (the two columns of one result share their time column).
    /// </summary>
    public static IReadOnlyList<ResidualStatistics> Of(IReadOnlyList<Trace> traces)
    {
        var byName = traces.ToDictionary(t => t.Signal);
        var stats = new List<ResidualStatistics>();
        foreach (var (sim, meas) in SignalPairs.Find(traces.Select(t => t.Signal)))
        {
            var a = byName[sim].Values;
            var b = byName[meas].Values;
            int n = 0;
            double sum = 0, sumSquares = 0, maxAbs = 0, maxAt = double.NaN;
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var r = a[i] - b[i];
                if (!double.IsFinite(r)) continue;
                n++;
                sum += r;
                sumSquares += r * r;
                if (Math.Abs(r) > maxAbs || double.IsNaN(maxAt)) (maxAbs, maxAt) = (Math.Abs(r), byName[sim].Time[i]);
            }
            stats.Add(n == 0 ? new ResidualStatistics(sim, 0, double.NaN, double.NaN, double.NaN, double.NaN)
                : new ResidualStatistics(sim, n, sum / n, Math.Sqrt(sumSquares / n), maxAbs, maxAt));
        }
        return stats;
    }
}

/// <summary>Signals plotted together in the "Signals" section, with the events of their run.</summary>
public sealed record SignalGroup(string Title, IReadOnlyList<Trace> Traces, IReadOnlyList<PlotMarker> Events);

/// <summary>A table of the report (e.g. a parameter sweep: one row per run).</summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// What an HTML report shows; every part but <see cref="Title"/> may be left empty and is then
/// left out. Front ends fill it: <c>cosim run --report</c> (summary, signals, provenance), <c>cosim test
/// --report</c> (assertions and the traces of their signals too).
/// </summary>
public sealed record Report
{
    /// <summary>The page's heading, e.g. the system or scenario name.</summary>
    public required string Title { get; init; }

    /// <summary>One word or phrase for the whole: <c>passed</c>, <c>failed</c>, <c>completed</c>...; shown coloured when it is pass/fail.</summary>
    public string? Outcome { get; init; }

    /// <summary>Facts about the run, in order (name, value): start/stop/step, steps, wall time, result file...</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Summary { get; init; } = [];

    /// <summary>The verdicts; each with a trace of its <see cref="AssertionResult.Signal"/> in <see cref="Traces"/> gets a plot with its window shaded and its violation marked.</summary>
    public IReadOnlyList<AssertionResult> Assertions { get; init; } = [];

    /// <summary>Recorded signals: plotted in the "Signals" section (one panel per unit), and used by the assertion plots.</summary>
    public IReadOnlyList<Trace> Traces { get; init; } = [];

    /// <summary>Events marked on every plot (vertical lines).</summary>
    public IReadOnlyList<PlotMarker> Events { get; init; } = [];

    /// <summary>
    /// The "Signals" section as several figures, each with its own time axis and events (e.g. one per
    /// scenario of a test run); empty: one figure of <see cref="Traces"/>. An assertion's plot marks the
    /// events of the group that holds its signal.
    /// </summary>
    public IReadOnlyList<SignalGroup> SignalGroups { get; init; } = [];

    /// <summary>Bands drawn under signals in the "Signals" section (e.g. a shadow comparison's allowed band).</summary>
    public IReadOnlyList<PlotBand> Bands { get; init; } = [];

    /// <summary>Shadow mode: residuals of simulated against measured signals (<see cref="ResidualStatistics.Of"/>).</summary>
    public IReadOnlyList<ResidualStatistics> Residuals { get; init; } = [];

    /// <summary>Further tables, e.g. a sweep's runs with their parameters and outcomes.</summary>
    public IReadOnlyList<ReportTable> Tables { get; init; } = [];

    /// <summary>The run's provenance JSON (shown as it is).</summary>
    public string? ProvenanceJson { get; init; }

    /// <summary>Most signals the "Signals" section plots (a large system's report stays readable); the rest are listed by name.</summary>
    public int MaxPlottedSignals { get; init; } = 24;
}
