namespace CoSim.Fmi.Description;

/// <summary>
/// Rules on FMI 3 clocks: every clock says how its interval is known, the intervals the XML gives
/// are usable, and a Scheduled Execution FMU gives each input clock a priority (its partitions are
/// activated in that order).
/// </summary>
internal static class ClockValidator
{
    public static void Check(ValidationContext context)
    {
        var scheduled = context.Model.ScheduledExecution is not null;
        foreach (var variable in context.Variables)
        {
            if (variable.Type != VariableType.Clock || variable.Clock is not { } clock) continue;
            var subject = $"clock {ValueText.Quote(variable.Name)}";
            if (clock.IntervalVariability is not { } kind)
            {
                context.Error(variable.Line, $"{subject} has no 'intervalVariability' (required: constant, fixed, calculated, tunable, changing, countdown or triggered)");
                continue;
            }
            if (kind == ClockIntervalVariability.Constant && clock.Interval is null)
                context.Error(variable.Line, $"{subject} is constant but gives neither 'intervalDecimal' nor 'intervalCounter'");
            if (clock.IntervalDecimal is { } interval && !(interval > 0 && double.IsFinite(interval)))
                context.Error(variable.Line, $"{subject} has intervalDecimal {ValueText.Number(interval)}; an interval must be positive");
            if (clock.IntervalCounter == 0)
                context.Error(variable.Line, $"{subject} has intervalCounter 0; an interval must be positive");
            if (clock.Resolution == 0)
                context.Error(variable.Line, $"{subject} has resolution 0; it must be positive");
            if (clock.ShiftDecimal is { } shift && !(shift >= 0 && double.IsFinite(shift)))
                context.Error(variable.Line, $"{subject} has shiftDecimal {ValueText.Number(shift)}; a shift must be zero or positive");
            if (kind != ClockIntervalVariability.Triggered && variable.Causality == Causality.Output && !scheduled)
                continue; // time-based output clocks are allowed; they tick at times the FMU knows
            if (scheduled && variable.Causality == Causality.Input && clock.Priority is null)
            {
                // Without a priority the order of partitions due at the same time is undefined.
                var only = context.Model.CoSimulation is null && context.Model.ModelExchange is null;
                var message = $"input {subject} has no 'priority', which Scheduled Execution requires to order its model partitions";
                if (only) context.Error(variable.Line, message);
                else context.Warning(variable.Line, message + "; it is only needed for Scheduled Execution");
            }
        }
    }
}
