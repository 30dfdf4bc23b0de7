using System.Globalization;
using System.Text;
using ScottPlot;
using SkiaSharp;

namespace CoSim.Reports;

/// <summary>A vertical line across every panel at an instant: an event (a valve step, a fault injected).</summary>
public sealed record PlotMarker(double Time, string? Label = null);

/// <summary>
/// A shaded time window: across every panel (light orange: the window an assertion looks at), or, with
/// <paramref name="Signal"/>, only on that signal's panel (light red: an interval a shadow comparison flagged).
/// </summary>
public sealed record PlotSpan(double From, double To, string? Label = null, string? Signal = null);

/// <summary>A band drawn under a signal on its panel: the tube of a <c>FollowsReference</c> assertion, a shadow's allowed band.</summary>
/// <param name="Signal">The signal whose panel shows it.</param>
/// <param name="Time">Sample times [s].</param>
/// <param name="Lower">Lower edge at each time.</param>
/// <param name="Upper">Upper edge at each time.</param>
/// <param name="Label">Legend text.</param>
/// <param name="Centre">A line inside the band (the reference), or null.</param>
public sealed record PlotBand(string Signal, double[] Time, double[] Lower, double[] Upper, string? Label = null, double[]? Centre = null);

/// <summary>A marked point on one signal's panel: where an assertion was violated.</summary>
public sealed record PlotPoint(string Signal, double Time, double Value, string? Label = null);

/// <summary>What to draw besides the traces, and how large.</summary>
public sealed record PlotOptions
{
    /// <summary>Figure width [px].</summary>
    public int Width { get; init; } = 1000;

    /// <summary>Figure height [px]; null: 260 per panel plus room for the time axis.</summary>
    public int? Height { get; init; }

    public IReadOnlyList<PlotMarker> Markers { get; init; } = [];
    public IReadOnlyList<PlotSpan> Spans { get; init; } = [];
    public IReadOnlyList<PlotPoint> Points { get; init; } = [];
    public IReadOnlyList<PlotBand> Bands { get; init; } = [];
}

/// <summary>
/// One panel of a figure: the signals of one physical unit (signals without a unit share one panel),
/// each with its measured counterpart (<see cref="SignalPairs"/>) drawn wide and translucent in the same colour.
/// </summary>
public sealed record PlotPanel(string? Unit, IReadOnlyList<Trace> Signals, IReadOnlyList<Trace?> Measured)
{
    /// <summary>The y-axis label: the signal names, then the unit in brackets.</summary>
    public string YLabel => Label(string.Join(", ", Signals.Select(s => s.Signal)));

    /// <summary>
    /// <see cref="YLabel"/> shortened until <paramref name="width"/> says it is at most <paramref name="room"/> long
    /// (a rotated label longer than its panel runs into the next one): the variable names without their
    /// component, then cut with an ellipsis; the unit is always kept (the legend names every signal in full).
    /// </summary>
    public string YLabelWithin(double room, Func<string, double> width)
    {
        var full = YLabel;
        if (width(full) <= room) return full;
        var names = string.Join(", ", Signals.Select(s => s.Signal[(s.Signal.IndexOf('.') + 1)..]).Distinct());
        if (width(Label(names)) <= room) return Label(names);
        for (var n = names.Length - 1; n > 0; n--)
            if (width(Label(names[..n].TrimEnd(' ', ',') + "…")) <= room) return Label(names[..n].TrimEnd(' ', ',') + "…");
        return Unit == null ? "…" : $"[{Unit}]";
    }

    private string Label(string names) => Unit == null ? names : $"{names} [{Unit}]";
}

/// <summary>
/// Line plots of recorded signals against a shared time axis, one panel per unit, rendered by
/// ScottPlot (PNG through Skia, SVG through Skia's SVG canvas), headless.
/// </summary>
public sealed class ResultPlot
{
    /// <summary>The x-axis label of every panel.</summary>
    public const string TimeLabel = "time [s]";

