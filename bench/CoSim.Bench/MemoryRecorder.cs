using CoSim.Core;

namespace CoSim.Bench;

/// <summary>Observer that reads the given variables after every step into a preallocated array (the "in memory" case).</summary>
internal sealed class MemoryRecorder(ISimulationUnit unit, IReadOnlyList<int> variables, long rows) : IObserver
{
    private readonly IValueAccessor _accessor = unit.CreateAccessor(variables);
    private readonly double[] _data = new double[(rows + 1) * variables.Count];
    private readonly int _count = variables.Count;
    private long _row;

    public double Checksum => _data[0] + _data[^1];

    public void Started(SimTime start) => Record();
    public void StepComplete(SimTime time) => Record();
    public void Finished(SimTime end, Exception? failure) { }

    private void Record()
    {
        _accessor.Read(_data.AsSpan((int)(_row++ * _count), _count));
    }
}
