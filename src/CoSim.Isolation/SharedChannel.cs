using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using CoSim.Core;

namespace CoSim.Isolation;

/// <summary>
/// The request/response channel between a parent and one host process: a file in /dev/shm mapped
/// by both, with a request area, a response area and a log area. A side publishes a message by
/// incrementing its sequence word; the other side spins briefly on the word, then sleeps on it
/// with a futex. Each side sets a "sleeping" flag before the futex wait and the publisher calls
/// FUTEX_WAKE only when that flag is set, so a round trip between spinning sides makes no system
/// call. (Dekker-style: both the increment and the flag write are full fences.) Spinning adapts:
/// after repeated spins that end asleep anyway, a side sleeps at once for a while.
/// </summary>
internal sealed unsafe class SharedChannel : IDisposable
{
    private const int Magic = 0x43534931; // "CSI1"
    private const int HeaderSize = 4096;
    // Header words; each side's words on their own cache line.
    private const int MagicOffset = 0;
    private const int RequestSeqOffset = 64, ChildSleepingOffset = 68, RequestLengthOffset = 72;
    private const int ResponseSeqOffset = 128, ParentSleepingOffset = 132, ResponseLengthOffset = 136;
    private const int LogLengthOffset = 192, LogDroppedOffset = 196;

    /// <summary>Largest request or response (serialized FMU states travel whole).</summary>
    public const int MessageCapacity = 8 << 20;
    /// <summary>Bytes of log records per request (records beyond it are counted, not kept).</summary>
    public const int LogCapacity = 256 << 10;
    private const long TotalSize = HeaderSize + 2L * MessageCapacity + LogCapacity;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly bool _owner;
    private int _requestSeq, _responseSeq;
    private const int SpinMissesBeforePause = 8, SpinPauseWaits = 256;
    private int _spinMisses, _spinPause; // adaptive spinning of this side's waits

    private SharedChannel(string path, MemoryMappedFile file, bool owner)
    {
        Path = path;
        _file = file;
        _owner = owner;
        _view = file.CreateViewAccessor(0, TotalSize, MemoryMappedFileAccess.ReadWrite);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
        Request = new MessageBuffer(_base + HeaderSize, MessageCapacity);
        Response = new MessageBuffer(_base + HeaderSize + MessageCapacity, MessageCapacity);
        Log = new MessageBuffer(_base + HeaderSize + 2L * MessageCapacity, LogCapacity);
    }

    /// <summary>The mapped file (the child opens it by this path).</summary>
    public string Path { get; }

    public MessageBuffer Request { get; }
    public MessageBuffer Response { get; }
    public MessageBuffer Log { get; }

    private int* Word(int offset) => (int*)(_base + offset);

