using System.Globalization;
using CoSim.Core;
using CoSim.Fmi.Description;
using CoSim.Fmi.Native;

namespace CoSim.Fmi;

/// <summary>Reading and writing single FMU variables as text (parameters on the command line, listings).</summary>
internal static class FmuTextValues
{
    public static void Set(IFmiInstance instance, ModelDescription md, IReadOnlyList<FmuVariable> all, int variable, string text)
    {
        var v = all[variable];
        switch (v.Model.Type)
        {
            case VariableType.String:
                instance.SetString(v.ValueReference, text);
                return;
            case VariableType.Binary or VariableType.Clock:
                throw new InputException($"setting {v.Model.Type} variable '{v.Variable.Name}' from text is not supported");
        }
        new FmuAccessor(instance, all, [variable]).Write([Parse(md, v, text)]);
    }

    public static string Get(IFmiInstance instance, IReadOnlyList<FmuVariable> all, int variable)
    {
        var v = all[variable];
        if (v.Model.Type == VariableType.String) return instance.GetString(v.ValueReference);
        Span<double> value = stackalloc double[1];
        new FmuAccessor(instance, all, [variable]).Read(value);
        return v.Model.Type == VariableType.Boolean ? (value[0] != 0 ? "true" : "false") : value[0].ToString("R", CultureInfo.InvariantCulture);
    }

    private static double Parse(ModelDescription md, FmuVariable v, string text)
    {
        var t = text.Trim();
        if (v.Model.Type == VariableType.Boolean)
            return t.ToLowerInvariant() switch
            {
                "true" or "1" => 1,
                "false" or "0" => 0,
                _ => throw new InputException($"'{text}' is not a Boolean value for '{v.Variable.Name}' (use true/false or 1/0)"),
            };
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            if (v.Variable.Kind == ValueKind.Integer && d != Math.Round(d))
                throw new InputException($"'{text}' is not an integer value for {v.Model.Type} variable '{v.Variable.Name}'");
            return d;
        }
        if (v.Model.Type == VariableType.Enumeration && v.Model.DeclaredType is { } typeName &&
            md.TypeDefinitions.FirstOrDefault(td => td.Name == typeName)?.Items.FirstOrDefault(i => i.Name == t) is { } item)
            return item.Value;
        throw new InputException($"'{text}' is not a valid {v.Model.Type} value for '{v.Variable.Name}'");
    }
}
