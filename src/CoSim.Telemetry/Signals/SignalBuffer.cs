using System.Globalization;
using CoSim.Core;

namespace CoSim.Telemetry.Signals;

/// <summary>What a signal gives inside a gap: two consecutive records further apart than the maximum gap.</summary>
public enum GapPolicy
{
    /// <summary>The last record before the gap, until the next record.</summary>
    Hold,

    /// <summary>Linear interpolation across the gap (even for a held signal).</summary>
    Interpolate,

    /// <summary>NaN strictly inside the gap: the value is marked missing.</summary>
    Missing,

    /// <summary>Sampling inside the gap throws a <see cref="SignalGapException"/>.</summary>
    Fail,
}

/// <summary>
/// How one signal is sampled: interpolation, and the gap policy beyond <paramref name="MaxGap"/> seconds between records
/// (<see cref="AutoMaxGap"/>: <see cref="DefaultGapFactor"/> times the signal's median record interval, see <see cref="ForRecords"/>).
/// </summary>
public sealed record SignalPolicy(Interpolation Interpolation = Interpolation.Linear, GapPolicy Gap = GapPolicy.Hold, double MaxGap = double.PositiveInfinity)
{
    /// <summary>Linear, no gap ever.</summary>
    public static readonly SignalPolicy Default = new();

    /// <summary>A <see cref="MaxGap"/> to be taken from the records: <see cref="DefaultGapFactor"/> x their median interval.</summary>
    public const double AutoMaxGap = double.NaN;

    /// <summary>The default maximum gap in median record intervals: a 10-minute hole in a 1 Hz file is a gap, the jitter of its sampling is not.</summary>
    public const double DefaultGapFactor = 10;

    /// <summary>Whether <see cref="MaxGap"/> is still to be taken from the records.</summary>
    public bool MaxGapIsAuto => double.IsNaN(MaxGap);

    /// <summary>This policy with an <see cref="AutoMaxGap"/> resolved for <paramref name="buffer"/>'s records (unchanged otherwise, or when it has fewer than two).</summary>
    public SignalPolicy ForRecords(SignalBuffer buffer) =>
        MaxGapIsAuto ? this with { MaxGap = buffer.MedianInterval() is var m && m > 0 ? DefaultGapFactor * m : double.PositiveInfinity } : this;

    /// <summary>Parses <c>linear|hold</c> and <c>hold|interpolate|missing|fail[:SECONDS]</c> as the command line writes them.</summary>
    public static GapPolicy ParseGap(string text) => text.ToLowerInvariant() switch
    {
        "hold" => GapPolicy.Hold,
        "interpolate" => GapPolicy.Interpolate,
        "missing" => GapPolicy.Missing,
        "fail" => GapPolicy.Fail,
        _ => throw new InputException($"gap policy '{text}': unknown (have: hold, interpolate, missing, fail)"),
    };

    /// <summary>Parses <c>linear</c> or <c>hold</c> (alias <c>zoh</c>).</summary>
    public static Interpolation ParseInterpolation(string text) => text.ToLowerInvariant() switch
    {
        "linear" => Interpolation.Linear,
        "hold" or "zoh" => Interpolation.Hold,
        _ => throw new InputException($"interpolation '{text}': unknown (have: linear, hold)"),
    };
}

/// <summary>Two consecutive records of a signal further apart than its maximum gap: from <paramref name="From"/> to <paramref name="To"/> [s], the later record from <paramref name="Line"/> (0: unknown).</summary>
public sealed record SignalGap(double From, double To, int Line)
{
    /// <summary>Its length [s].</summary>
    public double Seconds => To - From;
}

/// <summary>A sample was asked for inside a gap whose policy is <see cref="GapPolicy.Fail"/>; names the signal and the gap.</summary>
public sealed class SignalGapException(string message) : InputException(message);

/// <summary>
/// The records of one signal in event time (seconds on the simulation's clock), sampled at
/// communication points by its <see cref="SignalPolicy"/>. Records are appended in time order;
/// a record with the same time as the previous one is a jump (the later one holds from that
/// instant on). Sampling is amortised O(1) while the sample time moves forward (a cursor), and
/// any time may be asked for. Before the first record the first value holds, after the last one
/// the last value (a live source appends while it samples, so the end is never taken for a gap).
/// Used by file replay and reusable by live sources, which append as
/// messages arrive and <see cref="DiscardBefore"/> what no later sample can need.
/// </summary>
public sealed class SignalBuffer(string name, SignalPolicy policy)
{
    private double[] _times = new double[16];
    private double[] _values = new double[16];
    private int[]? _lines;
    private int _start; // first live record (records before it were discarded)
    private int _count; // one past the last record
    private int _cursor; // last record with time <= the most recent sample time

    /// <summary>The signal's name, for messages.</summary>
    public string Name { get; } = name;