    /// <summary>Creates a new channel file (parent side). Pages are touched only as used (tmpfs is sparse).</summary>
    public static SharedChannel Create()
    {
        var folder = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        var path = System.IO.Path.Combine(folder, $"cosim-isolation-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.SetLength(TotalSize);
        var file = MemoryMappedFile.CreateFromFile(stream, null, TotalSize, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        var channel = new SharedChannel(path, file, owner: true);
        *channel.Word(MagicOffset) = Magic;
        return channel;
    }

    /// <summary>Opens the channel a parent created (child side).</summary>
    public static SharedChannel Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var file = MemoryMappedFile.CreateFromFile(stream, null, TotalSize, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        var channel = new SharedChannel(path, file, owner: false);
        if (*channel.Word(MagicOffset) != Magic) throw new InvalidDataException($"{path} is not a CoSim isolation channel");
        return channel;
    }

    /// <summary>Removes the file name; both mappings stay valid (done once the child has opened it, so nothing is left in /dev/shm).</summary>
    public void Unlink()
    {
        try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    // ---- parent side ----

    /// <summary>Publishes the request written to <see cref="Request"/> (its position is the length).</summary>
    public void SendRequest()
    {
        *Word(RequestLengthOffset) = Request.Position;
        _requestSeq++;
        Publish(RequestSeqOffset, ChildSleepingOffset, _requestSeq);
    }

    /// <summary>
    /// Waits for the response to the last request. Spins for <paramref name="spinTicks"/> (Stopwatch
    /// ticks), then sleeps in slices of <paramref name="sliceMicroseconds"/>, calling <paramref name="check"/>
    /// after each (it throws to give up: the child died, a timeout, a memory limit).
    /// </summary>
    public void WaitResponse(long spinTicks, long sliceMicroseconds, Action check)
    {
        Await(ResponseSeqOffset, ParentSleepingOffset, _requestSeq, spinTicks, sliceMicroseconds, check);
        _responseSeq = _requestSeq;
        Response.Reset(*Word(ResponseLengthOffset));
    }

    // ---- child side ----

    /// <summary>Waits for the next request; afterwards <see cref="Request"/> is positioned at its start with its length.</summary>
    public void WaitRequest(long spinTicks, long sliceMicroseconds, Action check)
    {
        Await(RequestSeqOffset, ChildSleepingOffset, _responseSeq + 1, spinTicks, sliceMicroseconds, check);
        _responseSeq++;
        Request.Reset(*Word(RequestLengthOffset));
    }

    /// <summary>Publishes the response written to <see cref="Response"/>.</summary>
    public void SendResponse()
    {
        *Word(ResponseLengthOffset) = Response.Position;
        Publish(ResponseSeqOffset, ParentSleepingOffset, _responseSeq);
    }

    // ---- log area: written by the child while it serves a request, drained by the parent ----

    public int LogLength
    {
        get => Volatile.Read(ref *Word(LogLengthOffset));
        set => Volatile.Write(ref *Word(LogLengthOffset), value);
    }

    public int LogDropped
    {
        get => Volatile.Read(ref *Word(LogDroppedOffset));
        set => Volatile.Write(ref *Word(LogDroppedOffset), value);
    }

    private void Publish(int seqOffset, int sleepingOffset, int value)
    {
        Interlocked.Exchange(ref *Word(seqOffset), value); // full fence: the message is visible first
        if (Volatile.Read(ref *Word(sleepingOffset)) != 0) Futex.Wake(Word(seqOffset));
    }

    private void Await(int seqOffset, int sleepingOffset, int target, long spinTicks, long sliceMicroseconds, Action check)
    {
        var seq = Word(seqOffset);
        if (Volatile.Read(ref *seq) == target) return;
        if (spinTicks > 0 && _spinPause == 0)
        {
            var spinUntil = Stopwatch.GetTimestamp() + spinTicks;
            while (Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(4);
                if (Volatile.Read(ref *seq) == target)
                {
                    _spinMisses = 0;
                    return;
                }
            }
            // Spins that keep missing (the other side is slow, or has no core: a loaded machine)
            // only take CPU from it: pause spinning for a while and sleep at once.
            if (++_spinMisses >= SpinMissesBeforePause)
            {
                _spinMisses = 0;
                _spinPause = SpinPauseWaits;
            }
        }
        else if (_spinPause > 0)
        {
            _spinPause--;
        }
        var sleeping = Word(sleepingOffset);
        while (true)
        {
            Interlocked.Exchange(ref *sleeping, 1);
            var seen = Volatile.Read(ref *seq);
            if (seen != target) Futex.Wait(seq, seen, sliceMicroseconds);
            Volatile.Write(ref *sleeping, 0);
            if (Volatile.Read(ref *seq) == target) return;
            check();
        }
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        if (_owner) Unlink();
    }
}

/// <summary>
/// A cursor over a fixed region of the shared mapping: little-endian primitives, length-prefixed
/// UTF-8 strings and byte arrays, spans of doubles (copied bit for bit). Overflow is an error
/// naming the capacity, never a write past the region.
/// </summary>
internal sealed unsafe class MessageBuffer
{
    private readonly byte* start;
    private readonly int capacity;
    private int _length;

    public MessageBuffer(byte* start, int capacity)
    {
        this.start = start;
        this.capacity = capacity;
        _length = capacity;
    }

    public int Position { get; private set; }
    public int Capacity => capacity;

    /// <summary>Starts reading a message of <paramref name="length"/> bytes (or writing, with length = capacity).</summary>
    public void Reset(int length)
    {
        Position = 0;
        _length = Math.Clamp(length, 0, capacity);
    }

    /// <summary>Starts writing a new message.</summary>
    public void Clear() => Reset(capacity);

    public bool AtEnd => Position >= _length;

    /// <summary>The raw bytes written so far (for copies of a request).</summary>
    public ReadOnlySpan<byte> Written => new(start, Position);

    private byte* Take(int bytes)
    {
        if (bytes < 0 || Position + (long)bytes > _length)
            throw new SimulationException($"isolation channel: a message needs more than {capacity >> 20} MiB or is corrupt (at byte {Position}, {bytes} more)");
        var p = start + Position;
        Position += bytes;
        return p;
    }

    public void WriteInt(int value) => *(int*)Take(4) = value;
    public void WriteLong(long value) => *(long*)Take(8) = value;
    public void WriteDouble(double value) => *(double*)Take(8) = value;
    public void WriteBool(bool value) => *Take(1) = value ? (byte)1 : (byte)0;

    public void WriteDoubles(ReadOnlySpan<double> values) =>
        values.CopyTo(new Span<double>(Take(values.Length * 8), values.Length));

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteInt(bytes.Length);
        bytes.CopyTo(new Span<byte>(Take(bytes.Length), bytes.Length));
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(new Span<byte>(Take(bytes.Length), bytes.Length));

    /// <summary>A string or null (length -1).</summary>
    public void WriteString(string? text)
    {
        if (text == null)
        {
            WriteInt(-1);
            return;
        }
        var count = System.Text.Encoding.UTF8.GetByteCount(text);
        WriteInt(count);
        System.Text.Encoding.UTF8.GetBytes(text, new Span<byte>(Take(count), count));
    }

    public int ReadInt() => *(int*)Take(4);
    public long ReadLong() => *(long*)Take(8);
    public double ReadDouble() => *(double*)Take(8);
    public bool ReadBool() => *Take(1) != 0;

    public void ReadDoubles(Span<double> values) =>
        new ReadOnlySpan<double>(Take(values.Length * 8), values.Length).CopyTo(values);

    public byte[] ReadBytes()
    {
        var count = ReadInt();
        return new ReadOnlySpan<byte>(Take(count), count).ToArray();
    }

    /// <summary>Reads a length-prefixed byte block into <paramref name="target"/> (grown when too small); returns its length.</summary>
    public int ReadBytesInto(ref byte[] target)
    {
        var count = ReadInt();
        if (target.Length < count) target = new byte[Math.Max(count, target.Length * 2)];
        new ReadOnlySpan<byte>(Take(count), count).CopyTo(target);
        return count;
    }

    public string? ReadString()
    {
        var count = ReadInt();
        if (count < 0) return null;
        return System.Text.Encoding.UTF8.GetString(Take(count), count);
    }
}
