using System.Globalization;
using System.Text.Json;
using CoSim.Core;

namespace CoSim.Kafka;

/// <summary>
/// Event times from JSON values, as numbers in the format's own unit (seconds; milliseconds; microseconds
/// since 1970 for ISO 8601 texts), so that the difference of two times is exact before it becomes seconds.
/// </summary>
public static class EventTime
{
    /// <summary>How many of the format's units make a second.</summary>
    public static double PerSecond(TimeFormat format) => format switch
    {
        TimeFormat.Milliseconds or TimeFormat.EpochMilliseconds => 1e3,
        TimeFormat.DateTime => 1e6,
        _ => 1,
    };

    /// <summary>The event time in the format's unit, or null when <paramref name="value"/> is not a time of <paramref name="format"/>.</summary>
    public static double? Parse(JsonElement value, TimeFormat format)
    {
        switch (format)
        {
            case TimeFormat.DateTime:
                if (value.ValueKind != JsonValueKind.String) return null;
                // Without a zone: UTC (a stream that means local time should say so in the text).
                if (!DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return null;
                return (t.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
            default:
                double number;
                if (value.ValueKind == JsonValueKind.Number) number = value.GetDouble();
                else if (value.ValueKind != JsonValueKind.String || !double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number)) return null;
                if (!double.IsFinite(number)) return null;
                return number;
        }
    }
}

/// <summary>One message as the simulation sees it: its place in the topic, its event time and its signal values (NaN: absent).</summary>
/// <param name="Partition">The partition it came from.</param>
/// <param name="Offset">Its offset there.</param>
/// <param name="Time">Event time in the format's unit (<see cref="EventTime"/>); NaN for a malformed message.</param>
/// <param name="Values">One value per signal of the source, NaN where the message has none.</param>
/// <param name="Error">Why it is malformed; null when it is not.</param>
public sealed record StreamMessage(int Partition, long Offset, double Time, double[] Values, string? Error = null);

/// <summary>Turns a JSON message into a <see cref="StreamMessage"/>: the time field and the signal fields (dotted paths into nested objects).</summary>
public sealed class MessageParser(string timeField, TimeFormat format, IReadOnlyList<string> signalPaths)
{
    private readonly string[] _timePath = timeField.Split('.');
    private readonly string[][] _paths = signalPaths.Select(p => p.Split('.')).ToArray();

    public StreamMessage Parse(int partition, long offset, ReadOnlySpan<byte> json)
    {
        var values = new double[_paths.Length];
        Array.Fill(values, double.NaN);
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (Find(root, _timePath) is not { } t) return Malformed($"no field '{timeField}'");
            if (EventTime.Parse(t, format) is not { } time) return Malformed($"'{timeField}' {Clip(t.GetRawText())} is not a {format} time");
            for (var i = 0; i < _paths.Length; i++)
            {
                if (Find(root, _paths[i]) is not { } v) continue;
                values[i] = v.ValueKind switch
                {
                    JsonValueKind.Number => v.GetDouble(),
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    _ => double.NaN,
                };
            }
            return new StreamMessage(partition, offset, time, values);
        }
        catch (JsonException e)
        {
            return Malformed("not JSON: " + e.Message.Split(" LineNumber:")[0]);
        }
        catch (InvalidOperationException e) when (e.InnerException is System.Text.DecoderFallbackException)
        {
            // A string that is not valid UTF-8: the parser lets it through until it is read (found by scripts/fuzz kafka-message).
            return Malformed("a text that is not valid UTF-8");
        }

        StreamMessage Malformed(string why) => new(partition, offset, double.NaN, values, why);
    }

    private static JsonElement? Find(JsonElement root, string[] path)
    {
        var e = root;
        foreach (var name in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e)) return null;
        }
        return e.ValueKind == JsonValueKind.Null ? null : e;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
