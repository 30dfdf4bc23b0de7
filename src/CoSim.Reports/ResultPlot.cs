using System.Text;
using ScottPlot;
using SkiaSharp;

namespace CoSim.Reports;

/// <summary>A vertical line across every panel at an instant: an event (a valve step, a fault injected).</summary>
public sealed record PlotMarker(double Time, string? Label = null);

/// <summary>A shaded time window across every panel: the window an assertion looks at.</summary>
public sealed record PlotSpan(double From, double To, string? Label = null);

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
}

/// <summary>
/// One panel of a figure: the signals of one physical unit (signals without a unit share one panel),
/// each with its measured counterpart (<see cref="SignalPairs"/>) drawn wide and translucent in the same colour.
/// </summary>
public sealed record PlotPanel(string? Unit, IReadOnlyList<Trace> Signals, IReadOnlyList<Trace?> Measured)
{
    /// <summary>The y-axis label: the signal names, then the unit in brackets.</summary>
    public string YLabel
    {
        get
        {
            var names = string.Join(", ", Signals.Select(s => s.Signal));
            if (names.Length > 60) names = names[..57] + "...";
            return Unit == null ? names : $"{names} [{Unit}]";
        }
    }
}

/// <summary>
/// Line plots of recorded signals against a shared time axis, one panel per unit, rendered by
/// ScottPlot (PNG through Skia, SVG through Skia's SVG canvas), headless.
/// </summary>
public sealed class ResultPlot
{
    /// <summary>The x-axis label of every panel.</summary>
    public const string TimeLabel = "time [s]";

    // Same left/right margins on every panel, so that their data areas (and time axes) line up.
    private static readonly PixelPadding Padding = new(left: 90, right: 24, bottom: 48, top: 12);

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

    /// <summary>Arranges <paramref name="traces"/> into panels; measured traces join their simulated signal's panel.</summary>
    public static ResultPlot Create(IReadOnlyList<Trace> traces, PlotOptions? options = null)
    {
        options ??= new PlotOptions();
        if (options.Width < 100 || options.Height is < 100) throw new ArgumentException("a figure needs at least 100 x 100 pixels");
        var pairs = SignalPairs.Find(traces.Select(t => t.Signal)).ToDictionary(p => p.Simulated, p => p.Measured);
        var measured = pairs.Values.ToHashSet();
        var byName = traces.ToDictionary(t => t.Signal);
        var panels = traces.Where(t => !measured.Contains(t.Signal))
            .GroupBy(t => t.Unit)
            .Select(g => new PlotPanel(g.Key, g.ToList(), g.Select(t => pairs.TryGetValue(t.Signal, out var m) ? byName[m] : null).ToList()))
            .ToList();
        return new ResultPlot(panels, options);
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

    private static Plot EmptyPanel()
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
        foreach (var span in Options.Spans)
        {
            var shade = plot.Add.HorizontalSpan(span.From, span.To); // ScottPlot: a span of the horizontal axis
            shade.FillStyle.Color = Colors.Orange.WithAlpha(0.15);
            shade.LineStyle.Width = 0;
        }
        foreach (var marker in Options.Markers)
        {
            var line = plot.Add.VerticalLine(marker.Time);
            line.Color = Colors.Gray;
            line.LineWidth = 1;
            if (marker.Label != null) line.LabelText = marker.Label;
        }
        foreach (var point in Options.Points.Where(p => panel.Signals.Any(s => s.Signal == p.Signal)))
        {
            var dot = plot.Add.Marker(point.Time, point.Value, MarkerShape.OpenCircle, 14, Colors.Red);
            dot.LineWidth = 2.5f;
            if (point.Label != null) dot.LegendText = point.Label;
        }
        plot.XLabel(TimeLabel);
        plot.YLabel(panel.YLabel);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
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
