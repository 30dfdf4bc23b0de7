using System.Globalization;
using System.Text.Json;
using CoSim.Core;

namespace CoSim.Streams;

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
