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
/// The records of one signal in event time (seconds on the simulation's clock), sampled at communication points by
/// its <see cref="SignalPolicy"/>: Core's <see cref="SampledSignal"/> (jumps, ends held, cursor) with the gap
/// policies of historian data on top. Used by file replay and shadow scoring; a live source appends as messages
/// arrive and <see cref="DiscardBefore"/> what no later sample can need (the end is never taken for a gap).
/// </summary>
public sealed class SignalBuffer(string name, SignalPolicy policy)
{
    private readonly SampledSignal _records = new();

    /// <summary>The signal's name, for messages.</summary>
    public string Name { get; } = name;

    /// <summary>How it is sampled.</summary>
    public SignalPolicy Policy { get; } = policy;

    /// <summary>Where the records come from (a file name), for messages; with <see cref="Add(double,double,int)"/>'s line numbers.</summary>
    public string? Source { get; init; }

    /// <summary>Records held.</summary>
    public int Count => _records.Count;

    /// <summary>Time of the first record held; NaN when empty.</summary>
    public double FirstTime => _records.FirstTime;

    /// <summary>Time of the last record; NaN when empty.</summary>
    public double LastTime => _records.LastTime;

    /// <summary>Appends a record; throws <see cref="ArgumentException"/> when it is older than the last one.</summary>
    public void Add(double time, double value) => Add(time, value, 0);

    /// <summary>Appends a record that came from <paramref name="line"/> of <see cref="Source"/> (named in gap messages).</summary>
    public void Add(double time, double value, int line)
    {
        if (_records.Count > 0 && time < _records.LastTime)
            throw new ArgumentException($"{Name}: record at {F(time)} s is older than the last one at {F(_records.LastTime)} s");
        _records.Append(time, value, line);
    }

    /// <summary>Forgets records no sample at or after <paramref name="time"/> can need (keeps the last one at or before it).</summary>
    public void DiscardBefore(double time) => _records.DiscardBefore(time);

    /// <summary>
    /// The signal's value at <paramref name="time"/>. Exactly at a record: that record (the later one
    /// of a jump). Between records no more than <see cref="SignalPolicy.MaxGap"/> apart: linear or hold.
    /// Inside a longer gap: by <see cref="SignalPolicy.Gap"/>. NaN when there is no record yet.
    /// </summary>
    public double Sample(double time)
    {
        var i = _records.LastAtOrBefore(time);
        if (i < 0 || i + 1 == _records.Count || time == _records.TimeAt(i)) return _records.ValueAtTime(time, Policy.Interpolation);
        var t0 = _records.TimeAt(i);
        var t1 = _records.TimeAt(i + 1);
        var interpolation = Policy.Interpolation;
        if (t1 - t0 > Policy.MaxGap)
        {
            switch (Policy.Gap)
            {
                case GapPolicy.Hold: interpolation = Interpolation.Hold; break;
                case GapPolicy.Interpolate: interpolation = Interpolation.Linear; break;
                case GapPolicy.Missing: return double.NaN;
                default:
                    var line = _records.LineAt(i + 1);
                    var where = Source != null && line > 0 ? $"{Source}:{line}: " : Source != null ? $"{Source}: " : "";
                    throw new SignalGapException($"{where}signal '{Name}': no record for {F(t1 - t0)} s (from t={F(t0)} to {F(t1)} s), more than the maximum gap of {F(Policy.MaxGap)} s (gap policy fail), sampled at t={F(time)} s");
            }
        }
        return _records.ValueAfter(i, time, interpolation);
    }

    /// <summary>The median time between consecutive records (0 with fewer than two; jumps count as 0).</summary>
    public double MedianInterval() => _records.MedianInterval();

    /// <summary>The gaps among the records held: consecutive records more than <see cref="SignalPolicy.MaxGap"/> apart, in time order.</summary>
    public IEnumerable<SignalGap> Gaps()
    {
        for (var i = 0; i + 1 < _records.Count; i++)
            if (_records.TimeAt(i + 1) - _records.TimeAt(i) > Policy.MaxGap)
                yield return new SignalGap(_records.TimeAt(i), _records.TimeAt(i + 1), _records.LineAt(i + 1));
    }

    /// <summary>Whether a record sits exactly at <paramref name="time"/> (within 1 ns), e.g. to score only where the file has a row.</summary>
    public bool HasRecordAt(double time)
    {
        var i = _records.LastAtOrBefore(time);
        return _records.Count > 0 && Math.Abs(_records.TimeAt(Math.Max(i, 0)) - time) < 1e-9;
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
