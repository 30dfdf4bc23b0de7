using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using CoSim.Core;
using CoSim.Reports;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim plot RESULT</c>: line plots of a result file's signals, one panel per unit, as PNG or SVG.</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var result = new Argument<string>("RESULT") { Description = "A result file (.csv or .parquet) as cosim writes it; units come from RESULT.provenance.json beside it." };
        var signals = new Option<string[]>("--signals", "-s")
        {
            Description = "Glob (*, ?) on column names of the signals to plot (repeatable; default: all). A measured column (X.measured, or a shadow's S.X.measured) and its flag are drawn with X when X is plotted.",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string?>("--output", "-o") { Description = "The figure: .png or .svg (default: RESULT with .png)." };
        var width = CliOptions.Integer("--width", "Figure width in pixels (default 1000).");
        var height = CliOptions.Integer("--height", "Figure height in pixels (default 260 per panel + 40).");
        var markers = new Option<string[]>("--marker")
        {
            Description = "An event to mark with a vertical line: TIME or TIME=LABEL, in seconds (repeatable), e.g. --marker '50=valve step'.",
            AllowMultipleArgumentsPerToken = false,
        };
        var windows = new Option<string[]>("--window")
        {
            Description = "A time window to shade, e.g. an assertion's: FROM:TO in seconds (repeatable), e.g. --window 100:200.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("plot",
            "Plot a result's signals against time: one panel per physical unit with a shared time axis, axis labels with units, " +
            "measured signals (columns X.measured, and a shadow's S.X.measured) overlaid on their simulated X with the shadow's band and flagged intervals, " +
            "events and windows marked. Writes PNG or SVG.")
        {
            result, signals, output, width, height, markers, windows,
        };
        command.SetAction(parse => CliOptions.Run(parse, _ =>
        {
            var path = parse.GetValue(result)!;
            var target = parse.GetValue(output) ?? Path.ChangeExtension(path, ".png");
            var ext = Path.GetExtension(target).ToLowerInvariant();
            if (ext is not (".png" or ".svg")) throw new InputException($"--output {target}: a plot is .png or .svg");
            CliOptions.OutputFile(target, "--output", "plot.png");
            var w = parse.GetValue(width) ?? 1000;
            var h = parse.GetValue(height);
            if (w is < 100 or > 20000) throw new InputException($"--width {w}: must be 100 to 20000 pixels");
            if (h is < 100 or > 20000) throw new InputException($"--height {h}: must be 100 to 20000 pixels");
            var table = ResultTable.Load(path);
            var traces = Select(table, parse.GetValue(signals) ?? [], path);
            var plot = ResultPlot.Create(traces, new PlotOptions
            {
                Width = w,
                Height = h,
                Markers = (parse.GetValue(markers) ?? []).Select(ParseMarker).ToList(),
                Spans = (parse.GetValue(windows) ?? []).Select(ParseWindow).ToList(),
                Bands = ShadowSummary.ForResult(path).SelectMany(sh => sh.Bands(traces)).ToList(),
            });
            plot.Save(target);
            Console.WriteLine($"{traces.Count} signals in {plot.Panels.Count} panels ({string.Join(", ", plot.Panels.Select(p => p.Unit ?? "no unit"))}) -> {target}");
            return CliOptions.Success;
        }));
        return command;
    }

    /// <summary>The traces whose names match a glob (all without globs), with the measured partners of those chosen.</summary>
    private static List<Trace> Select(ResultTable table, IReadOnlyList<string> globs, string path)
    {
        if (globs.Count == 0) return table.Traces.ToList();
        var chosen = new HashSet<string>();
        foreach (var glob in globs)
        {
            var regex = new Regex("^" + Regex.Escape(glob).Replace("\\*", ".*").Replace("\\?", ".") + "$");
            var matched = table.Traces.Where(t => regex.IsMatch(t.Signal)).ToList();
            if (matched.Count == 0)
                throw new InputException($"--signals '{glob}': matches no column of {path}" + (NameSuggestions.Suggest(glob, table.Traces.Select(t => t.Signal)) is { Length: > 0 } hint ? hint : ""));
            chosen.UnionWith(matched.Select(t => t.Signal));
        }
        // With each chosen signal its measurement and the shadow's flag of it (drawn on its panel).
        var names = table.Traces.Select(t => t.Signal).ToList();
        foreach (var (simulated, measured) in SignalPairs.Find(names).Where(p => chosen.Contains(p.Simulated)))
        {
            chosen.Add(measured);
            if (SignalPairs.FlagOf(measured, names) is { } flag) chosen.Add(flag);
        }
        return table.Traces.Where(t => chosen.Contains(t.Signal)).ToList();
    }

    private static PlotMarker ParseMarker(string text)
    {
        var eq = text.IndexOf('=');
        var time = eq < 0 ? text : text[..eq];
        return new PlotMarker(Seconds("--marker", text, time), eq < 0 ? null : text[(eq + 1)..]);
    }

    private static PlotSpan ParseWindow(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2) throw new InputException($"--window '{text}': expected FROM:TO in seconds, e.g. 100:200");
        var (from, to) = (Seconds("--window", text, parts[0]), Seconds("--window", text, parts[1]));
        if (to <= from) throw new InputException($"--window '{text}': TO must be after FROM");
        return new PlotSpan(from, to);
    }

    private static double Seconds(string option, string text, string number) =>
        double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v : throw new InputException($"{option} '{text}': '{number}' is not a time in seconds");
}
