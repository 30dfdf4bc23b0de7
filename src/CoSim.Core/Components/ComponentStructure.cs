namespace CoSim.Core;

/// <summary>
/// What a master algorithm needs to know about a component beyond its variables: which outputs
/// depend directly on which inputs (Gauss-Seidel ordering, algebraic loops, which inputs may be
/// averaged) and the definitions of the physical units its variables name (conversion on
/// connections). A component that says nothing gets <see cref="Opaque"/>: every output depends
/// on every input, and no unit is defined (the safe assumptions).
/// </summary>
public sealed class ComponentStructure
{
    private static readonly IReadOnlyDictionary<string, BaseUnit> NoUnits = new Dictionary<string, BaseUnit>();

    /// <summary>Every output depends on every input; no physical unit is defined.</summary>
    public static readonly ComponentStructure Opaque = new(null, NoUnits);

    /// <summary>Creates a structure from a dependency map and unit definitions.</summary>
    /// <param name="outputDependencies">
    /// Output variable index -> the input variable indices it depends on at the same instant. An
    /// output missing from the map, or a null map, depends on every input.
    /// </param>
    /// <param name="unitDefinitions">Definitions of the unit names that <see cref="ComponentVariable.Unit"/> uses.</param>
    public ComponentStructure(IReadOnlyDictionary<int, IReadOnlyList<int>>? outputDependencies, IReadOnlyDictionary<string, BaseUnit>? unitDefinitions)
    {
        OutputDependencies = outputDependencies;
        UnitDefinitions = unitDefinitions ?? NoUnits;
    }

    /// <summary>Output variable index -> input variable indices it depends on directly; null or missing = all inputs.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<int>>? OutputDependencies { get; }

    /// <summary>Physical unit definitions by unit name.</summary>
    public IReadOnlyDictionary<string, BaseUnit> UnitDefinitions { get; }

    /// <summary>Whether output <paramref name="output"/> depends directly on input <paramref name="input"/> (variable indices).</summary>
    public bool DependsOn(int output, int input) =>
        OutputDependencies == null || !OutputDependencies.TryGetValue(output, out var inputs) || inputs.Contains(input);

    /// <summary>This structure with <paramref name="extra"/> unit definitions added where the component defines none of that name.</summary>
    public ComponentStructure WithExtraUnits(IReadOnlyDictionary<string, BaseUnit>? extra)
    {
        if (extra == null || extra.Count == 0) return this;
        var units = new Dictionary<string, BaseUnit>(extra);
        foreach (var (name, unit) in UnitDefinitions) units[name] = unit; // the component's own definitions win
        return new ComponentStructure(OutputDependencies, units);
    }
}

/// <summary>
/// The run settings a component (or a system file) suggests, e.g. an FMU's <c>DefaultExperiment</c>:
/// used when the user gives none. A suggested tolerance is deliberately absent: a tolerance reaches
/// a component only when the user asks for one.
/// </summary>
/// <param name="Start">Start time [s].</param>
/// <param name="Stop">Stop time [s].</param>
/// <param name="Step">Communication step [s].</param>
public sealed record ExperimentDefaults(double? Start, double? Stop, double? Step);
