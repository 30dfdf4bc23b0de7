using CoSim.Assessment;
using CoSim.Core;
using CoSim.Core.Assessment;

namespace CoSim.Scenarios;

public partial class Scenario
{
    private readonly List<Assertion> _assertions = [];
    private readonly List<(string Name, Signal Signal, Func<SignalTrace, double> Compute)> _metrics = [];
    private AssertVerbs? _assert;

    /// <summary>
    /// The assertions of a commissioning scenario, judged on the recorded signals after the run (also
    /// after a failed run: what the run did not reach is not evaluated), e.g.
    /// <c>Assert.Reaches("Tank.level", 1.0, within: 60, tolerance: 0.02)</c>. The signals they judge are
    /// recorded in memory for them, whatever the result file records.
    /// </summary>
    public AssertVerbs Assert => _assert ??= new AssertVerbs(this);

    /// <summary>The assertions declared so far.</summary>
    public IReadOnlyList<Assertion> DeclaredAssertions => _assertions;

    /// <summary>
    /// A figure computed from a signal after the run, reported per sweep case in the summary table (and
    /// in the outcome), e.g. <c>Metric("max level", "Tank.level", Max)</c>.
    /// </summary>
    public void Metric(string name, Signal signal, Func<SignalTrace, double> compute)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a metric's name must not be empty", nameof(name));
        if (_metrics.Any(m => m.Name == name)) throw new ArgumentException($"metric '{name}' is declared twice", nameof(name));
        _metrics.Add((name, signal, compute));
        RememberLine($"metric '{name}'");
    }

    /// <summary>The largest value (NaN: no value); for <see cref="Metric"/>.</summary>
    public double Max(SignalTrace trace) => TraceMetrics.Max(trace);

    /// <summary>The smallest value (NaN: no value); for <see cref="Metric"/>.</summary>
    public double Min(SignalTrace trace) => TraceMetrics.Min(trace);

    /// <summary>The last value (NaN: no value); for <see cref="Metric"/>.</summary>
    public double Final(SignalTrace trace) => TraceMetrics.Final(trace);

    /// <summary>The time average (trapezoids between samples); for <see cref="Metric"/>.</summary>
    public double Mean(SignalTrace trace) => TraceMetrics.Mean(trace);

    internal void AddAssertion(Assertion assertion)
    {
        _assertions.Add(assertion);
        RememberLine(() => $"assertion '{assertion.Name}'");
    }

    /// <summary>The signals assertions and metrics judge, with what uses them (for messages).</summary>
    internal IReadOnlyList<(Signal Signal, string Usage)> JudgedSignals() =>
        _assertions.SelectMany(a => a.Signals.Select(s => (Signal.Parse(s), $"assertion '{a.Name}'")))
            .Concat(_metrics.Select(m => (m.Signal, $"metric '{m.Name}'")))
            .ToList();

    /// <summary>The assertions' verdicts and the metrics' values on a finished or failed run; script code that throws becomes a <see cref="ScenarioActionException"/>.</summary>
    internal (IReadOnlyList<AssertionResult> Verdicts, IReadOnlyDictionary<string, double> Metrics) Judge(RunRecord record)
    {
        var traces = record.Traces.Traces();
        var events = new Dictionary<string, double>();
        foreach (var e in record.Events.Where(e => e.Kind != "fault-end")) events.TryAdd(e.Name, e.Time);
        var context = new AssessmentContext(traces, record.Start, record.End, record.Completed, events);
        var end = SimTime.FromSeconds(record.End);
        var verdicts = _assertions.Select(a => Guard($"assertion '{a.Name}'", end, () => a.Evaluate(context))).ToList();
        var metrics = _metrics.ToDictionary(m => m.Name, m =>
            context.Trace(m.Signal.ToString()) is { } trace ? Guard($"metric '{m.Name}'", end, () => m.Compute(trace)) : double.NaN);
        return (verdicts, metrics);
    }

    private static T Guard<T>(string source, SimTime end, Func<T> code)
    {
        try
        {
            return code();
        }
        catch (Exception e)
        {
            throw new ScenarioActionException(source, end, e);
        }
    }
}

/// <summary>
/// The assertion verbs of a scenario (<see cref="Scenario.Assert"/>): each declares one assertion of
/// <see cref="Assertions"/> (see there for the exact rules) and returns it, so that
/// <c>.Named("...")</c> or <c>.IgnoringNaN()</c> can follow.
/// </summary>
public sealed class AssertVerbs
{
    private readonly Scenario _scenario;

    internal AssertVerbs(Scenario scenario) => _scenario = scenario;

    /// <summary>Declares an assertion made elsewhere (a kind of your own derived from <see cref="Assertion"/>).</summary>
    public Assertion That(Assertion assertion)
    {
        _scenario.AddAssertion(assertion);
        return assertion;
    }

    /// <summary>The signal stays within [min, max] (± tolerance) at every sample of the window.</summary>
    public Assertion StaysWithin(Signal signal, double min, double max, double? from = null, double? to = null, double tolerance = 0) =>
        That(Assertions.StaysWithin(signal.ToString(), min, max, from, to, tolerance));

    /// <summary>The signal comes within ± tolerance of target at some sample within <paramref name="within"/> seconds from <paramref name="from"/> (or from when the named event or fault started).</summary>
    public Assertion Reaches(Signal signal, double target, double within, double tolerance, double? from = null, string? afterEvent = null) =>
        That(Assertions.Reaches(signal.ToString(), target, within, tolerance, from, afterEvent));

