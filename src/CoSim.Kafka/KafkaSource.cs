using System.Diagnostics;
using System.Threading.Channels;
using CoSim.Core;

namespace CoSim.Kafka;

/// <summary>
/// A Kafka topic read into component inputs. A background thread consumes JSON messages into a bounded
/// channel, outside the lockstep loop; at each communication point the simulation thread takes what
/// arrived, sorts it in by event time (<see cref="EventTimeline"/>) and applies the values once the
/// watermark has passed the point, waiting for the stream when it has not (and failing the run as
/// stalled after <see cref="KafkaSourceConfig.StallTimeout"/>): the simulation never runs ahead of its
/// data. Offsets are committed only for messages already applied (auto commit off), and the consumed
/// range is recorded (<see cref="IRunReporter.Record"/>) so that <see cref="KafkaSource"/> in replay mode
/// reads exactly those messages again. A lost broker is retried by the client; the source resumes at its
/// own positions (never twice a message: anything before the next expected offset is skipped) and
/// reports the outage. It learns that the run ended from <see cref="IManipulator.Finished"/> (to commit and close).
/// Parts: <see cref="KafkaConsumerLoop"/> (the consumer thread), <see cref="EventTimeline"/> (event-time order and
/// values), <see cref="ConsumedOffsets"/> (what was taken and applied), <see cref="OutageLog"/>, <see cref="SourceRecord"/>
/// (the provenance record a replay reads back).
/// </summary>
public sealed class KafkaSource : IManipulator, IRunReporter, IReadsDataFiles
{
    private readonly KafkaConfig _config;
    private readonly KafkaSourceConfig _source;
    private readonly string? _defaultComponent;
    private readonly SourceRecord? _replay;
    private readonly ILogSink _log;
    private readonly double _perSecond;
    private readonly Channel<StreamMessage> _channel;
    private readonly EventTimeline _timeline;
    private InputHandle[] _inputs = [];
    private double[] _values = [];
    private double? _epoch;

    // Simulation thread: what was taken from each partition, and what of it is not yet applied.
    private readonly ConsumedOffsets _offsets = new();
    private long _received, _malformed;
    private (StreamMessage Message, double Watermark)? _malformedStop; // skipMalformed false: the malformed message, and how far the stream was final before it

    // Shared with the consumer thread.
    private readonly OutageLog _outages = new();
    private readonly KafkaConsumerLoop _consumer;

