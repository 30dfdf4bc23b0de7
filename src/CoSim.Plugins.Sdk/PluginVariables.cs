using CoSim.Core;

namespace CoSim.Plugins.Sdk;

/// <summary>
/// A declared variable of a <see cref="PluginComponent"/>: a typed view of one slot of the component's
/// value array (every value is stored as a double, so batched exchange and state capture are copies).
/// </summary>
public abstract class PluginVariable
{
    private protected PluginVariable(PluginComponent owner, ComponentVariable variable)
    {
        Owner = owner;
        Variable = variable;
    }

    private protected PluginComponent Owner { get; }

    /// <summary>The variable as the engine sees it (index, name, kind, role, unit, start).</summary>
    public ComponentVariable Variable { get; }

    /// <summary>The variable's index in <see cref="IComponent.Variables"/>.</summary>
    public int Index => Variable.Index;

    /// <summary>The variable's name.</summary>
    public string Name => Variable.Name;
}

/// <summary>A real (double) variable.</summary>
public sealed class RealVariable : PluginVariable
{
    internal RealVariable(PluginComponent owner, ComponentVariable variable) : base(owner, variable) { }

    /// <summary>The current value.</summary>
    public double Value
    {
        get => Owner.Values[Index];
        set => Owner.Values[Index] = value;
    }

    /// <summary>The current value.</summary>
    public static implicit operator double(RealVariable v) => v.Value;
}

/// <summary>An integer variable (carried as a double holding a whole number).</summary>
public sealed class IntegerVariable : PluginVariable
{
    internal IntegerVariable(PluginComponent owner, ComponentVariable variable) : base(owner, variable) { }

    /// <summary>The current value.</summary>
    public long Value
    {
        get => (long)Owner.Values[Index];
        set => Owner.Values[Index] = value;
    }

    /// <summary>The current value.</summary>
    public static implicit operator long(IntegerVariable v) => v.Value;
}

/// <summary>A boolean variable (carried as 0/1).</summary>
public sealed class BooleanVariable : PluginVariable
{
    internal BooleanVariable(PluginComponent owner, ComponentVariable variable) : base(owner, variable) { }

    /// <summary>The current value.</summary>
    public bool Value
    {
        get => Owner.Values[Index] != 0;
        set => Owner.Values[Index] = value ? 1 : 0;
    }

    /// <summary>The current value.</summary>
    public static implicit operator bool(BooleanVariable v) => v.Value;
}
