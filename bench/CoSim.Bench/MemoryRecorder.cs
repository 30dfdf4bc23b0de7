using CoSim.Core;

namespace CoSim.Bench;

/// <summary>Observer that keeps the given variables after every step in a preallocated array (the "in memory" case).</summary>
internal sealed class MemoryRecorder(string component, IReadOnlyList<string> variables, long rows) : IObserver
{
    private readonly double[] _data = new double[(rows + 1) * variables.Count];
    private SignalHandle[] _signals = [];
    private long _next;

    public double Checksum => _data[0] + _data[^1];

    public void Attach(IObservationSetup setup) => _signals = variables.Select(v => setup.Observe(new VariableRef(component, v))).ToArray();
    public void Started(SimTime start, StepValues values) => Record(values);
    public void StepComplete(SimTime time, StepValues values) => Record(values);
    public void Finished(SimTime end, Exception? failure) { }

    private void Record(StepValues values)
    {
        var signals = _signals;
        var at = _next;
        for (var i = 0; i < signals.Length; i++) _data[at + i] = values[signals[i]];
        _next = at + signals.Length;
    }
}
