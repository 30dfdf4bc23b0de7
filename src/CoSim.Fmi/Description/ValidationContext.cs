namespace CoSim.Fmi.Description;

/// <summary>The model under validation plus the lookups that several rule groups share.</summary>
internal sealed class ValidationContext
{
    public ValidationContext(ModelDescription model, DiagnosticBag diagnostics, ParseNotes notes)
    {
        Model = model;
        Diagnostics = diagnostics;
        Notes = notes;
        Types = VariableDefaults.ByName(model.TypeDefinitions);
        foreach (var unit in model.Units)
            DisplayUnits.TryAdd(unit.Name, unit.DisplayUnits.Select(d => d.Name).ToHashSet(StringComparer.Ordinal));
        for (var i = 0; i < model.Variables.Count; i++)
        {
            var variable = model.Variables[i];
            if (!notes.MissingValueReference.Contains(i)) ByValueReference.TryAdd(variable.ValueReference, i);
            if (variable.DerivativeOf is { } state && state >= 0 && state < model.Variables.Count) States.Add(state);
        }
    }

    public ModelDescription Model { get; }

    public DiagnosticBag Diagnostics { get; }

    public ParseNotes Notes { get; }

    public IReadOnlyList<ModelVariable> Variables => Model.Variables;

    public bool IsFmi2 => Model.Version == FmiVersion.Fmi2;

    /// <summary>Type definitions by name (the first of duplicates).</summary>
    public Dictionary<string, TypeDefinition> Types { get; }

    /// <summary>Display unit names per defined unit name (the first of duplicates); sets, so that checking many variables stays linear.</summary>
    private Dictionary<string, HashSet<string>> DisplayUnits { get; } = new(StringComparer.Ordinal);

    private readonly Dictionary<string, HashSet<long>> _itemValues = new(StringComparer.Ordinal);

    // Units used although the model defines none, with the line of their first use.
    private readonly Dictionary<string, int> _unitsWithoutDefinitions = new(StringComparer.Ordinal);

    /// <summary>The item values of an enumeration type, computed once per type; null when the type is not defined.</summary>
    public HashSet<long>? ItemValues(string typeName)
    {
        if (_itemValues.TryGetValue(typeName, out var values)) return values;
        if (!Types.TryGetValue(typeName, out var type)) return null;
        values = type.Items.Select(i => i.Value).ToHashSet();
        _itemValues[typeName] = values;
        return values;
    }

    /// <summary>First variable index for each value reference (FMI 3 refers to variables by value reference).</summary>
    public Dictionary<uint, int> ByValueReference { get; } = [];

    /// <summary>Indices of continuous states: variables that some variable is the derivative of.</summary>
    public HashSet<int> States { get; } = [];

    public void Error(int line, string message) => Diagnostics.Error(line, message);

    public void Warning(int line, string message) => Diagnostics.Warning(line, message);

    public bool IsIndex(int index) => index >= 0 && index < Variables.Count;

    /// <summary>"variable 'name'" for messages.</summary>
    public static string Describe(ModelVariable variable) => "variable " + ValueText.Quote(variable.Name);

    /// <summary>The type as the file spells it (Real/Integer in FMI 2).</summary>
    public string TypeName(VariableType type) => Names.Of(type, Model.Version);

    /// <summary>
    /// Reports a unit or display unit that UnitDefinitions does not define. A warning: the values
    /// are still exchanged correctly, only unit checks on connections and display lose information.
    /// </summary>
    public void CheckUnit(string? unit, string? displayUnit, int line, string subject)
    {
        if (unit is null)
        {
            if (displayUnit is not null)
                Warning(line, $"{subject} has displayUnit {ValueText.Quote(displayUnit)} but no unit");
            return;
        }
        if (DisplayUnits.Count == 0)
        {
            // No UnitDefinitions at all is a common exporter habit: one summary beats a warning per variable.
            _unitsWithoutDefinitions.TryAdd(unit, line);
            return;
        }
        if (!DisplayUnits.TryGetValue(unit, out var displayUnits))
        {
            Warning(line, $"{subject} has unit {ValueText.Quote(unit)}, which <UnitDefinitions> does not define");
            return;
        }
        if (displayUnit is not null && !displayUnits.Contains(displayUnit))
            Warning(line, $"{subject} has displayUnit {ValueText.Quote(displayUnit)}, which unit {ValueText.Quote(unit)} does not define");
    }

    /// <summary>The one warning for units used without any UnitDefinitions, at the first use.</summary>
    public void ReportUnitsWithoutDefinitions()
    {
        if (_unitsWithoutDefinitions.Count == 0) return;
        var names = string.Join(", ", _unitsWithoutDefinitions.Keys.Take(5).Select(ValueText.Quote));
        var more = _unitsWithoutDefinitions.Count > 5 ? $" and {_unitsWithoutDefinitions.Count - 5} more" : "";
        Warning(_unitsWithoutDefinitions.Values.Min(), $"units are used ({names}{more}) but the model has no <UnitDefinitions>");
    }
}
