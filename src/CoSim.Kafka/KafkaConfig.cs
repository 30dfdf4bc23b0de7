using System.Text.Json;
using System.Text.Json.Serialization;
using CoSim.Core;

namespace CoSim.Kafka;

/// <summary>What happens to a message whose event time is at or before the watermark.</summary>
public enum LatePolicy
{
    /// <summary>Counted and dropped.</summary>
    Drop,
    /// <summary>Counted and applied at the next communication point (its value takes effect just after the watermark).</summary>
    Next,
}

/// <summary>What the consumer does when the simulation is slower than the stream and the buffer is full.</summary>
public enum OverflowPolicy
{
    /// <summary>Back-pressure: the consumer pauses its partitions until the simulation has taken messages (nothing is lost).</summary>
    Block,
    /// <summary>The newest message is dropped and counted (the stream never waits; exact replay is then not guaranteed).</summary>
    Drop,
}

/// <summary>One signal of a source: a JSON field of the messages into one input.</summary>
public sealed record KafkaSignalConfig
{
    /// <summary>The input: <c>Component.variable</c>, or a bare variable name in a run of one component.</summary>
    public required string Input { get; init; }

    /// <summary>The field in the message: a dotted path into nested objects (<c>data.valve</c>); default: the input's variable name.</summary>
    public string? Path { get; init; }

    /// <summary>Linear (default) or hold.</summary>
    public Interpolation Interpolation { get; init; } = Interpolation.Linear;
}

/// <summary>A topic read into inputs, applied at communication points by event time.</summary>
public sealed record KafkaSourceConfig
{
    public required string Topic { get; init; }

    /// <summary>The consumer group (offsets are committed for it after the messages were applied).</summary>
    public string GroupId { get; init; } = "cosim";

    /// <summary>The event-time field (dotted path).</summary>
    public string TimeField { get; init; } = "time";

    public TimeFormat TimeFormat { get; init; } = TimeFormat.Seconds;

    /// <summary>The event time at simulation time 0, in <see cref="TimeFormat"/> (ISO text or a number); null: the first message's.</summary>
    public JsonElement? Epoch { get; init; }

    public List<KafkaSignalConfig> Signals { get; init; } = [];

    /// <summary>How long [s] after newer data a message may still arrive and be sorted in; the watermark trails the newest event time by this much.</summary>
    public double AllowedLateness { get; init; }

    public LatePolicy Late { get; init; } = LatePolicy.Drop;

    /// <summary>Messages buffered between the consumer thread and the simulation.</summary>
    public int Buffer { get; init; } = 10_000;

    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.Block;

    /// <summary>Seconds the simulation waits for the stream to pass a point before the run fails as stalled.</summary>
    public double StallTimeout { get; init; } = 30;

    /// <summary>Messages that are not JSON or lack the time field: skipped and counted (true, default), or the run fails (false).</summary>
    public bool SkipMalformed { get; init; } = true;

    /// <summary>Client settings for this source only (Confluent/librdkafka property names), over the shared ones.</summary>
    public Dictionary<string, string> Properties { get; init; } = [];
}

/// <summary>A topic the run publishes selected outputs to.</summary>
public sealed record KafkaSinkConfig
{
    public required string Topic { get; init; }

    /// <summary>The signals: <c>Component.variable</c>, or bare variable names in a run of one component (any variable, also inputs).</summary>
    public List<string> Signals { get; init; } = [];

    /// <summary>Publish every this many communication steps (and at the start).</summary>
    public int Every { get; init; } = 1;

    /// <summary>Client settings for this sink only, over the shared ones.</summary>
    public Dictionary<string, string> Properties { get; init; } = [];
}

/// <summary>
/// The Kafka part of a run, from a JSON file: the brokers, client settings passed through unchanged
/// (SASL, TLS, timeouts: Confluent's property names, e.g. <c>security.protocol</c>), sources and sinks.
/// </summary>
public sealed record KafkaConfig
{
    /// <summary>Comma-separated <c>host:port</c> list; may also come from the properties (<c>bootstrap.servers</c>).</summary>
    public string? BootstrapServers { get; init; }

    /// <summary>Client settings for every consumer and producer.</summary>
    public Dictionary<string, string> Properties { get; init; } = [];

    public List<KafkaSourceConfig> Sources { get; init; } = [];

    public List<KafkaSinkConfig> Sinks { get; init; } = [];

