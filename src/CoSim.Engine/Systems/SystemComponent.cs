using CoSim.Core;

namespace CoSim.Engine.Systems;

/// <summary>
/// A component placed in a system: the stepped thing (<see cref="IComponent"/>: an FMU, a C#
/// plugin, a script component) with what the system adds to it: unit definitions the system file
/// supplies (merged into the component's <see cref="ComponentStructure"/>) and its step as a
/// multiple of the system's base step (multi-rate).
/// </summary>
public sealed class SystemComponent
{
    public SystemComponent(IComponent instance, IReadOnlyDictionary<string, BaseUnit>? extraUnits = null)
    {
        Instance = instance;
        Structure = instance.Structure.WithExtraUnits(extraUnits);
    }

    /// <summary>The stepped thing; its <see cref="IComponent.Name"/> names the component.</summary>
    public IComponent Instance { get; }

    public string Name => Instance.Name;

    /// <summary>Direct feedthrough and physical unit definitions (the component's own, plus the system's for names it does not define).</summary>
    public ComponentStructure Structure { get; }

    /// <summary>Definitions of the physical unit names the variables use, for conversion on connections.</summary>
    public IReadOnlyDictionary<string, BaseUnit> UnitDefinitions => Structure.UnitDefinitions;

    /// <summary>Multi-rate: the component steps every <c>StepMultiple</c> base steps (1 = every step).</summary>
    public int StepMultiple { get; init; } = 1;

    /// <summary>Whether output variable <paramref name="output"/> depends directly on input variable <paramref name="input"/>.</summary>
    public bool DependsOn(int output, int input) => Structure.DependsOn(output, input);

    /// <summary>Index of the variable with this name, or -1.</summary>
    public int FindVariable(string name)
    {
        var vars = Instance.Variables;
        for (var i = 0; i < vars.Count; i++)
            if (vars[i].Name == name) return i;
        return -1;
    }
}
