using System.Text.Json;
using CoSim.Core;

namespace CoSim.Kafka;

/// <summary>The sources and sinks of a Kafka configuration, ready to attach to a run (sources are manipulators and observers, sinks observers).</summary>
public sealed record KafkaAttachments(IReadOnlyList<KafkaSource> Sources, IReadOnlyList<KafkaSink> Sinks)
{
    /// <summary>
    /// Reads <paramref name="configPath"/>; with <paramref name="replayProvenance"/> (a result's provenance file), every source
    /// reads the offsets that run recorded instead of the live stream, and the sinks are left out (the outputs were published then).
    /// Throws <see cref="InputException"/> naming the file and what is wrong.
    /// </summary>
    public static KafkaAttachments Load(string configPath, string? defaultComponent, string? replayProvenance, ILogSink log)
    {
        var config = KafkaConfig.Load(configPath);
        var records = replayProvenance != null ? RecordedSources(replayProvenance) : null;
        var sources = new List<KafkaSource>();
        foreach (var s in config.Sources)
        {
            SourceRecord? replay = null;
            if (records != null && !records.TryGetValue(s.Topic, out replay))
                throw new InputException($"{replayProvenance}: no recorded offsets for topic '{s.Topic}' (the run did not read it)");
            if (replay != null) RecordedOffsets.CheckReadable(config, s, replay);
            sources.Add(new KafkaSource(config, s, defaultComponent, replay, log));
        }
        var sinks = records != null ? [] : config.Sinks.Select(s => new KafkaSink(config, s, defaultComponent, log)).ToList();
        return new KafkaAttachments(sources, sinks);
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The sources' records in a provenance file, by topic.</summary>
    public static Dictionary<string, SourceRecord> RecordedSources(string provenancePath)
    {
        if (!File.Exists(provenancePath)) throw new InputException($"{provenancePath}: no such file");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(provenancePath));
            var result = new Dictionary<string, SourceRecord>();
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("reports", out var reports) && reports.ValueKind == JsonValueKind.Object)
                foreach (var r in reports.EnumerateObject().Where(r => r.Name.StartsWith(KafkaSource.ReportPrefix, StringComparison.Ordinal)))
                {
                    var record = r.Value.Deserialize<SourceRecord>(Json) ?? throw new InputException($"{provenancePath}: reports.{r.Name} is empty");
                    result[record.Topic] = record;
                }
            if (result.Count == 0) throw new InputException($"{provenancePath}: records no Kafka source (not the provenance of a run with --kafka)");
            return result;
        }
        catch (JsonException e)
        {
            throw new InputException($"{provenancePath}:{(e.LineNumber ?? 0) + 1}: not valid provenance JSON: {e.Message.Split(" LineNumber:")[0]}");
        }
    }
}
