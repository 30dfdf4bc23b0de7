namespace CoSim.Core;

/// <summary>How a variable's value is carried. Numeric kinds travel as <see cref="double"/> in batches.</summary>
public enum ValueKind { Real, Integer, Boolean, String, Binary, Clock }

/// <summary>Role of a variable for the master algorithm (FMI causality, simplified).</summary>
public enum VariableRole { Parameter, CalculatedParameter, Input, Output, Local, Independent, StructuralParameter }

/// <summary>
/// A variable of a simulation unit, as the master algorithm sees it. <see cref="Index"/> is the
/// variable's position in <see cref="ISimulationUnit.Variables"/> and is what batched get/set take.
/// </summary>
public sealed record UnitVariable(
    int Index,
    string Name,
    ValueKind Kind,
    VariableRole Role,
    bool IsContinuous,
    string? Unit,
    string? Description,
    string? Start)
{
    /// <summary>The type as the unit declares it (e.g. "Float64", "Int32"), for messages and listings.</summary>
    public string TypeName { get; init; } = Kind.ToString();
}
