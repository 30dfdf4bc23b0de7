namespace CoSim.Fmi.Description;

/// <summary>The schema spellings of the enumerations, in both directions.</summary>
internal static class Names
{
    public static readonly IReadOnlyDictionary<string, Causality> Fmi2Causalities = new Dictionary<string, Causality>(StringComparer.Ordinal)
    {
        ["parameter"] = Causality.Parameter,
        ["calculatedParameter"] = Causality.CalculatedParameter,
        ["input"] = Causality.Input,
        ["output"] = Causality.Output,
        ["local"] = Causality.Local,
        ["independent"] = Causality.Independent,
    };

    public static readonly IReadOnlyDictionary<string, Causality> Fmi3Causalities = new Dictionary<string, Causality>(Fmi2Causalities, StringComparer.Ordinal)
    {
        ["structuralParameter"] = Causality.StructuralParameter,
    };

    public static readonly IReadOnlyDictionary<string, Variability> Variabilities = new Dictionary<string, Variability>(StringComparer.Ordinal)
    {
        ["constant"] = Variability.Constant,
        ["fixed"] = Variability.Fixed,
        ["tunable"] = Variability.Tunable,
        ["discrete"] = Variability.Discrete,
        ["continuous"] = Variability.Continuous,
    };

    public static readonly IReadOnlyDictionary<string, Initial> Initials = new Dictionary<string, Initial>(StringComparer.Ordinal)
    {
        ["exact"] = Initial.Exact,
        ["approx"] = Initial.Approx,
        ["calculated"] = Initial.Calculated,
    };

    /// <summary>The dependency kinds both versions define for <c>dependenciesKind</c>.</summary>
    public static readonly IReadOnlySet<string> DependencyKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "dependent", "constant", "fixed", "tunable", "discrete",
    };

    public static string Of(Causality causality) => causality switch
    {
        Causality.CalculatedParameter => "calculatedParameter",
        Causality.StructuralParameter => "structuralParameter",
        _ => LowerFirst(causality.ToString()),
    };

    public static string Of(Variability variability) => LowerFirst(variability.ToString());

    public static string Of(Initial initial) => LowerFirst(initial.ToString());

    /// <summary>The type as the file spells it: FMI 2 calls Float64 'Real' and Int32 'Integer'.</summary>
    public static string Of(VariableType type, FmiVersion version) => (version, type) switch
    {
        (FmiVersion.Fmi2, VariableType.Float64) => "Real",
        (FmiVersion.Fmi2, VariableType.Int32) => "Integer",
        _ => type.ToString(),
    };

    private static string LowerFirst(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
