using Confluent.Kafka;
using CoSim.Core;

namespace CoSim.Kafka;

/// <summary>
/// Whether a recorded run's messages can be read again: before a replay starts, every recorded partition range must
/// still be on a reachable broker (its low watermark at or before the range's start, its high watermark at or after
/// the end). A replay that cannot get its messages cannot redo the run, which is bad input (exit 2) and not a run
/// that failed or differed; asking first also keeps the components from being started for nothing.
/// </summary>
public static class RecordedOffsets
{
    /// <summary>How long the brokers may take to answer.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="InputException"/> ("cannot be redone: ...") when a range of <paramref name="record"/> is not readable.</summary>
    public static void CheckReadable(KafkaConfig config, KafkaSourceConfig source, SourceRecord record)
    {
        var ranges = record.Partitions.Where(r => r.End > r.Start).ToList();
        if (ranges.Count == 0) return;
        var props = config.ClientProperties(source.Properties);
        var servers = props.GetValueOrDefault("bootstrap.servers", "?");
        string? problem = null;
        try
        {
            using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig(props) { GroupId = $"cosim-check-{Guid.NewGuid():N}" })
                .SetLogHandler((_, _) => { }) // the answer (or its absence) is reported below, once
                .SetErrorHandler((_, _) => { })
                .Build();
            foreach (var r in ranges)
            {
                var held = consumer.QueryWatermarkOffsets(new TopicPartition(record.Topic, r.Partition), Patience);
                if (held.Low.Value > r.Start || held.High.Value < r.End)
                {
                    problem = $"partition {r.Partition} holds offsets {held.Low.Value}..{held.High.Value}, the run read {r.Start}..{r.End}";
                    break;
                }
            }
        }
        catch (KafkaException e)
        {
            problem = $"broker {servers}: {e.Error.Reason}";
        }
        if (problem != null)
            throw new InputException($"{config.Source}: kafka source '{record.Topic}': cannot be redone: the recorded offsets are not readable ({problem})");
    }
}
