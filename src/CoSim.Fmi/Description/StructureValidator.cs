namespace CoSim.Fmi.Description;

/// <summary>
/// Rules on the model structure: entries refer to existing variables of the right kind, every
/// output is listed, dependency lists are consistent, and the initial unknowns are the ones the
/// standard describes.
/// </summary>
internal static class StructureValidator
{
    public static void Check(ValidationContext context)
    {
        var structure = context.Model.Structure;
        var fmi2 = context.IsFmi2;
        var outputs = Entries(context, structure.Outputs, fmi2 ? "<Outputs>" : "<Output>");
        var derivatives = Entries(context, structure.ContinuousStateDerivatives, fmi2 ? "<Derivatives>" : "<ContinuousStateDerivative>");
        var initialUnknowns = Entries(context, structure.InitialUnknowns, fmi2 ? "<InitialUnknowns>" : "<InitialUnknown>");
        var clockedStates = Entries(context, structure.ClockedStates, "<ClockedState>");
        var eventIndicators = Entries(context, structure.EventIndicators, "<EventIndicator>");

        CheckOutputs(context, outputs);
        foreach (var (unknown, tag) in derivatives)
        {
            var variable = context.Variables[unknown.Variable];
            if (variable.DerivativeOf is null)
                context.Error(unknown.Line, $"{tag} lists {ValidationContext.Describe(variable)}, which has no 'derivative' attribute, so it is no state derivative");
        }
        var derivativeIndices = derivatives.Select(d => d.Unknown.Variable).ToHashSet();
        var states = derivativeIndices.Select(d => context.Variables[d].DerivativeOf).OfType<int>().ToHashSet();
        CheckInitialUnknowns(context, initialUnknowns, derivativeIndices, states);
        foreach (var (unknown, tag) in clockedStates)
        {
            var variable = context.Variables[unknown.Variable];
            if (variable.Clocks.Count == 0)
                context.Warning(unknown.Line, $"{tag} lists {ValidationContext.Describe(variable)}, which is not a clocked variable");
        }
        foreach (var (unknown, tag) in eventIndicators)
        {
            var variable = context.Variables[unknown.Variable];
            if (!VariableRules.IsFloat(variable.Type))
                context.Error(unknown.Line, $"{tag} lists {ValidationContext.Describe(variable)}, but event indicators must be Float32 or Float64");
            else if (variable.Causality is not (Causality.Local or Causality.Output))
                context.Warning(unknown.Line, $"{tag} lists {ValidationContext.Describe(variable)} with causality '{Names.Of(variable.Causality)}'; event indicators should be local or output");
        }
    }

    /// <summary>The entries that refer to existing variables (others are reported), each with its tag; duplicates are reported once.</summary>
    private static List<(Unknown Unknown, string Tag)> Entries(ValidationContext context, IReadOnlyList<Unknown> unknowns, string tag)
    {
        var entries = new List<(Unknown, string)>(unknowns.Count);
        var seen = new HashSet<int>();
        foreach (var unknown in unknowns)
        {
            if (!context.IsIndex(unknown.Variable))
            {
                context.Error(unknown.Line, $"{tag} refers to variable index {unknown.Variable}, which does not exist");
                continue;
            }
            CheckDependencies(context, unknown, tag);
            if (!seen.Add(unknown.Variable))
            {
                context.Warning(unknown.Line, $"{tag} lists {ValidationContext.Describe(context.Variables[unknown.Variable])} more than once");
                continue;
            }
            entries.Add((unknown, tag));
        }
        return entries;
    }

    private static void CheckDependencies(ValidationContext context, Unknown unknown, string tag)
    {
        var subject = $"{tag} entry for {ValidationContext.Describe(context.Variables[unknown.Variable])}";
        if (unknown.Dependencies is { } dependencies)
        {
            foreach (var dependency in dependencies)
            {
                if (context.IsIndex(dependency)) continue;
                context.Error(unknown.Line, $"{subject} depends on variable index {dependency}, which does not exist");
                break;
            }
        }
        if (unknown.DependenciesKind is not { } kinds) return;
        if (unknown.Dependencies is null)
            context.Error(unknown.Line, $"{subject} has 'dependenciesKind' without 'dependencies'");
        else if (kinds.Count != unknown.Dependencies.Count)
            context.Error(unknown.Line, $"{subject} has {unknown.Dependencies.Count} dependencies but {kinds.Count} dependency kinds; the lists must have the same length");
        foreach (var kind in kinds)
        {
            if (Names.DependencyKinds.Contains(kind)) continue;
            context.Error(unknown.Line, $"{subject} has dependency kind {ValueText.Quote(kind)}; allowed are {string.Join(", ", Names.DependencyKinds)}");
            break;
        }
    }

