using CoSim.Core;

namespace CoSim.Telemetry.Replay;

/// <summary>What a malformed row (wrong column count, a cell that is not a number, an unreadable or decreasing time) does.</summary>
public enum MalformedRows
{
    /// <summary>Stop with an error naming file, line and column.</summary>
    Fail,

    /// <summary>Skip the row and count it (<see cref="HistorianData.SkippedRows"/>).</summary>
    Skip,
}

/// <summary>How to read a historian CSV file. Everything left null is detected from the file.</summary>
public sealed record HistorianCsvOptions
{
    /// <summary>The field delimiter; null: detected from the header (<c>; , tab |</c>).</summary>
    public char? Delimiter { get; init; }

    /// <summary>
    /// The decimal separator, <c>.</c> or <c>,</c>; null: decided by the first row that writes a number with a separator (<c>,</c> only
    /// when the delimiter is not a comma); integer rows before it read the same either way. A cell that does not read with the
    /// separator in force (a stray <c>210,193</c> in a <c>.</c> file) is a malformed cell.
    /// </summary>
    public char? DecimalSeparator { get; init; }

    /// <summary>The time column's name; null: the first column.</summary>
    public string? TimeColumn { get; init; }

    /// <summary>How times are written.</summary>
    public TimeFormat TimeFormat { get; init; } = TimeFormat.Auto;

    /// <summary>The zone of date-times written without one; null: UTC.</summary>
    public TimeZoneInfo? Zone { get; init; }

    /// <summary>The time (written like the file's times) that becomes simulation time 0; null: the first record's.</summary>
    public string? TimeZero { get; init; }

    /// <summary>The columns to read (by header name); null: every column but time. Others are not parsed.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>What a malformed row does.</summary>
    public MalformedRows Malformed { get; init; } = MalformedRows.Fail;
}
