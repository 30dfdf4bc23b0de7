using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CoSim.Core.Assessment;

namespace CoSim.Reports;

/// <summary>
/// Writes a <see cref="Report"/> as one self-contained HTML file: inline CSS (screen and print) and
/// inline SVG plots, no script, no external font, image or style sheet, so it can be mailed, archived
/// with the results and opened offline.
/// </summary>
public static partial class ReportWriter
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/> (UTF-8), creating its folder.</summary>
    public static void Write(Report report, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, Render(report), new UTF8Encoding(false));
    }

    /// <summary>The HTML document of <paramref name="report"/>.</summary>
    public static string Render(Report report)
    {
        var html = new StringBuilder();
        var figures = 0;
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(report.Title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<header>\n<h1>")
            .Append(E(report.Title)).Append("</h1>\n");
        if (report.Outcome != null) html.Append("<p class=\"outcome ").Append(OutcomeClass(report.Outcome)).Append("\">").Append(E(report.Outcome)).Append("</p>\n");
        html.Append("</header>\n");

        if (report.Summary.Count > 0)
        {
            html.Append("<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"facts\">\n");
            foreach (var (k, v) in report.Summary) html.Append("<tr><th>").Append(E(k)).Append("</th><td>").Append(E(v)).Append("</td></tr>\n");
            html.Append("</table>\n</section>\n");
        }

        if (report.Assertions.Count > 0) AppendAssertions(html, report, ref figures);

        if (report.Residuals.Count > 0)
        {
            html.Append("<section id=\"residuals\">\n<h2>Residuals (simulated - measured)</h2>\n<table>\n<tr><th>signal</th><th>samples</th><th>mean</th><th>RMS</th><th>max |r|</th><th>at t [s]</th></tr>\n");
            foreach (var r in report.Residuals)
                html.Append("<tr><td>").Append(E(r.Signal)).Append("</td><td class=\"n\">").Append(r.Samples).Append("</td><td class=\"n\">").Append(N(r.Mean))
                    .Append("</td><td class=\"n\">").Append(N(r.Rms)).Append("</td><td class=\"n\">").Append(N(r.MaxAbs)).Append("</td><td class=\"n\">").Append(N(r.MaxAbsTime)).Append("</td></tr>\n");
            html.Append("</table>\n</section>\n");
        }

        var groups = report.SignalGroups.Count > 0 ? report.SignalGroups
            : report.Traces.Count > 0 ? [new SignalGroup("", report.Traces, report.Events)] : [];
        if (groups.Count > 0)
        {
            html.Append("<section id=\"signals\">\n<h2>Signals</h2>\n");
            foreach (var group in groups.Where(g => g.Traces.Count > 0))
            {
                // Each group on its own figure: its own time range, units and events (scenarios of a test run differ in all three).
                if (group.Title.Length > 0) html.Append("<h3>").Append(E(group.Title)).Append("</h3>\n");
                var plotted = group.Traces.Take(report.MaxPlottedSignals).ToList();
                AppendFigure(html, ResultPlot.Create(plotted, new PlotOptions { Markers = group.Events, Bands = report.Bands }),
                    $"{(group.Title.Length > 0 ? group.Title + ": " : "")}{plotted.Count} signal{(plotted.Count == 1 ? "" : "s")} against time, one panel per unit", ref figures);
                if (group.Traces.Count > plotted.Count)
                    html.Append("<p>Not plotted: ").Append(E(string.Join(", ", group.Traces.Skip(plotted.Count).Select(t => t.Signal)))).Append("</p>\n");
            }
            html.Append("</section>\n");
        }

        foreach (var table in report.Tables)
        {
            html.Append("<section class=\"table\">\n<h2>").Append(E(table.Title)).Append("</h2>\n<table>\n<tr>");
            foreach (var c in table.Columns) html.Append("<th>").Append(E(c)).Append("</th>");
            html.Append("</tr>\n");
            foreach (var row in table.Rows)
            {
                html.Append("<tr>");
                foreach (var cell in row) html.Append("<td>").Append(E(cell)).Append("</td>");
                html.Append("</tr>\n");
            }
            html.Append("</table>\n</section>\n");
        }

        if (report.ProvenanceJson != null)
            html.Append("<section id=\"provenance\">\n<h2>Provenance</h2>\n<pre>").Append(E(report.ProvenanceJson.TrimEnd())).Append("</pre>\n</section>\n");
        html.Append("<footer>Written by CoSim on ").Append(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append(".</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendAssertions(StringBuilder html, Report report, ref int figures)
    {
        var passed = report.Assertions.Count(a => a.Verdict == Verdict.Pass);
        html.Append("<section id=\"assertions\">\n<h2>Assertions: ").Append(passed).Append(" of ").Append(report.Assertions.Count).Append(" passed</h2>\n")
            .Append("<table>\n<tr><th>assertion</th><th>signal</th><th>verdict</th><th>what happened</th><th>first violation</th></tr>\n");
        foreach (var a in report.Assertions)
        {
            html.Append("<tr class=\"").Append(VerdictClass(a.Verdict)).Append("\"><td>").Append(E(a.Name)).Append("</td><td>").Append(E(a.Signal))
                .Append("</td><td class=\"verdict\">").Append(VerdictText(a.Verdict)).Append("</td><td>").Append(E(a.Message)).Append("</td><td>");
            if (a.Violation is { } v) html.Append("t = ").Append(N(v.Time)).Append(" s: ").Append(N(v.Value)).Append(" vs bound ").Append(N(v.Bound));
            html.Append("</td></tr>\n");
        }
        html.Append("</table>\n");
        var byName = report.Traces.ToDictionary(t => t.Signal);
        // The events of the run a signal belongs to (a test run's scenarios each have their own).
        var eventsOf = report.SignalGroups.SelectMany(g => g.Traces.Select(t => (t.Signal, g.Events))).DistinctBy(p => p.Signal).ToDictionary(p => p.Signal, p => p.Events);
        foreach (var a in report.Assertions)
        {
            if (!byName.TryGetValue(a.Signal, out var trace)) continue;
            var traces = new List<Trace> { trace };
            var measured = SignalPairs.Find(report.Traces.Select(t => t.Signal)).FirstOrDefault(p => p.Simulated == a.Signal).Measured;
            if (measured != null) traces.Add(byName[measured]);
            var options = new PlotOptions
            {
                Height = 320,
                Markers = eventsOf.GetValueOrDefault(a.Signal, report.Events),
                Spans = a.Window is { } w ? [new PlotSpan(w.From, w.To, "window")] : [],
                Points = a.Violation is { } v ? [new PlotPoint(a.Signal, v.Time, v.Value, $"first violation, t = {N(v.Time)} s")] : [],
                Bands = a.Tube is { } tube ? [new PlotBand(a.Signal, tube.Time, tube.Lower, tube.Upper, $"tube around {tube.Reference}", tube.Centre)] : [],
            };
            AppendFigure(html, ResultPlot.Create(traces, options), $"{a.Name}: {VerdictText(a.Verdict)}", ref figures, VerdictClass(a.Verdict));
        }
        html.Append("</section>\n");
    }

    private static void AppendFigure(StringBuilder html, ResultPlot plot, string caption, ref int figures, string? cssClass = null)
    {
        figures++;
        // Several SVGs in one page share one id space: give each figure's clip paths ids of its own.
        var prefix = $"f{figures}-";
        var svg = IdAttribute().Replace(plot.ToSvg(), m => $"id=\"{prefix}{m.Groups[1].Value}\"");
        svg = UrlReference().Replace(svg, m => $"url(#{prefix}{m.Groups[1].Value})");
        svg = svg.Replace($"width=\"{plot.Options.Width}\" height=\"{plot.Height}\"",
            $"viewBox=\"0 0 {plot.Options.Width} {plot.Height}\" width=\"{plot.Options.Width}\" height=\"{plot.Height}\" role=\"img\" aria-label=\"{E(caption)}\"", StringComparison.Ordinal);
        html.Append("<figure").Append(cssClass != null ? $" class=\"{cssClass}\"" : "").Append(">\n").Append(svg).Append("\n<figcaption>").Append(E(caption)).Append("</figcaption>\n</figure>\n");
    }

    [GeneratedRegex("id=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string N(double v) => double.IsNaN(v) ? "-" : v.ToString("G6", CultureInfo.InvariantCulture);

    private static string VerdictText(Verdict v) => v switch { Verdict.Pass => "pass", Verdict.Fail => "FAIL", _ => "not evaluated" };

    private static string VerdictClass(Verdict v) => v switch { Verdict.Pass => "pass", Verdict.Fail => "fail", _ => "skip" };

    private static string OutcomeClass(string outcome) => outcome.ToLowerInvariant() switch
    {
        "passed" or "pass" or "completed" => "pass",
        "failed" or "fail" => "fail",
        _ => "skip",
    };

    // Readable on a laptop (max width, system sans face, no web font) and printable (no shadows, figures not split).
    private const string Css = """

        :root { color-scheme: light; }
        body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto; max-width: 1060px; padding: 1rem 1.5rem; color: #222; line-height: 1.4; }
        h1 { font-size: 1.6rem; margin: 0.2rem 0; } h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 1.6rem; }
        header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
        .outcome { font-weight: bold; padding: 0.1rem 0.6rem; border-radius: 0.3rem; }
        .outcome.pass { background: #dff3e0; color: #1b5e20; } .outcome.fail { background: #fde0dc; color: #b71c1c; } .outcome.skip { background: #eee; }
        table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
        th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
        table.facts th { width: 12rem; }
        tr.fail td.verdict { color: #b71c1c; font-weight: bold; } tr.pass td.verdict { color: #1b5e20; }
        h3 { font-size: 1rem; margin: 1rem 0 0.2rem; } figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; display: block; border: 1px solid #eee; }
        figure.fail { border-left: 4px solid #b71c1c; padding-left: 0.5rem; }
        figcaption { font-size: 0.85rem; color: #555; }
        pre { background: #f7f7f7; padding: 0.6rem; overflow-x: auto; font-size: 0.8rem; white-space: pre-wrap; word-break: break-all; }
        footer { margin-top: 2rem; font-size: 0.8rem; color: #777; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          figure, table, pre { break-inside: avoid; }
          h2 { break-after: avoid; }
          pre { white-space: pre-wrap; }
          .outcome { border: 1px solid #999; }
        }

        """;
}
