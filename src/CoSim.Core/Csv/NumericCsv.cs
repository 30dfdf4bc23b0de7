using System.Globalization;
using nietras.SeparatedValues;

namespace CoSim.Core.Csv;

/// <summary>How <see cref="NumericCsv.Read"/> reads a file.</summary>
public sealed record NumericCsvOptions
{
    /// <summary>What the file is, in messages ("input file", "data file", "result file").</summary>
    public string What { get; init; } = "file";

    /// <summary>Lines starting with '#' (before the header too) are comments.</summary>
    public bool Comments { get; init; }

    /// <summary>Cells <c>true</c> and <c>false</c> read as 1 and 0 (input tables set Boolean inputs).</summary>
    public bool Booleans { get; init; }

    /// <summary>A NaN cell is a value (a result may hold one); false: it is not a number.</summary>
    public bool NaN { get; init; } = true;
}

/// <summary>A numeric table as read.</summary>
/// <param name="Path">The file.</param>
/// <param name="Names">The header's column names.</param>
/// <param name="Columns">One array of values per column, a value per row.</param>
/// <param name="Lines">Each row's line in the file (1-based), for messages.</param>
public sealed record NumericTable(string Path, IReadOnlyList<string> Names, double[][] Columns, int[] Lines)
{
    /// <summary>Rows read.</summary>
    public int RowCount => Lines.Length;
}

/// <summary>
/// The one reader of numeric CSV in CoSim (input tables, training data, result files): a header of names, then
/// numeric rows; comma-separated, or semicolon when the header has no comma; quoted fields; invariant culture;
/// blank lines skipped. Parsing is Sep's (as the historian reader's), so there is no hand-written CSV splitting.
/// Every error is an <see cref="InputException"/> naming file, line and column.
/// </summary>
public static class NumericCsv
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="InputException"/> naming file, line and column for anything that is not a numeric table.</summary>
    public static NumericTable Read(string path, NumericCsvOptions? options = null)
    {
        options ??= new NumericCsvOptions();
        if (!File.Exists(path)) throw new InputException($"{path}: no such {options.What}");
        var firstLine = FirstLine(path, options.Comments, out var headerLine);
        if (string.IsNullOrWhiteSpace(firstLine))
            throw new InputException($"{path}:{headerLine}: the {options.What} is empty (expected a header line of column names)");
        var separator = firstLine.Contains(',') || !firstLine.Contains(';') ? ',' : ';';
        try
        {
            using var reader = Sep.Reader(o => o with
            {
                Sep = new Sep(separator),
                HasHeader = false,
                Unescape = true,
                DisableColCountCheck = true,
            }).FromFile(path);
            string[]? names = null;
            List<double>[] columns = [];
            var lines = new List<int>(1024);
            foreach (var row in reader)
            {
                var line = row.LineNumberFrom;
                var first = row[0].Span;
                if (row.ColCount == 1 && first.Trim().IsEmpty) continue; // a blank line (or the padding a killed run leaves)
                if (options.Comments && first.StartsWith("#")) continue;
                if (names == null)
                {
                    names = new string[row.ColCount];
                    for (var c = 0; c < names.Length; c++) names[c] = row[c].Span.Trim().ToString();
                    var twice = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
                    if (twice != null) throw new InputException($"{path}:{headerLine}: column '{InputText.OneLine(twice.Key)}' appears twice");
                    columns = names.Select(_ => new List<double>(1024)).ToArray();
                    continue;
                }
                if (row.ColCount != names.Length)
                    throw new InputException($"{path}:{line}: expected {names.Length} values, found {row.ColCount}");
                for (var c = 0; c < names.Length; c++)
                {
                    var text = row[c].Span.Trim();
                    if (!TryParse(text, options, out var value))
                        throw new InputException($"{path}:{line}:{ColumnOf(row, c)}: column '{InputText.OneLine(names[c])}': '{InputText.OneLine(text)}' is not a number");
                    columns[c].Add(value);
                }
                lines.Add(line);
            }
            if (names == null) throw new InputException($"{path}:{headerLine}: the {options.What} is empty (expected a header line of column names)");
            if (lines.Count == 0) throw new InputException($"{path}: the {options.What} has a header but no rows");
            return new NumericTable(path, names, columns.Select(c => c.ToArray()).ToArray(), lines.ToArray());
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException)
        {
            throw new InputException($"{path}: not readable as CSV: {e.Message}", e);
        }
    }

    private static bool TryParse(ReadOnlySpan<char> text, NumericCsvOptions options, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return options.NaN || !double.IsNaN(value);
        if (!options.Booleans) return false;
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) value = 1;
        else if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) value = 0;
        else return false;
        return true;
    }

    // 1-based character column of field c in its line (the fields before it and their separators).
    private static int ColumnOf(SepReader.Row row, int c)
    {
        var column = 1;
        for (var i = 0; i < c; i++) column += row[i].Span.Length + 1;
        return column;
    }

    /// <summary>The header line (the first that is not a comment, when comments are on) and its line number.</summary>
    private static string? FirstLine(string path, bool comments, out int lineNumber)
    {
        using var reader = new StreamReader(path);
        lineNumber = 0;
        string? line;
        do
        {
            line = reader.ReadLine();
            lineNumber++;
        } while (line != null && (line.Length == 0 || comments && line.StartsWith('#')));
        return line;
    }
}
