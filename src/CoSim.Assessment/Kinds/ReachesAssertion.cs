using CoSim.Core.Assessment;

namespace CoSim.Assessment;

/// <summary>Some sample within target ± tolerance by from + within.</summary>
internal sealed class ReachesAssertion(string signal, double target, double within, double tolerance, double? from)
    : Assertion($"{signal} reaches {Window.Fmt(target)} within {Window.Fmt(within)} s", signal)
{
    public override AssertionResult Evaluate(AssessmentContext context)
    {
        var start = from ?? context.Start;
        var deadline = start + within;
        if (Window.Open(context, signal, start, deadline, out var w) is { } why) return NotEvaluated(signal, why);
        var t = w.Times;
        var v = w.Values;
        for (var k = 0; k < v.Length; k++)
            if (Math.Abs(v[k] - target) <= tolerance) // NaN never reaches
                return Pass(signal, $"{signal} reached {Num(target)} ± {Num(tolerance)} at t = {Num(t[k])} s ({Num(t[k] - start)} s after {Num(start)} s; limit {Num(within)} s): {Num(v[k])}", w.Span);
        if (!w.Covered) return NotEvaluated(signal, $"{signal} had not reached {Num(target)} ± {Num(tolerance)} yet when " + w.Uncovered, w.Span);
        var trace = context.Trace(signal)!;
        var value = trace.Count == 0 ? double.NaN : TraceMath.LastAtOrBefore(trace.Times.Span, trace.Values.Span, deadline);
        var bound = value < target ? target - tolerance : target + tolerance;
        return Fail(signal, new Violation(deadline, value, bound),
            $"{signal} did not reach {Num(target)} ± {Num(tolerance)} within {Num(within)} s: at t = {Num(deadline)} s it was {Num(value)}, bound {Num(bound)}", w.Span);
    }
}
