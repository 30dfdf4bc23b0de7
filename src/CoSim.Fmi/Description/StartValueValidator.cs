namespace CoSim.Fmi.Description;

/// <summary>
/// Rules on start values: present where the standard requires one, parsable as the variable's
/// type, one per array element (or a single one for all), and within [min, max].
/// </summary>
internal static class StartValueValidator
{
    public static void Check(ValidationContext context, ModelVariable variable)
    {
        var subject = ValidationContext.Describe(variable);
        CheckBounds(context, variable, subject);
        if (variable.Start is not { } start)
        {
            if (VariableRules.RequiresStart(variable))
                context.Error(variable.Line, $"{subject} has no start value, but {WhyStartIsRequired(variable)}");
            return;
        }
        if (variable.Type == VariableType.Clock)
        {
            context.Warning(variable.Line, $"clock {ValueText.Quote(variable.Name)} has a start value; clocks have none, so it is ignored");
            return;
        }
        if (VariableRules.ForbidsStart(variable) && !VariableRules.RequiresStart(variable))
        {
            // Harmless for a run (the value is simply never set), hence a warning, but the standard forbids it.
            var why = variable.Causality == Causality.Independent ? "the independent variable" : "initial is calculated";
            context.Warning(variable.Line, $"{subject} has a start value although {why}; it is ignored");
        }
        if (!CheckCount(context, variable, start, subject)) return;
        CheckValues(context, variable, start, subject);
    }

    /// <summary>The single start value of a variable as UInt64 (a dimension size), or null.</summary>
    public static ulong? SingleUInt64(ModelVariable variable) =>
        variable.Start is [var text] && ValueText.TryParseUInt64(text, out var value) ? value : null;

    private static string WhyStartIsRequired(ModelVariable variable) => variable.Causality switch
    {
        Causality.Input => "inputs need one (it is their value until set)",
        Causality.Parameter or Causality.StructuralParameter => "parameters need one",
        _ when variable.Variability == Variability.Constant => "constants need one",
        _ => $"initial is {Names.Of(VariableRules.EffectiveInitial(variable))}",
    };

    private static void CheckBounds(ValidationContext context, ModelVariable variable, string subject)
    {
        if (variable is { Min: { } min, Max: { } max } && min > max)
            context.Warning(variable.Line, $"{subject} has min {ValueText.Number(min)} greater than max {ValueText.Number(max)}");
    }

    private static bool CheckCount(ValidationContext context, ModelVariable variable, IReadOnlyList<string> start, string subject)
    {
        if (start.Count == 0)
        {
            context.Error(variable.Line, $"{subject} has an empty start value");
            return false;
        }
        if (!variable.IsArray && start.Count != 1)
        {
            context.Error(variable.Line, $"{subject} is a scalar but has {start.Count} start values");
            return false;
        }
        // An array takes one value per element, or a single value for all of them.
        if (variable.IsArray && start.Count != 1 && ElementCount(context, variable) is { } count && (ulong)start.Count != count)
        {
            context.Error(variable.Line, $"{subject} has {count} elements but {start.Count} start values (give 1 or {count})");
            return false;
        }
        return true;
    }

    /// <summary>The product of the initial dimension sizes, or null when one is unknown; saturates instead of overflowing.</summary>
    private static ulong? ElementCount(ValidationContext context, ModelVariable variable)
    {
        ulong count = 1;
        foreach (var dimension in variable.Dimensions)
        {
            var size = dimension.Start
                ?? (dimension.ValueReference is { } reference && context.ByValueReference.TryGetValue(reference, out var index)
                    ? SingleUInt64(context.Variables[index])
                    : null);
            if (size is not { } known) return null;
            count = known != 0 && count > ulong.MaxValue / known ? ulong.MaxValue : count * known;
        }
        return count;
    }

    private static void CheckValues(ValidationContext context, ModelVariable variable, IReadOnlyList<string> start, string subject)
    {
        var items = variable.Type == VariableType.Enumeration && variable.DeclaredType is { } name ? context.ItemValues(name) : null;
        var rangeReported = false;
        foreach (var text in start)
        {
            // Only the first bad value of an array is reported: one message says enough.
            if (!TryParse(variable.Type, text, context.IsFmi2, out var value))
            {
                context.Error(variable.Line, $"{subject} has start value {ValueText.Quote(text)}, which is not a valid {context.TypeName(variable.Type)}");
                return;
            }
            if (rangeReported || double.IsNaN(value)) continue;
            if (value < variable.Min || value > variable.Max)
            {
                context.Warning(variable.Line, $"{subject} has start value {ValueText.Quote(text)} outside [{Bound(variable.Min)}, {Bound(variable.Max)}]");
                rangeReported = true;
            }
            else if (items is not null && !items.Contains((long)value))
            {
                context.Warning(variable.Line, $"{subject} has start value {ValueText.Quote(text)}, which is no item of enumeration {ValueText.Quote(variable.DeclaredType)}");
                rangeReported = true;
            }
        }
    }

    private static string Bound(double? bound) => bound is { } value ? ValueText.Number(value) : "unbounded";

    /// <summary>Parses a start value of the given type; numeric types yield their value (NaN for the rest) for range checks.</summary>
    internal static bool TryParse(VariableType type, string text, bool fmi2, out double value)
    {
        value = double.NaN;
        switch (type)
        {
            case VariableType.Float32 or VariableType.Float64:
                return ValueText.TryParseDouble(text, out value);
            case VariableType.Int8: return Signed(text, sbyte.MinValue, sbyte.MaxValue, out value);
            case VariableType.Int16: return Signed(text, short.MinValue, short.MaxValue, out value);
            case VariableType.Int32: return Signed(text, int.MinValue, int.MaxValue, out value);
            // FMI 2 enumerations are accessed as Integer (32-bit), FMI 3 ones as Int64.
            case VariableType.Enumeration when fmi2: return Signed(text, int.MinValue, int.MaxValue, out value);
            case VariableType.Int64 or VariableType.Enumeration: return Signed(text, long.MinValue, long.MaxValue, out value);
            case VariableType.UInt8: return Unsigned(text, byte.MaxValue, out value);
            case VariableType.UInt16: return Unsigned(text, ushort.MaxValue, out value);
            case VariableType.UInt32: return Unsigned(text, uint.MaxValue, out value);
            case VariableType.UInt64: return Unsigned(text, ulong.MaxValue, out value);
            case VariableType.Boolean: return ValueText.TryParseBoolean(text, out _);
            case VariableType.String: return true;
            case VariableType.Binary: return ValueText.IsHexBinary(text);
            default: return false;
        }
    }

    private static bool Signed(string text, long min, long max, out double value)
    {
        value = double.NaN;
        if (!ValueText.TryParseInt64(text, out var parsed) || parsed < min || parsed > max) return false;
        value = parsed;
        return true;
    }

    private static bool Unsigned(string text, ulong max, out double value)
    {
        value = double.NaN;
        if (!ValueText.TryParseUInt64(text, out var parsed) || parsed > max) return false;
        value = parsed;
        return true;
    }
}
