using CoSim.Core;
using Parquet;
using Parquet.Schema;

namespace CoSim.Results;

/// <summary>
/// Observer that records signals to a Parquet file: a float64 column <c>time</c> then one float64
/// column per signal (the CSV's column names), values exactly as read (no rounding through text).
/// <para>
/// Constant memory: rows are buffered in preallocated column arrays and written as one row group
/// every <see cref="RowGroupRows"/> rows and at <see cref="Finished"/>.
/// </para>
/// <para>
/// What survives a killed process. A Parquet file is readable only with its footer, which
/// Parquet.Net writes when the writer is disposed; it cannot write a footer and go on. So every
/// row group is written by a writer of its own, opened in append mode (it reads the footer, writes
/// the group over it, then writes the new footer) and disposed: between groups the file on disk is a
/// complete Parquet file with every group written so far. A kill then loses the buffered rows (up to
/// <see cref="RowGroupRows"/> - 1). A kill during a group's write (milliseconds, between steps) can
/// leave a file without a valid footer, which no reader opens. Nothing is fsync'ed (a machine crash
/// is not covered). CSV is the crash-safe-per-row format.
/// </para>
/// </summary>
public sealed class ParquetRecorder : IResultRecorder
{
    /// <summary>Buffer size the default row-group length aims at (all columns together).</summary>
    public const int TargetGroupBytes = 8 << 20;

    private readonly IReadOnlyList<RecordedSignal> _signals;
    private readonly ParquetSchema _schema;
    private readonly DataField[] _fields;
    private readonly double[][] _columns; // [0] is time
    private readonly DecimationFilter _decimation;
    private SignalHandle[] _handles = [];
    private bool _skipped; // slot _buffered holds a row decimation skipped (kept if it turns out to be the last)
    private int _buffered;
    private long _written;
    private bool _disposed;

    /// <summary>
    /// Creates the file (a valid Parquet file with no rows) for <paramref name="signals"/>, in column
    /// order; <paramref name="rowGroupRows"/> rows per group (default: about <see cref="TargetGroupBytes"/>
    /// of buffer, 1,000 to 100,000 rows).
    /// </summary>
    public ParquetRecorder(string path, IReadOnlyList<RecordedSignal> signals, int? rowGroupRows = null, Decimation? decimation = null)
    {
        _decimation = new DecimationFilter(decimation ?? Decimation.None);
        if (rowGroupRows is <= 0) throw new ArgumentOutOfRangeException(nameof(rowGroupRows), "must be positive");
        Path = path;
        _signals = signals;
        _fields = new[] { "time" }.Concat(signals.Select(s => s.Column)).Select(n => new DataField<double>(n)).ToArray<DataField>();
        _schema = new ParquetSchema(_fields);
        RowGroupRows = rowGroupRows ?? Math.Clamp(TargetGroupBytes / (sizeof(double) * _fields.Length), 1_000, 100_000);
        _columns = _fields.Select(_ => new double[RowGroupRows]).ToArray();
        WriteGroup(append: false); // the header-only file: readable with zero rows
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <summary>Rows per row group.</summary>
    public int RowGroupRows { get; }

    /// <inheritdoc />
    public long Rows => _written + _buffered;

    /// <inheritdoc />
    public IReadOnlyList<RecordedSignal> Signals => _signals;

    /// <summary>Rows in the file on disk (complete row groups).</summary>
    public long RowsOnDisk => _written;

    public void Attach(IObservationSetup setup) => _handles = _signals.Select(s => setup.Observe(s.Signal)).ToArray();

    public void Started(SimTime start, StepValues values) => Record(start, values);

    public void StepComplete(SimTime time, StepValues values) => Record(time, values);

    public void Finished(SimTime end, Exception? failure)
    {
        // The last point reached is a result even when decimation would have skipped it.
        if (_skipped) _buffered++;
        _skipped = false;
        Flush();
    }

    /// <summary>Writes the buffered rows as a row group (nothing when none are buffered).</summary>
    public void Flush()
    {
        if (_buffered > 0) WriteGroup(append: true);
    }

    private void Record(SimTime time, StepValues values)
    {
        var row = _buffered;
        _columns[0][row] = time.Seconds;
        var handles = _handles;
        for (var i = 0; i < handles.Length; i++) _columns[i + 1][row] = values[handles[i]];
        _skipped = !_decimation.Keep(time);
        if (_skipped) return;
        if (++_buffered == RowGroupRows) WriteGroup(append: true);
    }

    // One writer per group: its disposal writes the footer, so the file is whole again afterwards.
    private void WriteGroup(bool append)
    {
        using (var stream = new FileStream(Path, append ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite, FileShare.Read))
        {
            var writer = ParquetWriter.CreateAsync(_schema, stream, append: append).GetAwaiter().GetResult();
            try
            {
                if (_buffered > 0)
                {
                    using var group = writer.CreateRowGroup();
                    for (var c = 0; c < _fields.Length; c++)
                        group.WriteAsync<double>(_fields[c], new ReadOnlyMemory<double>(_columns[c], 0, _buffered)).GetAwaiter().GetResult();
                    group.CompleteValidate();
                }
            }
            finally
            {
                writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        _written += _buffered;
        _buffered = 0;
    }

    /// <summary>Writes the rows still buffered; the file is complete afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Flush();
    }
}
