using System.Globalization;
using System.Xml.Linq;
using CoSim.Core;
using CoSim.Core.Archives;
using CoSim.Core.Xml;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;

namespace CoSim.Ssp;

/// <summary>
/// Imports an SSP 1.0 or 2.0 system (an <c>.ssp</c> archive or a folder holding
/// <c>SystemStructure.ssd</c>) as a <see cref="RunSpecification"/>: one flat system of FMU
/// components (sources inside the package), connections with linear transformations, unit
/// definitions, parameter bindings at system and component level with <c>.ssv</c> parameter sets
/// (in a file or inline) and <c>.ssm</c> parameter mappings, and the default experiment. Elements
/// are matched by local name, so both standard versions' namespaces are read. Every problem is
/// collected and reported at once, each with its <c>file:line</c>. Nothing is instantiated here:
/// the components are requests that the run resolves.
/// </summary>
public static class SspImporter
{
    /// <summary>Name of the system structure file at the root of a package.</summary>
    public const string SsdFileName = "SystemStructure.ssd";

    /// <summary>
    /// Reads the system. An archive is unpacked (defensively) into the package cache, so the FMU
    /// paths in the specification stay valid for the run (<paramref name="cacheRoot"/>: another cache folder than the default).
    /// </summary>
    public static RunSpecification Load(string path, string? cacheRoot = null)
    {
        string folder;
        if (Directory.Exists(path)) folder = Path.GetFullPath(path);
        else if (File.Exists(path)) folder = PackageCache.Unpack(path, cacheRoot ?? PackageCache.DefaultRoot("ssp"), "an SSP package");
        else throw new InputException($"{path}: no such SSP file or folder");
        return new SspReader(folder, path).Read();
    }
}

/// <summary>One package being read: the folder, the name shown in messages, and the problems found so far.</summary>
internal sealed class SspReader(string folder, string displayPath)
{
    private const string FmuType = "application/x-fmu-sharedlibrary";
    // A C# plugin: source = the assembly (.dll) in the package, the component type in the org.cosim annotation (<Component type="Ns.Type"/>).
    private const string PluginType = "application/x-cosim-plugin";
    // An ONNX model (an ML surrogate): source = the .onnx file in the package, options (input/output names) in the org.cosim annotation.
    private const string OnnxType = "application/x-cosim-onnx";

    /// <summary>The component kinds an SSD's component types stand for (SSP has no type for anything but an FMU).</summary>
    private static readonly Dictionary<string, string> KindOfType = new() { [FmuType] = "fmu", [PluginType] = "plugin", [OnnxType] = "onnx" };
    private readonly List<string> _errors = [];
    private readonly RunSpecification _spec = new() { Source = displayPath };
    private readonly Dictionary<XDocument, string> _files = new(ReferenceEqualityComparer.Instance);

    public RunSpecification Read()
    {
        var ssdPath = Path.Combine(folder, SspImporter.SsdFileName);
        var ssdName = displayPath + "/" + SspImporter.SsdFileName;
        if (!File.Exists(ssdPath)) throw new InputException($"{displayPath}: no {SspImporter.SsdFileName} at the root of the package");
        var root = Load(ssdPath, ssdName).Root!;
        if (root.Name.LocalName != "SystemStructureDescription")
            throw new InputException($"{ssdName}: the root element is <{root.Name.LocalName}>, expected <SystemStructureDescription>");
        var system = Child(root, "System") ?? throw new InputException($"{ssdName}: no <System> element");

        _spec.Name = (string?)root.Attribute("name") ?? (string?)system.Attribute("name") ?? Path.GetFileNameWithoutExtension(displayPath.TrimEnd('/'));
        var experiment = Child(root, "DefaultExperiment");
        if (experiment != null) _spec.SystemDefaults = new ExperimentDefaults(Number(experiment, "startTime"), Number(experiment, "stopTime"), null);
        foreach (var (name, unit) in ReadUnits(Child(root, "Units"))) _spec.SystemUnits[name] = unit;
        ReadComponents(system);
        foreach (var binding in Elements(Child(system, "ParameterBindings"), "ParameterBinding"))
            ApplyBinding(binding, component: null);
        ReadConnections(system);

        if (_errors.Count > 0)
            throw new InputException($"{displayPath}: {_errors.Count} problem(s) in the SSP:" + Environment.NewLine + string.Join(Environment.NewLine, _errors.Select(e => "  " + e)));
        return _spec;
    }

