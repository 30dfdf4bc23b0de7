using System.Text.Json;
using CoSim.Core;

namespace CoSim.Streams;

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
    /// <summary>Back-pressure: the consumer stops taking messages until the simulation has taken some (nothing is lost).</summary>
    Block,
    /// <summary>The newest message is dropped and counted (the stream never waits; exact replay is then not guaranteed).</summary>
    Drop,
}

/// <summary>One signal of a source: a JSON field of the messages into one input.</summary>
public sealed record StreamSignalConfig
{
    /// <summary>The input: <c>Component.variable</c>, or a bare variable name in a run of one component.</summary>
    public required string Input { get; init; }

    /// <summary>The field in the message: a dotted path into nested objects (<c>data.valve</c>); default: the input's variable name.</summary>
    public string? Path { get; init; }

    /// <summary>Linear (default) or hold.</summary>
    public Interpolation Interpolation { get; init; } = Interpolation.Linear;

    /// <summary>The field <see cref="Path"/> names, or the input's variable name.</summary>
    public string Field => Path ?? Input[(Input.IndexOf('.') + 1)..];
}

/// <summary>
/// A topic read into inputs and applied at communication points by event time: the part of a source's configuration every
/// transport shares (Kafka adds its consumer group and client properties, MQTT its QoS).
/// </summary>
public record StreamSourceConfig
{
    public required string Topic { get; init; }

    /// <summary>The event-time field (dotted path).</summary>
    public string TimeField { get; init; } = "time";

    public TimeFormat TimeFormat { get; init; } = TimeFormat.Seconds;

    /// <summary>The event time at simulation time 0, in <see cref="TimeFormat"/> (ISO text or a number); null: the first message's.</summary>
    public JsonElement? Epoch { get; init; }

    public List<StreamSignalConfig> Signals { get; init; } = [];

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

    /// <summary>The time formats a stream can have (the shared vocabulary's auto-detection is for files with rows to look at).</summary>
    public static readonly IReadOnlyList<string> TimeFormats = ["seconds", "milliseconds", "iso8601", "epoch-seconds", "epoch-milliseconds"];

    /// <summary>Everything wrong with the shared part, each problem starting with <paramref name="at"/> (e.g. <c>sources[0]</c>).</summary>
    public IEnumerable<string> Problems(string at)
    {
        if (string.IsNullOrWhiteSpace(Topic)) yield return $"{at}.topic is empty";
        if (Signals.Count == 0) yield return $"{at}.signals is empty";
        if (!(AllowedLateness >= 0) || !double.IsFinite(AllowedLateness)) yield return $"{at}.allowedLateness {AllowedLateness} must be 0 or positive";
        if (Buffer < 1) yield return $"{at}.buffer {Buffer} must be at least 1";
        if (TimeFormat == TimeFormat.Auto) yield return $"{at}.timeFormat must be one of {string.Join(", ", TimeFormats)}";
        if (!(StallTimeout > 0)) yield return $"{at}.stallTimeout {StallTimeout} must be positive";
        if (Epoch is { } epoch && EventTime.Parse(epoch, TimeFormat) is null)
            yield return $"{at}.epoch {epoch.GetRawText()} is not a {TimeFormat} time";
        foreach (var g in Signals.GroupBy(x => x.Input).Where(g => g.Count() > 1)) yield return $"{at}: input '{g.Key}' is given {g.Count()} times";
    }
}

/// <summary>A topic the run publishes selected outputs to: the part every transport shares.</summary>
public record StreamSinkConfig
{
    public required string Topic { get; init; }

    /// <summary>The signals: <c>Component.variable</c>, or bare variable names in a run of one component (any variable, also inputs).</summary>
    public List<string> Signals { get; init; } = [];

    /// <summary>Publish every this many communication steps (and at the start).</summary>
    public int Every { get; init; } = 1;

    /// <summary>Everything wrong with the shared part, each problem starting with <paramref name="at"/> (e.g. <c>sinks[0]</c>).</summary>
    public IEnumerable<string> Problems(string at)
    {
        if (string.IsNullOrWhiteSpace(Topic)) yield return $"{at}.topic is empty";
        if (Signals.Count == 0) yield return $"{at}.signals is empty";
        if (Every < 1) yield return $"{at}.every {Every} must be at least 1";
    }
}
