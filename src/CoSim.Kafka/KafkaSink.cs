using System.Buffers;
using System.Text.Json;
using Confluent.Kafka;
using CoSim.Core;

namespace CoSim.Kafka;

/// <summary>What a sink recorded of its run.</summary>
public sealed record SinkRecord(string Topic, long Published, long Delivered, long Failed);

/// <summary>
/// Publishes selected signals to a topic at the start and every <see cref="KafkaSinkConfig.Every"/>
/// communication steps, one JSON object a message: <c>{"time": simulation time [s], "wallTime": ISO 8601 UTC,
/// "Component.variable": value, ...}</c>. Producing is asynchronous (the step never waits for the broker);
/// the client retries through outages and is idempotent (no duplicates after a retry) unless configured
/// otherwise; the run's end waits for every message to be delivered or to fail, and the summary counts both.
/// </summary>
public sealed class KafkaSink : IObserver, IRunReporter
{
    private readonly KafkaConfig _config;
    private readonly KafkaSinkConfig _sink;
    private readonly string? _defaultComponent;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _json;
    private SignalHandle[] _signals = [];
    private JsonEncodedText[] _names = [];
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
        _json = new Utf8JsonWriter(_buffer);
    }

    private string Name => $"kafka sink '{_sink.Topic}'";

    /// <inheritdoc />
    public void Attach(IObservationSetup setup)
    {
        var handles = new List<SignalHandle>();
        var names = new List<JsonEncodedText>();
        var problems = new List<string>();
        var resolver = new VariableResolver(setup.Components, _defaultComponent);
        foreach (var s in _sink.Signals)
        {
            if (resolver.TryResolve(s) is not { } target)
            {
                problems.Add($"signal '{s}': {resolver.Hint}");
                continue;
            }
            try
            {
                handles.Add(setup.Observe(target));
                names.Add(JsonEncodedText.Encode(target.ToString()));
            }
            catch (InputException e)
            {
                problems.Add($"signal '{s}': {e.Message}");
            }
        }
        if (problems.Count > 0) throw new InputException($"{_config.Source}: {Name}: {string.Join("; ", problems)}");
        _signals = handles.ToArray();
        _names = names.ToArray();
    }

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
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber("time", time.Seconds);
        _json.WriteString("wallTime", DateTime.UtcNow);
        for (var i = 0; i < _signals.Length; i++) _json.WriteNumber(_names[i], values[_signals[i]]);
        _json.WriteEndObject();
        _json.Flush();
        _published++;
        try
        {
            _producer!.Produce(_sink.Topic, new Message<Null, byte[]> { Value = _buffer.WrittenSpan.ToArray() }, OnDelivery);
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
