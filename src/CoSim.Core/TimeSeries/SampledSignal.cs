namespace CoSim.Core;

/// <summary>
/// The records of one signal, sorted by time, and its value at any time: the one time-series sampler behind input
/// tables, historian replay (<c>SignalBuffer</c> adds gap policies on top) and live sources (Kafka's event-time
/// view), so that they agree to the bit.
/// <list type="bullet">
/// <item>At a record's time: that record; two records at one time are a jump, the later one holds from that instant.</item>
/// <item>Between two records: <see cref="Sampling.Between"/> by the interpolation asked for.</item>
/// <item>Before the first record the first value holds, after the last one the last value.</item>
/// </list>
/// Looking a time up is amortised O(1) while the times asked for move forward (a cursor), and any time may be asked
/// for. A live source appends or sorts in records while it samples and <see cref="DiscardBefore"/> forgets what no
/// later time can need, so memory follows the window in use, not the run's length. Not thread-safe.
/// </summary>
public sealed class SampledSignal
{
    private double[] _times = new double[16];
    private double[] _values = new double[16];
    private int[]? _lines;
    private int _start; // first record held (records before it were discarded)
    private int _end; // one past the last record
    private int _cursor; // a record at or before the most recent time looked up (a hint: the search walks on from it)

    /// <summary>Records held.</summary>
    public int Count => _end - _start;

    /// <summary>Time of the first record held; NaN when empty.</summary>
    public double FirstTime => Count > 0 ? _times[_start] : double.NaN;

    /// <summary>Time of the last record; NaN when empty.</summary>
    public double LastTime => Count > 0 ? _times[_end - 1] : double.NaN;

    /// <summary>The time of record <paramref name="index"/> (0 is the first held).</summary>
    public double TimeAt(int index) => _times[_start + index];

    /// <summary>The value of record <paramref name="index"/>.</summary>
    public double ValueAt(int index) => _values[_start + index];

    /// <summary>Where record <paramref name="index"/> came from (a file's line), 0 when unknown.</summary>
    public int LineAt(int index) => _lines?[_start + index] ?? 0;

    /// <summary>
    /// Appends a record at or after the last one (at its time: a jump), from <paramref name="line"/> of its file
    /// (0: unknown); throws <see cref="ArgumentException"/> when it is older than the last one.
    /// </summary>
    public void Append(double time, double value, int line = 0)
    {
        if (Count > 0 && time < _times[_end - 1])
            throw new ArgumentException($"a record at {time} s is older than the last one at {_times[_end - 1]} s");
        InsertAt(_end, time, value, line);
    }

    /// <summary>
    /// Sorts a record in by time; a record already at that time is replaced (a stream's correction of an event time,
    /// not a jump). Cheap when records come nearly in order.
    /// </summary>
    public void Upsert(double time, double value)
    {
        var at = FirstAtOrAfter(time);
        if (at < Count && TimeAt(at) == time) _values[_start + at] = value;
        else InsertAt(_start + at, time, value, 0);
    }

    /// <summary>The index of the last record at or before <paramref name="time"/>; -1 when there is none (empty, or all after it).</summary>
    public int LastAtOrBefore(double time)
    {
        if (Count == 0 || time < _times[_start]) return -1;
        if (_cursor < _start || _cursor >= _end || time < _times[_cursor]) _cursor = _start; // moved backwards: rescan
        while (_cursor + 1 < _end && _times[_cursor + 1] <= time) _cursor++;
        return _cursor - _start;
    }

    /// <summary>The index of the first record at or after <paramref name="time"/>; <see cref="Count"/> when there is none.</summary>
    public int FirstAtOrAfter(double time)
    {
        int lo = _start, hi = _end;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_times[mid] < time) lo = mid + 1;
            else hi = mid;
        }
        return lo - _start;
    }

    /// <summary>The signal's value at <paramref name="time"/> by <paramref name="interpolation"/> (see the class); NaN when empty.</summary>
    public double ValueAtTime(double time, Interpolation interpolation)
    {
        if (Count == 0) return double.NaN;
        var i = LastAtOrBefore(time);
        if (i < 0) return _values[_start];
        return ValueAfter(i, time, interpolation);
    }

    /// <summary>
    /// The value at <paramref name="time"/> given <paramref name="index"/> = <see cref="LastAtOrBefore"/>(time) &gt;= 0:
    /// the record itself at its time or after the last record, else between it and the next one.
    /// </summary>
    public double ValueAfter(int index, double time, Interpolation interpolation)
    {
        var i = _start + index;
        if (i + 1 == _end || time == _times[i]) return _values[i];
        return Sampling.Between(_times[i], _values[i], _times[i + 1], _values[i + 1], time, interpolation);
    }

    /// <summary>Forgets the records no time at or after <paramref name="time"/> can need (keeps the last one at or before it).</summary>
    public void DiscardBefore(double time)
    {
        while (_start + 1 < _end && _times[_start + 1] <= time) _start++;
        if (_cursor < _start) _cursor = _start;
    }

    /// <summary>The median time between consecutive records (0 with fewer than two; jumps count as 0).</summary>
    public double MedianInterval()
    {
        if (Count < 2) return 0;
        var intervals = new double[Count - 1];
        for (var i = 0; i < intervals.Length; i++) intervals[i] = _times[_start + i + 1] - _times[_start + i];
        Array.Sort(intervals);
        var mid = intervals.Length / 2;
        return intervals.Length % 2 == 1 ? intervals[mid] : 0.5 * (intervals[mid - 1] + intervals[mid]);
    }

    private void InsertAt(int at, double time, double value, int line)
    {
        if (_end == _times.Length) at = Compact(at);
        var after = _end - at;
        if (after > 0)
        {
            Array.Copy(_times, at, _times, at + 1, after);
            Array.Copy(_values, at, _values, at + 1, after);
            if (_lines != null) Array.Copy(_lines, at, _lines, at + 1, after);
            if (_cursor >= at) _cursor++;
        }
        _times[at] = time;
        _values[at] = value;
        if (line > 0 || _lines != null)
        {
            _lines ??= new int[_times.Length];
            _lines[at] = line;
        }
        _end++;
    }

    // Makes room for one more record: moves the held records to the front, into larger arrays when they are more
    // than half full (after discards, moving may be enough). Returns where position `at` went.
    private int Compact(int at)
    {
        var held = Count;
        var size = held * 2 > _times.Length ? _times.Length * 2 : _times.Length;
        _times = Moved(_times, size);
        _values = Moved(_values, size);
        if (_lines != null) _lines = Moved(_lines, size);
        _cursor -= _start;
        at -= _start;
        _end = held;
        _start = 0;
        return at;
    }

    private T[] Moved<T>(T[] array, int size)
    {
        var moved = size == array.Length ? array : new T[size];
        Array.Copy(array, _start, moved, 0, Count);
        return moved;
    }
}