    private void ReadComponents(XElement system)
    {
        foreach (var element in Child(system, "Elements")?.Elements() ?? [])
        {
            var name = (string?)element.Attribute("name");
            if (element.Name.LocalName == "System")
            {
                Error(element, $"nested system '{name}' is not supported; flatten it into the top-level system");
                continue;
            }
            if (element.Name.LocalName != "Component") continue; // SignalDictionaryReference and others: nothing to run
            var source = (string?)element.Attribute("source");
            var type = (string?)element.Attribute("type") ?? FmuType;
            if (name == null || source == null)
            {
                Error(element, "a component needs 'name' and 'source'");
                continue;
            }
            if (!KindOfType.TryGetValue(type, out var kind))
            {
                Error(element, $"component '{name}' has type '{type}'; supported: FMUs ({FmuType}), C# plugins ({PluginType}) and ONNX models ({OnnxType})");
                continue;
            }
            var fmuPath = Resolve(source, element);
            if (fmuPath == null) continue;
            if (!File.Exists(fmuPath) && !Directory.Exists(fmuPath))
            {
                Error(element, $"component '{name}': source '{source}' is not in the package");
                continue;
            }
            _spec.Components.Add(new ComponentSpec(new ComponentRequest(name, fmuPath, kind) { Options = CoSimAnnotation(element) }) { Location = At(element) });
            foreach (var binding in Elements(Child(element, "ParameterBindings"), "ParameterBinding"))
                ApplyBinding(binding, name);
        }
    }

    /// <summary>The annotation type under which a component carries CoSim's own settings.</summary>
    public const string AnnotationType = "org.cosim";

    /// <summary>
    /// CoSim's settings of a component, from
    /// <c>&lt;ssd:Annotations&gt;&lt;ssc:Annotation type="org.cosim"&gt;&lt;Component isolated="true" isolation-timeout="5" on-crash="restart"/&gt;</c>:
    /// every attribute of the inner element becomes a component option (what the factories read).
    /// </summary>
    private static Dictionary<string, string> CoSimAnnotation(XElement component)
    {
        var options = new Dictionary<string, string>();
        foreach (var annotation in Elements(Child(component, "Annotations"), "Annotation").Where(a => (string?)a.Attribute("type") == AnnotationType))
            foreach (var settings in annotation.Elements())
                foreach (var a in settings.Attributes().Where(a => !a.IsNamespaceDeclaration))
                    options[a.Name.LocalName] = a.Value;
        return options;
    }

    private void ReadConnections(XElement system)
    {
        foreach (var c in Elements(Child(system, "Connections"), "Connection"))
        {
            var startElement = (string?)c.Attribute("startElement");
            var endElement = (string?)c.Attribute("endElement");
            var startConnector = (string?)c.Attribute("startConnector");
            var endConnector = (string?)c.Attribute("endConnector");
            if (startConnector == null || endConnector == null)
            {
                Error(c, "a connection needs 'startConnector' and 'endConnector'");
                continue;
            }
            if (startElement == null || endElement == null)
            {
                Error(c, $"connection {startElement ?? "(system)"}.{startConnector} -> {endElement ?? "(system)"}.{endConnector}: connections to the system's own connectors are not supported");
                continue;
            }
            LinearTransform? transform = null;
            foreach (var t in c.Elements())
            {
                switch (t.Name.LocalName)
                {
                    case "LinearTransformation":
                        transform = new LinearTransform(Number(t, "factor") ?? 1, Number(t, "offset") ?? 0);
                        break;
                    case "BooleanMappingTransformation" or "IntegerMappingTransformation" or "EnumerationMappingTransformation":
                        Error(t, $"{t.Name.LocalName} is not supported");
                        break;
                }
            }
            _spec.Connections.Add(new Connection(new VariableRef(startElement, startConnector), new VariableRef(endElement, endConnector), transform));
        }
    }

    /// <summary>
    /// Applies a parameter binding: the values of its parameter set, renamed by its parameter mapping
    /// (with the mapping's linear transformation), prefixed by its <c>prefix</c>. At component level a
    /// name is a variable of that component; at system level it is <c>Component.variable</c>.
    /// </summary>
    private void ApplyBinding(XElement binding, string? component)
    {
        var prefix = (string?)binding.Attribute("prefix") ?? "";
        var set = (string?)binding.Attribute("source") is { } source
            ? LoadReferenced(source, binding, "parameter set")
            : Child(binding, "ParameterValues")?.Elements().FirstOrDefault(e => e.Name.LocalName == "ParameterSet");
        if (set == null || set.Name.LocalName != "ParameterSet")
        {
            Error(binding, "the parameter binding has no parameter set");
            return;
        }
        var mapping = ReadMapping(Child(binding, "ParameterMapping"));
        foreach (var p in Elements(Child(set, "Parameters"), "Parameter"))
        {
            var name = (string?)p.Attribute("name");
            var typed = p.Elements().FirstOrDefault(e => e.Attribute("value") != null);
            if (name == null || typed == null)
            {
                Error(p, "a parameter needs a name and a typed value");
                continue;
            }
            var value = typed.Attribute("value")!.Value;
            if (mapping.TryGetValue(name, out var m))
            {
                name = m.Target;
                if (m.Transform is { } t)
                {
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    {
                        Error(p, $"parameter '{name}': a linear transformation needs a numeric value, not '{value}'");
                        continue;
                    }
                    value = t.Apply(d).ToString("R", CultureInfo.InvariantCulture);
                }
            }
            name = prefix + name;
            if (component != null)
            {
                _spec.Parameters.Add(new ParameterValue(new VariableRef(component, name), value));
                continue;
            }
            var dot = name.IndexOf('.');
            if (dot <= 0)
            {
                Error(p, $"system-level parameter '{name}' must be named Component.variable");
                continue;
            }
            _spec.Parameters.Add(new ParameterValue(new VariableRef(name[..dot], name[(dot + 1)..]), value));
        }
    }

