using Parquet;

namespace CoSim.TestSupport;

/// <summary>A Parquet result file read back whole with Parquet.Net's reader: float64 columns, rows in file order.</summary>
public sealed class ResultParquet
{
    private ResultParquet(string[] columns, List<double[]> rows, int rowGroups)
    {
        Columns = columns;
        Rows = rows;
        RowGroups = rowGroups;
    }

    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<double[]> Rows { get; }
    public int RowGroups { get; }

    public static ResultParquet Load(string path) => LoadAsync(path).GetAwaiter().GetResult();

    private static async Task<ResultParquet> LoadAsync(string path)
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
        return new ResultParquet(fields.Select(f => f.Name).ToArray(), rows, reader.RowGroupCount);
    }
}
