using CoSim.Core;

namespace CoSim.Results;

/// <summary>A signal to record: a component's variable under a column name.</summary>
/// <param name="Signal">The variable, <c>Component.variable</c>.</param>
/// <param name="Column">The column's header.</param>
public sealed record RecordedSignal(VariableRef Signal, string Column);

/// <summary>
/// Observer that records signals to a CSV file after every step, from the values the master
/// algorithm read (no call into the components of its own).
/// </summary>
public sealed class CsvRecorder : IResultRecorder, ICheckpointable
{
    private readonly IReadOnlyList<RecordedSignal> _signals;
    private readonly double[] _row;
    private readonly CsvResultWriter _writer;
    private readonly DecimationFilter _decimation;
    private SignalHandle[] _handles = [];
    private SimTime? _skipped; // the time of the row in _row when decimation skipped it (written at the end)

    /// <summary>Creates the file (header written) for <paramref name="signals"/>, in column order, keeping the rows <paramref name="decimation"/> says (default: all).</summary>
    public CsvRecorder(string path, IReadOnlyList<RecordedSignal> signals, Decimation? decimation = null)
    {
        _signals = signals;
        _decimation = new DecimationFilter(decimation ?? Decimation.None);
        _row = new double[signals.Count];
        _writer = new CsvResultWriter(path, signals.Select(s => s.Column).ToArray());
    }

    public string Path => _writer.Path;
    public long Rows => _writer.Rows;
    public IReadOnlyList<RecordedSignal> Signals => _signals;

    public void Attach(IObservationSetup setup) => _handles = _signals.Select(s => setup.Observe(s.Signal)).ToArray();

    public void Started(SimTime start, StepValues values) => Record(start, values);

    public void StepComplete(SimTime time, StepValues values) => Record(time, values);

    public void Finished(SimTime end, Exception? failure)
    {
        // The last point reached is a result even when decimation would have skipped it.
        if (_skipped is { } t) _writer.WriteRow(t.Seconds, _row);
        _skipped = null;
        _writer.Flush();
    }

    private void Record(SimTime time, StepValues values)
    {
        var handles = _handles;
        for (var i = 0; i < handles.Length; i++) _row[i] = values[handles[i]];
        if (!_decimation.Keep(time))
        {
            _skipped = time;
            return;
        }
        _skipped = null;
        _writer.WriteRow(time.Seconds, _row);
    }

    /// <summary>A resumed run: the earlier result file whose rows up to the checkpoint this file starts with (see <see cref="RestoreCheckpoint"/>).</summary>
    public string? ContinueFrom { get; set; }

    /// <inheritdoc />
    public string? CheckpointProblem => _writer.IsMapped ? null : $"the result {Path} is not a regular file (a pipe or a device cannot be rewound)";

    /// <summary>Checkpoint: the file's length and rows at the checkpoint, and the decimation's position.</summary>
    public void SaveCheckpoint(BinaryWriter writer, SimTime time)
    {
        writer.Write(_writer.Length);
        writer.Write(_writer.Rows);
        _decimation.Save(writer);
        writer.Write(_skipped.HasValue);
        writer.Write(_skipped?.Ticks ?? 0);
        writer.WriteDoubles(_row);
    }

    /// <summary>Starts the file with the rows of <see cref="ContinueFrom"/> up to the checkpoint (the rows after it are written again by the resumed run).</summary>
    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        var length = reader.ReadInt64();
        var rows = reader.ReadInt64();
        _decimation.Restore(reader);
        var skipped = reader.ReadBoolean();
        var ticks = reader.ReadInt64();
        _skipped = skipped ? new SimTime(ticks) : null;
        reader.ReadDoubles(_row, "recorded row");
        var previous = ContinueFrom ?? throw new InputException($"resuming into {Path}: the earlier result file is not known");
        _writer.ContinueFrom(previous, length, rows);
    }

    public void Dispose() => _writer.Dispose();
}
