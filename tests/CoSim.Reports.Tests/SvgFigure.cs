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

    /// <summary>
    /// Data lines: stroked paths of more than 10 segments (a legend's sample line has one) inside clipped
    /// areas, drawn with the given stroke width.
    /// </summary>
    public List<XElement> DataLines(string strokeWidth) => Root.Descendants(Svg + "g").Where(g => g.Attribute("clip-path") != null)
        .SelectMany(g => g.Elements(Svg + "path"))
        .Where(p => (string?)p.Attribute("stroke-width") == strokeWidth && (string?)p.Attribute("fill") == "none" && ((string?)p.Attribute("d") ?? "").Count(c => c == 'L') > 10)
        .ToList();
}
