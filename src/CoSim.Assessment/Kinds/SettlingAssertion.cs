using CoSim.Core.Assessment;

namespace CoSim.Assessment;

/// <summary>Every sample from from + limit to the window's end within the band around the target.</summary>
internal sealed class SettlingAssertion(string signal, double limit, double? target, double relativeBand, double absoluteBand, double? from, double? to)
    : Assertion($"{signal} settles within {Window.Fmt(limit)} s", signal)
{
    public override AssertionResult Evaluate(AssessmentContext context)
    {
        if (Window.Open(context, signal, from, to, out var w) is { } why) return NotEvaluated(signal, why);
        if (w.To < w.From + limit - TraceMath.TimeEpsilon)
            return NotEvaluated(signal, $"the window [{Num(w.From)}, {Num(w.To)}] s ends before the settling limit {Num(w.From + limit)} s", w.Span);
        var t = w.Times;
        var v = w.Values;
        double goal;
        if (target is { } given) goal = given;
        else if (!w.Covered) return NotEvaluated(signal, "the final value is unknown: " + w.Uncovered, w.Span);
        else if (w.Count == 0 || !double.IsFinite(goal = v[^1]))
            return NotEvaluated(signal, $"{signal} has no finite final value in [{Num(w.From)}, {Num(w.To)}] s", w.Span);
        var half = Math.Max(absoluteBand, relativeBand * Math.Abs(goal));
        var deadline = w.From + limit - TraceMath.TimeEpsilon;
        var lastOut = -1;
        for (var k = 0; k < v.Length; k++)
        {
            var inBand = Math.Abs(v[k] - goal) <= half || double.IsNaN(v[k]) && IgnoresNaN;
            if (inBand) continue;
            lastOut = k;
            if (t[k] < deadline) continue;
            var bound = v[k] < goal ? goal - half : goal + half;
            var settled = Settled(t, v, goal, half);
            return Fail(signal, new Violation(t[k], v[k], bound),
                $"{signal} did not settle to {Num(goal)} ± {Num(half)} within {Num(limit)} s: at t = {Num(t[k])} s it was {Num(v[k])}, bound {Num(bound)} (settling time {Describe(settled, w.From)})", w.Span);
        }
        if (!w.Covered) return NotEvaluated(signal, w.Uncovered, w.Span);
        if (w.Count == 0) return NotEvaluated(signal, $"{signal} has no sample in [{Num(w.From)}, {Num(w.To)}] s", w.Span);
        var time = StepMetrics.SettledAfter(t, v, lastOut, goal, half);
        return Pass(signal, $"{signal} settled to {Num(goal)} ± {Num(half)} after {Describe(time, w.From)} (limit {Num(limit)} s)", w.Span);
    }

    private double Settled(ReadOnlySpan<double> t, ReadOnlySpan<double> v, double goal, double half)
    {
        var lastOut = -1;
        for (var k = 0; k < v.Length; k++)
            if (!(Math.Abs(v[k] - goal) <= half || double.IsNaN(v[k]) && IgnoresNaN)) lastOut = k;
        return StepMetrics.SettledAfter(t, v, lastOut, goal, half);
    }

    private static string Describe(double settledAt, double from) =>
        double.IsPositiveInfinity(settledAt) ? "not settled by the end" : $"{Num(Math.Max(0, settledAt - from))} s";
}
