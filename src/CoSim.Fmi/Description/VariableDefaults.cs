namespace CoSim.Fmi.Description;

/// <summary>Defaults and inheritance that the readers apply while building a <see cref="ModelVariable"/>.</summary>
internal static class VariableDefaults
{
    /// <summary>
    /// The variability when the attribute is absent. The standard's default (continuous for floats,
    /// discrete otherwise) would make a parameter invalid, yet exporters do omit it on parameters;
    /// CoSim then assumes <c>fixed</c>, which is what such a file means, and says so in a warning.
    /// </summary>
    public static Variability Resolve(Variability? given, Causality causality, VariableType type, AttributeReader attributes, DiagnosticBag diagnostics)
    {
        if (given is { } variability) return variability;
        if (causality is Causality.Parameter or Causality.CalculatedParameter or Causality.StructuralParameter)
        {
            diagnostics.Warning(attributes.Line,
                $"{attributes.Subject} has no 'variability'; the standard's default is not allowed for causality '{Names.Of(causality)}', so 'fixed' is assumed");
            return Variability.Fixed;
        }
        return VariableRules.DefaultVariability(type);
    }

    /// <summary>
    /// Fills quantity, unit, display unit, min and max from the declared type where the variable
    /// does not set them (the type's values are defaults). A type of another kind gives nothing; the
    /// validator reports the mismatch.
    /// </summary>
    public static ModelVariable Inherit(ModelVariable variable, IReadOnlyDictionary<string, TypeDefinition> types)
    {
        if (variable.DeclaredType is null || !types.TryGetValue(variable.DeclaredType, out var type) || type.Type != variable.Type)
            return variable;
        return variable with
        {
            Quantity = variable.Quantity ?? type.Quantity,
            Unit = variable.Unit ?? type.Unit,
            DisplayUnit = variable.DisplayUnit ?? type.DisplayUnit,
            Min = variable.Min ?? type.Min,
            Max = variable.Max ?? type.Max,
        };
    }

    /// <summary>Type definitions by name, first definition winning (duplicates are reported by the validator).</summary>
    public static Dictionary<string, TypeDefinition> ByName(IEnumerable<TypeDefinition> types)
    {
        var byName = new Dictionary<string, TypeDefinition>(StringComparer.Ordinal);
        foreach (var type in types) byName.TryAdd(type.Name, type);
        return byName;
    }
}
