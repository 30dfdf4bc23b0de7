using System.Globalization;
using CoSim.Core;
using CoSim.Core.Csv;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace CoSim.Ml.Training;

/// <summary>
/// A numeric CSV table: a CoSim result file (<c>time,Component.variable,...</c>) or plant data with
/// any header, as <see cref="NumericCsv"/> reads it (comma or semicolon, quotes, invariant culture, '#'
/// comment lines; errors name file, line and column).
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

    /// <summary>A table of columns read elsewhere (e.g. a historian file's selected columns): one value per row each, and each row's file line.</summary>
    public static DataTable FromColumns(string path, IReadOnlyList<string> names, double[][] columns, int[] lines)
    {
        if (names.Count != columns.Length || columns.Any(c => c.Length != lines.Length)) throw new ArgumentException("one column per name, one value per line");
        return new DataTable(path, names.ToArray(), columns, lines);
    }

    /// <summary>Reads <paramref name="path"/> (<see cref="NumericCsv"/>: '#' comments, NaN cells kept and refused only where selected).</summary>
    public static DataTable Load(string path)
    {
        var table = NumericCsv.Read(path, new NumericCsvOptions { What = "data file", Comments = true });
        return new DataTable(path, table.Names.ToArray(), table.Columns, table.Lines);
    }
}