    /// <summary>The signal settles into the band around target (default ±2 %) within <paramref name="limit"/> seconds.</summary>
    public Assertion SettlesWithin(Signal signal, double limit, double? target = null, double relativeBand = 0.02, double absoluteBand = 0, double? from = null, double? to = null, string? afterEvent = null) =>
        That(Assertions.SettlesWithin(signal.ToString(), limit, target, relativeBand, absoluteBand, from, to, afterEvent));

    /// <summary>The overshoot over target stays below <paramref name="percent"/> % of the step.</summary>
    public Assertion OvershootBelow(Signal signal, double percent, double? target = null, double? initial = null, double? from = null, double? to = null, string? afterEvent = null) =>
        That(Assertions.OvershootBelow(signal.ToString(), percent, target, initial, from, to, afterEvent));

    /// <summary>The rise time (default 10 % to 90 % of the step) stays below <paramref name="limit"/> seconds.</summary>
    public Assertion RiseTimeBelow(Signal signal, double limit, double? target = null, double? initial = null, double low = 0.1, double high = 0.9, double? from = null, string? afterEvent = null) =>
        That(Assertions.RiseTimeBelow(signal.ToString(), limit, target, initial, low, high, from, afterEvent));

    /// <summary>The signal never falls (<see cref="Direction.Increasing"/>) or never rises over the window.</summary>
    public Assertion Monotonic(Signal signal, Direction direction, double tolerance = 0, double? from = null, double? to = null) =>
        That(Assertions.Monotonic(signal.ToString(), direction, tolerance, from, to));

    /// <summary>The signal follows another recorded signal within a tube (absolute, relative, time tolerance).</summary>
    public Assertion FollowsReference(Signal signal, Signal reference, double absolute = 0, double relative = 0, double timeTolerance = 0, double? from = null, double? to = null) =>
        That(Assertions.FollowsReference(signal.ToString(), reference.ToString(), absolute, relative, timeTolerance, from, to));

    /// <summary>The signal follows a reference trace (e.g. loaded from a file) within a tube.</summary>
    public Assertion FollowsReference(Signal signal, SignalTrace reference, double absolute = 0, double relative = 0, double timeTolerance = 0, double? from = null, double? to = null) =>
        That(Assertions.FollowsReference(signal.ToString(), reference, absolute, relative, timeTolerance, from, to));

    /// <summary>The signal follows a reference function of time within a tube.</summary>
    public Assertion FollowsReference(Signal signal, Func<double, double> reference, double absolute = 0, double relative = 0, double timeTolerance = 0, double? from = null, double? to = null) =>
        That(Assertions.FollowsReference(signal.ToString(), reference, absolute, relative, timeTolerance, from, to));

    /// <summary>An alarm: the signal reaches <paramref name="threshold"/> within <paramref name="within"/> seconds after the named event or fault started.</summary>
    public Assertion RisesWithinAfter(Signal signal, string eventName, double within, double threshold = 0.5) =>
        That(Assertions.RisesWithinAfter(signal.ToString(), eventName, within, threshold));

    /// <summary>An alarm: the signal reaches <paramref name="threshold"/> within <paramref name="within"/> seconds after <paramref name="time"/>.</summary>
    public Assertion RisesWithinAfter(Signal signal, double time, double within, double threshold = 0.5) =>
        That(Assertions.RisesWithinAfter(signal.ToString(), time, within, threshold));

    /// <summary>A custom requirement: <paramref name="predicate"/>(time, value) holds at every sample of the window.</summary>
    public Assertion Custom(string name, Signal signal, Func<double, double, bool> predicate, double? from = null, double? to = null) =>
        That(Assertions.Custom(name, signal.ToString(), predicate, from, to));

    /// <summary>A custom requirement on the whole recorded trace.</summary>
    public Assertion Custom(string name, Signal signal, Func<SignalTrace, bool> predicate) =>
        That(Assertions.Custom(name, signal.ToString(), predicate));
}

/// <summary>Figures of a recorded signal, for <see cref="Scenario.Metric"/> (also as the scenario's members <c>Max</c>, <c>Min</c>, <c>Final</c>, <c>Mean</c>).</summary>
public static class TraceMetrics
{
    /// <summary>The largest value (NaN: no value; a NaN sample is skipped).</summary>
    public static double Max(SignalTrace trace) => Fold(trace, double.NegativeInfinity, Math.Max);

    /// <summary>The smallest value (NaN: no value; a NaN sample is skipped).</summary>
    public static double Min(SignalTrace trace) => Fold(trace, double.PositiveInfinity, Math.Min);

    /// <summary>The last value (NaN: no value).</summary>
    public static double Final(SignalTrace trace) => trace.Count == 0 ? double.NaN : trace.Values.Span[^1];

    /// <summary>The time average over the trace (trapezoids between samples; one sample: its value; NaN: no value).</summary>
    public static double Mean(SignalTrace trace)
    {
        var t = trace.Times.Span;
        var v = trace.Values.Span;
        if (t.Length == 0) return double.NaN;
        if (t.Length == 1) return v[0];
        var area = 0.0;
        for (var i = 1; i < t.Length; i++) area += 0.5 * (v[i] + v[i - 1]) * (t[i] - t[i - 1]);
        return area / (t[^1] - t[0]);
    }

    private static double Fold(SignalTrace trace, double seed, Func<double, double, double> f)
    {
        var r = seed;
        var any = false;
        foreach (var v in trace.Values.Span)
        {
            if (double.IsNaN(v)) continue;
            r = f(r, v);
            any = true;
        }
        return any ? r : double.NaN;
    }
}
