using System.Runtime.CompilerServices;
using CoSim.Core.Assessment;

namespace CoSim.Assessment;

/// <summary>No sample beyond target + percent/100·(target − initial).</summary>
internal sealed class OvershootAssertion(string signal, double percent, double? target, double? initial, double? from, double? to, string? afterEvent)
    : Assertion($"{signal} overshoots below {Window.Fmt(percent)} %", signal)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // judged once per run: skip tier-0 code for the sample loop
    public override AssertionResult Evaluate(AssessmentContext context)
    {
        if (Window.Start(context, signal, from, afterEvent, out var start) is { } skip) return NotEvaluated(signal, skip);
        if (Window.Open(context, signal, start, to, out var w) is { } why) return NotEvaluated(signal, why);
        var t = w.Times;
        var v = w.Values;
        if (StepOf(signal, w, initial, target, $"{signal} has no finite sample in [{Num(w.From)}, {Num(w.To)}] s", out var y0, out var y1) is { } none)
            return NotEvaluated(signal, none, w.Span);
        var sign = Math.Sign(y1 - y0);
        var limit = y1 + percent / 100 * (y1 - y0);
        var peak = double.NegativeInfinity; // max of sign·v
        var peakTime = double.NaN;
        for (var k = 0; k < v.Length; k++)
        {
            var x = v[k];
            if (double.IsNaN(x))
            {
                if (IgnoresNaN) continue;
                return Fail(signal, new Violation(t[k], x, limit), $"{signal} is NaN at t = {Num(t[k])} s (overshoot limit {Num(limit)})", w.Span);
            }
            if (sign * x > peak)
            {
                peak = sign * x;
                peakTime = t[k];
            }
            if (sign * (x - limit) > 0)
            {
                var overshoot = Percent(Peak(v, sign), y0, y1, sign);
                return Fail(signal, new Violation(t[k], x, limit),
                    $"{signal} overshot more than {Num(percent)} % of the step {Num(y0)} -> {Num(y1)}: at t = {Num(t[k])} s it was {Num(x)}, bound {Num(limit)} (overshoot {Num(overshoot)} %)", w.Span);
            }
        }
        if (!w.Covered) return NotEvaluated(signal, w.Uncovered, w.Span);
        return Pass(signal, $"{signal} overshot {Num(Percent(peak, y0, y1, sign))} % of the step {Num(y0)} -> {Num(y1)} (peak {Num(sign * peak)} at t = {Num(peakTime)} s; limit {Num(percent)} %)", w.Span);
    }

    private static double Peak(ReadOnlySpan<double> v, int sign)
    {
        var peak = double.NegativeInfinity;
        foreach (var x in v)
            if (sign * x > peak) peak = sign * x;
        return peak;
    }

    private static double Percent(double signedPeak, double y0, double y1, int sign) => Math.Max(0, signedPeak - sign * y1) / Math.Abs(y1 - y0) * 100;
}
