using System.Diagnostics;
using System.Threading.Channels;
using CoSim.Core;

namespace CoSim.Streams;

/// <summary>
/// The transport side of a <see cref="StreamInput"/>: the thread that fills its channel (a Kafka consumer, an MQTT client),
/// seen from the simulation thread. Thread-safe.
/// </summary>
public interface IStreamFeed
{
    /// <summary>Why the feed stopped, when it failed (the channel is then completed).</summary>
    Exception? Failure { get; }

    /// <summary>Stopwatch timestamp since which the feed can deliver (Kafka: the latest partition assignment; MQTT: the latest connection); 0 before the first.</summary>
    long ReadySince { get; }

    /// <summary>The transport's latest error text, if any.</summary>
    string? LastError { get; }
}

/// <summary>
/// The simulation side of a live stream, whatever its transport: at each communication point it takes what arrived in the
/// channel, sorts it in by event time (<see cref="EventTimeline"/>) and gives the values once the watermark has passed the
/// point, waiting for the stream when it has not and failing the run as stalled after
/// <see cref="StreamSourceConfig.StallTimeout"/> without a message: the simulation never runs ahead of its data. A malformed
/// message is skipped and counted, or (skipMalformed false) ends the stream there: the points before it are still given,
/// the next one fails the run. Not thread-safe: the simulation thread owns it.
/// </summary>
public sealed class StreamInput
{
    private readonly StreamSourceConfig _source;
    private readonly ChannelReader<StreamMessage> _reader;
    private readonly IStreamFeed _feed;
    private readonly ILogSink _log;
    private readonly string _transport;
    private readonly Action<StreamMessage, double>? _taken;
    private readonly double _perSecond;
    private (StreamMessage Message, double Watermark)? _malformedStop; // skipMalformed false: the malformed message, and how far the stream was final before it

    /// <summary>
    /// An input of <paramref name="source"/> named <paramref name="name"/> in messages, reading <paramref name="reader"/> that
    /// <paramref name="feed"/> fills; <paramref name="transport"/> (<c>kafka</c>, <c>mqtt</c>) names the FMI-like "function" of
    /// its failures. <paramref name="epoch"/>: the event time at simulation time 0 (null: the first message's).
    /// <paramref name="taken"/> hears of every message taken with the event time it takes effect at (-infinity: never, as
    /// dropped or skipped), for a transport that acknowledges what was applied.
    /// </summary>
    public StreamInput(string name, StreamSourceConfig source, double? epoch, ChannelReader<StreamMessage> reader, IStreamFeed feed, ILogSink log,
        string transport, Action<StreamMessage, double>? taken = null)
    {
        Name = name;
        _source = source;
        Epoch = epoch;
        _reader = reader;
        _feed = feed;
        _log = log;
        _transport = transport;
        _taken = taken;
        _perSecond = EventTime.PerSecond(source.TimeFormat);
        Timeline = new EventTimeline(source.Signals.Select(s => s.Interpolation).ToList(), source.AllowedLateness, source.Late);
    }

    /// <summary>The source's name in messages (e.g. <c>kafka source 'valve'</c>).</summary>
    public string Name { get; }

    /// <summary>The event time (in the time format's unit) that is simulation time 0; null until known.</summary>
    public double? Epoch { get; private set; }

    /// <summary>The event-time view: what became of the messages (in order, reordered, late).</summary>
    public EventTimeline Timeline { get; }

    /// <summary>Messages taken from the channel.</summary>
    public long Received { get; private set; }

    /// <summary>Malformed messages among them.</summary>
    public long Malformed { get; private set; }

    /// <summary>Total time spent waiting for the stream.</summary>
    public TimeSpan Waiting { get; private set; }

    /// <summary>A channel of the given capacity for a feed to write and a <see cref="StreamInput"/> to read (one writer, one reader; a full channel makes the writer wait).</summary>
    public static Channel<StreamMessage> NewChannel(int capacity) => Channel.CreateBounded<StreamMessage>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>The signals' values at <paramref name="time"/> (NaN: no sample yet, the input keeps its value), once they are final.</summary>
    public void ValuesAt(SimTime time, Span<double> values)
    {
        var point = time.Seconds;
        WaitUntilReady(point, time);
        Timeline.ValuesAt(point, values);
    }

