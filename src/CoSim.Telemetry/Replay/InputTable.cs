using System.Globalization;
using CoSim.Core;

namespace CoSim.Telemetry.Replay;

/// <summary>
/// A table of input signals over time, sampled by a cursor that moves forward with the simulation.
/// Semantics (the common ones for FMU input files):
/// <list type="bullet">
/// <item>continuous signals are interpolated linearly, discrete ones hold the last value;</item>
/// <item>before the first and after the last time stamp the end value is held;</item>
/// <item>two rows with the same time stamp mark a discontinuity: the earlier row is the left limit,
/// the later row the value from that instant on.</item>
/// </list>
/// </summary>
public sealed class InputTable
{
    private readonly double[] _times;
    private readonly double[][] _columns; // [column][row]
    private int _cursor; // last row with time <= the most recent sample time

    public InputTable(IReadOnlyList<string> names, double[] times, double[][] columns)
    {
        if (columns.Length != names.Count) throw new ArgumentException("one column per name");
        foreach (var c in columns)
            if (c.Length != times.Length) throw new ArgumentException("every column needs one value per time stamp");
        for (var i = 1; i < times.Length; i++)
        {
            if (times[i] < times[i - 1]) throw new ArgumentException($"time stamps decrease at row {i + 1}");
            if (i >= 2 && times[i] == times[i - 1] && times[i - 1] == times[i - 2])
                throw new ArgumentException($"more than two rows share the time stamp {times[i]} at row {i + 1}");
        }
        Names = names;
        _times = times;
        _columns = columns;
    }

    public IReadOnlyList<string> Names { get; }
    public int RowCount => _times.Length;
    public double FirstTime => _times.Length > 0 ? _times[0] : 0;
    public double LastTime => _times.Length > 0 ? _times[^1] : 0;

    /// <summary>
    /// Samples every column at <paramref name="t"/>. <paramref name="continuous"/>[c] selects
    /// linear interpolation (else hold). Amortised O(1) when t moves forward; any t is valid.
    /// </summary>
    public void Sample(double t, ReadOnlySpan<bool> continuous, Span<double> values)
    {
        if (_times.Length == 0) return;
        if (t < _times[_cursor]) _cursor = 0; // moved backwards (rollback): restart the scan
        while (_cursor + 1 < _times.Length && _times[_cursor + 1] <= t) _cursor++;
        var i = _cursor;
        for (var c = 0; c < _columns.Length; c++)
        {
            var col = _columns[c];
            if (t <= _times[0]) values[c] = t < _times[0] ? col[0] : col[i]; // at t0 itself: the row at/after a discontinuity
            else if (i + 1 >= _times.Length || !continuous[c]) values[c] = col[i];
            else
            {
                var t0 = _times[i];
                var t1 = _times[i + 1];
                var w = (t - t0) / (t1 - t0);
                values[c] = col[i] + w * (col[i + 1] - col[i]);
            }
        }
    }

    /// <summary>
    /// Reads a CSV input file: header <c>time,name1,name2,...</c>, then numeric rows (comma
    /// separated, invariant culture; booleans as 0/1 or true/false). Errors name file, line and column.
    /// </summary>
    public static InputTable Load(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: no such input file");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header)) throw new InputException($"{path}:1: the input file is empty (expected a header 'time,<variable>,...')");
        var names = SplitLine(header).Select(n => n.Trim().Trim('"')).ToArray();
        if (names.Length < 2) throw new InputException($"{path}:1: the header needs 'time' and at least one variable name");
        var timeColumn = Array.FindIndex(names, n => n.Equals("time", StringComparison.OrdinalIgnoreCase));
        if (timeColumn > 0)
            throw new InputException($"{path}:1: the first column must be time, found '{names[0]}' first and 'time' in column {timeColumn + 1}");
        var dup = names.Skip(1).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (dup != null) throw new InputException($"{path}:1: column '{dup.Key}' appears twice");

        var times = new List<double>();
        var cols = names.Skip(1).Select(_ => new List<double>()).ToArray();
        var lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cells = SplitLine(line);
            if (cells.Length != names.Length)
                throw new InputException($"{path}:{lineNo}: expected {names.Length} values, found {cells.Length}");
            var t = ParseCell(cells[0], path, lineNo, names[0]);
            if (times.Count > 0 && t < times[^1])
                throw new InputException($"{path}:{lineNo}: time {cells[0]} is before the previous row's {times[^1].ToString("R", CultureInfo.InvariantCulture)}; time stamps must not decrease");
            if (times.Count >= 2 && t == times[^1] && t == times[^2])
                throw new InputException($"{path}:{lineNo}: a third row with time {cells[0]}; at most two rows (a discontinuity) may share a time stamp");
            times.Add(t);
            for (var c = 1; c < cells.Length; c++) cols[c - 1].Add(ParseCell(cells[c], path, lineNo, names[c]));
        }
        if (times.Count == 0) throw new InputException($"{path}: the input file has a header but no rows");
        return new InputTable(names.Skip(1).ToArray(), times.ToArray(), cols.Select(c => c.ToArray()).ToArray());
    }

    private static string[] SplitLine(string line) => line.Split(line.Contains(';') && !line.Contains(',') ? ';' : ',');

    private static double ParseCell(string cell, string path, int line, string column)
    {
        var s = cell.Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v)) return v;
        if (s.Equals("true", StringComparison.OrdinalIgnoreCase)) return 1;
        if (s.Equals("false", StringComparison.OrdinalIgnoreCase)) return 0;
        throw new InputException($"{path}:{line}: column '{column}': '{cell}' is not a number");
    }
}
