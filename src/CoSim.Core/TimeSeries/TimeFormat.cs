namespace CoSim.Core;

/// <summary>
/// How a time is written, the one vocabulary of historian files (<c>--replay-time</c>) and live sources (a Kafka
/// source's <c>timeFormat</c>: <c>seconds</c>, <c>milliseconds</c>, <c>iso8601</c>, and the epoch forms, which a stream
/// reads like plain numbers since its epoch maps them to simulation time anyway).
/// </summary>
public enum TimeFormat
{
    /// <summary>Decided from the first row (historian files only): a date-time, else a number (epoch ms above 1e11, epoch s above 1e8, else seconds).</summary>
    Auto,

    /// <summary>A date and time, ISO 8601 (<c>T</c> or a space between date and time, fractions allowed); with a zone it is absolute, without one local time in the file's zone (a stream: UTC).</summary>
    DateTime,

    /// <summary>Seconds since 1970-01-01 UTC.</summary>
    EpochSeconds,

    /// <summary>Milliseconds since 1970-01-01 UTC.</summary>
    EpochMilliseconds,

    /// <summary>Plain seconds on any clock (e.g. already simulation time, or a stream's own numbers).</summary>
    Seconds,

    /// <summary>Plain milliseconds on any clock.</summary>
    Milliseconds,

    /// <summary>The name a Kafka configuration writes for <see cref="DateTime"/>.</summary>
    Iso8601 = DateTime,
}
