using System.Globalization;
using Parquet;

namespace CoSim.Results;

/// <summary>Compares two result files of the same format: byte for byte, and where they differ, the first row that does.</summary>
public static class ResultComparison
{
    /// <summary>
    /// Null when the files are byte-identical; else what differs first, e.g. <c>row 12 (time 1.1): m.a 0.5 vs 0.50000000000000011</c>
    /// (rows counted from 1 after the header), or a difference of columns or row counts.
    /// </summary>
    public static string? FirstDifference(string expectedPath, string actualPath, ResultFormat format)
    {
        if (File.ReadAllBytes(expectedPath).AsSpan().SequenceEqual(File.ReadAllBytes(actualPath))) return null;
        var (columnsA, rowsA) = Load(expectedPath, format);
        var (columnsB, rowsB) = Load(actualPath, format);
        if (!columnsA.SequenceEqual(columnsB)) return $"columns differ: [{string.Join(", ", columnsA)}] vs [{string.Join(", ", columnsB)}]";
        for (var r = 0; r < Math.Min(rowsA.Count, rowsB.Count); r++)
            for (var c = 0; c < columnsA.Length; c++)
                if (BitConverter.DoubleToInt64Bits(rowsA[r][c]) != BitConverter.DoubleToInt64Bits(rowsB[r][c]))
                    return $"row {r + 1} (time {Text(rowsA[r][0])}): {columnsA[c]} {Text(rowsA[r][c])} vs {Text(rowsB[r][c])}";
        if (rowsA.Count != rowsB.Count) return $"{rowsA.Count} rows vs {rowsB.Count} rows (the first {Math.Min(rowsA.Count, rowsB.Count)} equal)";
        return "same values, different bytes";
    }

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static (string[] Columns, List<double[]> Rows) Load(string path, ResultFormat format) =>
        format == ResultFormat.Parquet ? LoadParquet(path).GetAwaiter().GetResult() : LoadCsv(path);

    private static (string[] Columns, List<double[]> Rows) LoadCsv(string path)
    {
        var lines = File.ReadLines(path).Where(l => l.Length > 0).ToList();
        var columns = lines.Count > 0 ? lines[0].Split(',') : [];
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray())
            .Select(r => r.Length == columns.Length ? r : r.Concat(Enumerable.Repeat(double.NaN, Math.Max(0, columns.Length - r.Length))).Take(columns.Length).ToArray()).ToList();
        return (columns, rows);
    }

    private static async Task<(string[] Columns, List<double[]> Rows)> LoadParquet(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        var rows = new List<double[]>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            var columns = new double[fields.Length][];
            for (var c = 0; c < fields.Length; c++)
            {
                columns[c] = new double[count];
                await group.ReadAsync<double>(fields[c], columns[c]);
            }
            for (var r = 0; r < count; r++) rows.Add(columns.Select(col => col[r]).ToArray());
        }
        return (fields.Select(f => f.Name).ToArray(), rows);
    }
}
