namespace CoSim.Core;

/// <summary>How a variable's value is carried. Numeric kinds travel as <see cref="double"/> in batches.</summary>
public enum ValueKind
{
    /// <summary>Floating point (FMI Float32/Float64, FMI 2 Real).</summary>
    Real,
    /// <summary>Any integer or enumeration type.</summary>
    Integer,
    /// <summary>Boolean, carried as 0/1.</summary>
    Boolean,
    /// <summary>Text; not exchanged through numeric batches.</summary>
    String,
    /// <summary>Bytes; not exchanged through numeric batches.</summary>
    Binary,
    /// <summary>An FMI 3 clock.</summary>
    Clock,
}

/// <summary>Role of a variable for the master algorithm (FMI causality, simplified).</summary>
public enum VariableRole
{
    /// <summary>Set before initialization (and, if tunable, between steps).</summary>
    Parameter,
    /// <summary>Computed by the component from parameters.</summary>
    CalculatedParameter,
    /// <summary>Written by the master before each step.</summary>
    Input,
    /// <summary>Read by the master after each step.</summary>
    Output,
    /// <summary>Internal; may be read for recording.</summary>
    Local,
    /// <summary>The independent variable (time).</summary>
    Independent,
    /// <summary>A parameter that changes the component's structure (e.g. array sizes).</summary>
    StructuralParameter,
}

/// <summary>
/// A variable of a simulation unit, as the master algorithm sees it. <see cref="Index"/> is the
/// variable's position in <see cref="IComponent.Variables"/> and is what batched get/set take.
/// </summary>
public sealed record ComponentVariable(
    int Index,
    string Name,
    ValueKind Kind,
    VariableRole Role,
    bool IsContinuous,
    string? Unit,
    string? Description,
    string? Start)
{
    /// <summary>The type as the component declares it (e.g. "Float64", "Int32"), for messages and listings.</summary>
    public string TypeName { get; init; } = Kind.ToString();

    /// <summary>
    /// The FMI variability as the component declares it (<c>constant</c>, <c>fixed</c>, <c>tunable</c>,
    /// <c>discrete</c>, <c>continuous</c>); null when the component has no such notion (C# components).
    /// Only a <c>tunable</c> parameter may change after initialization.
    /// </summary>
    public string? Variability { get; init; }
}
