using System.Globalization;

namespace CoSim.TestSupport;

/// <summary>A CSV of numbers with a header row, as CoSim writes results and as the example FMUs' references are stored.</summary>
public sealed class ResultCsv
{
    private ResultCsv(string[] columns, List<double[]> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<double[]> Rows { get; }

    public static ResultCsv Load(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        var columns = lines[0].Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()).ToList();
        return new ResultCsv(columns, rows);
    }

    public int Column(string name)
    {
        var i = Array.IndexOf((string[])Columns, name);
        return i >= 0 ? i : throw new KeyNotFoundException($"no column '{name}' in [{string.Join(", ", Columns)}]");
    }

    public double[] Values(string name)
    {
        var c = Column(name);
        return Rows.Select(r => r[c]).ToArray();
    }

    public double[] Times => Values(Columns[0]);

    // At() is called once per row of another result: copying the time column on every call made a
    // comparison of 7,500 rows against a 120,000-row reference take ~50 s of the suite.
    private double[]? _times;

    /// <summary>Linear interpolation of a column at time t (times must be increasing; holds the ends).</summary>
    public double At(string name, double t)
    {
        var c = Column(name);
        var times = _times ??= Times;
        if (t <= times[0]) return Rows[0][c];
        if (t >= times[^1]) return Rows[^1][c];
        var i = Array.BinarySearch(times, t);
        if (i >= 0) return Rows[i][c];
        i = ~i;
        var w = (t - times[i - 1]) / (times[i] - times[i - 1]);
        return Rows[i - 1][c] + w * (Rows[i][c] - Rows[i - 1][c]);
    }
}
