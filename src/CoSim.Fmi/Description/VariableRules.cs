namespace CoSim.Fmi.Description;

/// <summary>
/// The standard's tables for causality, variability and initial (FMI 2.0 section 2.2.7, FMI 3.0
/// section 2.4.7.4): which combinations are allowed, and which <c>initial</c> applies when the
/// attribute is absent. FMI 3 adds <see cref="Causality.StructuralParameter"/>, which FMI 2 lacks.
/// </summary>
public static class VariableRules
{
    /// <summary>The variability of a variable without the attribute: continuous for floats, discrete otherwise.</summary>
    public static Variability DefaultVariability(VariableType type) =>
        IsFloat(type) ? Variability.Continuous : Variability.Discrete;

    /// <summary>True for the types that may be continuous (FMI 2 Real, FMI 3 Float32/Float64).</summary>
    public static bool IsFloat(VariableType type) => type is VariableType.Float32 or VariableType.Float64;

    /// <summary>Whether the standard allows this combination (the table of allowed variability/causality combinations).</summary>
    public static bool IsAllowed(Causality causality, Variability variability) => causality switch
    {
        // (a) parameters and inputs are set from outside, constants never change; (b) parameters do not depend on time.
        Causality.Parameter or Causality.CalculatedParameter or Causality.StructuralParameter =>
            variability is Variability.Fixed or Variability.Tunable,
        // (a) constant inputs make no sense; (d) a fixed or tunable input is a parameter.
        Causality.Input => variability is Variability.Discrete or Variability.Continuous,
        // (e) a fixed or tunable output is a calculated parameter.
        Causality.Output => variability is Variability.Constant or Variability.Discrete or Variability.Continuous,
        Causality.Local => true,
        // (c) only a continuous independent variable makes sense.
        Causality.Independent => variability == Variability.Continuous,
        _ => false,
    };

    /// <summary>
    /// The <c>initial</c> values the standard allows for an allowed combination; empty when the
    /// attribute must be absent (FMI 2 inputs, the independent variable). For a combination that is
    /// not allowed at all, every value is returned, so that only the combination is reported.
    /// </summary>
    public static IReadOnlyList<Initial> AllowedInitials(Causality causality, Variability variability, FmiVersion version)
    {
        if (!IsAllowed(causality, variability)) return [Initial.Exact, Initial.Approx, Initial.Calculated];
        return causality switch
        {
            Causality.Parameter or Causality.StructuralParameter => [Initial.Exact],
            Causality.CalculatedParameter => [Initial.Calculated, Initial.Approx],
            // FMI 2 defines no initial for inputs; FMI 3 allows only exact.
            Causality.Input => version == FmiVersion.Fmi2 ? [] : [Initial.Exact],
            Causality.Independent => [],
            _ => variability switch
            {
                Variability.Constant => [Initial.Exact],
                Variability.Fixed or Variability.Tunable => [Initial.Calculated, Initial.Approx],
                _ => [Initial.Calculated, Initial.Exact, Initial.Approx],
            },
        };
    }

    /// <summary>
    /// The <c>initial</c> that applies when the attribute is absent (the underlined defaults of the
    /// standard's table); <see cref="Initial.Unspecified"/> for the independent variable and for
    /// combinations that are not allowed. For inputs this is <see cref="Initial.Exact"/> in both
    /// versions: FMI 2 has no initial for inputs, but uses their start value just like FMI 3's exact.
    /// </summary>
    public static Initial DefaultInitial(Causality causality, Variability variability)
    {
        if (!IsAllowed(causality, variability)) return Initial.Unspecified;
        return causality switch
        {
            Causality.Parameter or Causality.StructuralParameter or Causality.Input => Initial.Exact,
            Causality.CalculatedParameter => Initial.Calculated,
            Causality.Independent => Initial.Unspecified,
            _ => variability == Variability.Constant ? Initial.Exact : Initial.Calculated,
        };
    }

    /// <summary>The variable's <c>initial</c> as written, else the standard's default for its causality and variability.</summary>
    public static Initial EffectiveInitial(ModelVariable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return variable.Initial != Initial.Unspecified
            ? variable.Initial
            : DefaultInitial(variable.Causality, variable.Variability);
    }

    /// <summary>
    /// Whether the standard requires a start value: initial exact or approx, inputs, parameters and
    /// constants. Clocks never carry one.
    /// </summary>
    public static bool RequiresStart(ModelVariable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (variable.Type == VariableType.Clock) return false;
        return EffectiveInitial(variable) is Initial.Exact or Initial.Approx
            || variable.Causality is Causality.Input or Causality.Parameter or Causality.StructuralParameter
            || variable.Variability == Variability.Constant;
    }

    /// <summary>Whether the standard forbids a start value: initial calculated, or the independent variable.</summary>
    public static bool ForbidsStart(ModelVariable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return variable.Causality == Causality.Independent || EffectiveInitial(variable) == Initial.Calculated;
    }
}