    /// <summary>A source of <paramref name="config"/>; with <paramref name="replay"/>, it reads that recorded range instead of the live stream (unpaced, no commits).</summary>
    public KafkaSource(KafkaConfig config, KafkaSourceConfig source, string? defaultComponent = null, SourceRecord? replay = null, ILogSink? log = null)
    {
        _config = config;
        _source = source;
        _defaultComponent = defaultComponent;
        _replay = replay;
        _log = log ?? NullLogSink.Instance;
        _perSecond = EventTime.PerSecond(source.TimeFormat);
        _epoch = replay != null ? replay.Epoch : source.Epoch is { } e ? EventTime.Parse(e, source.TimeFormat) : null;
        _timeline = NewTimeline();
        _channel = Channel.CreateBounded<StreamMessage>(new BoundedChannelOptions(source.Buffer)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var parser = new MessageParser(source.TimeField, source.TimeFormat, source.Signals.Select(s => s.Path ?? VariableName(s.Input)).ToList());
        _consumer = new KafkaConsumerLoop(config, source, replay, parser, _channel.Writer, _outages, _log, Name);
    }

    private EventTimeline NewTimeline() => new(_source.Signals.Select(s => s.Interpolation).ToList(), _source.AllowedLateness, _source.Late);

    /// <summary>The topic.</summary>
    public string Topic => _source.Topic;

    /// <summary>The configuration file: hashed in the provenance, so a rerun refuses an edited one.</summary>
    public IEnumerable<string> DataFiles => File.Exists(_config.Source) ? [_config.Source] : [];

    /// <summary>The messages' fate so far.</summary>
    public SourceCounts Counts => new(_received, _timeline.InOrder, _timeline.Reordered, _timeline.LateDropped, _timeline.LateDeferred, _malformed,
        _consumer.Duplicates, _consumer.OverflowDropped, _consumer.Pauses, _timeline.LateSuperseded);

    /// <summary>Total time spent waiting for the stream.</summary>
    public TimeSpan Waiting { get; private set; }

    private string Name => $"kafka source '{_source.Topic}'";

    private static string VariableName(string input) => input[(input.IndexOf('.') + 1)..];

    /// <inheritdoc />
    public void Attach(IManipulationSetup setup)
    {
        var inputs = new List<InputHandle>();
        var problems = new List<string>();
        var resolver = new VariableResolver(setup.Components, _defaultComponent);
        foreach (var s in _source.Signals)
        {
            if (resolver.TryResolve(s.Input) is not { } target)
            {
                problems.Add($"input '{s.Input}': {resolver.Hint}");
                continue;
            }
            try
            {
                inputs.Add(setup.Input(target));
            }
            catch (InputException e)
            {
                problems.Add($"input '{s.Input}': {e.Message}");
            }
        }
        if (problems.Count > 0) throw new InputException($"{_config.Source}: {Name}: {string.Join("; ", problems)}");
        _inputs = inputs.ToArray();
        _values = new double[_inputs.Length];
    }

    /// <inheritdoc />
    public void Initialize(SimTime start, InputWriter inputs)
    {
        _consumer.Start();
        Apply(start, inputs);
    }

    /// <inheritdoc />
    public void StepCommencing(SimTime time, InputWriter inputs) => Apply(time, inputs);

    /// <inheritdoc />
    public void Finished(SimTime end, Exception? failure)
    {
        // The consumer thread commits and leaves the group; with the brokers gone librdkafka would hold that for its own
        // timeouts (a minute and more), holding the run's error back. A failed run or one in an outage waits a little only.
        var patience = failure != null || _outages.Ongoing ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(30);
        if (!_consumer.Stop(patience))
            _log.Log(LogLevel.Warning, Name, $"the consumer did not close within {patience.TotalSeconds:0} s (brokers unreachable?): offsets applied since the last background commit are not committed");
        _outages.End();
    }

    private void Apply(SimTime time, InputWriter inputs)
    {
        var point = time.Seconds;
        WaitUntilReady(point, time);
        _timeline.ValuesAt(point, _values);
        for (var i = 0; i < _inputs.Length; i++)
            if (!double.IsNaN(_values[i])) inputs.Set(_inputs[i], _values[i]);
        MarkApplied(point);
    }

    /// <summary>Takes messages until the values at <paramref name="point"/> are final, the stream ended, or it stalled.</summary>
    private void WaitUntilReady(double point, SimTime time)
    {
        var reader = _channel.Reader;
        long waitStart = 0, lastProgress = 0;
        var nextNotice = NoticeEvery(_source.StallTimeout);
        while (true)
        {
            var took = false;
            while (_malformedStop == null && reader.TryRead(out var m))
            {
                Take(m);
                took = true;
            }
            if (_malformedStop is { } stop)
            {
                if (!(point <= stop.Watermark))
                    throw new SimulationException(
                        $"{Name}: message at partition {stop.Message.Partition} offset {stop.Message.Offset}{(double.IsFinite(stop.Watermark) ? $", after event time {Describe(stop.Watermark)}" : "")}: {stop.Message.Error} " +
                        "(skipMalformed is false; \"skipMalformed\": true skips and counts malformed messages)", null, "kafka message", time);
                _timeline.End(); // every message before the malformed one is in: the points up to its watermark are final
                break;
            }
            if (_epoch != null && _timeline.Ready(point)) break;
            var now = Stopwatch.GetTimestamp();
            if (waitStart == 0) waitStart = lastProgress = now;
            if (took) lastProgress = now;
            if (reader.Completion.IsCompleted)
            {
                if (_consumer.Failure is { } f) throw new SimulationException($"{Name}: {f.Message}", null, "kafka consume", time, f);
                if (_epoch == null) throw new SimulationException($"{Name}: the recorded range holds no message", null, "kafka replay", time);
                _timeline.End(); // a replay read its whole range: everything is final
                break;
            }
            // Joining the group (first assignment, or after a rebalance) is not a stall of the stream: the clock starts at the assignment,
            // and before the first one a minute is allowed.
            var assigned = _consumer.AssignedAt;
            var idle = Stopwatch.GetElapsedTime(Math.Max(lastProgress, assigned), now).TotalSeconds;
            var limit = assigned == 0 ? Math.Max(_source.StallTimeout, 60) : _source.StallTimeout;
            if (idle >= nextNotice && idle < limit)
            {
                _log.Log(LogLevel.Warning, Name, $"waiting for event time {Describe(point)}: no message for {idle:0} s (the run fails as stalled at {limit:0.#} s){(_consumer.LastError is { } e ? "; last client error: " + e : "")}");
                nextNotice = Math.Floor(idle / NoticeEvery(limit) + 1) * NoticeEvery(limit);
            }
            if (idle >= limit)
                throw new SimulationException(
                    $"{Name}: stream stalled: no message for {limit:0.#} s while waiting for event time {Describe(point)} (watermark {Describe(_timeline.Watermark)}; stallTimeout {_source.StallTimeout} s){(_consumer.LastError is { } le ? "; last client error: " + le : "")}",
                    null, "kafka wait", time);
            var wait = reader.WaitToReadAsync();
            if (!wait.IsCompleted) wait.AsTask().Wait(TimeSpan.FromSeconds(Math.Min(0.1, _source.StallTimeout - idle)));
        }
        if (waitStart != 0) Waiting += Stopwatch.GetElapsedTime(waitStart);
    }

    // While the stream is silent, a line every this many seconds (at least 2 s, about five before the stall timeout fires).
    private static double NoticeEvery(double limit) => Math.Max(2, Math.Round(limit / 5));

    private string Describe(double simTime) => _epoch is { } e && double.IsFinite(simTime) ? $"{e + simTime * _perSecond:R} (t={simTime:R} s)" : $"{simTime:R} s";

    /// <summary>One message from the channel into the timeline, and into the offset bookkeeping.</summary>
    private void Take(StreamMessage m)
    {
        _received++;
        if (m.Error != null)
        {
            _malformed++;
            if (!_source.SkipMalformed)
            {
                // The stream ends here for this run: the points its watermark already passed are final and still applied.
                _malformedStop = (m, _timeline.Watermark);
                return;
            }
            if (_malformed == 1) _log.Log(LogLevel.Warning, Name, $"partition {m.Partition} offset {m.Offset}: {m.Error} (skipped; skipped messages are counted)");
            _offsets.Took(m.Partition, m.Offset, double.NegativeInfinity);
            return;
        }
        _epoch ??= m.Time;
        var (_, effective) = _timeline.Add((m.Time - _epoch.Value) / _perSecond, m.Values);
        _offsets.Took(m.Partition, m.Offset, double.IsNaN(effective) ? double.NegativeInfinity : effective);
    }

    /// <summary>After the point was applied: the offsets of the messages now done go to the consumer for commit (not in a replay).</summary>
    private void MarkApplied(double point)
    {
        foreach (var (partition, next) in _offsets.Applied(point))
            if (_replay == null) _consumer.MarkApplied(partition, next);
    }

    /// <inheritdoc />
    public string ReportKey => ReportPrefix + _source.Topic;

    /// <summary>What every source's <see cref="ReportKey"/> starts with: how a provenance file says the run read Kafka.</summary>
    public const string ReportPrefix = "kafka:source:";

    /// <inheritdoc />
    public IEnumerable<string> Summary()
    {
        var c = Counts;
        var mode = _replay != null ? "replayed" : "received";
        // A deferred late value counts as applied only when it was the value in force at the next point.
        var superseded = c.LateSuperseded > 0 ? $", {c.LateSuperseded} superseded by a newer sample before the next point" : "";
        yield return $"{Name}: {c.Received} messages {mode} ({c.Reordered} reordered, {c.LateDropped + c.LateDeferred} late: {c.LateDropped} dropped, " +
                     $"{_timeline.LateApplied} applied at the next point{superseded}; {c.Malformed} malformed, {c.Duplicates} duplicates skipped, {c.OverflowDropped} dropped on overflow, " +
                     $"{c.Pauses} pauses), waited {Waiting.TotalSeconds:0.###} s for the stream";
        var outages = _outages.Snapshot();
        if (outages.Count > 0)
            yield return $"{Name}: {outages.Count} broker outage{(outages.Count == 1 ? "" : "s")}, {outages.Sum(o => o.Seconds):0.###} s in all (longest {outages.Max(o => o.Seconds):0.###} s); nothing lost or applied twice";
    }

    /// <inheritdoc />
    public object Record()
    {
        return new SourceRecord(_source.Topic, _source.GroupId, _epoch, _offsets.Ranges, _consumer.Committed(), Counts, _outages.Snapshot(), _offsets.Order);
    }
}
