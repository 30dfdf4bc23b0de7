using System.Globalization;
using CoSim.Core;
using CoSim.Core.Csv;

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
    private readonly SampledSignal[] _columns;

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
        RowCount = times.Length;
        FirstTime = times.Length > 0 ? times[0] : 0;
        LastTime = times.Length > 0 ? times[^1] : 0;
        _columns = columns.Select(values =>
        {
            var signal = new SampledSignal();
            for (var i = 0; i < times.Length; i++) signal.Append(times[i], values[i]);
            return signal;
        }).ToArray();
    }

    public IReadOnlyList<string> Names { get; }
    public int RowCount { get; }
    public double FirstTime { get; }
    public double LastTime { get; }

    /// <summary>
    /// Samples every column at <paramref name="t"/>. <paramref name="continuous"/>[c] selects
    /// linear interpolation (else hold). Amortised O(1) when t moves forward; any t is valid.
    /// </summary>
    public void Sample(double t, ReadOnlySpan<bool> continuous, Span<double> values)
    {
        if (RowCount == 0) return;
        for (var c = 0; c < _columns.Length; c++)
            values[c] = _columns[c].ValueAtTime(t, continuous[c] ? Interpolation.Linear : Interpolation.Hold);
    }

    /// <summary>
    /// Reads a CSV input file: header <c>time,name1,name2,...</c>, then numeric rows (comma or semicolon
    /// separated, invariant culture; booleans as 0/1 or true/false; '#' comments), read by <see cref="NumericCsv"/>.
    /// Errors name file, line and column.
    /// </summary>
    public static InputTable Load(string path)
    {
        var table = NumericCsv.Read(path, new NumericCsvOptions { What = "input file", Comments = true, Booleans = true, NaN = false });
        var names = table.Names;
        if (names.Count < 2) throw new InputException($"{path}:1: the header needs 'time' and at least one variable name");
        var timeColumn = names.ToList().FindIndex(n => n.Equals("time", StringComparison.OrdinalIgnoreCase));
        if (timeColumn > 0)
            throw new InputException($"{path}:1: the first column must be time, found '{names[0]}' first and 'time' in column {timeColumn + 1}");
        var times = table.Columns[0];
        for (var i = 1; i < times.Length; i++)
        {
            var line = table.Lines[i];
            if (times[i] < times[i - 1])
                throw new InputException($"{path}:{line}: time {Text(times[i])} is before the previous row's {Text(times[i - 1])}; time stamps must not decrease");
            if (i >= 2 && times[i] == times[i - 1] && times[i] == times[i - 2])
                throw new InputException($"{path}:{line}: a third row with time {Text(times[i])}; at most two rows (a discontinuity) may share a time stamp");
        }
        return new InputTable(names.Skip(1).ToArray(), times, table.Columns[1..]);
    }

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
