using System.Globalization;

namespace CoSim.Assessment;

/// <summary>
/// The samples of one signal inside an inclusive time window [From, To], with whether the run
/// covered the whole window. An open end (<c>to</c> null) means "until the run ends", which the
/// run covers only if it reached its stop time.
/// </summary>
internal readonly ref struct Window
{
    private readonly double? _requestedTo;
    private readonly double _end;

    private Window(ReadOnlySpan<double> times, ReadOnlySpan<double> values, double from, double to, double? requestedTo, double end, bool covered)
    {
        Times = times;
        Values = values;
        From = from;
        To = to;
        _requestedTo = requestedTo;
        _end = end;
        Covered = covered;
    }

    public ReadOnlySpan<double> Times { get; }
    public ReadOnlySpan<double> Values { get; }
    public int Count => Times.Length;
    public double From { get; }

    /// <summary>The window's end: as requested, or the time the run reached.</summary>
    public double To { get; }

    /// <summary>The run went on to the end of the window (or its stop time, for an open window).</summary>
    public bool Covered { get; }

    public (double From, double To) Span => (From, To);

    /// <summary>Why the window was not covered, for a not-evaluated verdict.</summary>
    public string Uncovered => _requestedTo is { } to
        ? $"the run ended at t = {Fmt(_end)} s, before the window's end at {Fmt(to)} s"
        : $"the run ended early, at t = {Fmt(_end)} s";

    /// <summary>
    /// The samples of <paramref name="signal"/> in [from ?? start, to ?? end]; null when they
    /// exist, else the reason the assertion cannot be evaluated (signal not recorded, window after
    /// the run's end).
    /// </summary>
    public static string? Open(AssessmentContext context, string signal, double? from, double? to, out Window window)
    {
        window = default;
        var trace = context.Trace(signal);
        if (trace == null) return $"{signal} was not recorded";
        var start = from ?? context.Start;
        if (start > context.End + TraceMath.TimeEpsilon)
            return $"the run ended at t = {Fmt(context.End)} s, before the window starts at {Fmt(start)} s";
        var stop = to ?? context.End;
        var t = trace.Times.Span;
        var first = TraceMath.FirstAtOrAfter(t, start - TraceMath.TimeEpsilon);
        var end = Math.Max(first, TraceMath.FirstAfter(t, stop + TraceMath.TimeEpsilon));
        var covered = to is { } requested ? context.End >= requested - TraceMath.TimeEpsilon : context.Completed;
        window = new Window(t[first..end], trace.Values.Span[first..end], start, stop, to, context.End, covered);
        return null;
    }

    public static string Fmt(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
