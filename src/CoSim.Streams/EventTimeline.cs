using CoSim.Core;

namespace CoSim.Streams;

/// <summary>Where a message went on arrival.</summary>
public enum Arrival
{
    /// <summary>Newer than everything before it.</summary>
    InOrder,
    /// <summary>Older than a message before it, but after the watermark: sorted in.</summary>
    Reordered,
    /// <summary>At or before the watermark, dropped (<see cref="LatePolicy.Drop"/>).</summary>
    LateDropped,
    /// <summary>At or before the watermark, applied just after it (<see cref="LatePolicy.Next"/>).</summary>
    LateDeferred,
}

/// <summary>
/// The event-time view of one stream: per-signal samples sorted by event time, a watermark that trails the
/// newest event time by the allowed lateness, and the values at a point once the stream has passed it.
/// Each signal's samples are a Core <see cref="SampledSignal"/> (sorted in; one event time holds one value).
/// Everything at or before the watermark is final: a message arriving there is late and handled by policy,
/// so the value at a point never depends on when the messages arrived, only on their order in the topic
/// (which is what makes a replay from recorded offsets exact). Not thread-safe: the simulation thread owns it.
/// </summary>
public sealed class EventTimeline
{
    private readonly SampledSignal[] _samples;
    private readonly bool[] _linear;
    private readonly double _lateness;
    private readonly LatePolicy _late;
    private double _newest = double.NegativeInfinity;

    public EventTimeline(IReadOnlyList<Interpolation> signals, double allowedLateness, LatePolicy late)
    {
        _samples = signals.Select(_ => new SampledSignal()).ToArray();
        _linear = signals.Select(s => s == Interpolation.Linear).ToArray();
        _lateness = allowedLateness;
        _late = late;
    }

    /// <summary>Event time up to which (inclusive) the stream is final; +inf once the stream has ended.</summary>
    public double Watermark { get; private set; } = double.NegativeInfinity;

    /// <summary>Messages per kind of arrival.</summary>
    public long InOrder { get; private set; }
    public long Reordered { get; private set; }
    public long LateDropped { get; private set; }
    public long LateDeferred { get; private set; }

    /// <summary>Deferred late messages whose value was the one in force at the next point (a later sample before that point supersedes it).</summary>
    public long LateApplied { get; private set; }

    /// <summary>Deferred late messages superseded before any point used them: a newer sample came before the next point, so the late value never reached an input.</summary>
    public long LateSuperseded { get; private set; }

    // Deferred late messages not yet judged: the event time they took effect at, and the signals they carried.
    private readonly List<(double Effective, int[] Signals)> _deferred = [];

    /// <summary>Takes one message (event time, values with NaN for absent); returns what became of it and the event time it takes effect at (NaN: dropped).</summary>
    public (Arrival Arrival, double EffectiveTime) Add(double time, ReadOnlySpan<double> values)
    {
        Arrival arrival;
        var effective = time;
        if (time <= Watermark)
        {
            if (_late == LatePolicy.Drop)
            {
                LateDropped++;
                return (Arrival.LateDropped, double.NaN);
            }
            // Just after the watermark: after every point already applied, before any still to come.
            effective = Math.BitIncrement(Watermark);
            arrival = Arrival.LateDeferred;
            LateDeferred++;
        }
        else if (time < _newest)
        {
            arrival = Arrival.Reordered;
            Reordered++;
        }
        else
        {
            arrival = Arrival.InOrder;
            InOrder++;
        }
        for (var i = 0; i < values.Length; i++)
            if (!double.IsNaN(values[i])) _samples[i].Upsert(effective, values[i]);
        if (arrival == Arrival.LateDeferred)
        {
            var carried = new List<int>();
            for (var i = 0; i < values.Length; i++)
                if (!double.IsNaN(values[i])) carried.Add(i);
            _deferred.Add((effective, carried.ToArray()));
        }
        if (time > _newest)
        {
            _newest = time;
            Watermark = Math.Max(Watermark, _newest - _lateness);
        }
        return (arrival, effective);
    }

    /// <summary>The stream has ended (a replay reached its recorded end): everything received is final.</summary>
    public void End() => Watermark = double.PositiveInfinity;

    /// <summary>
    /// True when the values at <paramref name="point"/> are final: the watermark has reached it, and every linear
    /// signal has a final sample (at or before the watermark) at or after it to interpolate towards.
    /// </summary>
    public bool Ready(double point)
    {
        if (!(Watermark >= point)) return false;
        if (double.IsPositiveInfinity(Watermark)) return true;
        for (var i = 0; i < _samples.Length; i++)
        {
            if (!_linear[i]) continue;
            var s = _samples[i];
            var after = s.FirstAtOrAfter(point);
            if (after == s.Count || !(s.TimeAt(after) <= Watermark)) return false;
        }
        return true;
    }

    /// <summary>
    /// The signals' values at <paramref name="point"/> (NaN: no sample at or before it yet, the input keeps its
    /// value); then forgets samples no later point needs.
    /// </summary>
    public void ValuesAt(double point, Span<double> values)
    {
        JudgeDeferred(point);
        for (var i = 0; i < _samples.Length; i++)
        {
            var s = _samples[i];
            var atOrBefore = s.LastAtOrBefore(point);
            values[i] = atOrBefore < 0 ? double.NaN : s.ValueAfter(atOrBefore, point, _linear[i] ? Interpolation.Linear : Interpolation.Hold);
            // Later points are at or after this one: the last sample at or before it is the oldest they can use.
            s.DiscardBefore(point);
        }
    }

    /// <summary>Each deferred late message that <paramref name="point"/> reaches either is the sample in force there for one of its signals (applied) or not (superseded).</summary>
    private void JudgeDeferred(double point)
    {
        for (var k = _deferred.Count - 1; k >= 0; k--)
        {
            var (effective, signals) = _deferred[k];
            if (effective > point) continue;
            var used = signals.Any(i => TimeInForce(_samples[i], point) == effective);
            if (used) LateApplied++;
            else LateSuperseded++;
            _deferred.RemoveAt(k);
        }
    }

    /// <summary>Samples held (memory is bounded by the lateness window and the buffer, not the run's length).</summary>
    public int Held => _samples.Sum(s => s.Count);

    // The time of the sample in force at the point: the one at it, else the last before it; NaN when none.
    private static double TimeInForce(SampledSignal s, double point) =>
        s.LastAtOrBefore(point) is var i && i >= 0 ? s.TimeAt(i) : double.NaN;
}
