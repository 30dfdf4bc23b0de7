using CoSim.Core.Assessment;

namespace CoSim.Assessment;

/// <summary>A user predicate over (time, value) that must hold at every sample of the window.</summary>
internal sealed class SamplePredicateAssertion(string name, string signal, Func<double, double, bool> predicate, double? from, double? to)
    : Assertion(name, signal)
{
    public override AssertionResult Evaluate(AssessmentContext context)
    {
        if (Window.Open(context, signal, from, to, out var w) is { } why) return NotEvaluated(signal, why);
        var t = w.Times;
        var v = w.Values;
        for (var k = 0; k < v.Length; k++)
        {
            if (double.IsNaN(v[k]))
            {
                if (IgnoresNaN) continue;
                return Fail(signal, new Violation(t[k], v[k], double.NaN), $"{Name}: {signal} is NaN at t = {Num(t[k])} s", w.Span);
            }
            if (!predicate(t[k], v[k]))
                return Fail(signal, new Violation(t[k], v[k], double.NaN), $"{Name}: false for {signal} at t = {Num(t[k])} s (value {Num(v[k])})", w.Span);
        }
        if (!w.Covered) return NotEvaluated(signal, w.Uncovered, w.Span);
        if (w.Count == 0) return NotEvaluated(signal, $"{signal} has no sample in [{Num(w.From)}, {Num(w.To)}] s", w.Span);
        return Pass(signal, $"{Name}: held for {signal} at all {w.Count} samples in [{Num(w.From)}, {Num(w.To)}] s", w.Span);
    }
}

/// <summary>A user predicate over the whole recorded trace; judged only on a run that reached its stop time.</summary>
internal sealed class TracePredicateAssertion(string name, string signal, Func<SignalTrace, bool> predicate)
    : Assertion(name, signal)
{
    public override AssertionResult Evaluate(AssessmentContext context)
    {
        if (context.Trace(signal) is not { } trace) return NotEvaluated(signal, $"{signal} was not recorded");
        if (!context.Completed) return NotEvaluated(signal, $"the run ended early, at t = {Num(context.End)} s");
        return predicate(trace)
            ? Pass(signal, $"{Name}: held for {signal} ({trace.Count} samples)")
            : Fail(signal, null, $"{Name}: false for {signal} ({trace.Count} samples)");
    }
}
