using System.Globalization;
using CoSim.Core;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace CoSim.Ml.Training;

/// <summary>
/// A numeric CSV table: a CoSim result file (<c>time,Component.variable,...</c>) or plant data with
/// any header. Comma separated (semicolon when a line has no comma), invariant culture, '#' comment
/// lines; errors name file, line and column.
/// </summary>
public sealed class DataTable
{
    private readonly double[][] _columns;
    private readonly int[] _lines; // each row's line in the file, for messages

    private DataTable(string path, string[] names, double[][] columns, int[] lines)
    {
        Path = path;
        Names = names;
        _columns = columns;
        _lines = lines;
    }

    public string Path { get; }
    public IReadOnlyList<string> Names { get; }
    public int RowCount => _columns.Length == 0 ? 0 : _columns[0].Length;

    /// <summary>
    /// The named columns side by side, rows <paramref name="from"/> to the end less <paramref name="dropLast"/>.
    /// A selected cell that is not a finite number (NaN, inf) is bad input naming its line; other columns may hold them.
    /// </summary>
    public Matrix<double> Select(IReadOnlyList<string> columns, int from = 0, int dropLast = 0)
    {
        var index = columns.Select(Column).ToArray();
        var n = RowCount - from - dropLast;
        foreach (var c in index)
            for (var i = from; i < from + n; i++)
                if (!double.IsFinite(_columns[c][i]))
                    throw new InputException($"{Path}:{_lines[i]}: column '{Names[c]}' holds {_columns[c][i].ToString(CultureInfo.InvariantCulture)}, not a finite number");
        return DenseMatrix.Create(n, index.Length, (i, j) => _columns[index[j]][from + i]);
    }

    /// <summary>The column's position; an unknown name is bad input naming the file and the closest columns.</summary>
    public int Column(string name)
    {
        var i = Array.IndexOf((string[])Names, name);
        if (i >= 0) return i;
        throw new InputException($"{Path}:1: no column '{name}'{NameSuggestions.Suggest(name, Names)}");
    }

    public static DataTable Load(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: no such data file");
        using var reader = new StreamReader(path);
        var lineNo = 0;
        string? header;
        do { header = reader.ReadLine(); lineNo++; } while (header != null && header.StartsWith('#'));
        if (string.IsNullOrWhiteSpace(header)) throw new InputException($"{path}:{lineNo}: the data file is empty (expected a header line of column names)");
        var separator = header.Contains(',') || !header.Contains(';') ? ',' : ';';
        var names = header.Split(separator).Select(n => n.Trim().Trim('"')).ToArray();
        var dup = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (dup != null) throw new InputException($"{path}:{lineNo}: column '{dup.Key}' appears twice");
        var columns = names.Select(_ => new List<double>()).ToArray();
        var lines = new List<int>();
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cells = line.Split(separator);
            if (cells.Length != names.Length) throw new InputException($"{path}:{lineNo}: expected {names.Length} values, found {cells.Length}");
            lines.Add(lineNo);
            var col = 1;
            for (var c = 0; c < cells.Length; c++)
            {
                var s = cells[c].Trim();
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    throw new InputException($"{path}:{lineNo}:{col}: column '{names[c]}': '{s}' is not a number");
                columns[c].Add(v);
                col += cells[c].Length + 1;
            }
        }
        if (columns[0].Count == 0) throw new InputException($"{path}: the data file has a header but no rows");
        return new DataTable(path, names, columns.Select(c => c.ToArray()).ToArray(), lines.ToArray());
    }
}
