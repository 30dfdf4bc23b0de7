namespace CoSim.Fmi.Description;

/// <summary>
/// Rules on each variable: names and value references, the causality/variability/initial tables,
/// declared types and units, derivatives, clocks and array dimensions. Start values are checked
/// by <see cref="StartValueValidator"/>.
/// </summary>
internal static class VariableValidator
{
    public static void Check(ValidationContext context)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var valueReferences = new Dictionary<uint, ModelVariable>();
        ModelVariable? independent = null;
        for (var i = 0; i < context.Variables.Count; i++)
        {
            var variable = context.Variables[i];
            CheckNames(context, variable, names);
            if (!context.Notes.MissingValueReference.Contains(i)) CheckValueReference(context, variable, valueReferences);
            // A variable without a type element is a placeholder; its other properties would only produce noise.
            if (context.Notes.MissingType.Contains(i)) continue;

            CheckTypeForVersion(context, variable);
            CheckCausalityAndVariability(context, variable);
            CheckInitial(context, variable);
            StartValueValidator.Check(context, variable);
            CheckDeclaredType(context, variable);
            CheckUnits(context, variable);
            CheckDerivative(context, variable, i);
            CheckClocks(context, variable);
            CheckDimensions(context, variable);
            if (variable.Reinit && !context.States.Contains(i))
                context.Warning(variable.Line, $"{Describe(variable)} has reinit=\"true\" but is not a continuous state (no variable is its derivative)");

            if (variable.Causality == Causality.Independent)
            {
                if (independent is not null)
                    context.Error(variable.Line, $"{Describe(variable)} is a second independent variable (the first is {ValueText.Quote(independent.Name)} at line {independent.Line}); at most one is allowed");
                independent ??= variable;
            }
        }
        if (independent is null && !context.IsFmi2 && context.Variables.Count > 0)
            context.Warning(context.Model.Line, "no variable has causality 'independent'; FMI 3 requires exactly one (usually 'time')");
    }

    private static string Describe(ModelVariable variable) => ValidationContext.Describe(variable);

    private static void CheckNames(ValidationContext context, ModelVariable variable, Dictionary<string, int> names)
    {
        if (string.IsNullOrEmpty(variable.Name))
            context.Error(variable.Line, "a variable has no name (the 'name' attribute is required and must not be empty)");
        else
            CheckName(context, variable.Name, variable.Line, "variable", names);
        foreach (var alias in variable.Aliases)
        {
            if (string.IsNullOrEmpty(alias.Name))
                context.Error(alias.Line, $"an <Alias> of {Describe(variable)} has no name");
            else
                CheckName(context, alias.Name, alias.Line, "alias", names);
            if (alias.DisplayUnit is not null)
                context.CheckUnit(variable.Unit, alias.DisplayUnit, alias.Line, $"alias {ValueText.Quote(alias.Name)}");
        }
    }

    private static void CheckName(ValidationContext context, string name, int line, string what, Dictionary<string, int> names)
    {
        if (!names.TryAdd(name, line))
            context.Error(line, $"{what} name {ValueText.Quote(name)} is already used at line {names[name]}; names must be unique");
        var structured = context.Model.VariableNamingConvention == "structured";
        if (structured ? !NamingConvention.IsStructured(name) : !NamingConvention.IsFlat(name))
            context.Warning(line, $"{what} name {ValueText.Quote(name)} does not follow the '{(structured ? "structured" : "flat")}' naming convention");
    }

    /// <summary>
    /// FMI 3 requires unique value references. FMI 2 allows several variables of one base type to
    /// share one (aliases), and base types have separate value reference spaces, so it has nothing to check.
    /// </summary>
    private static void CheckValueReference(ValidationContext context, ModelVariable variable, Dictionary<uint, ModelVariable> seen)
    {
        if (context.IsFmi2) return;
        if (!seen.TryAdd(variable.ValueReference, variable))
        {
            var first = seen[variable.ValueReference];
            context.Error(variable.Line, $"{Describe(variable)} has value reference {variable.ValueReference}, already used by {ValueText.Quote(first.Name)} at line {first.Line}; FMI 3 requires unique value references");
        }
    }

    private static void CheckTypeForVersion(ValidationContext context, ModelVariable variable)
    {
        if (context.IsFmi2 && variable.Type is not (VariableType.Float64 or VariableType.Int32 or VariableType.Boolean or VariableType.String or VariableType.Enumeration))
            context.Error(variable.Line, $"{Describe(variable)} has type {variable.Type}, which FMI 2 does not have");
        if (context.IsFmi2 && variable.Causality == Causality.StructuralParameter)
            context.Error(variable.Line, $"{Describe(variable)} is a structural parameter, which FMI 2 does not have");
    }

    private static void CheckCausalityAndVariability(ValidationContext context, ModelVariable variable)
    {
        var causality = Names.Of(variable.Causality);
        var variability = Names.Of(variable.Variability);
        if (variable.Variability == Variability.Continuous && !VariableRules.IsFloat(variable.Type))
            context.Error(variable.Line, $"{Describe(variable)} is continuous, but only {(context.IsFmi2 ? "Real" : "Float32 and Float64")} variables can be");

        if (!VariableRules.IsAllowed(variable.Causality, variable.Variability))
        {
            var why = variable.Causality switch
            {
                Causality.Input => "inputs must be discrete or continuous (a fixed or tunable input is a parameter)",
                Causality.Output => "outputs must be constant, discrete or continuous (a fixed or tunable output is a calculatedParameter)",
                Causality.Independent => "the independent variable must be continuous",
                _ => $"{causality} variables must be fixed or tunable",
            };
            context.Error(variable.Line, $"{Describe(variable)}: causality '{causality}' with variability '{variability}' is not allowed; {why}");
        }

        if (variable.Type == VariableType.Clock)
        {
            if (variable.Causality is not (Causality.Input or Causality.Output or Causality.Local))
                context.Error(variable.Line, $"clock {ValueText.Quote(variable.Name)} has causality '{causality}'; clocks must be input, output or local");
            if (variable.Variability is not (Variability.Discrete or Variability.Tunable))
                context.Error(variable.Line, $"clock {ValueText.Quote(variable.Name)} has variability '{variability}'; clocks must be discrete or tunable");
        }
        if (variable.Causality == Causality.Independent && !VariableRules.IsFloat(variable.Type))
            context.Error(variable.Line, $"independent {Describe(variable)} must be a {(context.IsFmi2 ? "Real" : "float")} variable");
    }

    private static void CheckInitial(ValidationContext context, ModelVariable variable)
    {
        if (variable.Initial == Initial.Unspecified) return;
        var allowed = VariableRules.AllowedInitials(variable.Causality, variable.Variability, context.Model.Version);
        if (allowed.Count == 0)
        {
            // Harmless: CoSim ignores the attribute where the standard defines none.
            context.Warning(variable.Line, $"{Describe(variable)} has initial=\"{Names.Of(variable.Initial)}\", but the standard defines no 'initial' for causality '{Names.Of(variable.Causality)}' here; it is ignored");
        }
        else if (!allowed.Contains(variable.Initial))
        {
            context.Error(variable.Line,
                $"{Describe(variable)}: initial=\"{Names.Of(variable.Initial)}\" is not allowed for causality '{Names.Of(variable.Causality)}' with variability '{Names.Of(variable.Variability)}' (allowed: {string.Join(", ", allowed.Select(Names.Of))})");
        }
    }

    private static void CheckDeclaredType(ValidationContext context, ModelVariable variable)
    {
        if (variable.DeclaredType is not { } name)
        {
            if (variable.Type == VariableType.Enumeration)
                context.Error(variable.Line, $"enumeration {Describe(variable)} has no declaredType; its items are defined by one");
            return;
        }
        // An undefined type only loses inherited attributes (unit, min, max, enumeration items): the
        // variable's own attributes still describe it, so it runs, as in other importers.
        if (!context.Types.TryGetValue(name, out var type))
            context.Warning(variable.Line, $"{Describe(variable)} has declaredType {ValueText.Quote(name)}, which <TypeDefinitions> does not define; only the variable's own attributes are used");
        else if (type.Type != variable.Type)
            context.Error(variable.Line, $"{Describe(variable)} is {context.TypeName(variable.Type)} but its declaredType {ValueText.Quote(name)} is {context.TypeName(type.Type)}");
    }

    /// <summary>Units inherited from the declared type are the type's problem, reported once there.</summary>
    private static void CheckUnits(ValidationContext context, ModelVariable variable)
    {
        var type = variable.DeclaredType is { } name ? context.Types.GetValueOrDefault(name) : null;
        var ownUnit = type is null || type.Unit != variable.Unit;
        var ownDisplay = type is null || type.DisplayUnit != variable.DisplayUnit || ownUnit;
        if (ownUnit || ownDisplay)
            context.CheckUnit(variable.Unit, ownDisplay ? variable.DisplayUnit : null, variable.Line, Describe(variable));
    }

    private static void CheckDerivative(ValidationContext context, ModelVariable variable, int index)
    {
        if (variable.DerivativeOf is not { } state) return;
        if (!VariableRules.IsFloat(variable.Type))
            context.Error(variable.Line, $"{Describe(variable)} has a derivative attribute, but only float variables can be derivatives");
        if (!context.IsIndex(state))
            context.Error(variable.Line, $"{Describe(variable)} is the derivative of variable index {state}, which does not exist");
        else if (state == index)
            context.Error(variable.Line, $"{Describe(variable)} is declared as its own derivative");
        else if (!VariableRules.IsFloat(context.Variables[state].Type))
            context.Error(variable.Line, $"{Describe(variable)} is the derivative of {ValueText.Quote(context.Variables[state].Name)}, which is not a float variable");
    }

    private static void CheckClocks(ValidationContext context, ModelVariable variable)
    {
        if (variable.Clocks.Count == 0) return;
        if (variable.Variability is not (Variability.Discrete or Variability.Tunable))
            context.Error(variable.Line, $"clocked {Describe(variable)} has variability '{Names.Of(variable.Variability)}'; clocked variables must be discrete or tunable");
        foreach (var clock in variable.Clocks)
        {
            if (!context.ByValueReference.TryGetValue(clock, out var index))
                context.Error(variable.Line, $"{Describe(variable)} lists clock value reference {clock}, which no variable has");
            else if (context.Variables[index].Type != VariableType.Clock)
                context.Error(variable.Line, $"{Describe(variable)} lists value reference {clock} as a clock, but {ValueText.Quote(context.Variables[index].Name)} is not a Clock");
        }
    }

    private static void CheckDimensions(ValidationContext context, ModelVariable variable)
    {
        if (!variable.IsArray) return;
        if (context.IsFmi2)
        {
            context.Error(variable.Line, $"{Describe(variable)} has array dimensions, which FMI 2 does not have");
            return;
        }
        if (variable.Type == VariableType.Clock)
            context.Error(variable.Line, $"clock {ValueText.Quote(variable.Name)} has dimensions; clocks cannot be arrays");
        if (variable.Causality == Causality.StructuralParameter)
            context.Error(variable.Line, $"structural parameter {ValueText.Quote(variable.Name)} has dimensions; structural parameters cannot be arrays");
        foreach (var dimension in variable.Dimensions)
        {
            if ((dimension.Start is null) == (dimension.ValueReference is null))
                context.Error(variable.Line, $"a <Dimension> of {Describe(variable)} must have exactly one of 'start' and 'valueReference'");
            else if (dimension.Start == 0)
                context.Error(variable.Line, $"a <Dimension> of {Describe(variable)} has size 0; initial sizes must be positive");
            else if (dimension.ValueReference is { } reference)
                CheckDimensionReference(context, variable, reference);
        }
    }

    private static void CheckDimensionReference(ValidationContext context, ModelVariable variable, uint reference)
    {
        if (!context.ByValueReference.TryGetValue(reference, out var index))
        {
            context.Error(variable.Line, $"a <Dimension> of {Describe(variable)} refers to value reference {reference}, which no variable has");
            return;
        }
        var size = context.Variables[index];
        var subject = $"the dimension size {ValueText.Quote(size.Name)} of {Describe(variable)}";
        if (size.Type != VariableType.UInt64)
            context.Error(variable.Line, $"{subject} is {size.Type}; dimension sizes must be UInt64");
        else if (size.Causality != Causality.StructuralParameter && size.Variability != Variability.Constant)
            context.Error(variable.Line, $"{subject} is neither a structural parameter nor a constant");
        else if (StartValueValidator.SingleUInt64(size) == 0)
            context.Error(variable.Line, $"{subject} starts at 0; initial sizes must be positive");
    }
}
