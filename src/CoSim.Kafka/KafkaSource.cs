using CoSim.Core;
using CoSim.Streams;

namespace CoSim.Kafka;

/// <summary>
/// A Kafka topic read into component inputs. A background thread consumes JSON messages into a bounded
/// channel, outside the lockstep loop; at each communication point the simulation thread takes what
/// arrived and applies the values once they are final (<see cref="StreamInput"/>, the event-time core
/// every stream shares: it waits for the stream and fails the run as stalled): the simulation never
/// runs ahead of its data. Offsets are committed only for messages already applied (auto commit off), and the consumed
/// range is recorded (<see cref="IRunReporter.Record"/>) so that <see cref="KafkaSource"/> in replay mode
/// reads exactly those messages again. A lost broker is retried by the client; the source resumes at its
/// own positions (never twice a message: anything before the next expected offset is skipped) and
/// reports the outage. It learns that the run ended from <see cref="IManipulator.Finished"/> (to commit and close).
/// Parts: <see cref="KafkaConsumerLoop"/> (the consumer thread), <see cref="StreamInput"/> (event-time order, values
/// and waiting), <see cref="ConsumedOffsets"/> (what was taken and applied), <see cref="OutageLog"/>, <see cref="SourceRecord"/>
/// (the provenance record a replay reads back).
/// </summary>
public sealed class KafkaSource : IManipulator, IRunReporter, IReadsDataFiles
{
    private readonly KafkaConfig _config;
    private readonly KafkaSourceConfig _source;
    private readonly string? _defaultComponent;
    private readonly SourceRecord? _replay;
    private readonly ILogSink _log;
    private readonly StreamInput _input;
    private InputHandle[] _inputs = [];
    private double[] _values = [];

    // Simulation thread: what was taken from each partition, and what of it is not yet applied.
    private readonly ConsumedOffsets _offsets = new();

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
        var epoch = replay != null ? replay.Epoch : source.Epoch is { } e ? EventTime.Parse(e, source.TimeFormat) : null;
        var channel = StreamInput.NewChannel(source.Buffer);
        var parser = new MessageParser(source.TimeField, source.TimeFormat, source.Signals.Select(s => s.Field).ToList());
        _consumer = new KafkaConsumerLoop(config, source, replay, parser, channel.Writer, _outages, _log, Name);
        _input = new StreamInput(Name, source, epoch, channel.Reader, _consumer, _log, "kafka", (m, effective) => _offsets.Took(m.Partition, m.Offset, effective));
    }

    /// <summary>The topic.</summary>
    public string Topic => _source.Topic;

    /// <summary>The configuration file: hashed in the provenance, so a rerun refuses an edited one.</summary>
    public IEnumerable<string> DataFiles => File.Exists(_config.Source) ? [_config.Source] : [];

    /// <summary>The messages' fate so far.</summary>
    public SourceCounts Counts
    {
        get
        {
            var t = _input.Timeline;
            return new(_input.Received, t.InOrder, t.Reordered, t.LateDropped, t.LateDeferred, _input.Malformed,
                _consumer.Duplicates, _consumer.OverflowDropped, _consumer.Pauses, t.LateSuperseded);
        }
    }

    /// <summary>Total time spent waiting for the stream.</summary>
    public TimeSpan Waiting => _input.Waiting;

    private string Name => $"kafka source '{_source.Topic}'";

    /// <inheritdoc />
    public void Attach(IManipulationSetup setup)
    {
        _inputs = StreamBindings.Inputs(setup, _source.Signals, _defaultComponent, $"{_config.Source}: {Name}");
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
        _input.ValuesAt(time, _values);
        for (var i = 0; i < _inputs.Length; i++)
            if (!double.IsNaN(_values[i])) inputs.Set(_inputs[i], _values[i]);
        MarkApplied(time.Seconds);
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
                     $"{_input.Timeline.LateApplied} applied at the next point{superseded}; {c.Malformed} malformed, {c.Duplicates} duplicates skipped, {c.OverflowDropped} dropped on overflow, " +
                     $"{c.Pauses} pauses), waited {Waiting.TotalSeconds:0.###} s for the stream";
        var outages = _outages.Snapshot();
        if (outages.Count > 0)
            yield return $"{Name}: {outages.Count} broker outage{(outages.Count == 1 ? "" : "s")}, {outages.Sum(o => o.Seconds):0.###} s in all (longest {outages.Max(o => o.Seconds):0.###} s); nothing lost or applied twice";
    }

    /// <inheritdoc />
    public object Record()
    {
        return new SourceRecord(_source.Topic, _source.GroupId, _input.Epoch, _offsets.Ranges, _consumer.Committed(), Counts, _outages.Snapshot(), _offsets.Order);
    }
}
