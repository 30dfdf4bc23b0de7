using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Text;

namespace CoSim.Results;

/// <summary>
/// Writes result rows as CSV (header <c>time</c> then one column per signal), numbers in invariant
/// culture with round-trip precision, in constant memory.
/// <para>
/// Crash safety at memory speed. For a regular file, rows are stored into a shared memory mapping
/// of the file: a store into a MAP_SHARED file mapping is in the kernel's page cache at once, so it
/// survives the process being killed (a crashing FMU's SIGSEGV, SIGKILL) without a system call per
/// row. The file grows in chunks written as '\n' bytes before they are mapped, so at every instant
/// it holds the header, whole rows, then only '\n' bytes (blank lines, which CSV readers skip; never
/// NUL bytes). A row is formatted in a private buffer and copied into the mapping in one go; the only
/// window for half a row is that copy (tens of nanoseconds), which runs between steps, when no FMU
/// code runs; only an asynchronous kill (SIGKILL, an FMU's own background thread) could land in it.
/// Not covered: a crash of the kernel or machine (nothing is fsync'ed).
/// </para>
/// <para>
/// What the file holds: after <see cref="Dispose"/> (normal end, or a run that failed with an
/// error) exactly the header and the rows, no padding; after a killed process every row written
/// before the kill, followed by blank lines up to the end of the last chunk.
/// </para>
/// <para>
/// Other outputs (a pipe, a terminal, <c>/dev/stdout</c> that is not a file, a device that cannot
/// be mapped) get buffered writes, at row boundaries, when 32 KiB have accumulated or a row completes
/// <see cref="FallbackFlushInterval"/> after the last write: a killed process then loses the rows
/// of up to that interval before the crashing step.
/// </para>
/// </summary>
public sealed unsafe class CsvResultWriter : IDisposable
{
    /// <summary>
    /// Growth step of a mapped file; a chunk is written as '\n' bytes, then mapped. Measured on the CI
    /// VM: 256 KiB beats 64 KiB (each remap's munmap costs a TLB shootdown) and 4 MiB (the pre-fill no
    /// longer stays in cache for the row stores that follow).
    /// </summary>
    public const int ChunkSize = 1 << 18;

    /// <summary>Longest time rows stay in the process when the output cannot be mapped.</summary>
    public static readonly TimeSpan FallbackFlushInterval = TimeSpan.FromMilliseconds(200);

    private const int FallbackBufferSize = 1 << 16;
    private const int MaxNumberLength = 32; // "-1.7976931348623157E+308" is 24

    // Written to extend the file; each write(2) is whole, so a crash mid-chunk leaves a shorter tail of '\n'.
    private static readonly byte[] Newlines = CreateNewlines();

    private readonly FileStream _file;
    private readonly int _columns;
    private byte[] _row; // one formatted row (mapped mode) or the pending rows (fallback)
    private int _rowLength;

    // Mapped mode: the view covers file bytes [_viewStart, _fileLength); _written bytes are CSV.
    private readonly bool _mapped;
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private byte* _viewPointer;
    private long _viewStart;
    private long _fileLength;
    private long _written;

    private long _lastFlush = Environment.TickCount64;
    private bool _disposed;
    private byte[] _header = [];

