using CoSim.Core.Assessment;

namespace CoSim.Assessment;

/// <summary>No sample more than the tolerance below the running maximum (increasing) or above the running minimum (decreasing).</summary>
internal sealed class MonotonicAssertion(string signal, Direction direction, double tolerance, double? from, double? to)
    : Assertion($"{signal} is monotonically {direction.ToString().ToLowerInvariant()}", signal)
{
    public override AssertionResult Evaluate(AssessmentContext context)
    {
        if (Window.Open(context, signal, from, to, out var w) is { } why) return NotEvaluated(signal, why);
        var sign = direction == Direction.Increasing ? 1.0 : -1.0;
        var word = direction == Direction.Increasing ? "increasing" : "decreasing";
        var t = w.Times;
        var v = w.Values;
        var extreme = double.NegativeInfinity; // running max of sign·v
        var extremeTime = double.NaN;
        for (var k = 0; k < v.Length; k++)
        {
            var x = sign * v[k];
            if (double.IsNaN(x))
            {
                if (IgnoresNaN) continue;
                return Fail(signal, new Violation(t[k], v[k], sign * (extreme - tolerance)), $"{signal} is NaN at t = {Num(t[k])} s, not {word}", w.Span);
            }
            if (x < extreme - tolerance)
            {
                var bound = sign * (extreme - tolerance);
                return Fail(signal, new Violation(t[k], v[k], bound),
                    $"{signal} is not {word} at t = {Num(t[k])} s: {Num(v[k])} {(sign > 0 ? "<" : ">")} {Num(bound)} ({(sign > 0 ? "maximum" : "minimum")} {Num(sign * extreme)} at t = {Num(extremeTime)} s {(sign > 0 ? "-" : "+")} tolerance {Num(tolerance)})", w.Span);
            }
            if (x > extreme)
            {
                extreme = x;
                extremeTime = t[k];
            }
        }
        if (!w.Covered) return NotEvaluated(signal, w.Uncovered, w.Span);
        if (w.Count == 0) return NotEvaluated(signal, $"{signal} has no sample in [{Num(w.From)}, {Num(w.To)}] s", w.Span);
        return Pass(signal, $"{signal} was {word} (tolerance {Num(tolerance)}) during [{Num(w.From)}, {Num(w.To)}] s", w.Span);
    }
}
