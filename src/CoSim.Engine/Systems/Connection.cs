namespace CoSim.Engine.Systems;

/// <summary>A variable of a component, written <c>Component.variable</c> (the component name has no dot; the variable name may).</summary>
public readonly record struct VariableRef(string Component, string Variable)
{
    /// <summary>Parses <c>Component.variable</c>; throws <see cref="Core.InputException"/> without a dot.</summary>
    public static VariableRef Parse(string text)
    {
        var dot = text.IndexOf('.');
        if (dot <= 0 || dot == text.Length - 1)
            throw new Core.InputException($"'{text}' is not of the form Component.variable");
        return new VariableRef(text[..dot], text[(dot + 1)..]);
    }

    public override string ToString() => $"{Component}.{Variable}";
}

/// <summary>
/// An explicit linear transformation on a connection (SSP <c>LinearTransformation</c>):
/// <c>value = Factor * source + Offset</c>, applied to the source value in the source's unit,
/// before any unit conversion to the target's unit.
/// </summary>
public readonly record struct LinearTransform(double Factor, double Offset)
{
    public static readonly LinearTransform Identity = new(1, 0);
}

/// <summary>An output -> input connection, optionally with a linear transformation.</summary>
public sealed record Connection(VariableRef From, VariableRef To, LinearTransform? Transform = null)
{
    public override string ToString() => $"{From} -> {To}";
}

/// <summary>A parameter or start value set before initialization, as text parsed by the variable's type.</summary>
public sealed record ParameterValue(VariableRef Target, string Value);
