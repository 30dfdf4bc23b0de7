namespace CoSim.Core;

/// <summary>A variable of a component in a system, written <c>Component.variable</c> (the component name has no dot; the variable name may).</summary>
/// <param name="Component">The component's instance name.</param>
/// <param name="Variable">The variable's name within the component.</param>
public readonly record struct VariableRef(string Component, string Variable)
{
    /// <summary>Parses <c>Component.variable</c>; throws <see cref="InputException"/> without a dot.</summary>
    public static VariableRef Parse(string text)
    {
        var dot = text.IndexOf('.');
        if (dot <= 0 || dot == text.Length - 1)
            throw new InputException($"'{text}' is not of the form Component.variable");
        return new VariableRef(text[..dot], text[(dot + 1)..]);
    }

    /// <summary><c>Component.variable</c>.</summary>
    public override string ToString() => $"{Component}.{Variable}";
}