    // Same left/right margins on every panel, so that their data areas (and time axes) line up; room above
    // the data for event labels, which would otherwise sit on the time axis's tick labels.
    private PixelPadding Padding => new(left: 90, right: 24, bottom: 48, top: Options.Markers.Any(m => m.Label != null) ? 30 : 12);

    private const float AxisLabelSize = 14;

    static ResultPlot()
    {
        // Skia does not ask fontconfig here: "sans-serif" would fall back to a serif face (FACTS.md).
        Fonts.Default = "DejaVu Sans";
    }

    private ResultPlot(IReadOnlyList<PlotPanel> panels, PlotOptions options)
    {
        Panels = panels;
        Options = options;
    }

    /// <summary>The panels, top to bottom.</summary>
    public IReadOnlyList<PlotPanel> Panels { get; }

    public PlotOptions Options { get; }

    /// <summary>Figure height [px] in force.</summary>
    public int Height => Options.Height ?? 40 + 260 * Math.Max(1, Panels.Count);

    /// <summary>Arranges <paramref name="traces"/> into panels; measured traces join their simulated signal's panel, and a shadow's flag of a pair shades it.</summary>
    public static ResultPlot Create(IReadOnlyList<Trace> traces, PlotOptions? options = null)
    {
        options ??= new PlotOptions();
        if (options.Width < 100 || options.Height is < 100) throw new ArgumentException("a figure needs at least 100 x 100 pixels");
        var pairs = SignalPairs.Find(traces.Select(t => t.Signal)).DistinctBy(p => p.Simulated).ToDictionary(p => p.Simulated, p => p.Measured);
        var byName = traces.ToDictionary(t => t.Signal);
        var flags = pairs.Values.Select(m => SignalPairs.FlagOf(m, byName.Keys)).OfType<string>();
        var drawnWithOthers = pairs.Values.Concat(flags).ToHashSet(); // a measurement on its signal's panel, a flag as its shading
        var panels = traces.Where(t => !drawnWithOthers.Contains(t.Signal))
            .GroupBy(t => t.Unit)
            .Select(g => new PlotPanel(g.Key, g.ToList(), g.Select(t => pairs.TryGetValue(t.Signal, out var m) ? byName[m] : null).ToList()))
            .ToList();
        // A shadow's flag column shades, on the simulated signal's panel, where the measurement was flagged.
        var flagged = pairs.SelectMany(p => SignalPairs.FlagOf(p.Value, byName.Keys) is { } flag
            ? Intervals(byName[flag]).Select(i => new PlotSpan(i.From, i.To, "flagged", p.Key)) : []).ToList();
        return new ResultPlot(panels, flagged.Count == 0 ? options : options with { Spans = [.. options.Spans, .. flagged] });
    }

    /// <summary>The intervals where a 0/1 signal is 1: from its first sample at 1 to the next sample at 0 (or the end).</summary>
    public static IEnumerable<(double From, double To)> Intervals(Trace flag)
    {
        double? from = null;
        for (var i = 0; i < flag.Values.Length; i++)
        {
            var on = flag.Values[i] > 0.5;
            if (on && from == null) from = flag.Time[i];
            else if (!on && from is { } f)
            {
                yield return (f, flag.Time[i]);
                from = null;
            }
        }
        if (from is { } open && flag.Time.Length > 0) yield return (open, flag.Time[^1]);
    }

