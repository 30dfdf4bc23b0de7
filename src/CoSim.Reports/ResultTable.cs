using System.Globalization;
using System.Text.Json;
using CoSim.Core;
using CoSim.Core.Csv;
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
        var table = NumericCsv.Read(path, new NumericCsvOptions { What = "result file" });
        return (table.Names.ToArray(), table.Columns);
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
