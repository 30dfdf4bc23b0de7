using CoSim.Core;
using System.Xml.Linq;

namespace CoSim.Fmi.Description;

/// <summary>The <c>fmiModelDescription</c> attributes both FMI versions share.</summary>
internal sealed record Header(
    string FmiVersionText,
    string ModelName,
    string InstantiationToken,
    string? Description,
    string? Author,
    string? ModelVersion,
    string? GenerationTool,
    string? GenerationDateAndTime,
    string? VariableNamingConvention,
    int Line);

/// <summary>
/// Elements whose shape is (nearly) the same in FMI 2 and FMI 3: the header, units, log
/// categories, the default experiment, enumeration items and dependency lists.
/// </summary>
internal static class CommonElements
{
    /// <summary>
    /// Reads the header attributes. Missing names are left empty rather than reported here: the
    /// validator reports empty required names, which also covers records built in code.
    /// </summary>
    public static Header ReadHeader(AttributeReader root, string tokenAttribute)
    {
        root.Accept("copyright", "license");
        return new Header(
            FmiVersionText: root.Text("fmiVersion") ?? "",
            ModelName: root.Text("modelName") ?? "",
            InstantiationToken: root.Text(tokenAttribute) ?? "",
            Description: root.Text("description"),
            Author: root.Text("author"),
            ModelVersion: root.Text("version"),
            GenerationTool: root.Text("generationTool"),
            GenerationDateAndTime: root.Text("generationDateAndTime"),
            VariableNamingConvention: root.Text("variableNamingConvention"),
            Line: root.Line);
    }

