using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;
using CoSim.Core;

namespace CoSim.Kafka;

/// <summary>Where a replay reads one partition: from <see cref="Start"/> up to (excluding) <see cref="End"/>.</summary>
public sealed record PartitionRange(int Partition, long Start, long End);

/// <summary>A stretch of consecutive messages the run took from one partition (<see cref="SourceRecord.Order"/>).</summary>
public sealed record PartitionRun(int Partition, long Count);

/// <summary>What a source recorded of its run (in the provenance), and what a replay reads back.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="GroupId">The consumer group of the live run.</param>
/// <param name="Epoch">The event time (in the time format's unit) that was simulation time 0.</param>
/// <param name="Partitions">Per partition: the offsets of the first message taken and after the last (<see cref="PartitionRange.End"/>).</param>
/// <param name="Committed">Per partition: the offset committed for the group (every message before it was applied).</param>
/// <param name="Counts">What became of the messages.</param>
/// <param name="Outages">When the brokers could not be reached.</param>
/// <param name="Order">
/// The order in which the run took the messages of its partitions, run-length coded (one entry while a single partition
/// delivers). Values at a point depend on that order only (lateness is judged against the messages before), so a replay
/// of several partitions hands them over in this order; absent (an older record): in the order they arrive.
/// </param>
public sealed record SourceRecord(string Topic, string GroupId, double? Epoch, IReadOnlyList<PartitionRange> Partitions, IReadOnlyDictionary<string, long> Committed,
    SourceCounts Counts, IReadOnlyList<Outage> Outages, IReadOnlyList<PartitionRun>? Order = null);

/// <summary>What became of a source's messages.</summary>
public sealed record SourceCounts(long Received, long InOrder, long Reordered, long LateDropped, long LateDeferred, long Malformed, long Duplicates, long OverflowDropped, long Pauses);

/// <summary>A time the brokers could not be reached: when (UTC) and for how long [s].</summary>
public sealed record Outage(DateTime StartUtc, double Seconds);

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
/// </summary>
public sealed class KafkaSource : IManipulator, IRunReporter
{
    private readonly KafkaConfig _config;
    private readonly KafkaSourceConfig _source;
    private readonly string? _defaultComponent;
    private readonly SourceRecord? _replay;
    private readonly ILogSink _log;
    private readonly MessageParser _parser;
    private readonly double _perSecond;
    private readonly Channel<StreamMessage> _channel;
    private readonly EventTimeline _timeline;
    private InputHandle[] _inputs = [];
    private double[] _values = [];
    private double? _epoch;

    // Simulation thread: what was taken from each partition, and what of it is not yet applied.
    private readonly Dictionary<int, (long Start, long End)> _taken = [];
    private readonly Dictionary<int, Queue<(long Offset, double Time)>> _pending = [];
    private readonly List<PartitionRun> _order = [];
    private long _received, _malformed;

    // Shared with the consumer thread.
    private readonly ConcurrentDictionary<int, long> _toCommit = new();
    private readonly Dictionary<int, long> _stored = []; // offsets handed to librdkafka's background commit
    private readonly Lock _outageLock = new();
    private readonly List<Outage> _outages = [];
    private DateTime? _outageStart;
    private long _duplicates, _overflowDropped, _pauses;
    private volatile bool _stop;
    private long _assignedAt; // Stopwatch timestamp of the latest partition assignment; 0 before the first
    private volatile string? _lastError;
    private Thread? _thread;
    private Exception? _consumerFailure;
    private readonly Dictionary<int, long> _committed = [];

