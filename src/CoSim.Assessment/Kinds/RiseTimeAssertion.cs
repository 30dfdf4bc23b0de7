using System.Runtime.CompilerServices;
using CoSim.Core.Assessment;

namespace CoSim.Assessment;

/// <summary>From the low level to the high level of the step in at most the limit.</summary>
internal sealed class RiseTimeAssertion(string signal, double limit, double? target, double? initial, double low, double high, double? from, string? afterEvent)
    : Assertion($"{signal} rise time below {Window.Fmt(limit)} s", signal)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // judged once per run: skip tier-0 code for the sample loop
    public override AssertionResult Evaluate(AssessmentContext context)
    {
        if (Window.Start(context, signal, from, afterEvent, out var start) is { } skip) return NotEvaluated(signal, skip);
        if (Window.Open(context, signal, start, null, out var w) is { } why) return NotEvaluated(signal, why);
        var t = w.Times;
        var v = w.Values;
        if (StepOf(signal, w, initial, target, $"{signal} has no finite sample from t = {Num(w.From)} s", out var y0, out var y1) is { } none)
            return NotEvaluated(signal, none, w.Span);
        var sign = Math.Sign(y1 - y0);
        var lowLevel = y0 + low * (y1 - y0);
        var highLevel = y0 + high * (y1 - y0);
        var levels = $"{Num(low * 100)}-{Num(high * 100)} % of {Num(y0)} -> {Num(y1)}";

        var k = StepMetrics.FirstReaching(t, v, 0, lowLevel, sign, IgnoresNaN, out var nan);
        if (nan >= 0) return NaN(t[nan], lowLevel, w);
        if (k < 0)
            return w.Covered
                ? Fail(signal, new Violation(w.To, StepMetrics.LastFinite(v), lowLevel), $"{signal} never reached the lower level {Num(lowLevel)} ({levels}) by t = {Num(w.To)} s", w.Span)
                : NotEvaluated(signal, $"{signal} had not reached {Num(lowLevel)} yet when " + w.Uncovered, w.Span);
        var tLow = StepMetrics.CrossingTime(t, v, k, lowLevel);
        var deadline = tLow + limit;
        var j = StepMetrics.FirstReaching(t, v, k, highLevel, sign, IgnoresNaN, out nan);
        if (nan >= 0 && t[nan] <= deadline) return NaN(t[nan], highLevel, w);
        if (j >= 0)
        {
            var rise = StepMetrics.CrossingTime(t, v, j, highLevel) - tLow;
            if (rise <= limit)
                return Pass(signal, $"{signal} rose ({levels}) in {Num(rise)} s, from t = {Num(tLow)} s (limit {Num(limit)} s)", w.Span);
        }
        else if (context.End < deadline - TraceMath.TimeEpsilon)
            return NotEvaluated(signal, $"{signal} had not reached {Num(highLevel)} yet when the run ended at t = {Num(context.End)} s", w.Span);
        var trace = context.Trace(signal)!;
        var value = trace.ValueAt(deadline);
        var rose = j >= 0 ? $"rise time {Num(StepMetrics.CrossingTime(t, v, j, highLevel) - tLow)} s" : "never reached it";
        return Fail(signal, new Violation(deadline, value, highLevel),
            $"{signal} rose too slowly ({levels}, limit {Num(limit)} s from t = {Num(tLow)} s): at t = {Num(deadline)} s it was {Num(value)}, bound {Num(highLevel)} ({rose})", w.Span);
    }

    private AssertionResult NaN(double time, double level, Window w) =>
        Fail(signal, new Violation(time, double.NaN, level), $"{signal} is NaN at t = {Num(time)} s, while rising to {Num(level)}", w.Span);
}
