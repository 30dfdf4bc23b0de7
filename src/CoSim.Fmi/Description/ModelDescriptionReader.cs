// TEMPORARY stub, replaced by the real reader from the model-description branch.
using System.Globalization;
using System.Xml.Linq;
namespace CoSim.Fmi.Description;
public static class ModelDescriptionReader
{
    public static ModelDescriptionReport Read(Stream path, string fileName)
    {
        var doc = XDocument.Load(path, LoadOptions.SetLineInfo);
        var root = doc.Root!;
        var v3 = root.Attribute("fmiVersion")!.Value.StartsWith('3');
        var vars = new List<ModelVariable>();
        IEnumerable<XElement> elems = v3 ? root.Element("ModelVariables")!.Elements() : root.Element("ModelVariables")!.Elements("ScalarVariable");
        foreach (var e in elems)
        {
            var t = v3 ? e : e.Elements().First();
            var type = t.Name.LocalName switch { "Real" or "Float64" => VariableType.Float64, "Integer" or "Int32" => VariableType.Int32, "Boolean" => VariableType.Boolean, "String" => VariableType.String, _ => VariableType.Float64 };
            var caus = (string?)e.Attribute("causality") ?? "local";
            vars.Add(new ModelVariable
            {
                Name = (string)e.Attribute("name")!, ValueReference = uint.Parse((string)e.Attribute("valueReference")!, CultureInfo.InvariantCulture), Type = type,
                Causality = Enum.Parse<Causality>(caus, true), Variability = Enum.Parse<Variability>((string?)e.Attribute("variability") ?? (type == VariableType.Float64 ? "continuous" : "discrete"), true),
                Start = (string?)t.Attribute("start") is { } s ? [s] : null, Unit = (string?)t.Attribute("unit"), Description = (string?)e.Attribute("description"),
            });
        }
        InterfaceInfo? If(string n) => root.Element(n) is { } x ? new InterfaceInfo { ModelIdentifier = (string)x.Attribute("modelIdentifier")!, CanGetAndSetFmuState = (string?)x.Attribute(v3 ? "canGetAndSetFMUState" : "canGetAndSetFMUstate") == "true" } : null;
        var de = root.Element("DefaultExperiment");
        double? D(string n) => de?.Attribute(n) is { } a ? double.Parse(a.Value, CultureInfo.InvariantCulture) : null;
        var outputs = vars.Select((v, i) => (v, i)).Where(p => p.v.Causality == Causality.Output).Select(p => new Unknown(p.i, null, null, 0)).ToList();
        var md = new ModelDescription
        {
            Version = v3 ? FmiVersion.Fmi3 : FmiVersion.Fmi2, FmiVersionText = (string)root.Attribute("fmiVersion")!, ModelName = (string)root.Attribute("modelName")!,
            InstantiationToken = (string?)root.Attribute(v3 ? "instantiationToken" : "guid") ?? "", CoSimulation = If("CoSimulation"), ModelExchange = If("ModelExchange"),
            DefaultExperiment = de == null ? null : new DefaultExperiment(D("startTime"), D("stopTime"), D("tolerance"), D("stepSize")), Variables = vars,
            Structure = new ModelStructure { Outputs = outputs },
        };
        return new ModelDescriptionReport(md, []);
    }
}
