using System.Globalization;
using System.Text.Json;
using CoSim.Core;
using CoSim.Results;
using Parquet;

namespace CoSim.Reports;

/// <summary>One recorded signal over time: what a plot draws.</summary>
/// <param name="Signal">The column's name (<c>Component.variable</c>, or a bare name in a run of one component).</param>
/// <param name="Time">Simulation time of each sample [s], non-decreasing.</param>
/// <param name="Values">The signal's value at each time (same length as <paramref name="Time"/>).</param>
/// <param name="Unit">Its physical unit (e.g. <c>m3/s</c>), null when unknown or dimensionless.</param>
public sealed record Trace(string Signal, double[] Time, double[] Values, string? Unit = null);

/// <summary>
/// A result file (CSV or Parquet, as <c>cosim</c> writes them) read back whole: the time column and
/// one <see cref="Trace"/> per signal, with the units its provenance file records.
/// </summary>
public sealed class ResultTable
{
    private ResultTable(string path, double[] time, IReadOnlyList<Trace> traces)
    {
        Path = path;
        Time = time;
        Traces = traces;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The <c>time</c> column [s].</summary>
    public double[] Time { get; }

    /// <summary>Every other column, in file order.</summary>
    public IReadOnlyList<Trace> Traces { get; }

    /// <summary>
    /// Reads <paramref name="path"/> (Parquet when it ends in <c>.parquet</c>, else CSV) and the units from
    /// <c>PATH.provenance.json</c> when it is there. Throws <see cref="InputException"/> naming the file
    /// (and line, for CSV) when it is missing or not a result file.
    /// </summary>
    public static ResultTable Load(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: no such file");
        var (columns, data) = ResultRecorders.FormatOf(path, null) == ResultFormat.Parquet ? ReadParquet(path) : ReadCsv(path);
        if (columns.Length == 0 || columns[0] != "time") throw new InputException($"{path}: not a CoSim result (the first column must be 'time')");
        var units = UnitsFromProvenance(path);
        var traces = new List<Trace>();
        for (var c = 1; c < columns.Length; c++)
            traces.Add(new Trace(columns[c], data[0], data[c], units.TryGetValue(columns[c], out var u) && u.Length > 0 ? u : null));
        return new ResultTable(path, data[0], traces);
    }

    /// <summary>
    /// The column-to-unit map of a result's provenance file (property <c>units</c>); empty when the file
    /// or the property is missing (a result written by another tool, or before units were recorded).
    /// </summary>
    public static IReadOnlyDictionary<string, string> UnitsFromProvenance(string resultPath)
    {
        var provenance = resultPath + ".provenance.json";
        var units = new Dictionary<string, string>();
        if (!File.Exists(provenance)) return units;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(provenance));
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("units", out var map) && map.ValueKind == JsonValueKind.Object)
                foreach (var p in map.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.String) units[p.Name] = p.Value.GetString()!;
        }
        catch (JsonException)
        {
            // Units are a courtesy of the plot; a damaged provenance file must not stop it.
        }
        return units;
    }

    private static (string[] Columns, double[][] Data) ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new InputException($"{path}:1: empty file, expected a header 'time,...'");
        var columns = SplitHeader(header, path);
        var data = columns.Select(_ => new List<double>()).ToArray();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue; // the '\n' padding a killed run leaves
            var field = 0;
            var start = 0;
            for (var i = 0; i <= line.Length; i++)
            {
                if (i < line.Length && line[i] != ',') continue;
                if (field >= columns.Length) throw new InputException($"{path}:{lineNumber}: more than the header's {columns.Length} fields");
                var text = line.AsSpan(start, i - start);
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    throw new InputException($"{path}:{lineNumber}:{start + 1}: '{text}' is not a number");
                data[field++].Add(v);
                start = i + 1;
            }
            if (field != columns.Length) throw new InputException($"{path}:{lineNumber}: {field} fields, the header has {columns.Length}");
        }
        return (columns, data.Select(d => d.ToArray()).ToArray());
    }

    // Header names are quoted by the writer when they hold a comma or a quote ("a,b" -> "\"a,b\"").
    private static string[] SplitHeader(string header, string path)
    {
        var names = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < header.Length; i++)
        {
            var ch = header[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < header.Length && header[i + 1] == '"') { current.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else current.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { names.Add(current.ToString()); current.Clear(); }
            else current.Append(ch);
        }
        if (quoted) throw new InputException($"{path}:1: unterminated quote in the header");
        names.Add(current.ToString());
        return names.ToArray();
    }

    private static (string[] Columns, double[][] Data) ReadParquet(string path)
    {
        try
        {
            return ReadParquetAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new InputException($"{path}: not a readable Parquet result: {e.Message}");
        }
    }

    private static async Task<(string[] Columns, double[][] Data)> ReadParquetAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        var nonDouble = fields.FirstOrDefault(f => f.ClrType != typeof(double));
        if (nonDouble != null) throw new InputException($"{path}: column '{nonDouble.Name}' is {nonDouble.ClrType.Name}, CoSim results hold float64 columns");
        long total = 0;
        for (var g = 0; g < reader.RowGroupCount; g++) total += reader.OpenRowGroupReader(g).RowCount;
        var data = fields.Select(_ => new double[checked((int)total)]).ToArray();
        var at = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            for (var c = 0; c < fields.Length; c++) await group.ReadAsync<double>(fields[c], data[c].AsMemory(at, count));
            at += count;
        }
        return (fields.Select(f => f.Name).ToArray(), data);
    }
}
