using CoSim.Core;

namespace CoSim.Results;

/// <summary>An observer that records the run's signals to a result file; disposing closes the file.</summary>
public interface IResultRecorder : IObserver, IDisposable
{
    /// <summary>The result file.</summary>
    string Path { get; }

    /// <summary>Rows recorded so far (the initial values count as one).</summary>
    long Rows { get; }

    /// <summary>The recorded signals, in column order (after <c>time</c>).</summary>
    IReadOnlyList<RecordedSignal> Signals { get; }
}

/// <summary>The result file formats.</summary>
public enum ResultFormat
{
    /// <summary>Comma-separated text, crash-safe row by row (<see cref="CsvRecorder"/>).</summary>
    Csv,

    /// <summary>Columnar binary, float64 columns, readable up to the last complete row group (<see cref="ParquetRecorder"/>).</summary>
    Parquet,
}

/// <summary>Chooses and makes the recorder for a result file.</summary>
public static class ResultRecorders
{
    /// <summary>
    /// The format named (<c>csv</c>, <c>parquet</c>, case-insensitive), or when <paramref name="format"/>
    /// is null the one the file's extension says (<c>.parquet</c>; anything else is CSV).
    /// Throws <see cref="InputException"/> for an unknown format name.
    /// </summary>
    public static ResultFormat FormatOf(string path, string? format) => format?.ToLowerInvariant() switch
    {
        null => string.Equals(System.IO.Path.GetExtension(path), ".parquet", StringComparison.OrdinalIgnoreCase) ? ResultFormat.Parquet : ResultFormat.Csv,
        "csv" => ResultFormat.Csv,
        "parquet" => ResultFormat.Parquet,
        _ => throw new InputException($"result format '{format}': unknown (have: csv, parquet)"),
    };

    /// <summary>Creates the result file at <paramref name="path"/> for <paramref name="signals"/>, in column order, keeping the rows <paramref name="decimation"/> says (default: all).</summary>
    public static IResultRecorder Create(string path, IReadOnlyList<RecordedSignal> signals, string? format = null, Decimation? decimation = null) => FormatOf(path, format) switch
    {
        ResultFormat.Parquet => new ParquetRecorder(path, signals, decimation: decimation),
        _ => new CsvRecorder(path, signals, decimation),
    };
}
