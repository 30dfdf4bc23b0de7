using CoSim.Core.Assessment;

namespace CoSim.Assessment;

/// <summary>Stays within [min, max] (± tolerance) at every sample of the window.</summary>
internal sealed class BandAssertion(string signal, double min, double max, double? from, double? to, double tolerance)
    : Assertion($"{signal} stays within [{Window.Fmt(min)}, {Window.Fmt(max)}]", signal)
{
    public override AssertionResult Evaluate(AssessmentContext context)
    {
        if (Window.Open(context, signal, from, to, out var w) is { } why) return NotEvaluated(signal, why);
        double lo = min - tolerance, hi = max + tolerance;
        var t = w.Times;
        var v = w.Values;
        for (var k = 0; k < v.Length; k++)
        {
            var x = v[k];
            if (x >= lo && x <= hi || double.IsNaN(x) && IgnoresNaN) continue;
            var bound = x < lo ? lo : hi;
            var relation = double.IsNaN(x) ? "is NaN" : x < lo ? $"{Num(x)} < {Num(lo)}" : $"{Num(x)} > {Num(hi)}";
            return Fail(signal, new Violation(t[k], x, bound),
                $"{signal} left [{Num(lo)}, {Num(hi)}] at t = {Num(t[k])} s: {relation}", w.Span);
        }
        if (!w.Covered) return NotEvaluated(signal, w.Uncovered, w.Span);
        if (w.Count == 0) return NotEvaluated(signal, $"{signal} has no sample in [{Num(w.From)}, {Num(w.To)}] s", w.Span);
        return Pass(signal, $"{signal} stayed within [{Num(lo)}, {Num(hi)}] during [{Num(w.From)}, {Num(w.To)}] s ({w.Count} samples)", w.Span);
    }
}