    /// <summary>A source of <paramref name="config"/>; with <paramref name="replay"/>, it reads that recorded range instead of the live stream (unpaced, no commits).</summary>
    public KafkaSource(KafkaConfig config, KafkaSourceConfig source, string? defaultComponent = null, SourceRecord? replay = null, ILogSink? log = null)
    {
        _config = config;
        _source = source;
        _defaultComponent = defaultComponent;
        _replay = replay;
        _log = log ?? NullLogSink.Instance;
        _parser = new MessageParser(source.TimeField, source.TimeFormat, source.Signals.Select(s => s.Path ?? VariableName(s.Input)).ToList());
        _perSecond = EventTime.PerSecond(source.TimeFormat);
        _epoch = replay != null ? replay.Epoch : source.Epoch is { } e ? EventTime.Parse(e, source.TimeFormat) : null;
        _timeline = NewTimeline();
        _channel = Channel.CreateBounded<StreamMessage>(new BoundedChannelOptions(source.Buffer)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    private EventTimeline NewTimeline() => new(_source.Signals.Select(s => s.Interpolation).ToList(), _source.AllowedLateness, _source.Late);

    /// <summary>The topic.</summary>
    public string Topic => _source.Topic;

    /// <summary>The messages' fate so far.</summary>
    public SourceCounts Counts => new(_received, _timeline.InOrder, _timeline.Reordered, _timeline.LateDropped, _timeline.LateDeferred, _malformed,
        Interlocked.Read(ref _duplicates), Interlocked.Read(ref _overflowDropped), Interlocked.Read(ref _pauses));

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
        _thread ??= StartConsumer();
        Apply(start, inputs);
    }

    /// <inheritdoc />
    public void StepCommencing(SimTime time, InputWriter inputs) => Apply(time, inputs);

    /// <inheritdoc />
    public void Finished(SimTime end, Exception? failure)
    {
        _stop = true;
        _thread?.Join();
        lock (_outageLock)
        {
            if (_outageStart is { } s) _outages.Add(new Outage(s, (DateTime.UtcNow - s).TotalSeconds));
            _outageStart = null;
        }
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
        while (true)
        {
            var took = false;
            while (reader.TryRead(out var m))
            {
                Take(m, time);
                took = true;
            }
            if (_epoch != null && _timeline.Ready(point)) break;
            var now = Stopwatch.GetTimestamp();
            if (waitStart == 0) waitStart = lastProgress = now;
            if (took) lastProgress = now;
            if (reader.Completion.IsCompleted)
            {
                if (_consumerFailure is { } f) throw new SimulationException($"{Name}: {f.Message}", null, "kafka consume", time, f);
                if (_epoch == null) throw new SimulationException($"{Name}: the recorded range holds no message", null, "kafka replay", time);
                _timeline.End(); // a replay read its whole range: everything is final
                break;
            }
            // Joining the group (first assignment, or after a rebalance) is not a stall of the stream: the clock starts at the assignment,
            // and before the first one a minute is allowed.
            var assigned = Interlocked.Read(ref _assignedAt);
            var idle = Stopwatch.GetElapsedTime(Math.Max(lastProgress, assigned), now).TotalSeconds;
            if (idle >= (assigned == 0 ? Math.Max(_source.StallTimeout, 60) : _source.StallTimeout))
                throw new SimulationException(
                    $"{Name}: stream stalled: no message for {idle:0.#} s while waiting for event time {Describe(point)} (watermark {Describe(_timeline.Watermark)}; stallTimeout {_source.StallTimeout} s){(_lastError is { } le ? "; last client error: " + le : "")}",
                    null, "kafka wait", time);
            var wait = reader.WaitToReadAsync();
            if (!wait.IsCompleted) wait.AsTask().Wait(TimeSpan.FromSeconds(Math.Min(0.1, _source.StallTimeout - idle)));
        }
        if (waitStart != 0) Waiting += Stopwatch.GetElapsedTime(waitStart);
    }

    private string Describe(double simTime) => _epoch is { } e && double.IsFinite(simTime) ? $"{e + simTime * _perSecond:R} (t={simTime:R} s)" : $"{simTime:R} s";

    /// <summary>One message from the channel into the timeline, and into the offset bookkeeping.</summary>
    private void Take(StreamMessage m, SimTime time)
    {
        _received++;
        if (_order.Count > 0 && _order[^1].Partition == m.Partition) _order[^1] = _order[^1] with { Count = _order[^1].Count + 1 };
        else _order.Add(new PartitionRun(m.Partition, 1));
        _taken[m.Partition] = _taken.TryGetValue(m.Partition, out var r) ? (r.Start, m.Offset + 1) : (m.Offset, m.Offset + 1);
        if (!_pending.TryGetValue(m.Partition, out var queue)) _pending[m.Partition] = queue = new Queue<(long, double)>();
        if (m.Error != null)
        {
            _malformed++;
            if (!_source.SkipMalformed)
                throw new SimulationException($"{Name}: message at partition {m.Partition} offset {m.Offset}: {m.Error}", null, "kafka message", time);
            if (_malformed == 1) _log.Log(LogLevel.Warning, Name, $"partition {m.Partition} offset {m.Offset}: {m.Error} (skipped; skipped messages are counted)");
            queue.Enqueue((m.Offset, double.NegativeInfinity));
            return;
        }
        _epoch ??= m.Time;
        var (_, effective) = _timeline.Add((m.Time - _epoch.Value) / _perSecond, m.Values);
        queue.Enqueue((m.Offset, double.IsNaN(effective) ? double.NegativeInfinity : effective));
    }

    /// <summary>After the point was applied: every message at or before it is done, up to the first one that is not (offsets commit in order).</summary>
    private void MarkApplied(double point)
    {
        foreach (var (partition, queue) in _pending)
        {
            long? next = null;
            while (queue.Count > 0 && queue.Peek().Time <= point) next = queue.Dequeue().Offset + 1;
            if (next is { } n && _replay == null) _toCommit[partition] = n;
        }
    }

    private Thread StartConsumer()
    {
        var thread = new Thread(Consume) { IsBackground = true, Name = "kafka " + _source.Topic };
        thread.Start();
        return thread;
    }

    /// <summary>The background commit interval: the user's <c>auto.commit.interval.ms</c>, else one second.</summary>
    private static int AutoCommitInterval(IDictionary<string, string> props) =>
        props.TryGetValue("auto.commit.interval.ms", out var v) && int.TryParse(v, out var ms) ? ms : 1000;

    private ConsumerConfig ClientConfig()
    {
        var props = _config.ClientProperties(_source.Properties);
        // Live coupling wants a fetch answered within milliseconds (librdkafka waits 500 ms for data by default).
        props.TryAdd("fetch.wait.max.ms", "5");
        props.TryAdd("auto.offset.reset", "earliest");
        var config = new ConsumerConfig(props)
        {
            GroupId = _replay == null ? _source.GroupId : $"cosim-replay-{Guid.NewGuid():N}",
            // Only applied messages count as consumed: their offsets are stored by hand (StoreOffset after apply)
            // and librdkafka commits what is stored in the background, so a slow commit never stalls consumption.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = AutoCommitInterval(props),
            EnableAutoOffsetStore = false,
            EnablePartitionEof = false,
        };
        return config;
    }

    /// <summary>The consumer thread: messages into the channel, commits of applied offsets, outages noted.</summary>
    private void Consume()
    {
        var writer = _channel.Writer;
        var next = new Dictionary<int, long>();
        var ordered = _replay?.Order is { Count: > 1 } order ? new RecordedOrder(order) : null;
        IConsumer<Ignore, byte[]>? consumer = null;
        try
        {
            consumer = new ConsumerBuilder<Ignore, byte[]>(ClientConfig())
                .SetErrorHandler((_, e) => OnError(e))
                .SetLogHandler((_, m) => _log.Log(LogLevel.Debug, Name, m.Message))
                // After a rebalance (e.g. a broker outage longer than the session), resume at our own positions, not the group's.
                .SetPartitionsAssignedHandler((_, parts) =>
                {
                    Interlocked.Exchange(ref _assignedAt, Stopwatch.GetTimestamp());
                    return parts.Select(p => new TopicPartitionOffset(p, next.TryGetValue(p.Partition.Value, out var o) ? new Offset(o) : Offset.Unset));
                })
                .Build();
            var remaining = new HashSet<int>();
            if (_replay != null)
            {
                foreach (var r in _replay.Partitions.Where(r => r.End > r.Start))
                {
                    remaining.Add(r.Partition);
                    next[r.Partition] = r.Start;
                }
                consumer.Assign(_replay.Partitions.Where(r => r.End > r.Start).Select(r => new TopicPartitionOffset(_source.Topic, r.Partition, r.Start)));
                Interlocked.Exchange(ref _assignedAt, Stopwatch.GetTimestamp());
            }
            else consumer.Subscribe(_source.Topic);
            while (!_stop && (_replay == null || remaining.Count > 0))
            {
                StoreApplied(consumer); // cheap: librdkafka commits stored offsets in the background
                ConsumeResult<Ignore, byte[]>? result;
                try
                {
                    result = consumer.Consume(TimeSpan.FromMilliseconds(50));
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    OnError(e.Error);
                    continue;
                }
                if (result?.Message == null) continue;
                EndOutage();
                var partition = result.Partition.Value;
                var offset = result.Offset.Value;
                if (next.TryGetValue(partition, out var expected) && offset < expected)
                {
                    Interlocked.Increment(ref _duplicates);
                    continue;
                }
                next[partition] = offset + 1;
                var message = _parser.Parse(partition, offset, result.Message.Value ?? []);
                if (_replay != null)
                {
                    var end = _replay.Partitions.First(r => r.Partition == partition).End;
                    if (offset >= end) continue;
                    if (offset + 1 >= end) remaining.Remove(partition);
                }
                if (ordered != null)
                {
                    ordered.Add(message);
                    if (!ordered.Release(m => writer.TryWrite(m) || Deliver(consumer, writer, m))) break;
                }
                else if (!writer.TryWrite(message) && !Deliver(consumer, writer, message)) break;
            }
            if (ordered is { Done: false } && !_stop)
                _log.Log(LogLevel.Warning, Name, $"replay: the recorded order could not be followed to its end ({ordered.Describe()}); the rest is not replayed");
            StoreApplied(consumer);
            Commit(consumer);
            writer.TryComplete();
        }
        catch (Exception e)
        {
            _consumerFailure = e;
            writer.TryComplete(e);
        }
        finally
        {
            try
            {
                consumer?.Close();
            }
            catch (KafkaException)
            {
                // Leaving the group failed (brokers gone): the committed offsets are what counts.
            }
            consumer?.Dispose();
        }
    }

    /// <summary>
    /// A replay of several partitions: holds the messages as they arrive and releases them in the order the
    /// recorded run took them (<see cref="SourceRecord.Order"/>). Holds at most the recorded range.
    /// </summary>
    private sealed class RecordedOrder(IReadOnlyList<PartitionRun> order)
    {
        private readonly Dictionary<int, Queue<StreamMessage>> _held = [];
        private int _run;
        private long _leftInRun = order.Count > 0 ? order[0].Count : 0;

        public bool Done => _run >= order.Count;

        public void Add(StreamMessage m)
        {
            if (!_held.TryGetValue(m.Partition, out var q)) _held[m.Partition] = q = new Queue<StreamMessage>();
            q.Enqueue(m);
        }

        /// <summary>Hands over every held message whose turn it is; false when <paramref name="deliver"/> gave up (the run is stopping).</summary>
        public bool Release(Func<StreamMessage, bool> deliver)
        {
            while (!Done && _held.TryGetValue(order[_run].Partition, out var q) && q.Count > 0)
            {
                if (!deliver(q.Dequeue())) return false;
                if (--_leftInRun == 0 && ++_run < order.Count) _leftInRun = order[_run].Count;
            }
            return true;
        }

        public string Describe() => Done ? "done" : $"waiting for partition {order[_run].Partition}, stretch {_run + 1} of {order.Count}";
    }

    /// <summary>The channel is full: drop the message (drop policy) or pause the partitions until the simulation took some (back-pressure).</summary>
    private bool Deliver(IConsumer<Ignore, byte[]> consumer, ChannelWriter<StreamMessage> writer, StreamMessage message)
    {
        if (_source.Overflow == OverflowPolicy.Drop)
        {
            Interlocked.Increment(ref _overflowDropped);
            return true;
        }
        Interlocked.Increment(ref _pauses);
        var paused = consumer.Assignment;
        consumer.Pause(paused);
        while (!writer.TryWrite(message))
        {
            if (_stop) return false;
            // Keeps the group membership alive (poll interval) while paused; a paused partition delivers nothing.
            var stray = consumer.Consume(TimeSpan.FromMilliseconds(10));
            if (stray?.Message != null) consumer.Seek(stray.TopicPartitionOffset);
        }
        consumer.Resume(paused);
        return true;
    }

    /// <summary>Stores the offsets of applied messages for librdkafka's background commit; one that cannot be stored now (a revoked partition) is kept for the next try.</summary>
    private void StoreApplied(IConsumer<Ignore, byte[]> consumer)
    {
        if (_toCommit.IsEmpty) return;
        foreach (var (p, o) in _toCommit.ToArray())
        {
            try
            {
                consumer.StoreOffset(new TopicPartitionOffset(_source.Topic, p, o));
                _toCommit.TryRemove(new KeyValuePair<int, long>(p, o));
                lock (_stored) _stored[p] = o;
            }
            catch (KafkaException e)
            {
                OnError(e.Error);
            }
        }
    }

    /// <summary>At the end: commits what is stored, and records it as committed (for the provenance and a replay).</summary>
    private void Commit(IConsumer<Ignore, byte[]> consumer)
    {
        Dictionary<int, long> stored;
        lock (_stored) stored = new Dictionary<int, long>(_stored);
        if (stored.Count == 0) return;
        try
        {
            consumer.Commit(stored.Select(o => new TopicPartitionOffset(_source.Topic, o.Key, o.Value)));
            lock (_committed)
                foreach (var (p, o) in stored) _committed[p] = o;
        }
        catch (KafkaException e)
        {
            OnError(e.Error);
        }
    }

    private void OnError(Error e)
    {
        if (e.IsFatal)
        {
            _consumerFailure ??= new KafkaException(e);
            return;
        }
        if (e.Code is ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Transport or ErrorCode.BrokerNotAvailable or ErrorCode.NetworkException
            or ErrorCode.Local_TimedOut or ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupCoordinatorNotAvailable)
            lock (_outageLock) _outageStart ??= DateTime.UtcNow;
        _lastError = e.Reason;
        _log.Log(LogLevel.Debug, Name, e.Reason);
    }

    private void EndOutage()
    {
        if (_outageStart == null) return;
        lock (_outageLock)
        {
            if (_outageStart is not { } s) return;
            _outages.Add(new Outage(s, (DateTime.UtcNow - s).TotalSeconds));
            _outageStart = null;
        }
        _log.Log(LogLevel.Info, Name, $"brokers reachable again after {_outages[^1].Seconds:0.###} s");
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
        yield return $"{Name}: {c.Received} messages {mode} ({c.Reordered} reordered, {c.LateDropped + c.LateDeferred} late: {c.LateDropped} dropped, " +
                     $"{c.LateDeferred} applied at the next point; {c.Malformed} malformed, {c.Duplicates} duplicates skipped, {c.OverflowDropped} dropped on overflow, " +
                     $"{c.Pauses} pauses), waited {Waiting.TotalSeconds:0.###} s for the stream";
        List<Outage> outages;
        lock (_outageLock) outages = [.. _outages];
        if (outages.Count > 0)
            yield return $"{Name}: {outages.Count} broker outage{(outages.Count == 1 ? "" : "s")}, {outages.Sum(o => o.Seconds):0.###} s in all (longest {outages.Max(o => o.Seconds):0.###} s); nothing lost or applied twice";
    }

    /// <inheritdoc />
    public object Record()
    {
        List<Outage> outages;
        lock (_outageLock) outages = [.. _outages];
        Dictionary<string, long> committed;
        lock (_committed) committed = _committed.ToDictionary(c => c.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), c => c.Value);
        return new SourceRecord(_source.Topic, _source.GroupId, _epoch,
            _taken.OrderBy(t => t.Key).Select(t => new PartitionRange(t.Key, t.Value.Start, t.Value.End)).ToList(), committed, Counts, outages, [.. _order]);
    }
}
