using System.Text.Json;
using System.Text.Json.Serialization;
using CoSim.Core;
using CoSim.Streams;

namespace CoSim.Kafka;

/// <summary>A topic read into inputs (the shared schema, <see cref="StreamSourceConfig"/>) by a consumer group.</summary>
public sealed record KafkaSourceConfig : StreamSourceConfig
{
    /// <summary>The consumer group (offsets are committed for it after the messages were applied).</summary>
    public string GroupId { get; init; } = "cosim";

    /// <summary>Client settings for this source only (Confluent/librdkafka property names), over the shared ones.</summary>
    public Dictionary<string, string> Properties { get; init; } = [];
}

/// <summary>A topic the run publishes selected outputs to (the shared schema, <see cref="StreamSinkConfig"/>).</summary>
public sealed record KafkaSinkConfig : StreamSinkConfig
{
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
        if (choice == typeof(TimeFormat)) return "must be one of " + string.Join(", ", StreamSourceConfig.TimeFormats);
        return choice == null ? reason : "must be one of " + string.Join(", ", Enum.GetNames(choice).Select(JsonNamingPolicy.KebabCaseLower.ConvertName));
    }

    /// <summary>Everything wrong with this configuration, at once.</summary>
    public IEnumerable<string> Problems()
    {
        if (Sources.Count + Sinks.Count == 0) yield return "no source and no sink";
        if (Servers is null) yield return "no bootstrapServers (or properties.bootstrap.servers)";
        for (var i = 0; i < Sources.Count; i++)
            foreach (var problem in Sources[i].Problems($"sources[{i}]")) yield return problem;
        for (var i = 0; i < Sinks.Count; i++)
            foreach (var problem in Sinks[i].Problems($"sinks[{i}]")) yield return problem;
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
