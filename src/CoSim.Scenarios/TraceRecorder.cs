using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// Records, in memory, exactly the signals assertions and metrics judge (besides the result file,
/// which may record others or none), at the start and after every communication step. Unknown
/// names are reported before the run, all at once, with "did you mean" hints.
/// </summary>
internal sealed class TraceRecorder(IReadOnlyList<(Signal Signal, string Usage)> signals) : IObserver
{
    private readonly List<string> _names = [];
    private readonly List<SignalHandle> _handles = [];
    private readonly List<double> _times = [];
    private List<double>[] _values = [];
    private readonly Dictionary<string, string?> _units = [];

    /// <summary>The time the run reached (the last recorded point), or null before it started.</summary>
    public double? End => _times.Count == 0 ? null : _times[^1];

    public void Attach(IObservationSetup setup)
    {
        _names.Clear();
        _handles.Clear();
        _times.Clear();
        var problems = new List<string>();
        foreach (var (signal, usage) in signals)
        {
            var v = ScenarioDriver.Resolve(setup.Components, setup.VariablesOf, signal, usage, problems);
            if (v == null || _names.Contains(signal.ToString())) continue;
            if (!ScenarioDriver.Numeric(v.Kind))
            {
                problems.Add($"{usage}: {signal} is a {v.TypeName} variable; only numeric and Boolean signals can be judged");
                continue;
            }
            _names.Add(signal.ToString());
            _units[signal.ToString()] = v.Unit;
            _handles.Add(setup.Observe(signal.Ref));
        }
        _values = _names.Select(_ => new List<double>()).ToArray();
        if (problems.Count > 0) throw new InputException(string.Join(Environment.NewLine + "  ", problems.Distinct()));
    }

    public void Started(SimTime start, StepValues values) => Add(start, values);

    public void StepComplete(SimTime time, StepValues values) => Add(time, values);

    public void Finished(SimTime end, Exception? failure) { }

    private void Add(SimTime time, StepValues values)
    {
        var t = time.Seconds;
        // Times must increase strictly: a repeated point (e.g. a zero-length final step) replaces the previous values.
        if (_times.Count > 0 && t <= _times[^1])
        {
            for (var i = 0; i < _handles.Count; i++) _values[i][^1] = values[_handles[i]];
            return;
        }
        _times.Add(t);
        for (var i = 0; i < _handles.Count; i++) _values[i].Add(values[_handles[i]]);
    }

    /// <summary>The recorded times and values of a signal, or null when it was not recorded.</summary>
    public (string? Unit, double[] Times, double[] Values)? Trace(string signal)
    {
        var i = _names.IndexOf(signal);
        return i < 0 ? null : (_units[signal], _times.ToArray(), _values[i].ToArray());
    }
}