    /// <summary>How it is sampled.</summary>
    public SignalPolicy Policy { get; } = policy;

    /// <summary>Where the records come from (a file name), for messages; with <see cref="Add(double,double,int)"/>'s line numbers.</summary>
    public string? Source { get; init; }

    /// <summary>Records held.</summary>
    public int Count => _count - _start;

    /// <summary>Time of the first record held; NaN when empty.</summary>
    public double FirstTime => Count > 0 ? _times[_start] : double.NaN;

    /// <summary>Time of the last record; NaN when empty.</summary>
    public double LastTime => Count > 0 ? _times[_count - 1] : double.NaN;

    /// <summary>Appends a record; throws <see cref="ArgumentException"/> when it is older than the last one.</summary>
    public void Add(double time, double value) => Add(time, value, 0);

    /// <summary>Appends a record that came from <paramref name="line"/> of <see cref="Source"/> (named in gap messages).</summary>
    public void Add(double time, double value, int line)
    {
        if (_count > _start && time < _times[_count - 1])
            throw new ArgumentException($"{Name}: record at {F(time)} s is older than the last one at {F(_times[_count - 1])} s");
        if (_count == _times.Length) Grow();
        _times[_count] = time;
        _values[_count] = value;
        if (line > 0 || _lines != null)
        {
            _lines ??= new int[_times.Length];
            _lines[_count] = line;
        }
        _count++;
    }

    /// <summary>Forgets records no sample at or after <paramref name="time"/> can need (keeps the last one at or before it).</summary>
    public void DiscardBefore(double time)
    {
        while (_start + 1 < _count && _times[_start + 1] <= time) _start++;
        if (_cursor < _start) _cursor = _start;
    }

    private void Grow()
    {
        var live = Count;
        var size = live * 2 > _times.Length ? _times.Length * 2 : _times.Length; // after discards, compacting may be enough
        var times = new double[size];
        var values = new double[size];
        Array.Copy(_times, _start, times, 0, live);
        Array.Copy(_values, _start, values, 0, live);
        if (_lines != null)
        {
            var lines = new int[size];
            Array.Copy(_lines, _start, lines, 0, live);
            _lines = lines;
        }
        _cursor -= _start;
        _count = live;
        _start = 0;
        _times = times;
        _values = values;
    }

    /// <summary>
    /// The signal's value at <paramref name="time"/>. Exactly at a record: that record (the later one
    /// of a jump). Between records no more than <see cref="SignalPolicy.MaxGap"/> apart: linear or hold.
    /// Inside a longer gap: by <see cref="SignalPolicy.Gap"/>. NaN when there is no record yet.
    /// </summary>
    public double Sample(double time)
    {
        if (_count == _start) return double.NaN;
        if (_cursor < _start || time < _times[_cursor]) _cursor = _start; // moved backwards: rescan
        while (_cursor + 1 < _count && _times[_cursor + 1] <= time) _cursor++;
        var i = _cursor;
        if (time < _times[i] || i + 1 == _count) return _values[i]; // before the first or at/after the last record
        if (time == _times[i]) return _values[i];
        var t0 = _times[i];
        var t1 = _times[i + 1];
        var linear = Policy.Interpolation == Interpolation.Linear;
        if (t1 - t0 > Policy.MaxGap)
        {
            switch (Policy.Gap)
            {
                case GapPolicy.Hold: linear = false; break;
                case GapPolicy.Interpolate: linear = true; break;
                case GapPolicy.Missing: return double.NaN;
                default:
                    var where = Source != null && _lines != null ? $"{Source}:{_lines[i + 1]}: " : Source != null ? $"{Source}: " : "";
                    throw new SignalGapException($"{where}signal '{Name}': no record for {F(t1 - t0)} s (from t={F(t0)} to {F(t1)} s), more than the maximum gap of {F(Policy.MaxGap)} s (gap policy fail), sampled at t={F(time)} s");
            }
        }
        return Sampling.Between(t0, _values[i], t1, _values[i + 1], time, linear ? Interpolation.Linear : Interpolation.Hold);
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

    /// <summary>The gaps among the records held: consecutive records more than <see cref="SignalPolicy.MaxGap"/> apart, in time order.</summary>
    public IEnumerable<SignalGap> Gaps()
    {
        for (var i = _start; i + 1 < _count; i++)
            if (_times[i + 1] - _times[i] > Policy.MaxGap)
                yield return new SignalGap(_times[i], _times[i + 1], _lines?[i + 1] ?? 0);
    }

    /// <summary>Whether a record sits exactly at <paramref name="time"/> (within 1 ns), e.g. to score only where the file has a row.</summary>
    public bool HasRecordAt(double time)
    {
        Sample(time); // moves the cursor
        return _count > _start && Math.Abs(_times[_cursor] - time) < 1e-9;
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