    /// <summary>
    /// The first child element of each known name; unknown and repeated ones are reported.
    /// The schema fixes the order of sections, but readers in the wild accept any order, and so do we.
    /// </summary>
    public static Dictionary<string, XElement> Sections(XElement parent, IReadOnlySet<string> known, DiagnosticBag diagnostics)
    {
        var sections = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var child in XmlElements.Children(parent, diagnostics))
        {
            var name = child.Name.LocalName;
            if (!known.Contains(name)) XmlElements.Unknown(child, diagnostics);
            else if (!sections.TryAdd(name, child))
                diagnostics.Warning(XmlInput.LineOf(child), $"<{name}> appears more than once in <{parent.Name.LocalName}>; only the first is used");
        }
        return sections;
    }

    public static List<UnitDefinition> ReadUnits(XElement? unitDefinitions, DiagnosticBag diagnostics, bool fmi3)
    {
        var units = new List<UnitDefinition>();
        if (unitDefinitions is null) return units;
        foreach (var element in XmlElements.Children(unitDefinitions, diagnostics))
        {
            if (element.Name.LocalName != "Unit")
            {
                XmlElements.Unknown(element, diagnostics);
                continue;
            }
            var attributes = new AttributeReader(element, diagnostics);
            var name = attributes.Text("name") ?? "";
            attributes.ReportUnknown();

            BaseUnit? baseUnit = null;
            var displayUnits = new List<DisplayUnit>();
            foreach (var part in XmlElements.Children(element, diagnostics))
            {
                switch (part.Name.LocalName)
                {
                    case "BaseUnit" when baseUnit is null:
                        baseUnit = ReadBaseUnit(part, diagnostics);
                        break;
                    case "BaseUnit":
                        diagnostics.Warning(XmlInput.LineOf(part), $"unit {ValueText.Quote(name)} has more than one <BaseUnit>; only the first is used");
                        break;
                    case "DisplayUnit":
                        displayUnits.Add(ReadDisplayUnit(part, diagnostics, fmi3));
                        break;
                    default:
                        XmlElements.Unknown(part, diagnostics);
                        break;
                }
            }
            units.Add(new UnitDefinition(name, baseUnit, displayUnits, attributes.Line));
        }
        return units;
    }

    private static BaseUnit ReadBaseUnit(XElement element, DiagnosticBag diagnostics)
    {
        var a = new AttributeReader(element, diagnostics);
        var unit = new BaseUnit(
            Kg: a.Int32("kg") ?? 0,
            M: a.Int32("m") ?? 0,
            S: a.Int32("s") ?? 0,
            A: a.Int32("A") ?? 0,
            K: a.Int32("K") ?? 0,
            Mol: a.Int32("mol") ?? 0,
            Cd: a.Int32("cd") ?? 0,
            Rad: a.Int32("rad") ?? 0,
            Factor: a.Double("factor") ?? 1.0,
            Offset: a.Double("offset") ?? 0.0);
        a.ReportUnknown();
        return unit;
    }

    private static DisplayUnit ReadDisplayUnit(XElement element, DiagnosticBag diagnostics, bool fmi3)
    {
        var a = new AttributeReader(element, diagnostics);
        var unit = new DisplayUnit(
            Name: a.Text("name") ?? "",
            Factor: a.Double("factor") ?? 1.0,
            Offset: a.Double("offset") ?? 0.0,
            // 'inverse' only exists in FMI 3; in an FMI 2 file it stays unknown (a warning).
            Inverse: fmi3 && a.Boolean("inverse", false));
        a.ReportUnknown();
        return unit;
    }

    public static List<LogCategory> ReadLogCategories(XElement? logCategories, DiagnosticBag diagnostics)
    {
        var categories = new List<LogCategory>();
        if (logCategories is null) return categories;
        foreach (var element in XmlElements.Children(logCategories, diagnostics))
        {
            if (element.Name.LocalName != "Category")
            {
                XmlElements.Unknown(element, diagnostics);
                continue;
            }
            var a = new AttributeReader(element, diagnostics);
            var name = a.Text("name");
            var description = a.Text("description");
            a.ReportUnknown();
            if (string.IsNullOrEmpty(name)) a.Missing("name");
            else categories.Add(new LogCategory(name, description));
        }
        return categories;
    }

    public static DefaultExperiment? ReadDefaultExperiment(XElement? element, DiagnosticBag diagnostics)
    {
        if (element is null) return null;
        var a = new AttributeReader(element, diagnostics);
        var experiment = new DefaultExperiment(a.Double("startTime"), a.Double("stopTime"), a.Double("tolerance"), a.Double("stepSize"))
        {
            Line = a.Line,
        };
        a.ReportUnknown();
        return experiment;
    }

    /// <summary>The <c>&lt;Item&gt;</c> children of an enumeration type; items without a usable value are reported and left out.</summary>
    public static List<EnumerationItem> ReadItems(XElement enumeration, DiagnosticBag diagnostics)
    {
        var items = new List<EnumerationItem>();
        foreach (var element in XmlElements.Children(enumeration, diagnostics))
        {
            if (element.Name.LocalName != "Item")
            {
                XmlElements.Unknown(element, diagnostics);
                continue;
            }
            var a = new AttributeReader(element, diagnostics);
            var name = a.Text("name") ?? "";
            a.Subject = "enumeration item " + ValueText.Quote(name);
            var valueText = a.Text("value");
            var description = a.Text("description");
            a.ReportUnknown();
            if (valueText is null) a.Missing("value");
            else if (!ValueText.TryParseInt64(valueText, out var value))
                diagnostics.Error(a.Line, $"attribute 'value' of {a.Subject} must be an integer, found {ValueText.Quote(valueText)}");
            else items.Add(new EnumerationItem(name, value, description));
        }
        return items;
    }

    /// <summary>
    /// Converts a dependency list (FMI 2: 1-based indices, FMI 3: value references) into 0-based
    /// variable indices. An entry that names no variable is reported and dropped together with its
    /// kind, so the two lists stay aligned; when they were not aligned to begin with, the kinds are
    /// kept as written for the validator to report.
    /// </summary>
    public static (IReadOnlyList<int>? Dependencies, IReadOnlyList<string>? Kinds) ResolveDependencies(
        IReadOnlyList<uint>? raw,
        string? kindsText,
        Func<uint, int?> resolve,
        string describe,
        AttributeReader attributes,
        DiagnosticBag diagnostics)
    {
        IReadOnlyList<string>? kinds = kindsText is null ? null : ValueText.SplitList(kindsText);
        if (raw is null) return (null, kinds);
        var aligned = kinds is not null && kinds.Count == raw.Count;
        var indices = new List<int>(raw.Count);
        var keptKinds = aligned ? new List<string>(raw.Count) : null;
        for (var i = 0; i < raw.Count; i++)
        {
            if (resolve(raw[i]) is { } index)
            {
                indices.Add(index);
                keptKinds?.Add(kinds![i]);
            }
            else
            {
                diagnostics.Error(attributes.Line, $"{attributes.Subject} lists dependency {raw[i]}, which is not {describe}");
            }
        }
        return (indices, keptKinds ?? kinds);
    }
}
