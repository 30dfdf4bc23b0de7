using System.Globalization;
using CoSim.Core;
using CoSim.Fmi.Description;

namespace CoSim.Fmi;

/// <summary>
/// Where one component variable lives in the FMU: its model variable, value reference and, for an element
/// of an FMI 3 array, its position among the reference's values.
/// </summary>
internal sealed record FmuVariable(ComponentVariable Variable, ModelVariable Model, uint ValueReference, int Element, int ElementCount);

/// <summary>
/// Maps a model description's variables to the component variables the master algorithm sees. Arrays
/// become one component variable per element, named <c>name[i]</c> (row-major, <c>name[i,j]</c> for 2-D).
/// </summary>
internal static class FmuVariables
{
    public static IReadOnlyList<FmuVariable> Map(ModelDescription md)
    {
        var result = new List<FmuVariable>(md.Variables.Count);
        foreach (var v in md.Variables)
        {
            var dims = v.Dimensions.Select(d => DimensionSize(md, d)).ToArray();
            var count = dims.Aggregate(1, (a, b) => a * b);
            for (var e = 0; e < count; e++)
            {
                var name = dims.Length == 0 ? v.Name : v.Name + "[" + ElementIndex(dims, e) + "]";
                var start = v.Start is { Count: > 0 } s ? s[Math.Min(e, s.Count - 1)] : null;
                var unit = new ComponentVariable(result.Count, name, Kind(v.Type), Role(v.Causality),
                    v.Variability == Variability.Continuous, v.Unit, v.Description, start)
                {
                    TypeName = v.Type.ToString(),
                };
                result.Add(new FmuVariable(unit, v, v.ValueReference, e, count));
            }
        }
        return result;
    }

    private static int DimensionSize(ModelDescription md, Dimension d)
    {
        if (d.Start is { } fixedSize) return checked((int)fixedSize);
        var structural = md.Variables.FirstOrDefault(x => x.ValueReference == d.ValueReference && x.Causality == Causality.StructuralParameter)
                         ?? md.Variables.FirstOrDefault(x => x.ValueReference == d.ValueReference);
        if (structural?.Start is { Count: > 0 } s && int.TryParse(s[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0)
            return n;
        throw new InputException($"array dimension refers to value reference {d.ValueReference}, which has no usable start value");
    }

    private static string ElementIndex(int[] dims, int flat)
    {
        var idx = new int[dims.Length];
        for (var k = dims.Length - 1; k >= 0; k--)
        {
            idx[k] = flat % dims[k] + 1; // FMI and Modelica index from 1
            flat /= dims[k];
        }
        return string.Join(",", idx);
    }

    public static ValueKind Kind(VariableType t) => t switch
    {
        VariableType.Float32 or VariableType.Float64 => ValueKind.Real,
        VariableType.Boolean => ValueKind.Boolean,
        VariableType.String => ValueKind.String,
        VariableType.Binary => ValueKind.Binary,
        VariableType.Clock => ValueKind.Clock,
        _ => ValueKind.Integer,
    };

    public static VariableRole Role(Causality c) => c switch
    {
        Causality.Parameter => VariableRole.Parameter,
        Causality.CalculatedParameter => VariableRole.CalculatedParameter,
        Causality.Input => VariableRole.Input,
        Causality.Output => VariableRole.Output,
        Causality.Independent => VariableRole.Independent,
        Causality.StructuralParameter => VariableRole.StructuralParameter,
        _ => VariableRole.Local,
    };
}

/// <summary>The engine's view of an FMU's model structure and unit definitions.</summary>
internal static class FmuStructure
{
    /// <summary>
    /// Output dependencies from <c>ModelStructure/Outputs</c> (an output without a dependency list,
    /// or one the exporter forgot to list, depends on every input: the conservative reading) and
    /// the unit definitions. Array variables expand to all their elements on both sides.
    /// </summary>
    public static ComponentStructure From(ModelDescription md, IReadOnlyList<FmuVariable> variables)
    {
        var elements = new Dictionary<ModelVariable, List<FmuVariable>>(ReferenceEqualityComparer.Instance);
        foreach (var v in variables)
        {
            if (!elements.TryGetValue(v.Model, out var list)) elements[v.Model] = list = [];
            list.Add(v);
        }
        var dependencies = new Dictionary<int, IReadOnlyList<int>>();
        foreach (var output in md.Structure.Outputs)
        {
            if (output.Dependencies is not { } deps) continue; // absent: depends on all
            if (output.Variable < 0 || output.Variable >= md.Variables.Count || !elements.TryGetValue(md.Variables[output.Variable], out var outs)) continue;
            var inputs = new List<int>();
            foreach (var d in deps)
            {
                if (d < 0 || d >= md.Variables.Count) continue;
                var dv = md.Variables[d];
                if (dv.Causality == Causality.Input && elements.TryGetValue(dv, out var ins)) inputs.AddRange(ins.Select(i => i.Variable.Index));
            }
            foreach (var o in outs) dependencies[o.Variable.Index] = inputs;
        }
        var units = new Dictionary<string, BaseUnit>();
        foreach (var u in md.Units)
            if (u.BaseUnit is { } b) units[u.Name] = b;
        return new ComponentStructure(dependencies, units);
    }
}
