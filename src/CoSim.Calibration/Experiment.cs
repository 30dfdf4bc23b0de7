using CoSim.Core;
using CoSim.Telemetry.Replay;

namespace CoSim.Calibration;

/// <summary>
/// One data file as an experiment: its own run from its own initial state, the inputs its columns
/// drive, and the measured points the fit compares (per fitted output: times, measured values in the
/// output's unit, and the factor each residual is multiplied by).
/// </summary>
public sealed class Experiment
{
    private Experiment(string name, HistorianData data, double[] times, FitSeries[] series, int skippedMissing)
    {
        Name = name;
        Data = data;
        Times = times;
        Series = series;
        SkippedMissing = skippedMissing;
    }

    /// <summary>A short name (the file's stem, made unique), used in per-experiment parameter names.</summary>
    public string Name { get; }

    /// <summary>The file read (times on the simulation clock).</summary>
    public HistorianData Data { get; }

    /// <summary>The distinct times at which some output is compared, ascending [s].</summary>
    public double[] Times { get; }

    /// <summary>The fitted outputs' measured points.</summary>
    public IReadOnlyList<FitSeries> Series { get; }

    /// <summary>Measured points left out because they were missing (policy <see cref="MissingValues.Skip"/>).</summary>
    public int SkippedMissing { get; }

    /// <summary>The run must reach this time [s].</summary>
    public double EndTime => Times[^1];

    /// <summary>Number of residuals this experiment contributes.</summary>
    public int PointCount => Series.Sum(s => s.Rows.Length);

    /// <summary>
    /// Reads <paramref name="path"/> and selects the fitted points. Missing columns, no point in the
    /// fit selection, and missing values under <see cref="MissingValues.Fail"/> are <see cref="InputException"/>s.
    /// </summary>
    /// <param name="name">The experiment's name.</param>
    /// <param name="path">The data file.</param>
    /// <param name="csv">How to read it (as <c>--replay</c>).</param>
    /// <param name="fits">The fitted outputs, each with the unit of its model output already resolved (<paramref name="outputUnits"/>).</param>
    /// <param name="outputUnits">The model unit of each fit's output (null: none declared), in the order of <paramref name="fits"/>.</param>
    /// <param name="maps">The columns that drive inputs.</param>
    /// <param name="selection">Which rows are fitted.</param>
    /// <param name="missing">What a missing measured value does.</param>
    public static Experiment Load(string name, string path, HistorianCsvOptions csv, IReadOnlyList<FitSpec> fits, IReadOnlyList<string?> outputUnits,
        IReadOnlyList<InputMapSpec> maps, FitSelection selection, MissingValues missing)
    {
        var columns = fits.Select(f => f.Column).Concat(maps.Select(m => m.Column)).Distinct().ToList();
        var data = Read(path, csv with { Columns = columns });
        if (data.RowCount == 0) throw new InputException($"{path}: no data rows");
        var last = data.RowCount;
        if (selection.Rows is { } rows)
        {
            if (rows < 1) throw new InputException($"--fit-rows {rows}: must be at least 1");
            last = Math.Min(rows, data.RowCount);
        }
        var series = new FitSeries[fits.Count];
        var skipped = 0;
        for (var k = 0; k < fits.Count; k++)
        {
            var fit = fits[k];
            var values = data.Values[data.ColumnIndex(fit.Column)];
            var transform = fit.Unit != null && outputUnits[k] != null
                ? Telemetry.Units.KnownUnits.Between(fit.Unit, outputUnits[k]!, $"--fit {fit.Output}")
                : LinearTransform.Identity;
            var scale = fit.Sigma is { } s ? 1 / s : Math.Sqrt(fit.Weight);
            var pointRows = new List<int>();
            for (var r = selection.FromRow ?? 0; r < last; r++)
            {
                var t = data.Times[r];
                if (t < 0) continue; // before simulation time 0: the run cannot produce it
                if (selection.Window is { } w && (t < w.From || t > w.To)) continue;
                if (double.IsNaN(values[r]))
                {
                    if (missing == MissingValues.Fail)
                        throw new InputException($"{path}:{data.Lines[r]}: column '{fit.Column}' has no value (policy --missing fail; --missing skip leaves such points out of the fit)");
                    skipped++;
                    continue;
                }
                pointRows.Add(r);
            }
            var measured = pointRows.Select(r => transform.Apply(values[r])).ToArray();
            series[k] = new FitSeries(fit, pointRows.ToArray(), pointRows.Select(r => data.Times[r]).ToArray(), measured, scale);
        }
        var times = series.SelectMany(s => s.Times).Distinct().Order().ToArray();
        if (times.Length == 0)
        {
            var window = selection.Window is { } w ? $"fit window {ParameterSpec.Fmt(w.From)}..{ParameterSpec.Fmt(w.To)} s" : "the fitted rows";
            throw new InputException($"{path}: no time overlap between the data ({ParameterSpec.Fmt(data.Times[0])}..{ParameterSpec.Fmt(data.Times[^1])} s) and {window} of the run (from 0 s)");
        }
        foreach (var s in series) s.TimeIndex = s.Times.Select(t => Array.BinarySearch(times, t)).ToArray();
        return new Experiment(name, data, times, series, skipped);
    }

    // Plain seconds are simulation seconds as written (the replay reader would make the first record 0).
    private static HistorianData Read(string path, HistorianCsvOptions csv)
    {
        var data = HistorianCsv.Load(path, csv);
        if (data.TimeFormat == TimeFormat.Seconds && csv.TimeZero == null) data = HistorianCsv.Load(path, csv with { TimeZero = "0" });
        return data;
    }
}

/// <summary>The measured points of one fitted output in one experiment.</summary>
/// <param name="Fit">What is fitted.</param>
/// <param name="Rows">The data rows used.</param>
/// <param name="Times">Their times [s].</param>
/// <param name="Measured">The measured values, in the output's unit.</param>
/// <param name="Scale">Residual factor: 1/sigma or sqrt(weight).</param>
public sealed record FitSeries(FitSpec Fit, int[] Rows, double[] Times, double[] Measured, double Scale)
{
    /// <summary>The index of each point's time in <see cref="Experiment.Times"/>.</summary>
    public int[] TimeIndex { get; internal set; } = [];
}
