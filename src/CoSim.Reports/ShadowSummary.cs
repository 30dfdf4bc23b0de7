using System.Globalization;
using System.Text.Json;

namespace CoSim.Reports;

/// <summary>One compared signal of a shadow run, as its provenance records it (figures after the fitting part; null: none).</summary>
/// <param name="Output">The simulated output, <c>Component.variable</c>.</param>
/// <param name="Column">The measured column it was compared with.</param>
/// <param name="Unit">The column's unit.</param>
/// <param name="Points">Communication points compared.</param>
/// <param name="Rmse">Root mean square of the residual (measured - simulated).</param>
/// <param name="Mae">Mean absolute residual.</param>
/// <param name="MaxError">Largest absolute residual.</param>
/// <param name="Bias">The residual's median on the fitting part.</param>
/// <param name="Band">The allowed |residual - bias|.</param>
/// <param name="FlaggedPoints">Points at which the signal was flagged.</param>
public sealed record ShadowSignalSummary(string Output, string Column, string? Unit, long Points, double? Rmse, double? Mae, double? MaxError, double? Bias, double? Band, long FlaggedPoints);

/// <summary>A shadow comparison of a run: its name, its signals and, with a label column, the score of its flag.</summary>
public sealed record ShadowSummary(string Name, IReadOnlyList<ShadowSignalSummary> Signals, double? F1, double? FalseAlarmRate, double? MissedAlarmRate, long? ScoredRows)
{
    /// <summary>The shadow comparisons a provenance file records (its <c>reports</c> keyed <c>shadow:NAME</c>); none when the JSON is missing or damaged.</summary>
    public static IReadOnlyList<ShadowSummary> FromProvenance(string? provenanceJson)
    {
        if (provenanceJson == null) return [];
        try
        {
            using var doc = JsonDocument.Parse(provenanceJson);
            if (!doc.RootElement.TryGetProperty("reports", out var reports) || reports.ValueKind != JsonValueKind.Object) return [];
            var found = new List<ShadowSummary>();
            foreach (var report in reports.EnumerateObject().Where(r => r.Name.StartsWith("shadow:", StringComparison.Ordinal) && r.Value.ValueKind == JsonValueKind.Object))
            {
                var signals = report.Value.TryGetProperty("signals", out var list) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().Select(s => new ShadowSignalSummary(Text(s, "output") ?? "", Text(s, "column") ?? "", Text(s, "unit"), (long)(Number(s, "points") ?? 0),
                        Number(s, "rmse"), Number(s, "mae"), Number(s, "maxError"), Number(s, "bias"), Number(s, "band"), (long)(Number(s, "flaggedPoints") ?? 0))).ToList()
                    : [];
                var score = report.Value.TryGetProperty("score", out var sc) && sc.ValueKind == JsonValueKind.Object ? sc : (JsonElement?)null;
                long? rows = score is { } r ? (long)((Number(r, "truePositives") ?? 0) + (Number(r, "falsePositives") ?? 0) + (Number(r, "trueNegatives") ?? 0) + (Number(r, "falseNegatives") ?? 0)) : null;
                found.Add(new ShadowSummary(report.Name["shadow:".Length..], signals, score is { } f ? Number(f, "f1") : null,
                    score is { } a ? Number(a, "falseAlarmRate") : null, score is { } m ? Number(m, "missedAlarmRate") : null, rows));
            }
            return found;
        }
        catch (JsonException)
        {
            return []; // a damaged provenance file must not stop a plot or a report
        }
    }

    /// <summary>The shadow comparisons recorded beside the result file <paramref name="resultPath"/>.</summary>
    public static IReadOnlyList<ShadowSummary> ForResult(string resultPath)
    {
        var provenance = resultPath + ".provenance.json";
        return File.Exists(provenance) ? FromProvenance(File.ReadAllText(provenance)) : [];
    }

    /// <summary>The report's table of this comparison: one row per signal, and the score below the signals when there is one.</summary>
    public ReportTable Table()
    {
        var rows = Signals.Select(s => (IReadOnlyList<string>)[s.Output, s.Column, s.Unit ?? "", s.Points.ToString(CultureInfo.InvariantCulture), N(s.Rmse), N(s.Mae), N(s.MaxError),
            N(s.Bias), N(s.Band), s.FlaggedPoints.ToString(CultureInfo.InvariantCulture)]).ToList();
        var title = $"Shadow comparison '{Name}' (measured - simulated, after the fitting part)";
        if (ScoredRows is { } scored)
            title += $": flags against the label column over {scored} rows: F1 {N(F1)}, false-alarm rate {N(FalseAlarmRate)}, missed-alarm rate {N(MissedAlarmRate)}";
        return new ReportTable(title, ["signal", "column", "unit", "points", "RMSE", "MAE", "max |error|", "bias", "band", "flagged points"], rows);
    }

    /// <summary>
    /// The allowed band of each compared signal that <paramref name="traces"/> hold: simulated + bias ± band, where
    /// the measurement may lie without being flagged.
    /// </summary>
    public IEnumerable<PlotBand> Bands(IReadOnlyList<Trace> traces)
    {
        foreach (var s in Signals)
        {
            if (s.Bias is not { } bias || s.Band is not { } band || traces.FirstOrDefault(t => t.Signal == s.Output) is not { } sim) continue;
            yield return new PlotBand(s.Output, sim.Time, sim.Values.Select(v => v + bias - band).ToArray(), sim.Values.Select(v => v + bias + band).ToArray(),
                $"band {Name}: bias {N(bias)} ± {N(band)}");
        }
    }

    private static string N(double? v) => v is { } x ? x.ToString("G6", CultureInfo.InvariantCulture) : "-";

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
