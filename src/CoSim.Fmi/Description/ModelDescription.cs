using CoSim.Core;
namespace CoSim.Fmi.Description;

/// <summary>FMI major version of a model description.</summary>
public enum FmiVersion
{
    Fmi2 = 2,
    Fmi3 = 3,
}

/// <summary>
/// Variable type, unified over FMI 2.0 and 3.0. FMI 2 <c>Real</c> is <see cref="Float64"/>,
/// <c>Integer</c> is <see cref="Int32"/>. <see cref="Enumeration"/> is accessed as Int32 (FMI 2) or Int64 (FMI 3).
/// </summary>
public enum VariableType
{
    Float32, Float64,
    Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64,
    Boolean, String, Binary, Enumeration, Clock,
}

public enum Causality { Parameter, CalculatedParameter, Input, Output, Local, Independent, StructuralParameter }

public enum Variability { Constant, Fixed, Tunable, Discrete, Continuous }

/// <summary>The <c>initial</c> attribute; <see cref="Unspecified"/> when absent (the standard's default then applies).</summary>
public enum Initial { Unspecified, Exact, Approx, Calculated }

/// <summary>One array dimension (FMI 3): a fixed size, or the value reference of a structural parameter holding it.</summary>
public sealed record Dimension(ulong? Start, uint? ValueReference);

/// <summary>One model variable as declared, with the XML line it came from.</summary>
public sealed record ModelVariable
{
    public required string Name { get; init; }
    public required uint ValueReference { get; init; }
    public required VariableType Type { get; init; }
    public required Causality Causality { get; init; }
    public required Variability Variability { get; init; }
    public Initial Initial { get; init; }
    public string? Description { get; init; }
    public string? DeclaredType { get; init; }
    /// <summary>Unit name (own attribute, else the declared type's).</summary>
    public string? Unit { get; init; }
    /// <summary>Display unit name (own attribute, else the declared type's).</summary>
    public string? DisplayUnit { get; init; }
    /// <summary>Physical quantity (own attribute, else the declared type's).</summary>
    public string? Quantity { get; init; }
    /// <summary>Start values as written (one per element for arrays); null when no start is given.</summary>
    public IReadOnlyList<string>? Start { get; init; }
    /// <summary>Lower bound (own attribute, else the declared type's); null when unbounded.</summary>
    public double? Min { get; init; }
    /// <summary>Upper bound (own attribute, else the declared type's); null when unbounded.</summary>
    public double? Max { get; init; }
    public double? Nominal { get; init; }
    /// <summary>For a derivative: the index (0-based, into <see cref="ModelDescription.Variables"/>) of the state it differentiates.</summary>
    public int? DerivativeOf { get; init; }
    public bool CanHandleMultipleSetPerTimeInstant { get; init; } = true;
    public bool Reinit { get; init; }
    /// <summary>Array dimensions (FMI 3); empty for scalars.</summary>
    public IReadOnlyList<Dimension> Dimensions { get; init; } = [];
    /// <summary>For a Clock variable: its clock attributes (interval, priority, ...); null for other types.</summary>
    public ClockAttributes? Clock { get; init; }
    /// <summary>For a Clock-typed or clocked variable: value references of the clocks it belongs to.</summary>
    public IReadOnlyList<uint> Clocks { get; init; } = [];
    /// <summary>Further names of this variable (FMI 3 <c>&lt;Alias&gt;</c> elements); empty in FMI 2, where aliases share a value reference instead.</summary>
    public IReadOnlyList<VariableAlias> Aliases { get; init; } = [];
    /// <summary>1-based line in modelDescription.xml of the variable element (<c>ScalarVariable</c> in FMI 2); 0 when unknown.</summary>
    public int Line { get; init; }

    public bool IsArray => Dimensions.Count > 0;
}

/// <summary>An FMI 3 <c>&lt;Alias&gt;</c>: another name for the same variable, with its own description and display unit.</summary>
public sealed record VariableAlias(string Name, string? Description, string? DisplayUnit, int Line);

