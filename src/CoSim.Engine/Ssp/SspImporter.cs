using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using CoSim.Core;
using CoSim.Engine.Systems;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;

namespace CoSim.Engine.Ssp;

/// <summary>
/// Imports an SSP 1.0 or 2.0 system: an <c>.ssp</c> archive or a folder holding
/// <c>SystemStructure.ssd</c>. Supported: one flat system of FMU components (sources inside the
/// package), connections with linear transformations, unit definitions, parameter bindings at
/// system and component level with <c>.ssv</c> parameter sets (in a file or inline) and
/// <c>.ssm</c> parameter mappings, the default experiment. Elements are matched by local name, so
/// both standard versions' namespaces are read. Every problem is collected and reported at once.
/// </summary>
public static class SspImporter
{
    /// <summary>Name of the system structure file at the root of a package.</summary>
    public const string SsdFileName = "SystemStructure.ssd";

    /// <summary>
    /// Reads the system and instantiates its FMUs (co-simulation), each by <paramref name="createComponent"/>
    /// (archive, component name, the SSD's unit definitions) when given, e.g. to run some out of process.
    /// The caller disposes the result.
    /// </summary>
    public static SspSystem Load(string path, ILogSink log,
        Func<FmuArchive, string, IReadOnlyDictionary<string, BaseUnit>, SystemComponent>? createComponent = null)
    {
        if (Directory.Exists(path)) return LoadFolder(path, path, log, createComponent);
        if (!File.Exists(path)) throw new InputException($"{path}: no such SSP file or folder");
        var temp = Path.Combine(Path.GetTempPath(), "cosim-ssp-" + Guid.NewGuid().ToString("N"));
        try
        {
            SafeZip.Extract(path, temp, "an SSP package");
            // FMUs are unpacked into their own cache when opened, so the extracted package can go afterwards.
            return LoadFolder(temp, path, log, createComponent);
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); }
            catch (IOException) { /* best effort */ }
            catch (UnauthorizedAccessException) { /* best effort */ }
        }
    }

    private static SspSystem LoadFolder(string folder, string displayPath, ILogSink log,
        Func<FmuArchive, string, IReadOnlyDictionary<string, BaseUnit>, SystemComponent>? createComponent)
    {
        var ssdPath = Path.Combine(folder, SsdFileName);
        if (!File.Exists(ssdPath)) throw new InputException($"{displayPath}: no {SsdFileName} at the root of the package");
        var root = LoadXml(ssdPath, displayPath + "/" + SsdFileName).Root!;
        if (root.Name.LocalName != "SystemStructureDescription")
            throw new InputException($"{displayPath}/{SsdFileName}: the root element is <{root.Name.LocalName}>, expected <SystemStructureDescription>");
        var errors = new List<string>();
        var where = $"{displayPath}/{SsdFileName}";
        string At(XElement e) => $"{where}:{((IXmlLineInfo)e).LineNumber}";

        var system = Child(root, "System") ?? throw new InputException($"{where}: no <System> element");
        var units = ReadUnits(Child(root, "Units"), errors, At);
        var experiment = Child(root, "DefaultExperiment");
        var model = new SystemModel();
        var result = new SspSystem((string?)root.Attribute("name") ?? (string?)system.Attribute("name") ?? Path.GetFileNameWithoutExtension(displayPath),
            model, Number(experiment, "startTime"), Number(experiment, "stopTime"));
        try
        {
            var elements = Child(system, "Elements")?.Elements().ToList() ?? [];
            foreach (var element in elements)
            {
                var name = (string?)element.Attribute("name");
                if (element.Name.LocalName == "System")
                {
                    errors.Add($"{At(element)}: nested system '{name}' is not supported; flatten it into the top-level system");
                    continue;
                }
                if (element.Name.LocalName != "Component") continue; // SignalDictionaryReference and others: nothing to run
                var source = (string?)element.Attribute("source");
                var type = (string?)element.Attribute("type") ?? "application/x-fmu-sharedlibrary";
                if (name == null || source == null)
                {
                    errors.Add($"{At(element)}: a component needs 'name' and 'source'");
                    continue;
                }
                if (type != "application/x-fmu-sharedlibrary")
                {
                    errors.Add($"{At(element)}: component '{name}' has type '{type}'; only FMUs (application/x-fmu-sharedlibrary) are supported");
                    continue;
                }
                var fmuPath = Resolve(folder, source);
                if (!File.Exists(fmuPath) && !Directory.Exists(fmuPath))
                {
                    errors.Add($"{At(element)}: component '{name}': source '{source}' is not in the package");
                    continue;
                }
                try
                {
                    var archive = FmuArchive.Open(fmuPath);
                    model.Add(createComponent?.Invoke(archive, name, units) ?? FmuComponents.Create(archive, name, log, extraUnits: units));
                }
                catch (InputException e)
                {
                    errors.Add($"{At(element)}: component '{name}': {e.Message}");
                    continue;
                }
                foreach (var binding in Child(element, "ParameterBindings")?.Elements().Where(e => e.Name.LocalName == "ParameterBinding") ?? [])
                    ApplyBinding(binding, folder, displayPath, name, model, errors, At);
            }
            foreach (var binding in Child(system, "ParameterBindings")?.Elements().Where(e => e.Name.LocalName == "ParameterBinding") ?? [])
                ApplyBinding(binding, folder, displayPath, null, model, errors, At);

            foreach (var c in Child(system, "Connections")?.Elements().Where(e => e.Name.LocalName == "Connection") ?? [])
            {
                var startElement = (string?)c.Attribute("startElement");
                var endElement = (string?)c.Attribute("endElement");
                var startConnector = (string?)c.Attribute("startConnector");
                var endConnector = (string?)c.Attribute("endConnector");
                if (startConnector == null || endConnector == null)
                {
                    errors.Add($"{At(c)}: a connection needs 'startConnector' and 'endConnector'");
                    continue;
                }
                if (startElement == null || endElement == null)
                {
                    errors.Add($"{At(c)}: connection {startElement ?? "(system)"}.{startConnector} -> {endElement ?? "(system)"}.{endConnector}: connections to the system's own connectors are not supported");
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
                            errors.Add($"{At(t)}: {t.Name.LocalName} is not supported");
                            break;
                    }
                }
                model.Connect(new VariableRef(startElement, startConnector), new VariableRef(endElement, endConnector), transform);
            }
        }
        catch
        {
            result.Dispose();
            throw;
        }
        if (errors.Count > 0)
        {
            result.Dispose();
            throw new InputException($"{displayPath}: {errors.Count} problem(s) in the SSP:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
        }
        return result;
    }

    /// <summary>
    /// Applies a parameter binding: the values of its parameter set, renamed by its parameter mapping
    /// (with the mapping's linear transformation), prefixed by its <c>prefix</c>. At component level a
    /// name is a variable of that component; at system level it is <c>Component.variable</c>.
    /// </summary>
    private static void ApplyBinding(XElement binding, string folder, string displayPath, string? component, SystemModel model, List<string> errors, Func<XElement, string> at)
    {
        var prefix = (string?)binding.Attribute("prefix") ?? "";
        XElement? set;
        if ((string?)binding.Attribute("source") is { } source)
        {
            var path = Resolve(folder, source);
            if (!File.Exists(path))
            {
                errors.Add($"{at(binding)}: parameter set '{source}' is not in the package");
                return;
            }
            set = LoadXml(path, $"{displayPath}/{source}").Root;
        }
        else
        {
            set = Child(binding, "ParameterValues")?.Elements().FirstOrDefault(e => e.Name.LocalName == "ParameterSet");
        }
        if (set == null || set.Name.LocalName != "ParameterSet")
        {
            errors.Add($"{at(binding)}: the parameter binding has no parameter set");
            return;
        }
        var mapping = ReadMapping(Child(binding, "ParameterMapping"), folder, displayPath, errors, at);
        foreach (var p in Child(set, "Parameters")?.Elements().Where(e => e.Name.LocalName == "Parameter") ?? [])
        {
            var name = (string?)p.Attribute("name");
            var typed = p.Elements().FirstOrDefault(e => e.Attribute("value") != null);
            if (name == null || typed == null)
            {
                errors.Add($"{at(p)}: a parameter needs a name and a typed value");
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
                        errors.Add($"{at(p)}: parameter '{name}': a linear transformation needs a numeric value, not '{value}'");
                        continue;
                    }
                    value = (t.Factor * d + t.Offset).ToString("R", CultureInfo.InvariantCulture);
                }
            }
            name = prefix + name;
            if (component != null)
            {
                model.SetParameter(new VariableRef(component, name), value);
                continue;
            }
            var dot = name.IndexOf('.');
            if (dot <= 0)
            {
                errors.Add($"{at(p)}: system-level parameter '{name}' must be named Component.variable");
                continue;
            }
            model.SetParameter(new VariableRef(name[..dot], name[(dot + 1)..]), value);
        }
    }

    private static Dictionary<string, (string Target, LinearTransform? Transform)> ReadMapping(XElement? element, string folder, string displayPath, List<string> errors, Func<XElement, string> at)
    {
        var result = new Dictionary<string, (string, LinearTransform?)>();
        if (element == null) return result;
        XElement? mapping;
        if ((string?)element.Attribute("source") is { } source)
        {
            var path = Resolve(folder, source);
            if (!File.Exists(path))
            {
                errors.Add($"{at(element)}: parameter mapping '{source}' is not in the package");
                return result;
            }
            mapping = LoadXml(path, $"{displayPath}/{source}").Root;
        }
        else
        {
            mapping = element.Elements().FirstOrDefault(e => e.Name.LocalName == "ParameterMapping");
        }
        foreach (var entry in mapping?.Elements().Where(e => e.Name.LocalName == "MappingEntry") ?? [])
        {
            var from = (string?)entry.Attribute("source");
            var to = (string?)entry.Attribute("target");
            if (from == null || to == null)
            {
                errors.Add($"{at(entry)}: a mapping entry needs 'source' and 'target'");
                continue;
            }
            var lt = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "LinearTransformation");
            result[from] = (to, lt == null ? null : new LinearTransform(Number(lt, "factor") ?? 1, Number(lt, "offset") ?? 0));
        }
        return result;
    }

    private static Dictionary<string, BaseUnit> ReadUnits(XElement? units, List<string> errors, Func<XElement, string> at)
    {
        var result = new Dictionary<string, BaseUnit>();
        foreach (var u in units?.Elements().Where(e => e.Name.LocalName == "Unit") ?? [])
        {
            var name = (string?)u.Attribute("name");
            var b = Child(u, "BaseUnit");
            if (name == null || b == null)
            {
                errors.Add($"{at(u)}: a unit needs a name and a BaseUnit");
                continue;
            }
            int E(string n) => (int?)b.Attribute(n) ?? 0;
            result[name] = new BaseUnit(E("kg"), E("m"), E("s"), E("A"), E("K"), E("mol"), E("cd"), E("rad"), Number(b, "factor") ?? 1, Number(b, "offset") ?? 0);
        }
        return result;
    }

    private static XDocument LoadXml(string path, string display)
    {
        try
        {
            return XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new InputException($"{display}: not well-formed XML: {e.Message}", e);
        }
    }

    private static XElement? Child(XElement? parent, string localName) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static double? Number(XElement? e, string attribute) =>
        e?.Attribute(attribute) is { } a && double.TryParse(a.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>A source reference relative to the package root (plain relative path or file URI).</summary>
    private static string Resolve(string folder, string source)
    {
        var relative = source.StartsWith("file:", StringComparison.Ordinal) ? Uri.UnescapeDataString(source["file:".Length..].TrimStart('/')) : Uri.UnescapeDataString(source);
        var full = Path.GetFullPath(Path.Combine(folder, relative));
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
            throw new InputException($"'{source}' points outside the SSP package");
        return full;
    }
}