    /// <summary>Writes the figure as PNG or SVG, by the file's extension (<c>.png</c>, <c>.svg</c>).</summary>
    public void Save(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".svg") File.WriteAllText(path, ToSvg());
        else if (ext == ".png") Build().SavePng(path, Options.Width, Height);
        else throw new ArgumentException($"{path}: a plot is .png or .svg");
    }

    /// <summary>The figure as a standalone SVG document (no XML declaration, so it can be inlined into HTML).</summary>
    public string ToSvg()
    {
        var multiplot = Build();
        // A first render settles the layout; ScottPlot otherwise draws a panel twice onto the canvas
        // (invisible in a bitmap, duplicated elements in SVG).
        multiplot.Render(Options.Width, Height).Dispose();
        using var stream = new MemoryStream();
        using (var wrapper = new SKManagedWStream(stream))
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, Options.Width, Height), wrapper))
        {
            multiplot.Render(canvas, new PixelRect(0, Options.Width, Height, 0));
        }
        var svg = Encoding.UTF8.GetString(stream.ToArray());
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }

    private Multiplot Build()
    {
        var plots = Panels.Select(BuildPanel).ToList();
        if (plots.Count == 0) plots.Add(EmptyPanel());
        var (from, to) = TimeRange();
        foreach (var p in plots)
        {
            p.Axes.AutoScale();
            if (to > from) p.Axes.SetLimitsX(from, to);
        }
        var multiplot = new Multiplot(plots[0]);
        foreach (var p in plots.Skip(1)) multiplot.AddPlot(p);
        return multiplot;
    }

    private (double From, double To) TimeRange()
    {
        var times = Panels.SelectMany(p => p.Signals).Where(t => t.Time.Length > 0).ToList();
        return times.Count == 0 ? (0, 0) : (times.Min(t => t.Time[0]), times.Max(t => t.Time[^1]));
    }

    private Plot EmptyPanel()
    {
        var plot = new Plot();
        plot.Layout.Fixed(Padding);
        plot.XLabel(TimeLabel);
        plot.YLabel("no signals recorded");
        return plot;
    }

    private Plot BuildPanel(PlotPanel panel)
    {
        var plot = new Plot();
        plot.Layout.Fixed(Padding);
        var buckets = Math.Max(50, Options.Width);
        for (var i = 0; i < panel.Signals.Count; i++)
        {
            var color = plot.Add.Palette.GetColor(i);
            var s = panel.Signals[i];
            var (x, y) = Downsample(s.Time, s.Values, buckets);
            var line = plot.Add.ScatterLine(x, y, color);
            line.LegendText = s.Signal;
            line.LineWidth = 1.5f;
            if (panel.Measured[i] is { } m)
            {
                var (mx, my) = Downsample(m.Time, m.Values, buckets);
                // Wide and translucent under the simulated line: dash patterns do not survive Skia's SVG canvas.
                var measured = plot.Add.ScatterLine(mx, my, color.WithAlpha(0.4));
                measured.LegendText = m.Signal;
                measured.LineWidth = 4f;
            }
        }
        foreach (var band in Options.Bands.Where(b => panel.Signals.Any(s => s.Signal == b.Signal)))
        {
            var (bx, lower) = Downsample(band.Time, band.Lower, buckets);
            var (_, upper) = Downsample(band.Time, band.Upper, buckets);
            if (bx.Length == lower.Length && lower.Length == upper.Length && bx.Length > 1)
            {
                var fill = plot.Add.FillY(bx, lower, upper);
                fill.FillColor = Colors.SteelBlue.WithAlpha(0.18);
                fill.LineColor = Colors.SteelBlue.WithAlpha(0.5);
                if (band.Label != null) fill.LegendText = band.Label;
            }
            if (band.Centre is { } centre)
            {
                var (cx, cy) = Downsample(band.Time, centre, buckets);
                var reference = plot.Add.ScatterLine(cx, cy, Colors.SteelBlue);
                reference.LineWidth = 1f;
                reference.LegendText = "reference";
            }
        }
        foreach (var span in Options.Spans.Where(s => s.Signal == null || panel.Signals.Any(p => p.Signal == s.Signal)))
        {
            var shade = plot.Add.HorizontalSpan(span.From, span.To); // ScottPlot: a span of the horizontal axis
            shade.FillStyle.Color = (span.Signal == null ? Colors.Orange : Colors.Red).WithAlpha(0.15);
            shade.LineStyle.Width = 0;
        }
        foreach (var marker in Options.Markers)
        {
            var line = plot.Add.VerticalLine(marker.Time);
            line.Color = Colors.Gray;
            line.LineWidth = 1;
            if (marker.Label == null) continue;
            line.LabelText = marker.Label;
            line.LabelOppositeAxis = true; // above the data, clear of the time axis's tick labels
        }
        foreach (var point in Options.Points.Where(p => panel.Signals.Any(s => s.Signal == p.Signal)))
        {
            var dot = plot.Add.Marker(point.Time, point.Value, MarkerShape.OpenCircle, 14, Colors.Red);
            dot.LineWidth = 2.5f;
            if (point.Label != null) dot.LegendText = point.Label;
        }
        plot.XLabel(TimeLabel);
        var room = (double)Height / Math.Max(1, Panels.Count) - Padding.Top - Padding.Bottom;
        plot.YLabel(panel.YLabelWithin(room, LabelWidth), AxisLabelSize);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = TickFormat(panel) };
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>The drawn width [px] of an axis label (bold, <see cref="AxisLabelSize"/>, the figure's face).</summary>
    private static double LabelWidth(string text)
    {
        using var typeface = SKTypeface.FromFamilyName(Fonts.Default, SKFontStyle.Bold);
        using var font = new SKFont(typeface, AxisLabelSize);
        return font.MeasureText(text);
    }

    /// <summary>
    /// Tick labels with as many significant digits as the panel's range needs: ticks 1e-7 apart read 1E-07,
    /// 2E-07 (not all "0"), and ticks 0.001 apart around 1000 read 1000.001 (not all "1000").
    /// </summary>
    private static Func<double, string> TickFormat(PlotPanel panel)
    {
        var values = panel.Signals.Concat(panel.Measured.OfType<Trace>()).SelectMany(t => t.Values).Where(double.IsFinite).ToList();
        var (min, max) = values.Count == 0 ? (0, 0) : (values.Min(), values.Max());
        var span = max - min;
        if (!(span > 0)) return v => v.ToString("G6", CultureInfo.InvariantCulture);
        var digits = Math.Clamp((int)Math.Ceiling(Math.Log10(Math.Max(Math.Abs(min), Math.Abs(max)) / span)) + 3, 3, 15);
        return v => Math.Abs(v) < span * 1e-9 ? "0" : v.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// At most about 2 x <paramref name="buckets"/> points that draw like the whole trace: per time
    /// bucket its first, minimum and maximum sample in time order (the rest would fall on the same
    /// pixel column). Short traces are returned as they are.
    /// </summary>
    public static (double[] Time, double[] Values) Downsample(double[] time, double[] values, int buckets)
    {
        var n = Math.Min(time.Length, values.Length);
        if (n <= 3 * buckets) return (time[..n], values[..n]);
        var xs = new List<double>(3 * buckets + 1);
        var ys = new List<double>(3 * buckets + 1);
        var t0 = time[0];
        var width = (time[n - 1] - t0) / buckets;
        var i = 0;
        while (i < n)
        {
            var bucket = width > 0 ? Math.Min(buckets - 1, (int)((time[i] - t0) / width)) : 0;
            int first = i, min = i, max = i;
            for (i++; i < n && (width <= 0 ? bucket : Math.Min(buckets - 1, (int)((time[i] - t0) / width))) == bucket; i++)
            {
                if (values[i] < values[min] || double.IsNaN(values[i])) min = i;
                if (values[i] > values[max]) max = i;
            }
            foreach (var k in new[] { first, min, max, i - 1 }.Distinct().Order())
            {
                xs.Add(time[k]);
                ys.Add(values[k]);
            }
        }
        return (xs.ToArray(), ys.ToArray());
    }
}