    /// <summary>
    /// The standard requires exactly the variables with causality output to be listed. An output
    /// left out is a common exporter slip (OpenModelica, hand-written FMUs) that other importers
    /// accept, so it is a warning: CoSim then assumes the output depends on every input, which keeps
    /// Gauss-Seidel ordering and algebraic-loop detection on the safe side.
    /// </summary>
    private static void CheckOutputs(ValidationContext context, List<(Unknown Unknown, string Tag)> outputs)
    {
        var listed = new HashSet<int>();
        foreach (var (unknown, tag) in outputs)
        {
            listed.Add(unknown.Variable);
            var variable = context.Variables[unknown.Variable];
            if (variable.Causality != Causality.Output)
                context.Error(unknown.Line, $"{tag} lists {ValidationContext.Describe(variable)}, whose causality is '{Names.Of(variable.Causality)}', not 'output'");
        }
        var where = context.IsFmi2 ? "<ModelStructure><Outputs>" : "an <Output> element of <ModelStructure>";
        for (var i = 0; i < context.Variables.Count; i++)
        {
            var variable = context.Variables[i];
            if (variable.Causality == Causality.Output && !listed.Contains(i))
                context.Warning(variable.Line, $"output {ValueText.Quote(variable.Name)} is not listed in {where} (the standard requires every output there); it is taken to depend on every input");
        }
    }

    /// <summary>
    /// The initial unknowns are the outputs, calculated parameters, states and state derivatives
    /// whose initial is approx or calculated (clocked variables aside). Deviations are warnings: an
    /// importer that does not exploit initialization dependencies runs fine without the list.
    /// </summary>
    private static void CheckInitialUnknowns(ValidationContext context, List<(Unknown Unknown, string Tag)> listed, HashSet<int> derivatives, HashSet<int> states)
    {
        var listedIndices = new HashSet<int>();
        foreach (var (unknown, tag) in listed)
        {
            listedIndices.Add(unknown.Variable);
            var variable = context.Variables[unknown.Variable];
            var known = variable.Causality is Causality.Input or Causality.Parameter or Causality.StructuralParameter or Causality.Independent
                || variable.Variability == Variability.Constant
                || VariableRules.EffectiveInitial(variable) == Initial.Exact;
            if (known)
                context.Warning(unknown.Line, $"{tag} lists {ValidationContext.Describe(variable)}, which is known at initialization (causality '{Names.Of(variable.Causality)}', initial '{Names.Of(VariableRules.EffectiveInitial(variable))}'), not an initial unknown");
        }
        var tagName = context.IsFmi2 ? "<InitialUnknowns>" : "an <InitialUnknown> element";
        var missing = new List<ModelVariable>();
        for (var i = 0; i < context.Variables.Count; i++)
        {
            if (!listedIndices.Contains(i) && IsInitialUnknown(context, context.Variables[i], i, derivatives, states))
                missing.Add(context.Variables[i]);
        }
        if (missing.Count == 0) return;
        if (listed.Count == 0)
        {
            // Exporters that leave the list out entirely get one warning, not one per variable.
            var names = string.Join(", ", missing.Take(5).Select(v => ValueText.Quote(v.Name)));
            var more = missing.Count > 5 ? $" and {missing.Count - 5} more" : "";
            context.Warning(context.Model.Line, $"the model structure lists no initial unknowns, but {missing.Count} variable(s) are: {names}{more}");
            return;
        }
        foreach (var variable in missing)
            context.Warning(variable.Line, $"{ValidationContext.Describe(variable)} (initial '{Names.Of(VariableRules.EffectiveInitial(variable))}') should be listed in {tagName}");
    }

    /// <summary>Whether the variable belongs in the initial unknowns; <paramref name="derivatives"/> are the listed state derivatives, <paramref name="states"/> what they differentiate.</summary>
    private static bool IsInitialUnknown(ValidationContext context, ModelVariable variable, int index, HashSet<int> derivatives, HashSet<int> states)
    {
        if (variable.Type == VariableType.Clock || variable.Clocks.Count > 0) return false;
        if (context.Notes.MissingType.Contains(index)) return false;
        if (VariableRules.EffectiveInitial(variable) is not (Initial.Approx or Initial.Calculated)) return false;
        return variable.Causality is Causality.Output or Causality.CalculatedParameter
            || (variable.Causality == Causality.Local && (derivatives.Contains(index) || states.Contains(index)));
    }
}