    /// <summary>Takes messages until the values at <paramref name="point"/> are final, the stream ended, or it stalled.</summary>
    private void WaitUntilReady(double point, SimTime time)
    {
        long waitStart = 0, lastProgress = 0;
        var nextNotice = NoticeEvery(_source.StallTimeout);
        while (true)
        {
            var took = false;
            while (_malformedStop == null && _reader.TryRead(out var m))
            {
                Take(m);
                took = true;
            }
            if (_malformedStop is { } stop)
            {
                if (!(point <= stop.Watermark))
                    throw new SimulationException(
                        $"{Name}: message at partition {stop.Message.Partition} offset {stop.Message.Offset}{(double.IsFinite(stop.Watermark) ? $", after event time {Describe(stop.Watermark)}" : "")}: {stop.Message.Error} " +
                        "(skipMalformed is false; \"skipMalformed\": true skips and counts malformed messages)", null, $"{_transport} message", time);
                Timeline.End(); // every message before the malformed one is in: the points up to its watermark are final
                break;
            }
            if (Epoch != null && Timeline.Ready(point)) break;
            var now = Stopwatch.GetTimestamp();
            if (waitStart == 0) waitStart = lastProgress = now;
            if (took) lastProgress = now;
            if (_reader.Completion.IsCompleted)
            {
                if (_feed.Failure is { } f) throw new SimulationException($"{Name}: {f.Message}", null, $"{_transport} consume", time, f);
                if (Epoch == null) throw new SimulationException($"{Name}: the recorded range holds no message", null, $"{_transport} replay", time);
                Timeline.End(); // a replay read its whole range: everything is final
                break;
            }
            // Connecting (first assignment or connection, or after a rebalance) is not a stall of the stream: the clock starts
            // when the feed is ready, and before the first time a minute is allowed.
            var ready = _feed.ReadySince;
            var idle = Stopwatch.GetElapsedTime(Math.Max(lastProgress, ready), now).TotalSeconds;
            var limit = ready == 0 ? Math.Max(_source.StallTimeout, 60) : _source.StallTimeout;
            if (idle >= nextNotice && idle < limit)
            {
                _log.Log(LogLevel.Warning, Name, $"waiting for event time {Describe(point)}: no message for {idle:0} s (the run fails as stalled at {limit:0.#} s){(_feed.LastError is { } e ? "; last client error: " + e : "")}");
                nextNotice = Math.Floor(idle / NoticeEvery(limit) + 1) * NoticeEvery(limit);
            }
            if (idle >= limit)
                throw new SimulationException(
                    $"{Name}: stream stalled: no message for {limit:0.#} s while waiting for event time {Describe(point)} (watermark {Describe(Timeline.Watermark)}; stallTimeout {_source.StallTimeout} s){(_feed.LastError is { } le ? "; last client error: " + le : "")}",
                    null, $"{_transport} wait", time);
            var wait = _reader.WaitToReadAsync();
            if (!wait.IsCompleted) wait.AsTask().Wait(TimeSpan.FromSeconds(Math.Min(0.1, _source.StallTimeout - idle)));
        }
        if (waitStart != 0) Waiting += Stopwatch.GetElapsedTime(waitStart);
    }

    // While the stream is silent, a line every this many seconds (at least 2 s, about five before the stall timeout fires).
    private static double NoticeEvery(double limit) => Math.Max(2, Math.Round(limit / 5));

    /// <summary>A simulation time as the stream writes it, with the simulation time beside it.</summary>
    public string Describe(double simTime) => Epoch is { } e && double.IsFinite(simTime) ? $"{e + simTime * _perSecond:R} (t={simTime:R} s)" : $"{simTime:R} s";

    /// <summary>One message from the channel into the timeline.</summary>
    private void Take(StreamMessage m)
    {
        Received++;
        if (m.Error != null)
        {
            Malformed++;
            if (!_source.SkipMalformed)
            {
                // The stream ends here for this run: the points its watermark already passed are final and still given.
                _malformedStop = (m, Timeline.Watermark);
                return;
            }
            if (Malformed == 1) _log.Log(LogLevel.Warning, Name, $"partition {m.Partition} offset {m.Offset}: {m.Error} (skipped; skipped messages are counted)");
            _taken?.Invoke(m, double.NegativeInfinity);
            return;
        }
        Epoch ??= m.Time;
        var (_, effective) = Timeline.Add((m.Time - Epoch.Value) / _perSecond, m.Values);
        _taken?.Invoke(m, double.IsNaN(effective) ? double.NegativeInfinity : effective);
    }
}
