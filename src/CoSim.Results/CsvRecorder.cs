using CoSim.Core;

namespace CoSim.Results;

/// <summary>A signal to record: a unit's variable under a column name.</summary>
public sealed record RecordedSignal(ISimulationUnit Unit, int Variable, string Column);

/// <summary>
/// Observer that records signals to a CSV file after every step (one batched read per unit).
/// </summary>
public sealed class CsvRecorder : IObserver, IDisposable
{
    private readonly (IValueAccessor Accessor, int Offset, int Count)[] _reads;
    private readonly double[] _row;
    private readonly CsvResultWriter _writer;

    public CsvRecorder(string path, IReadOnlyList<RecordedSignal> signals)
    {
        var reads = new List<(IValueAccessor, int, int)>();
        var offset = 0;
        // Group consecutive signals of the same unit into one accessor (column order is kept).
        for (var i = 0; i < signals.Count;)
        {
            var unit = signals[i].Unit;
            var j = i;
            while (j < signals.Count && ReferenceEquals(signals[j].Unit, unit)) j++;
            var vars = signals.Skip(i).Take(j - i).Select(s => s.Variable).ToArray();
            reads.Add((unit.CreateAccessor(vars), offset, vars.Length));
            offset += vars.Length;
            i = j;
        }
        _reads = reads.ToArray();
        _row = new double[signals.Count];
        _writer = new CsvResultWriter(path, signals.Select(s => s.Column).ToArray());
    }

    public string Path => _writer.Path;
    public long Rows => _writer.Rows;

    public void Started(SimTime start) => Record(start);

    public void StepComplete(SimTime time) => Record(time);

    public void Finished(SimTime end, Exception? failure) => _writer.Flush();

    private void Record(SimTime time)
    {
        foreach (var (accessor, offset, count) in _reads)
            accessor.Read(_row.AsSpan(offset, count));
        _writer.WriteRow(time.Seconds, _row);
    }

    public void Dispose() => _writer.Dispose();
}
