using CoSim.Core;

namespace CoSim.Engine.Systems;

/// <summary>An output -> input connection, optionally with a linear transformation.</summary>
public sealed record Connection(VariableRef From, VariableRef To, LinearTransform? Transform = null)
{
    public override string ToString() => $"{From} -> {To}";
}

/// <summary>A parameter or start value set before initialization, as text parsed by the variable's type.</summary>
public sealed record ParameterValue(VariableRef Target, string Value);
