namespace CoSim.Fmi.Description;

/// <summary>
/// How a clock's interval is known (FMI 3.0 <c>intervalVariability</c>). Periodic: <see cref="Constant"/>
/// (from the XML), <see cref="Fixed"/> (set by the importer before the run, the XML value a default),
/// <see cref="Calculated"/> (the FMU computes it at initialization), <see cref="Tunable"/> (the FMU
/// may change it when tunable parameters change). Aperiodic: <see cref="Changing"/> (the FMU gives
/// the next interval after each tick), <see cref="Countdown"/> (the FMU announces the next tick, at
/// some time, as a delay from then), <see cref="Triggered"/> (no interval: the tick comes from
/// another clock or the FMU's own event).
/// </summary>
public enum ClockIntervalVariability { Constant, Fixed, Calculated, Tunable, Changing, Countdown, Triggered }

/// <summary>The attributes of a <c>Clock</c> variable (its own, else its <c>ClockType</c>'s).</summary>
public sealed record ClockAttributes
{
    /// <summary>Null when neither the variable nor its type says (an error: the attribute is required).</summary>
    public ClockIntervalVariability? IntervalVariability { get; init; }
    public bool CanBeDeactivated { get; init; }
    /// <summary>Scheduled Execution: the smaller the number, the higher the priority. Null when absent.</summary>
    public uint? Priority { get; init; }
    public double? IntervalDecimal { get; init; }
    public double? ShiftDecimal { get; init; }
    public bool SupportsFraction { get; init; }
    /// <summary>Ticks per second for <see cref="IntervalCounter"/> and <see cref="ShiftCounter"/> (default 1).</summary>
    public ulong? Resolution { get; init; }
    public ulong? IntervalCounter { get; init; }
    public ulong? ShiftCounter { get; init; }

    /// <summary>Names of <see cref="ClockIntervalVariability"/> as written in the XML.</summary>
    public static readonly IReadOnlyDictionary<string, ClockIntervalVariability> Names =
        Enum.GetValues<ClockIntervalVariability>().ToDictionary(v => char.ToLowerInvariant(v.ToString()[0]) + v.ToString()[1..], StringComparer.Ordinal);

    /// <summary>The interval the XML gives, in seconds (decimal, else counter / resolution); null when none.</summary>
    public double? Interval => IntervalDecimal ?? (IntervalCounter is { } n ? n / (double)(Resolution ?? 1) : null);

    /// <summary>The shift the XML gives, in seconds (decimal, else counter / resolution); 0 when none.</summary>
    public double Shift => ShiftDecimal ?? (ShiftCounter is { } n ? n / (double)(Resolution ?? 1) : 0);

    /// <summary>Whether the clock ticks periodically (interval known before the first tick, apart from tunable changes).</summary>
    public bool IsPeriodic => IntervalVariability is ClockIntervalVariability.Constant or ClockIntervalVariability.Fixed
        or ClockIntervalVariability.Calculated or ClockIntervalVariability.Tunable;

    /// <summary>Reads the clock attributes of a variable or type element, each absent one from <paramref name="inherited"/>.</summary>
    internal static ClockAttributes Read(AttributeReader a, ClockAttributes? inherited)
    {
        var basis = inherited ?? new ClockAttributes();
        return new ClockAttributes
        {
            IntervalVariability = a.Choice("intervalVariability", Names) ?? basis.IntervalVariability,
            CanBeDeactivated = a.Boolean("canBeDeactivated", basis.CanBeDeactivated),
            Priority = a.UInt32("priority") ?? basis.Priority,
            IntervalDecimal = a.Double("intervalDecimal") ?? basis.IntervalDecimal,
            ShiftDecimal = a.Double("shiftDecimal") ?? basis.ShiftDecimal,
            SupportsFraction = a.Boolean("supportsFraction", basis.SupportsFraction),
            Resolution = a.UInt64("resolution") ?? basis.Resolution,
            IntervalCounter = a.UInt64("intervalCounter") ?? basis.IntervalCounter,
            ShiftCounter = a.UInt64("shiftCounter") ?? basis.ShiftCounter,
        };
    }
}
