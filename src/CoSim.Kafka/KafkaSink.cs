using Confluent.Kafka;
using CoSim.Core;
using CoSim.Streams;

namespace CoSim.Kafka;

/// <summary>What a sink recorded of its run.</summary>
public sealed record SinkRecord(string Topic, long Published, long Delivered, long Failed);

/// <summary>
/// Publishes selected signals to a topic at the start and every <see cref="StreamSinkConfig.Every"/>
/// communication steps, one JSON object a message (<see cref="SinkPayload"/>). Producing is asynchronous (the step never waits for the broker);
/// the client retries through outages and is idempotent (no duplicates after a retry) unless configured
/// otherwise; the run's end waits for every message to be delivered or to fail, and the summary counts both.
/// </summary>
public sealed class KafkaSink : IObserver, IRunReporter
{
    private readonly KafkaConfig _config;
    private readonly KafkaSinkConfig _sink;
    private readonly string? _defaultComponent;
    private readonly SinkPayload _payload = new();
    private IProducer<Null, byte[]>? _producer;
    private long _steps, _published, _delivered, _failed;
    private string? _firstError;

    private readonly ILogSink _log;

    public KafkaSink(KafkaConfig config, KafkaSinkConfig sink, string? defaultComponent = null, ILogSink? log = null)
    {
        _log = log ?? NullLogSink.Instance;
        _config = config;
        _sink = sink;
        _defaultComponent = defaultComponent;
    }

    private string Name => $"kafka sink '{_sink.Topic}'";

    /// <inheritdoc />
    public void Attach(IObservationSetup setup) => _payload.Attach(setup, _sink.Signals, _defaultComponent, $"{_config.Source}: {Name}");

    /// <inheritdoc />
    public void Started(SimTime start, StepValues values)
    {
        var props = _config.ClientProperties(_sink.Properties);
        // Published as soon as computed (librdkafka lingers 5 ms by default); retried through outages without duplicates.
        props.TryAdd("linger.ms", "0");
        props.TryAdd("enable.idempotence", "true");
        // librdkafka's own log lines (e.g. consumer settings shared through "properties") go to the log, not to stderr.
        _producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig(props))
            .SetLogHandler((_, m) => _log.Log(LogLevel.Debug, Name, m.Message))
            .Build();
        Publish(start, values);
    }

    /// <inheritdoc />
    public void StepComplete(SimTime time, StepValues values)
    {
        if (++_steps % _sink.Every == 0) Publish(time, values);
    }

    private void Publish(SimTime time, StepValues values)
    {
        var message = _payload.Write(time, values).ToArray();
        _published++;
        try
        {
            _producer!.Produce(_sink.Topic, new Message<Null, byte[]> { Value = message }, OnDelivery);
        }
        catch (ProduceException<Null, byte[]> e)
        {
            // The local queue is full (queue.buffering.max.messages): the brokers are gone for long; counted, the run goes on.
            Fail(e.Error.Reason);
        }
    }

    private void OnDelivery(DeliveryReport<Null, byte[]> report)
    {
        if (report.Error.IsError) Fail(report.Error.Reason);
        else Interlocked.Increment(ref _delivered);
    }

    private void Fail(string reason)
    {
        Interlocked.CompareExchange(ref _firstError, reason, null);
        Interlocked.Increment(ref _failed);
    }

    /// <inheritdoc />
    public void Finished(SimTime end, Exception? failure)
    {
        if (_producer == null) return;
        // Every message delivered or failed (the client's message.timeout.ms bounds it); whatever is left is counted as failed.
        // A failed run (e.g. the brokers gone) waits a few seconds only: its error must not wait for the client's timeouts.
        var left = _producer.Flush(TimeSpan.FromSeconds(failure != null ? 3 : 60));
        if (left > 0) Interlocked.Add(ref _failed, left);
        _producer.Dispose();
        _producer = null;
    }

    /// <inheritdoc />
    public string ReportKey => "kafka:sink:" + _sink.Topic;

    /// <inheritdoc />
    public IEnumerable<string> Summary()
    {
        yield return $"{Name}: {_published} messages published, {Interlocked.Read(ref _delivered)} delivered, {Interlocked.Read(ref _failed)} failed" +
                     (_firstError is { } e ? $" (first error: {e})" : "");
    }

    /// <inheritdoc />
    public object Record() => new SinkRecord(_sink.Topic, _published, Interlocked.Read(ref _delivered), Interlocked.Read(ref _failed));
}