    /// <summary>Where it was read from, for messages.</summary>
    [JsonIgnore]
    public string Source { get; init; } = "kafka configuration";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Reads and checks a configuration file; throws <see cref="InputException"/> naming file, line and field.</summary>
    public static KafkaConfig Load(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: no such file");
        KafkaConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<KafkaConfig>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"{path}:{line + 1}:{(e.BytePositionInLine ?? 0) + 1}" : path;
            throw new InputException($"{where}: {(e.Path is { Length: > 1 } p ? p + ": " : "")}{Reason(e)}");
        }
        if (config == null) throw new InputException($"{path}: empty Kafka configuration");
        config = config with { Source = path };
        var problems = config.Problems().ToList();
        if (problems.Count > 0) throw new InputException($"{path}: " + string.Join("; ", problems));
        return config;
    }

    // The first line of System.Text.Json's message names the problem; the rest repeats the position. A bad enum value lists the good ones.
    private static string Reason(JsonException e)
    {
        var reason = e.Message.Split(". Path:")[0].Split(" LineNumber:")[0];
        var choice = new[] { typeof(TimeFormat), typeof(LatePolicy), typeof(OverflowPolicy), typeof(Interpolation) }.FirstOrDefault(t => reason.EndsWith(t.FullName!, StringComparison.Ordinal));
        if (choice == typeof(TimeFormat)) return "must be one of " + string.Join(", ", StreamTimeFormats);
        return choice == null ? reason : "must be one of " + string.Join(", ", Enum.GetNames(choice).Select(JsonNamingPolicy.KebabCaseLower.ConvertName));
    }

    // The time formats a stream can have (the shared vocabulary's auto-detection is for files with rows to look at).
    private static readonly string[] StreamTimeFormats = ["seconds", "milliseconds", "iso8601", "epoch-seconds", "epoch-milliseconds"];

    /// <summary>Everything wrong with this configuration, at once.</summary>
    public IEnumerable<string> Problems()
    {
        if (Sources.Count + Sinks.Count == 0) yield return "no source and no sink";
        if (Servers is null) yield return "no bootstrapServers (or properties.bootstrap.servers)";
        for (var i = 0; i < Sources.Count; i++)
        {
            var s = Sources[i];
            var at = $"sources[{i}]";
            if (string.IsNullOrWhiteSpace(s.Topic)) yield return $"{at}.topic is empty";
            if (s.Signals.Count == 0) yield return $"{at}.signals is empty";
            if (!(s.AllowedLateness >= 0) || !double.IsFinite(s.AllowedLateness)) yield return $"{at}.allowedLateness {s.AllowedLateness} must be 0 or positive";
            if (s.Buffer < 1) yield return $"{at}.buffer {s.Buffer} must be at least 1";
            if (s.TimeFormat == TimeFormat.Auto) yield return $"{at}.timeFormat must be one of {string.Join(", ", StreamTimeFormats)}";
            if (!(s.StallTimeout > 0)) yield return $"{at}.stallTimeout {s.StallTimeout} must be positive";
            if (s.Epoch is { } epoch && EventTime.Parse(epoch, s.TimeFormat) is null)
                yield return $"{at}.epoch {epoch.GetRawText()} is not a {s.TimeFormat} time";
            foreach (var g in s.Signals.GroupBy(x => x.Input).Where(g => g.Count() > 1)) yield return $"{at}: input '{g.Key}' is given {g.Count()} times";
        }
        for (var i = 0; i < Sinks.Count; i++)
        {
            var s = Sinks[i];
            if (string.IsNullOrWhiteSpace(s.Topic)) yield return $"sinks[{i}].topic is empty";
            if (s.Signals.Count == 0) yield return $"sinks[{i}].signals is empty";
            if (s.Every < 1) yield return $"sinks[{i}].every {s.Every} must be at least 1";
        }
    }

    private string? Servers => BootstrapServers ?? Properties.GetValueOrDefault("bootstrap.servers");

    /// <summary>The client settings of one source or sink: shared properties, then its own, then the bootstrap servers.</summary>
    public Dictionary<string, string> ClientProperties(Dictionary<string, string> own)
    {
        var all = new Dictionary<string, string>(Properties);
        foreach (var (k, v) in own) all[k] = v;
        if (BootstrapServers != null) all["bootstrap.servers"] = BootstrapServers;
        return all;
    }
}
