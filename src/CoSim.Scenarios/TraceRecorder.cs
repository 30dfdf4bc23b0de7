using CoSim.Assessment;
using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// Records, in memory, exactly the signals assertions and metrics judge (besides the result file,
/// which may record others or none), at the start and after every communication step. Unknown
/// names are reported before the run, all at once, with "did you mean" hints.
/// </summary>
internal sealed class TraceRecorder(IReadOnlyList<(Signal Signal, string Usage)> signals) : IObserver, ICheckpointable
{
    private readonly List<SignalHandle> _handles = [];
    private readonly List<SignalTraceBuilder> _builders = [];
    private double? _end;

    /// <summary>The time the run reached (the last recorded point), or null before it started.</summary>
    public double? End => _end;

    public void Attach(IObservationSetup setup)
    {
        _handles.Clear();
        _builders.Clear();
        _end = null;
        var problems = new List<string>();
        foreach (var (signal, usage) in signals)
        {
            var v = SignalNames.Resolve(setup.Components, setup.VariablesOf, signal, usage, problems);
            if (v == null || _builders.Any(b => b.Name == signal.ToString())) continue;
            if (!SignalNames.Numeric(v.Kind))
            {
                problems.Add($"{usage}: {signal} is a {v.TypeName} variable; only numeric and Boolean signals can be judged");
                continue;
            }
            _builders.Add(new SignalTraceBuilder(signal.ToString(), v.Unit));
            _handles.Add(setup.Observe(signal.Ref));
        }
        SignalNames.ThrowIfAny(problems);
    }

    public void Started(SimTime start, StepValues values) => Add(start, values);

    public void StepComplete(SimTime time, StepValues values) => Add(time, values);

    public void Finished(SimTime end, Exception? failure) { }

    private void Add(SimTime time, StepValues values)
    {
        var t = time.Seconds;
        _end = t;
        for (var i = 0; i < _handles.Count; i++) _builders[i].Add(t, values[_handles[i]]);
    }

    /// <summary>Checkpoint: the traces so far (the assertions judge the whole run, also when it was resumed).</summary>
    public void SaveCheckpoint(BinaryWriter writer, SimTime time)
    {
        writer.Write(_end.HasValue);
        writer.Write(_end ?? 0);
        writer.Write(_builders.Count);
        foreach (var trace in _builders.Select(b => b.ToTrace()))
        {
            writer.WriteDoubles(trace.Times.Span);
            writer.WriteDoubles(trace.Values.Span);
        }
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        var hasEnd = reader.ReadBoolean();
        var end = reader.ReadDouble();
        _end = hasEnd ? end : null;
        var n = reader.ReadInt32();
        if (n != _builders.Count) throw new InputException($"checkpoint: {n} judged signals, the scenario judges {_builders.Count}");
        for (var i = 0; i < n; i++)
        {
            var times = reader.ReadDoubles();
            var values = reader.ReadDoubles();
            var b = _builders[i] = new SignalTraceBuilder(_builders[i].Name, _builders[i].Unit, Math.Max(256, times.Length * 2));
            for (var k = 0; k < times.Length; k++) b.Add(times[k], values[k]);
        }
    }

    /// <summary>The recorded traces (sharing the recorder's buffers: take them when the run is over).</summary>
    public IReadOnlyList<SignalTrace> Traces() => _builders.Select(b => b.ToTrace()).ToList();
}