/// <summary>A simple type from <c>TypeDefinitions</c>.</summary>
public sealed record TypeDefinition
{
    public required string Name { get; init; }
    public required VariableType Type { get; init; }
    public string? Quantity { get; init; }
    public string? Unit { get; init; }
    public string? DisplayUnit { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public IReadOnlyList<EnumerationItem> Items { get; init; } = [];
    /// <summary>For a <c>ClockType</c>: the clock attributes it gives its variables.</summary>
    public ClockAttributes? Clock { get; init; }
    public int Line { get; init; }
}

public sealed record EnumerationItem(string Name, long Value, string? Description);

public sealed record DisplayUnit(string Name, double Factor, double Offset, bool Inverse);

public sealed record UnitDefinition(string Name, BaseUnit? BaseUnit, IReadOnlyList<DisplayUnit> DisplayUnits, int Line);

public sealed record DefaultExperiment(double? StartTime, double? StopTime, double? Tolerance, double? StepSize)
{
    /// <summary>1-based line of the <c>DefaultExperiment</c> element (0 when unknown).</summary>
    public int Line { get; init; }
}

public sealed record LogCategory(string Name, string? Description);

/// <summary>
/// Capabilities of one interface (co-simulation or model exchange); flags that do not apply to an
/// interface or FMI version are false.
/// </summary>
public sealed record InterfaceInfo
{
    public required string ModelIdentifier { get; init; }
    public bool NeedsExecutionTool { get; init; }
    public bool CanBeInstantiatedOnlyOncePerProcess { get; init; }
    public bool CanGetAndSetFmuState { get; init; }
    public bool CanSerializeFmuState { get; init; }
    public bool ProvidesDirectionalDerivatives { get; init; }
    public bool ProvidesAdjointDerivatives { get; init; }
    /// <summary>FMI 2 only: the FMU cannot use the importer's memory callbacks.</summary>
    public bool CanNotUseMemoryManagementFunctions { get; init; }
    // Co-simulation
    public bool CanHandleVariableCommunicationStepSize { get; init; }
    public bool CanInterpolateInputs { get; init; }
    public int MaxOutputDerivativeOrder { get; init; }
    public bool CanReturnEarlyAfterIntermediateUpdate { get; init; }
    public bool ProvidesIntermediateUpdate { get; init; }
    public bool HasEventMode { get; init; }
    public double? FixedInternalStepSize { get; init; }
    /// <summary>FMI 3 co-simulation: <c>fmi3DoStep</c> may return before the requested communication point.</summary>
    public bool MightReturnEarlyFromDoStep { get; init; }
    /// <summary>FMI 2 co-simulation: <c>canRunAsynchronuously</c> (the standard's spelling).</summary>
    public bool CanRunAsynchronuously { get; init; }
    // Model exchange
    public bool CompletedIntegratorStepNotNeeded { get; init; }
    public bool NeedsCompletedIntegratorStep => !CompletedIntegratorStepNotNeeded;
    public int Line { get; init; }
}

/// <summary>
/// An entry of the model structure. <see cref="Dependencies"/> holds 0-based indices into
/// <see cref="ModelDescription.Variables"/>; null means "depends on all" (attribute absent).
/// </summary>
public sealed record Unknown(int Variable, IReadOnlyList<int>? Dependencies, IReadOnlyList<string>? DependenciesKind, int Line);

public sealed record ModelStructure
{
    public IReadOnlyList<Unknown> Outputs { get; init; } = [];
    public IReadOnlyList<Unknown> ContinuousStateDerivatives { get; init; } = [];
    public IReadOnlyList<Unknown> ClockedStates { get; init; } = [];
    public IReadOnlyList<Unknown> InitialUnknowns { get; init; } = [];
    public IReadOnlyList<Unknown> EventIndicators { get; init; } = [];
}

/// <summary>The parsed content of a modelDescription.xml, FMI 2.0 or 3.0.</summary>
public sealed record ModelDescription
{
    public required FmiVersion Version { get; init; }
    /// <summary>The <c>fmiVersion</c> attribute as written, e.g. "2.0" or "3.0".</summary>
    public required string FmiVersionText { get; init; }
    public required string ModelName { get; init; }
    /// <summary>FMI 2 <c>guid</c> / FMI 3 <c>instantiationToken</c>.</summary>
    public required string InstantiationToken { get; init; }
    public string? Description { get; init; }
    public string? Author { get; init; }
    public string? ModelVersion { get; init; }
    public string? GenerationTool { get; init; }
    public string? GenerationDateAndTime { get; init; }
    public string? VariableNamingConvention { get; init; }
    /// <summary>FMI 2 <c>numberOfEventIndicators</c>, or the count of FMI 3 event indicators.</summary>
    public int NumberOfEventIndicators { get; init; }
    public InterfaceInfo? CoSimulation { get; init; }
    public InterfaceInfo? ModelExchange { get; init; }
    public InterfaceInfo? ScheduledExecution { get; init; }
    public DefaultExperiment? DefaultExperiment { get; init; }
    public IReadOnlyList<UnitDefinition> Units { get; init; } = [];
    public IReadOnlyList<TypeDefinition> TypeDefinitions { get; init; } = [];
    public IReadOnlyList<LogCategory> LogCategories { get; init; } = [];
    public IReadOnlyList<ModelVariable> Variables { get; init; } = [];
    public ModelStructure Structure { get; init; } = new();
    /// <summary>1-based line of the <c>fmiModelDescription</c> root element (0 when unknown).</summary>
    public int Line { get; init; }

    /// <summary>Number of continuous states (= number of derivatives in the model structure).</summary>
    public int NumberOfContinuousStates => Structure.ContinuousStateDerivatives.Count;

    /// <summary>The variable with this exact name, or null.</summary>
    public ModelVariable? FindVariable(string name)
    {
        foreach (var v in Variables)
            if (v.Name == name) return v;
        return null;
    }
}
