using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;
using CoSim.Core;
using CoSim.Streams;

namespace CoSim.Kafka;

/// <summary>
/// The consumer thread of a <see cref="KafkaSource"/>: consumes the topic (live: subscribed with the group; replay: the
/// recorded ranges, assigned, in the recorded order) into the bounded channel, outside the lockstep loop; pauses its
/// partitions when the channel is full (back-pressure) or drops (drop policy); skips anything before the next expected
/// offset (never a message twice after a reconnect); stores the offsets the simulation marks as applied for librdkafka's
/// background commit and commits them at the end; notes outages in the shared <see cref="OutageLog"/>.
/// Everything it shares with the simulation thread is thread-safe.
/// </summary>
internal sealed class KafkaConsumerLoop(KafkaConfig config, KafkaSourceConfig source, SourceRecord? replay, MessageParser parser,
    ChannelWriter<StreamMessage> writer, OutageLog outages, ILogSink log, string name) : IStreamFeed
{
    private readonly ConcurrentDictionary<int, long> _toCommit = new();
    private readonly Dictionary<int, long> _stored = []; // offsets handed to librdkafka's background commit
    private readonly Dictionary<int, long> _committed = [];
    private long _duplicates, _overflowDropped, _pauses;
    private volatile bool _stop;
    private long _assignedAt; // Stopwatch timestamp of the latest partition assignment; 0 before the first
    private volatile string? _lastError;
    private volatile Exception? _failure;
    private Thread? _thread;

    /// <summary>Messages skipped because they came again (before the next expected offset).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Messages dropped on a full channel (drop policy).</summary>
    public long OverflowDropped => Interlocked.Read(ref _overflowDropped);

    /// <summary>Times the partitions were paused on a full channel (block policy).</summary>
    public long Pauses => Interlocked.Read(ref _pauses);

    /// <summary>Stopwatch timestamp of the latest partition assignment; 0 before the first.</summary>
    public long ReadySince => Interlocked.Read(ref _assignedAt);

    /// <summary>The client's latest error text, if any.</summary>
    public string? LastError => _lastError;

    /// <summary>Why the consumer stopped, when it failed.</summary>
    public Exception? Failure => _failure;

    /// <summary>Starts the thread (once).</summary>
    public void Start()
    {
        if (_thread != null) return;
        _thread = new Thread(Run) { IsBackground = true, Name = "kafka " + source.Topic };
        _thread.Start();
    }

    /// <summary>Asks the thread to commit, close and end; false when it did not within <paramref name="patience"/> (brokers unreachable).</summary>
    public bool Stop(TimeSpan patience)
    {
        _stop = true;
        return _thread == null || _thread.Join(patience);
    }

    /// <summary>Every message of <paramref name="partition"/> before <paramref name="nextOffset"/> was applied: store it for commit.</summary>
    public void MarkApplied(int partition, long nextOffset) => _toCommit[partition] = nextOffset;

    /// <summary>The offsets committed for the group at the end, by partition.</summary>
    public Dictionary<string, long> Committed()
    {
        lock (_committed) return _committed.ToDictionary(c => c.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), c => c.Value);
    }

    /// <summary>The background commit interval: the user's <c>auto.commit.interval.ms</c>, else one second.</summary>
    private static int AutoCommitInterval(IDictionary<string, string> props) =>
        props.TryGetValue("auto.commit.interval.ms", out var v) && int.TryParse(v, out var ms) ? ms : 1000;

    private ConsumerConfig ClientConfig()
    {
        var props = config.ClientProperties(source.Properties);
        // Live coupling wants a fetch answered within milliseconds (librdkafka waits 500 ms for data by default).
        props.TryAdd("fetch.wait.max.ms", "5");
        props.TryAdd("auto.offset.reset", "earliest");
        return new ConsumerConfig(props)
        {
            GroupId = replay == null ? source.GroupId : $"cosim-replay-{Guid.NewGuid():N}",
            // Only applied messages count as consumed: their offsets are stored by hand (StoreOffset after apply)
            // and librdkafka commits what is stored in the background, so a slow commit never stalls consumption.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = AutoCommitInterval(props),
            EnableAutoOffsetStore = false,
            EnablePartitionEof = false,
        };
    }

    /// <summary>The consumer thread: messages into the channel, commits of applied offsets, outages noted.</summary>
    private void Run()
    {
        var next = new Dictionary<int, long>();
        var ordered = replay?.Order is { Count: > 1 } order ? new RecordedOrder(order) : null;
        IConsumer<Ignore, byte[]>? consumer = null;
        try
        {
            consumer = new ConsumerBuilder<Ignore, byte[]>(ClientConfig())
                .SetErrorHandler((_, e) => OnError(e))
                .SetLogHandler((_, m) => log.Log(LogLevel.Debug, name, m.Message))
                // After a rebalance (e.g. a broker outage longer than the session), resume at our own positions, not the group's.
                .SetPartitionsAssignedHandler((_, parts) =>
                {
                    Interlocked.Exchange(ref _assignedAt, Stopwatch.GetTimestamp());
                    return parts.Select(p => new TopicPartitionOffset(p, next.TryGetValue(p.Partition.Value, out var o) ? new Offset(o) : Offset.Unset));
                })
                .Build();
            var remaining = new HashSet<int>();
            if (replay != null)
            {
                foreach (var r in replay.Partitions.Where(r => r.End > r.Start))
                {
                    remaining.Add(r.Partition);
                    next[r.Partition] = r.Start;
                }
                consumer.Assign(replay.Partitions.Where(r => r.End > r.Start).Select(r => new TopicPartitionOffset(source.Topic, r.Partition, r.Start)));
                Interlocked.Exchange(ref _assignedAt, Stopwatch.GetTimestamp());
            }
            else consumer.Subscribe(source.Topic);
            while (!_stop && (replay == null || remaining.Count > 0))
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
                var message = parser.Parse(partition, offset, result.Message.Value ?? []);
                if (replay != null)
                {
                    var end = replay.Partitions.First(r => r.Partition == partition).End;
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
                log.Log(LogLevel.Warning, name, $"replay: the recorded order could not be followed to its end ({ordered.Describe()}); the rest is not replayed");
            StoreApplied(consumer);
            Commit(consumer);
            writer.TryComplete();
        }
        catch (Exception e)
        {
            _failure = e;
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

    /// <summary>The channel is full: drop the message (drop policy) or pause the partitions until the simulation took some (back-pressure).</summary>
    private bool Deliver(IConsumer<Ignore, byte[]> consumer, ChannelWriter<StreamMessage> writer, StreamMessage message)
    {
        if (source.Overflow == OverflowPolicy.Drop)
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
                consumer.StoreOffset(new TopicPartitionOffset(source.Topic, p, o));
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
            consumer.Commit(stored.Select(o => new TopicPartitionOffset(source.Topic, o.Key, o.Value)));
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
            _failure ??= new KafkaException(e);
            return;
        }
        if (e.Code is ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Transport or ErrorCode.BrokerNotAvailable or ErrorCode.NetworkException
            or ErrorCode.Local_TimedOut or ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupCoordinatorNotAvailable)
            outages.Begin();
        _lastError = e.Reason;
        log.Log(LogLevel.Debug, name, e.Reason);
    }

    private void EndOutage()
    {
        if (outages.End() is { } seconds) log.Log(LogLevel.Info, name, $"brokers reachable again after {seconds:0.###} s");
    }
}
