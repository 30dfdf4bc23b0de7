using System.Runtime.CompilerServices;
using CoSim.Core.Assessment;

namespace CoSim.Assessment;

/// <summary>Where a tube's reference comes from: a recorded signal, a given trace, or a function of time.</summary>
internal abstract class Reference
{
    public abstract string Description { get; }

    public sealed class Recorded(string signal) : Reference
    {
        public string Signal => signal;
        public override string Description => signal;
    }

    public sealed class Given(SignalTrace trace) : Reference
    {
        public SignalTrace Trace => trace;
        public override string Description => trace.Name;
    }

    public sealed class Function(Func<double, double> f) : Reference
    {
        public Func<double, double> F => f;
        public override string Description => "the reference function";
    }
}

/// <summary>
/// Every sample inside the funnel around the reference: at time t, the reference's min and max over
/// [t − dt, t + dt] widened by max(absolute, relative·|reference|). The min and max come from
/// monotone deques over the reference samples inside the moving interval plus the reference's
/// values at the interval's edges, so the whole check is O(n + m).
/// </summary>
internal sealed class TubeAssertion(string signal, Reference reference, double absolute, double relative, double timeTolerance, double? from, double? to)
    : Assertion($"{signal} follows {reference.Description}", reference is Reference.Recorded r ? [signal, r.Signal] : [signal])
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // judged once per run: skip tier-0 code for the sample loop
    public override AssertionResult Evaluate(AssessmentContext context)
    {
        if (Window.Open(context, signal, from, to, out var w) is { } why) return NotEvaluated(signal, why);
        var t = w.Times;
        var v = w.Values;
        ReadOnlySpan<double> rt, rv;
        Func<double, double>? edge = null;
        switch (reference)
        {
            case Reference.Recorded recorded:
                if (context.Trace(recorded.Signal) is not { } trace) return NotEvaluated(signal, $"the reference {recorded.Signal} was not recorded", w.Span);
                rt = trace.Times.Span;
                rv = trace.Values.Span;
                break;
            case Reference.Given given:
                rt = given.Trace.Times.Span;
                rv = given.Trace.Values.Span;
                break;
            default:
                edge = ((Reference.Function)reference).F;
                var values = new double[t.Length];
                for (var k = 0; k < t.Length; k++) values[k] = edge(t[k]);
                rt = t;
                rv = values;
                break;
        }
        if (rt.Length == 0 && t.Length > 0) return NotEvaluated(signal, $"the reference {reference.Description} has no sample", w.Span);

        var m = rt.Length;
        var tube = new TubeBuilder(reference.Description, t.Length);
        var segC = 0;
        var minQ = new int[m];
        var maxQ = new int[m];
        int minHead = 0, minTail = 0, maxHead = 0, maxTail = 0;
        int next = 0, lo = 0, nans = 0, segA = 0, segB = 0;
        for (var k = 0; k < t.Length; k++)
        {
            double a = t[k] - timeTolerance, b = t[k] + timeTolerance;
            // Reference samples in [a, b]: push those up to b, drop those before a.
            for (; next < m && rt[next] <= b + TraceMath.TimeEpsilon; next++)
            {
                var x = rv[next];
                if (double.IsNaN(x))
                {
                    nans++;
                    continue;
                }
                while (minTail > minHead && rv[minQ[minTail - 1]] >= x) minTail--;
                minQ[minTail++] = next;
                while (maxTail > maxHead && rv[maxQ[maxTail - 1]] <= x) maxTail--;
                maxQ[maxTail++] = next;
            }
            for (; lo < next && rt[lo] < a - TraceMath.TimeEpsilon; lo++)
                if (double.IsNaN(rv[lo])) nans--;
            while (minTail > minHead && minQ[minHead] < lo) minHead++;
            while (maxTail > maxHead && maxQ[maxHead] < lo) maxHead++;

            var ea = edge?.Invoke(a) ?? EdgeValue(rt, rv, a, ref segA);
            var eb = edge?.Invoke(b) ?? EdgeValue(rt, rv, b, ref segB);
            var low = Math.Min(ea, eb);
            var high = Math.Max(ea, eb);
            if (minTail > minHead) low = Math.Min(low, rv[minQ[minHead]]);
            if (maxTail > maxHead) high = Math.Max(high, rv[maxQ[maxHead]]);
            if (nans > 0 || double.IsNaN(ea) || double.IsNaN(eb))
                return Fail(signal, new Violation(t[k], v[k], double.NaN), $"the reference {reference.Description} is NaN near t = {Num(t[k])} s, so {signal} cannot follow it", w.Span);
            var lower = low - Math.Max(absolute, relative * Math.Abs(low));
            var upper = high + Math.Max(absolute, relative * Math.Abs(high));
            tube.Add(t[k], edge?.Invoke(t[k]) ?? EdgeValue(rt, rv, t[k], ref segC), lower, upper);
            var y = v[k];
            if (y >= lower && y <= upper || double.IsNaN(y) && IgnoresNaN) continue;
            var bound = y < lower ? lower : upper;
            var relation = double.IsNaN(y) ? "is NaN" : y < lower ? $"{Num(y)} < {Num(lower)}" : $"{Num(y)} > {Num(upper)}";
            return Fail(signal, new Violation(t[k], y, bound),
                $"{signal} left the tube around {reference.Description} at t = {Num(t[k])} s: {relation} (reference {Range(low, high)} within ±{Num(timeTolerance)} s, tolerance abs {Num(absolute)} rel {Num(relative)})", w.Span) with { Tube = tube.Build() };
        }
        if (!w.Covered) return NotEvaluated(signal, w.Uncovered, w.Span);
        if (w.Count == 0) return NotEvaluated(signal, $"{signal} has no sample in [{Num(w.From)}, {Num(w.To)}] s", w.Span);
        return Pass(signal, $"{signal} followed {reference.Description} during [{Num(w.From)}, {Num(w.To)}] s ({w.Count} samples; abs {Num(absolute)}, rel {Num(relative)}, ±{Num(timeTolerance)} s)", w.Span) with { Tube = tube.Build() };
    }

    /// <summary>
    /// The tube as judged, for the report's plot: every sample up to <see cref="MaxPoints"/>, beyond that every
    /// k-th, so that judging a long trace allocates the same as a short one (a plot shows no more anyway).
    /// </summary>
    private sealed class TubeBuilder
    {
        private const int MaxPoints = 1000;
        private readonly string _reference;
        private readonly int _stride;
        private readonly double[] _t, _c, _lo, _hi;
        private int _seen, _count;

        public TubeBuilder(string reference, int samples)
        {
            _reference = reference;
            _stride = Math.Max(1, (samples + MaxPoints - 1) / MaxPoints);
            var capacity = (samples + _stride - 1) / _stride;
            (_t, _c, _lo, _hi) = (new double[capacity], new double[capacity], new double[capacity], new double[capacity]);
        }

        public void Add(double time, double centre, double lower, double upper)
        {
            if (_seen++ % _stride != 0 || _count == _t.Length) return;
            (_t[_count], _c[_count], _lo[_count], _hi[_count]) = (time, centre, lower, upper);
            _count++;
        }

        public ReferenceTube Build() => new(_reference, _t[.._count], _c[.._count], _lo[.._count], _hi[.._count]);
    }

    private static string Range(double low, double high) => low == high ? Num(low) : $"[{Num(low)}, {Num(high)}]";

    /// <summary>The reference at <paramref name="time"/> (linear, held beyond its ends); <paramref name="segment"/> only moves forward, as the times asked for do.</summary>
    private static double EdgeValue(ReadOnlySpan<double> rt, ReadOnlySpan<double> rv, double time, ref int segment)
    {
        if (time <= rt[0]) return rv[0];
        if (time >= rt[^1]) return rv[^1];
        while (rt[segment + 1] < time) segment++;
        return TraceMath.Interpolate(rt[segment], rv[segment], rt[segment + 1], rv[segment + 1], time);
    }
}