    private Dictionary<string, (string Target, LinearTransform? Transform)> ReadMapping(XElement? element)
    {
        var result = new Dictionary<string, (string, LinearTransform?)>();
        if (element == null) return result;
        var mapping = (string?)element.Attribute("source") is { } source
            ? LoadReferenced(source, element, "parameter mapping")
            : element.Elements().FirstOrDefault(e => e.Name.LocalName == "ParameterMapping");
        foreach (var entry in Elements(mapping, "MappingEntry"))
        {
            var from = (string?)entry.Attribute("source");
            var to = (string?)entry.Attribute("target");
            if (from == null || to == null)
            {
                Error(entry, "a mapping entry needs 'source' and 'target'");
                continue;
            }
            var lt = Child(entry, "LinearTransformation");
            result[from] = (to, lt == null ? null : new LinearTransform(Number(lt, "factor") ?? 1, Number(lt, "offset") ?? 0));
        }
        return result;
    }

    private Dictionary<string, BaseUnit> ReadUnits(XElement? units)
    {
        var result = new Dictionary<string, BaseUnit>();
        foreach (var u in Elements(units, "Unit"))
        {
            var name = (string?)u.Attribute("name");
            var b = Child(u, "BaseUnit");
            if (name == null || b == null)
            {
                Error(u, "a unit needs a name and a BaseUnit");
                continue;
            }
            int E(string n)
            {
                if (b.Attribute(n) is not { } a) return 0;
                if (int.TryParse(a.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)) return exponent;
                Error(b, $"unit '{InputText.OneLine(name)}': BaseUnit {n}=\"{InputText.OneLine(a.Value)}\" is not a whole-number exponent");
                return 0;
            }
            result[name] = new BaseUnit(E("kg"), E("m"), E("s"), E("A"), E("K"), E("mol"), E("cd"), E("rad"), Number(b, "factor") ?? 1, Number(b, "offset") ?? 0);
        }
        return result;
    }

    /// <summary>The root of a file the SSD references (an .ssv or .ssm); its problems then name that file.</summary>
    private XElement? LoadReferenced(string source, XElement from, string what)
    {
        var path = Resolve(source, from);
        if (path == null) return null;
        if (!File.Exists(path))
        {
            Error(from, $"{what} '{source}' is not in the package");
            return null;
        }
        return Load(path, $"{displayPath}/{source}").Root;
    }

    private XDocument Load(string path, string display)
    {
        var doc = SafeXml.LoadFile(path, display);
        _files[doc] = display;
        return doc;
    }

    private void Error(XElement at, string message) => _errors.Add($"{At(at)}: {message}");

    /// <summary><c>file:line</c> of an element (the file it was read from).</summary>
    private string At(XElement e) => $"{(e.Document is { } d && _files.TryGetValue(d, out var f) ? f : displayPath)}:{SafeXml.LineOf(e)}";

    private static XElement? Child(XElement? parent, string localName) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Elements(XElement? parent, string localName) =>
        parent?.Elements().Where(e => e.Name.LocalName == localName) ?? [];

    private static double? Number(XElement? e, string attribute) =>
        e?.Attribute(attribute) is { } a && double.TryParse(a.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>A source reference relative to the package root (plain relative path or file URI); null (with an error) when it leaves the package.</summary>
    private string? Resolve(string source, XElement at)
    {
        var relative = source.StartsWith("file:", StringComparison.Ordinal) ? Uri.UnescapeDataString(source["file:".Length..].TrimStart('/')) : Uri.UnescapeDataString(source);
        var full = Path.GetFullPath(Path.Combine(folder, relative));
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (full.StartsWith(root, StringComparison.Ordinal)) return full;
        Error(at, $"'{source}' points outside the SSP package");
        return null;
    }
}
