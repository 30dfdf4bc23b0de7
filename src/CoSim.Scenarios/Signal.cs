using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// A signal of the scenario's system, <c>Component.variable</c>. Every API verb takes a
/// <see cref="Signal"/>; a string converts to one (<c>"Tank.level"</c>), and a component handle
/// makes one (<c>tank["level"]</c>). Names are checked against the components before the run
/// starts, all at once, with "did you mean" hints.
/// </summary>
/// <param name="Component">The component's instance name.</param>
/// <param name="Variable">The variable's name within the component (may contain dots).</param>
public readonly record struct Signal(string Component, string Variable)
{
    /// <summary>The engine's reference to the same variable.</summary>
    public VariableRef Ref => new(Component, Variable);

    /// <summary>Parses <c>Component.variable</c>; throws <see cref="InputException"/> without a dot.</summary>
    public static Signal Parse(string text)
    {
        var r = VariableRef.Parse(text);
        return new Signal(r.Component, r.Variable);
    }

    /// <summary><c>"Tank.level"</c> as a signal.</summary>
    public static implicit operator Signal(string text) => Parse(text);

    /// <summary><c>Component.variable</c>.</summary>
    public override string ToString() => $"{Component}.{Variable}";
}

/// <summary>A component of the scenario, as a verb that added it returns: <c>tank["level"]</c> names its signals.</summary>
public sealed class ComponentHandle
{
    internal ComponentHandle(string name) => Name = name;

    /// <summary>The component's instance name in the system.</summary>
    public string Name { get; }

    /// <summary>The signal <c>Name.variable</c>.</summary>
    public Signal this[string variable] => new(Name, variable);

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>An SSP system loaded into the scenario; <c>system["Tank"]</c> is one of its components.</summary>
public sealed class SystemHandle
{
    private readonly Dictionary<string, ComponentHandle> _components;

    internal SystemHandle(string name, IEnumerable<string> components)
    {
        Name = name;
        _components = components.ToDictionary(c => c, c => new ComponentHandle(c));
    }

    /// <summary>The system's name (from its SSD).</summary>
    public string Name { get; }

    /// <summary>The components' names, in system order.</summary>
    public IReadOnlyCollection<string> Components => _components.Keys;

    /// <summary>A component of the system; throws <see cref="InputException"/> with suggestions for an unknown name.</summary>
    public ComponentHandle this[string component] => _components.TryGetValue(component, out var c)
        ? c
        : throw new InputException($"system '{Name}' has no component '{component}'" + NameSuggestions.Suggest(component, _components.Keys));
}
