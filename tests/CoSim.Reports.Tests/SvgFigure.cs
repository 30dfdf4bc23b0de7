using System.Globalization;
using System.Xml.Linq;

namespace CoSim.Reports.Tests;

/// <summary>What a figure's SVG holds, read from its XML: texts (labels, ticks, legend) and the data lines.</summary>
internal sealed class SvgFigure
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private SvgFigure(XElement root) => Root = root;

    public XElement Root { get; }

    public static SvgFigure Parse(string svg) => new(XElement.Parse(svg));

    public double Width => double.Parse((string)Root.Attribute("width")!, CultureInfo.InvariantCulture);
    public double Height => double.Parse((string)Root.Attribute("height")!, CultureInfo.InvariantCulture);

    /// <summary>Every text element's content, trimmed, in document order.</summary>
    public List<string> Texts => Root.Descendants(Svg + "text").Select(t => t.Value.Trim()).ToList();

    /// <summary>Texts that are numbers: the tick labels.</summary>
    public List<double> NumericTexts => Texts.Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null)
        .Where(v => v != null).Select(v => v!.Value).ToList();

    /// <summary>Where texts with this content are drawn (x, y of their anchor, after a plain translate; rotated ones too).</summary>
    public List<(double X, double Y)> TextBoxes(string text) =>
        Root.Descendants(Svg + "text").Where(t => t.Value.Trim() == text).Select(Position).ToList();

    /// <summary>Where the numeric texts (tick labels) are drawn.</summary>
    public List<(double X, double Y)> NumericTextBoxes() =>
        Root.Descendants(Svg + "text").Where(t => double.TryParse(t.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)).Select(Position).ToList();

    // The text's x/y (first glyph position) plus every enclosing translate.
    private static (double X, double Y) Position(XElement text)
    {
        static double First(string? list) => list == null ? 0 : double.Parse(list.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        double x = First((string?)text.Attribute("x")), y = First((string?)text.Attribute("y"));
        foreach (var e in text.AncestorsAndSelf())
            if ((string?)e.Attribute("transform") is { } transform && System.Text.RegularExpressions.Regex.Match(transform, @"translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)") is { Success: true } m)
            {
                x += double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                y += double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        return (x, y);
    }

    /// <summary>
    /// Data lines: stroked paths of more than 10 segments (a legend's sample line has one) inside clipped
    /// areas, drawn with the given stroke width.
    /// </summary>
    public List<XElement> DataLines(string strokeWidth) => Root.Descendants(Svg + "g").Where(g => g.Attribute("clip-path") != null)
        .SelectMany(g => g.Elements(Svg + "path"))
        .Where(p => (string?)p.Attribute("stroke-width") == strokeWidth && (string?)p.Attribute("fill") == "none" && ((string?)p.Attribute("d") ?? "").Count(c => c == 'L') > 10)
        .ToList();
}
