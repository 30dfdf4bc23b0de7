using System.Text.Json;
using CoSim.Core;

namespace CoSim.Streams;

/// <summary>One message as the simulation sees it: its place in the stream (a Kafka partition and offset; an MQTT source's arrival number in partition 0), its event time and its signal values (NaN: absent).</summary>
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
