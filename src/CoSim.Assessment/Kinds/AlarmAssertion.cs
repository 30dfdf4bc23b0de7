using CoSim.Core.Assessment;

namespace CoSim.Assessment;

/// <summary>An alarm at or above its threshold at some sample within a time after an event (or a given time).</summary>
internal sealed class AlarmAssertion(string signal, string? eventName, double? time, double within, double threshold)
    : Assertion($"{signal} rises within {Window.Fmt(within)} s after {eventName ?? "t = " + Window.Fmt(time!.Value) + " s"}", signal)
{
    public override AssertionResult Evaluate(AssessmentContext context)
    {
        var after = eventName != null ? $"'{eventName}'" : $"t = {Num(time!.Value)} s";
        if (context.Trace(signal) == null) return NotEvaluated(signal, $"{signal} was not recorded");
        if ((time ?? context.EventTime(eventName!)) is not { } start)
            return NotEvaluated(signal, $"event '{eventName}' never happened, so {signal} could not be judged");
        var deadline = start + within;
        if (Window.Open(context, signal, start, deadline, out var w) is { } why) return NotEvaluated(signal, why);
        var t = w.Times;
        var v = w.Values;
        for (var k = 0; k < v.Length; k++)
            if (v[k] >= threshold)
                return Pass(signal, $"{signal} rose to {Num(v[k])} (>= {Num(threshold)}) at t = {Num(t[k])} s, {Num(t[k] - start)} s after {after} at {Num(start)} s (limit {Num(within)} s)", w.Span);
        if (!w.Covered) return NotEvaluated(signal, $"{signal} had not risen yet when " + w.Uncovered, w.Span);
        var trace = context.Trace(signal)!;
        var value = trace.Count == 0 ? double.NaN : TraceMath.LastAtOrBefore(trace.Times.Span, trace.Values.Span, deadline);
        return Fail(signal, new Violation(deadline, value, threshold),
            $"{signal} did not rise to {Num(threshold)} within {Num(within)} s after {after} at {Num(start)} s: at t = {Num(deadline)} s it was {Num(value)}", w.Span);
    }
}
