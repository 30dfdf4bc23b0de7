using CoSim.Core;
using CoSim.Telemetry.Signals;

namespace CoSim.Telemetry.Replay;

/// <summary>
/// A historian file read into columns: the times on the simulation clock (seconds from the mapped
/// time zero) and, per selected column, one value per row (NaN for an empty cell). Loaded whole,
/// 8 bytes per value of the selected columns only: errors in any row show before the run starts,
/// and a rollback can sample any time (see docs/telemetry.md for the memory figures).
/// </summary>
public sealed class HistorianData
{
    internal HistorianData(string path, IReadOnlyList<string> columns, double[] times, double[][] values, int[] lines, char delimiter, char decimalSeparator,
        TimeFormat format, DateTimeOffset? wallTimeZero, int skipped, IReadOnlyList<string> skipReasons)
    {
        Path = path;
        Columns = columns;
        Times = times;
        Values = values;
        Lines = lines;
        Delimiter = delimiter;
        DecimalSeparator = decimalSeparator;
        TimeFormat = format;
        WallTimeZero = wallTimeZero;
        SkippedRows = skipped;
        SkipReasons = skipReasons;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The selected columns, in the order of <see cref="Values"/>.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Simulation time of every row [s].</summary>
    public double[] Times { get; }

    /// <summary>Values per selected column, one per row; NaN where the cell was empty.</summary>
    public double[][] Values { get; }

    /// <summary>The file line of every row (1 = header).</summary>
    public int[] Lines { get; }

    /// <summary>The delimiter in force (given or detected).</summary>
    public char Delimiter { get; }

    /// <summary>The decimal separator in force (given or detected).</summary>
    public char DecimalSeparator { get; }

    /// <summary>The time format in force (given or detected).</summary>
    public TimeFormat TimeFormat { get; }

    /// <summary>The wall time of simulation time 0, for date-time and epoch files.</summary>
    public DateTimeOffset? WallTimeZero { get; }

    /// <summary>Malformed rows skipped (policy <see cref="MalformedRows.Skip"/>).</summary>
    public int SkippedRows { get; }

    /// <summary>Why the first few skipped rows were skipped (file:line:col messages).</summary>
    public IReadOnlyList<string> SkipReasons { get; }

    /// <summary>Rows read.</summary>
    public int RowCount => Times.Length;

    /// <summary>The index of a selected column; throws <see cref="InputException"/> naming the columns there are.</summary>
    public int ColumnIndex(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
            if (Columns[i] == name) return i;
        throw new InputException($"{Path}: no column '{name}' (have: {string.Join(", ", Columns.Select(c => $"'{c}'"))})");
    }

    /// <summary>A column as a <see cref="SignalBuffer"/>: its non-empty cells in time order (empty cells are gaps).</summary>
    public SignalBuffer Buffer(string column, SignalPolicy policy)
    {
        var values = Values[ColumnIndex(column)];
        var buffer = new SignalBuffer(column, policy) { Source = Path };
        for (var r = 0; r < Times.Length; r++)
            if (!double.IsNaN(values[r])) buffer.Add(Times[r], values[r], Lines[r]);
        return buffer;
    }
}
