using System.Globalization;
using CoSim.Core.Assessment;

namespace CoSim.Assessment;

/// <summary>
/// One requirement on a run, judged after it on the recorded traces (<see cref="Evaluate"/>).
/// The kinds are made by <see cref="Assertions"/>; derive from this class for a kind of your own.
/// Common rules (docs/assertions.md): the samples are judged, nothing between them; windows are
/// inclusive at both ends; a NaN sample in a window is a violation unless the kind says otherwise
/// or <see cref="IgnoringNaN"/> was called; a verdict is <see cref="Verdict.NotEvaluated"/> when the
/// signal was not recorded, the run ended before the window was over (unless a violation was
/// already found: that one stands) or a named event never happened.
/// </summary>
public abstract class Assertion
{
    /// <summary>An assertion named <paramref name="name"/> that needs <paramref name="signals"/> recorded.</summary>
    protected Assertion(string name, params IReadOnlyList<string> signals)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (var signal in signals) ArgumentException.ThrowIfNullOrWhiteSpace(signal, nameof(signals));
        Name = name;
        Signals = signals;
    }

    /// <summary>The name reports show (given with <see cref="Named"/>, else made from the kind and the signal).</summary>
    public string Name { get; private set; }

    /// <summary>The signals that must be recorded for this assertion (<c>Component.variable</c>).</summary>
    public IReadOnlyList<string> Signals { get; }

    /// <summary>True when NaN samples are skipped instead of counting as violations.</summary>
    public bool IgnoresNaN { get; private set; }

    /// <summary>Renames the assertion (for reports); returns it, for chaining.</summary>
    public Assertion Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        return this;
    }

    /// <summary>Skips NaN samples (e.g. a sensor's dropouts) instead of failing on them; returns the assertion, for chaining.</summary>
    public Assertion IgnoringNaN()
    {
        IgnoresNaN = true;
        return this;
    }

    /// <summary>Judges the run; O(number of samples), no allocation per sample. Exceptions from user code (custom predicates, reference functions) propagate.</summary>
    public abstract AssertionResult Evaluate(AssessmentContext context);

    /// <summary>A passed verdict.</summary>
    protected AssertionResult Pass(string signal, string message, (double From, double To)? window = null) =>
        new(Name, signal, Verdict.Pass, message) { Window = window };

    /// <summary>A failed verdict with its first violation.</summary>
    protected AssertionResult Fail(string signal, Violation? violation, string message, (double From, double To)? window = null) =>
        new(Name, signal, Verdict.Fail, message) { Violation = violation, Window = window };

    /// <summary>A verdict that could not be reached, with the reason.</summary>
    protected AssertionResult NotEvaluated(string signal, string reason, (double From, double To)? window = null) =>
        new(Name, signal, Verdict.NotEvaluated, reason) { Window = window };

    /// <summary>
    /// The step a step-response assertion judges: the initial value (given, else the window's first finite sample) and
    /// the target (given, else its last finite sample, known only when the window is covered). Null, or why there is no
    /// step (<paramref name="noSample"/> when the window holds no finite sample).
    /// </summary>
    private protected static string? StepOf(string signal, in Window w, double? initial, double? target, string noSample, out double y0, out double y1)
    {
        y0 = initial ?? StepMetrics.FirstFinite(w.Values);
        y1 = double.NaN;
        if (!double.IsFinite(y0)) return noSample;
        if (target is { } given) y1 = given;
        else if (!w.Covered) return "the final value is unknown: " + w.Uncovered;
        else y1 = StepMetrics.LastFinite(w.Values);
        return y1 == y0 ? $"{signal} makes no step: initial and target are both {Num(y0)}" : null;
    }

    /// <summary>A number for messages: six significant digits, invariant culture.</summary>
    protected static string Num(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
