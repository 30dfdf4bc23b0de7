using System.Xml.Linq;
using CoSim.Core;

namespace CoSim.Ssp;

/// <summary>
/// An SSP parameter values file (<c>.ssv</c>, <c>ssv:ParameterSet</c>) read on its own, for
/// <c>cosim run|simulate --parameters FILE.ssv</c>: the names and values of its parameters, in order.
/// (An SSD's <c>ParameterBinding</c> reads the same files through <see cref="SspImporter"/>.)
/// </summary>
public static class SsvFile
{
    /// <summary>Reads <paramref name="path"/>; a file that is not a parameter set, or a parameter without a name or value, is an <see cref="InputException"/> naming <c>file:line</c>.</summary>
    public static IReadOnlyList<(string Name, string Value)> Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: no such parameter file");
        var root = Core.Xml.SafeXml.LoadFile(path).Root!;
        if (root.Name.LocalName != "ParameterSet") throw new InputException($"{path}:{Core.Xml.SafeXml.LineOf(root)}: not an SSP parameter set (root element '{root.Name.LocalName}', expected ssv:ParameterSet)");
        var result = new List<(string, string)>();
        foreach (var p in root.Elements().Where(e => e.Name.LocalName == "Parameters").SelectMany(e => e.Elements()).Where(e => e.Name.LocalName == "Parameter"))
        {
            var name = (string?)p.Attribute("name");
            var value = p.Elements().Select(e => (string?)e.Attribute("value")).FirstOrDefault(v => v != null);
            if (string.IsNullOrWhiteSpace(name) || value == null)
                throw new InputException($"{path}:{Core.Xml.SafeXml.LineOf(p)}: a parameter needs a name and a typed value (e.g. <ssv:Real value=\"1\"/>)");
            result.Add((name, value));
        }
        return result;
    }

    /// <summary>Writes a parameter set of real values; <paramref name="annotation"/> (attributes) is kept as a CoSim annotation.</summary>
    public static void Write(string path, string name, IEnumerable<(string Name, double Value)> parameters, IReadOnlyDictionary<string, string>? annotation = null, string? comment = null)
    {
        XNamespace ssv = "http://ssp-standard.org/SSP1/SystemStructureParameterValues";
        XNamespace ssc = "http://ssp-standard.org/SSP1/SystemStructureCommon";
        var set = new XElement(ssv + "ParameterSet",
            new XAttribute(XNamespace.Xmlns + "ssv", ssv), new XAttribute(XNamespace.Xmlns + "ssc", ssc),
            new XAttribute("version", "1.0"), new XAttribute("name", name),
            new XElement(ssv + "Parameters", parameters.Select(p =>
                new XElement(ssv + "Parameter", new XAttribute("name", p.Name),
                    new XElement(ssv + "Real", new XAttribute("value", p.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))))));
        if (annotation != null)
            set.Add(new XElement(ssc + "Annotations", new XElement(ssc + "Annotation", new XAttribute("type", "org.cosim.calibration"),
                new XElement("calibration", annotation.Select(kv => new XAttribute(kv.Key, kv.Value))))));
        var doc = new XDocument(new XDeclaration("1.0", "UTF-8", null));
        if (comment != null) doc.Add(new XComment(" " + comment + " "));
        doc.Add(set);
        var temp = path + ".tmp";
        using (var writer = System.Xml.XmlWriter.Create(temp, new System.Xml.XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) }))
            doc.Save(writer);
        File.Move(temp, path, overwrite: true);
    }
}
