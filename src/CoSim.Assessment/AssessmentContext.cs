namespace CoSim.Assessment;

/// <summary>
/// Everything an assertion may look at after a run: the recorded traces, the time span the run
/// covered, whether it reached its stop time, and when named events and faults started.
/// </summary>
public sealed class AssessmentContext
{
    private readonly Dictionary<string, SignalTrace> _traces = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, double> _events;

    /// <summary>
    /// A context over <paramref name="traces"/> (looked up by <see cref="SignalTrace.Name"/>) of a run
    /// from <paramref name="start"/> that reached <paramref name="end"/>; <paramref name="completed"/>
    /// says whether that was its stop time; <paramref name="events"/> maps an event's or fault's
    /// name to the time it started.
    /// </summary>
    /// <exception cref="ArgumentException">Two traces share a name, or <paramref name="end"/> is before <paramref name="start"/>.</exception>
    public AssessmentContext(IEnumerable<SignalTrace> traces, double start, double end, bool completed, IReadOnlyDictionary<string, double>? events = null)
    {
        if (end < start) throw new ArgumentException($"the run ends at {end:R} s, before it starts at {start:R} s");
        foreach (var trace in traces)
            if (!_traces.TryAdd(trace.Name, trace))
                throw new ArgumentException($"two traces are named '{trace.Name}'");
        Start = start;
        End = end;
        Completed = completed;
        _events = events ?? new Dictionary<string, double>();
    }

    /// <summary>The recorded trace of <paramref name="signal"/>; null when it was not recorded.</summary>
    public SignalTrace? Trace(string signal) => _traces.GetValueOrDefault(signal);

    /// <summary>The names of the recorded signals.</summary>
    public IEnumerable<string> Signals => _traces.Keys;

    /// <summary>The run's start time [s].</summary>
    public double Start { get; }

    /// <summary>The time the run reached [s]: its stop time, or earlier when it failed or was stopped.</summary>
    public double End { get; }

    /// <summary>True when the run reached its stop time.</summary>
    public bool Completed { get; }

    /// <summary>When the named event or fault started [s]; null when it never did.</summary>
    public double? EventTime(string name) => _events.TryGetValue(name, out var t) ? t : null;
}
