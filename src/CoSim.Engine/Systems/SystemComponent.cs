using CoSim.Core;
using CoSim.Fmi.Description;

namespace CoSim.Engine.Systems;

/// <summary>
/// One unit in a system, with what the master algorithm needs to know beyond
/// <see cref="ISimulationUnit"/>: which outputs depend directly on which inputs (for Gauss-Seidel
/// ordering and algebraic loops), the physical units it uses (for unit conversion on connections)
/// and its step as a multiple of the system's base step (multi-rate).
/// </summary>
public sealed class SystemComponent
{
    public SystemComponent(ISimulationUnit unit)
    {
        Unit = unit;
    }

    /// <summary>The stepped thing (FMU, C# component, script); its <see cref="ISimulationUnit.Name"/> names the component.</summary>
    public ISimulationUnit Unit { get; }

    public string Name => Unit.Name;

    /// <summary>
    /// Direct feedthrough: output variable index -> the input variable indices it depends on at the
    /// same time instant. An output missing from the map, or a null map, depends on every input
    /// (the safe assumption, as FMI's absent <c>dependencies</c> attribute).
    /// </summary>
    public IReadOnlyDictionary<int, IReadOnlyList<int>>? OutputDependencies { get; init; }

    /// <summary>Definitions of the unit names the variables use (<see cref="UnitVariable.Unit"/>), for conversion on connections.</summary>
    public IReadOnlyDictionary<string, BaseUnit> UnitDefinitions { get; init; } = new Dictionary<string, BaseUnit>();

    /// <summary>Multi-rate: the component steps every <c>StepMultiple</c> base steps (1 = every step).</summary>
    public int StepMultiple { get; init; } = 1;

    /// <summary>Whether <paramref name="output"/> depends directly on <paramref name="input"/>.</summary>
    public bool DependsOn(int output, int input) =>
        OutputDependencies == null || !OutputDependencies.TryGetValue(output, out var inputs) || inputs.Contains(input);

    /// <summary>Index of the variable with this name, or -1.</summary>
    public int FindVariable(string name)
    {
        var vars = Unit.Variables;
        for (var i = 0; i < vars.Count; i++)
            if (vars[i].Name == name) return i;
        return -1;
    }
}
