namespace CoSim.Core;

/// <summary>
/// What a variable name as a user writes it means in a system (a <c>--set</c> name, an input table's column, a
/// replay mapping, a Kafka signal): <c>Component.variable</c> when the text before the first dot is one of the
/// system's components (a variable name may itself contain dots, so <c>Tank.pipe.flow</c> in a system without a
/// component <c>Tank</c> is the default component's <c>Tank.pipe.flow</c>), else a bare variable name of the
/// default component (in a run of one component, that one). It resolves names only: whether the component has
/// the variable is the setup's check, which names the component and suggests close names.
/// </summary>
public sealed class VariableResolver
{
    private readonly IReadOnlyCollection<string> _components;

    /// <param name="components">The system's component names.</param>
    /// <param name="defaultComponent">The component bare names belong to; null: every name must be <c>Component.variable</c>.</param>
    public VariableResolver(IReadOnlyCollection<string> components, string? defaultComponent)
    {
        _components = components;
        DefaultComponent = defaultComponent;
    }

    /// <summary>The component bare names belong to; null when there is none.</summary>
    public string? DefaultComponent { get; }

    /// <summary>What a name that resolves to nothing should be: "write Component.variable (components: A, B)".</summary>
    public string Hint => $"write Component.variable (components: {string.Join(", ", _components)})";

    /// <summary>The variable <paramref name="name"/> means; null when no component is named and there is no default component.</summary>
    public VariableRef? TryResolve(string name)
    {
        var dot = name.IndexOf('.');
        if (dot > 0 && _components.Contains(name[..dot])) return new VariableRef(name[..dot], name[(dot + 1)..]);
        return DefaultComponent != null ? new VariableRef(DefaultComponent, name) : null;
    }

    /// <summary>The variable <paramref name="name"/> means; throws <see cref="InputException"/> with <see cref="Hint"/> when it means none.</summary>
    public VariableRef Resolve(string name) => TryResolve(name) ?? throw new InputException(Hint);
}