    public CsvResultWriter(string path, IReadOnlyList<string> columns)
    {
        Path = path;
        _columns = columns.Count;
        _row = new byte[Math.Max(FallbackBufferSize, 2 * MaxNumberLength * (_columns + 1))];
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);
        // Read access too: a shared writable mapping needs a descriptor open for reading and writing.
        // No FileStream buffer: this class writes whole rows or chunks itself.
        _file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            _mapped = _file.CanSeek && TryMapFirstChunk();
            var header = new StringBuilder("time");
            foreach (var c in columns) header.Append(',').Append(Quote(c));
            header.Append('\n');
            _header = Encoding.UTF8.GetBytes(header.ToString());
            Append(_header);
            Flush();
        }
        catch
        {
            ReleaseView();
            _file.Dispose();
            throw;
        }
    }

    public string Path { get; }

    /// <summary>Rows written so far (not counting the header).</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// Whether rows go into a shared memory mapping of the file (crash-safe per row) rather than
    /// through buffered writes (the output is not a regular file).
    /// </summary>
    public bool IsMapped => _mapped;

    /// <summary>Appends one row; <paramref name="values"/> has one value per column.</summary>
    public void WriteRow(double time, ReadOnlySpan<double> values)
    {
        if (values.Length != _columns) throw new ArgumentException($"expected {_columns} values, got {values.Length}", nameof(values));
        ObjectDisposedException.ThrowIf(_disposed, this); // the view is unmapped then
        // Fallback: flush before the row if it might not fit, so the buffer always ends at a row boundary.
        if (!_mapped && _rowLength + MaxNumberLength * (values.Length + 1) > _row.Length) Flush();
        var start = _mapped ? 0 : _rowLength;
        var n = start;
        n = WriteNumber(time, n);
        foreach (var v in values)
        {
            _row[n++] = (byte)',';
            n = WriteNumber(v, n);
        }
        _row[n++] = (byte)'\n';
        Rows++;
        if (_mapped)
        {
            Store(_row.AsSpan(0, n));
        }
        else
        {
            _rowLength = n;
            if (_rowLength >= FallbackBufferSize / 2 || Environment.TickCount64 - _lastFlush >= FallbackFlushInterval.TotalMilliseconds)
                Flush();
        }
    }

    /// <summary>Bytes of CSV in the file so far (header and rows; mapped files only, see <see cref="IsMapped"/>).</summary>
    public long Length => _mapped ? _written : throw new InvalidOperationException("the length of an unmapped output is not tracked");

    /// <summary>
    /// Replaces what was written so far by the first <paramref name="length"/> bytes of <paramref name="previous"/>, an
    /// earlier run's result with the same header, holding <paramref name="rows"/> rows: the rows up to a checkpoint, which
    /// the resumed run then continues. Mapped files only, right after the start (before a chunk was filled).
    /// </summary>
    public void ContinueFrom(string previous, long length, long rows)
    {
        if (!_mapped || _viewStart != 0) throw new InvalidOperationException("ContinueFrom needs a mapped file at its start");
        using var source = new FileStream(previous, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (source.Length < length)
            throw new Core.InputException($"{previous}: has {source.Length} bytes; the checkpoint's rows end at byte {length} (not the run's result file?)");
        var head = new byte[_header.Length];
        source.ReadExactly(head);
        if (!head.AsSpan().SequenceEqual(_header))
            throw new Core.InputException($"{previous}: its header is not the resumed run's ({Encoding.UTF8.GetString(_header).TrimEnd()})");
        source.Position = 0;
        _written = 0;
        var buffer = new byte[1 << 20];
        for (long done = 0; done < length;)
        {
            var n = source.Read(buffer, 0, (int)Math.Min(buffer.Length, length - done));
            if (n == 0) throw new EndOfStreamException(previous);
            Store(buffer.AsSpan(0, n));
            done += n;
        }
        Rows = rows;
    }

    private int WriteNumber(double v, int at)
    {
        // Shortest representation that round-trips; NaN and infinities spelled as most CSV readers expect.
        if (!v.TryFormat(_row.AsSpan(at), out var written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("row buffer too small");
        return at + written;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_mapped)
        {
            Store(bytes);
            return;
        }
        if (_rowLength + bytes.Length > _row.Length) Flush();
        if (bytes.Length > _row.Length)
        {
            _file.Write(bytes);
            return;
        }
        bytes.CopyTo(_row.AsSpan(_rowLength));
        _rowLength += bytes.Length;
    }

    /// <summary>Copies whole rows into the mapping, growing the file first if they do not fit.</summary>
    private void Store(ReadOnlySpan<byte> bytes)
    {
        if (_written + bytes.Length > _fileLength) Grow(bytes.Length);
        bytes.CopyTo(new Span<byte>(_viewPointer + (_written - _viewStart), bytes.Length));
        _written += bytes.Length;
    }

    private bool TryMapFirstChunk()
    {
        try
        {
            Grow(0);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Not mappable (e.g. /dev/null, a device): buffered writes from the start of the output.
            ReleaseView();
            if (_file.Length > 0) _file.SetLength(0); // a file that refused the mapping: drop the '\n' chunk
            _file.Position = 0;
            _fileLength = _written = _viewStart = 0;
            return false;
        }
    }

    /// <summary>
    /// Extends the file by at least one chunk of '\n' bytes (written, not ftruncate'd, so a crash never
    /// leaves NUL bytes), then maps the part from the page holding the first unwritten byte to the new end.
    /// </summary>
    private void Grow(int needed)
    {
        ReleaseView();
        var chunk = Math.Max(ChunkSize, (needed + ChunkSize - 1) / ChunkSize * ChunkSize);
        _file.Position = _fileLength;
        for (var done = 0; done < chunk; done += Newlines.Length) _file.Write(Newlines);
        _fileLength += chunk;
        _viewStart = _written / Environment.SystemPageSize * Environment.SystemPageSize;
        _map = MemoryMappedFile.CreateFromFile(_file, null, _fileLength, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(_viewStart, _fileLength - _viewStart, MemoryMappedFileAccess.ReadWrite);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _viewPointer = p + _view.PointerOffset;
    }

    private static byte[] CreateNewlines()
    {
        var bytes = new byte[1 << 16];
        bytes.AsSpan().Fill((byte)'\n');
        return bytes;
    }

    private void ReleaseView()
    {
        if (_viewPointer != null) _view!.SafeMemoryMappedViewHandle.ReleasePointer();
        _viewPointer = null;
        // Unmap through the handle first: disposing an open accessor calls msync(MS_SYNC), a writeback
        // to disk that made each chunk cost milliseconds and is not needed (the page cache has the rows).
        _view?.SafeMemoryMappedViewHandle.Dispose();
        _view?.Dispose();
        _view = null;
        _map?.Dispose();
        _map = null;
    }

    /// <summary>
    /// Makes every row written so far visible to readers of the file. Mapped: nothing to do (the rows
    /// are in the page cache already). Fallback: writes the buffered rows.
    /// </summary>
    public void Flush()
    {
        if (!_mapped && _rowLength > 0) _file.Write(_row, 0, _rowLength);
        _rowLength = 0;
        _lastFlush = Environment.TickCount64;
    }

    /// <summary>Ends the file: unmaps it and cuts the unused '\n' tail (mapped), or writes what is buffered.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (_mapped)
            {
                ReleaseView();
                _file.SetLength(_written);
            }
            else
            {
                Flush();
            }
        }
        finally
        {
            _file.Dispose();
        }
    }

    private static string Quote(string name) =>
        name.IndexOfAny([',', '"', '\n', '\r']) < 0 ? name : "\"" + name.Replace("\"", "\"\"") + "\"";
}
