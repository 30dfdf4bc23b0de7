namespace CoSim.Core;

public enum LogLevel { Debug, Info, Warning, Error }

/// <summary>Where messages from FMUs, units and the engine go. Implementations must be thread-safe.</summary>
public interface ILogSink
{
    void Log(LogLevel level, string source, string message);
}

/// <summary>Writes messages at or above a level to standard error, one line each.</summary>
public sealed class ConsoleLogSink(LogLevel minimum) : ILogSink
{
    private readonly Lock _gate = new();

    public LogLevel Minimum { get; set; } = minimum;

    public void Log(LogLevel level, string source, string message)
    {
        if (level < Minimum) return;
        var tag = level switch { LogLevel.Debug => "debug", LogLevel.Info => "info", LogLevel.Warning => "warning", _ => "error" };
        lock (_gate)
            Console.Error.WriteLine($"{tag}: [{source}] {message}");
    }
}

/// <summary>Discards everything (the default for library use).</summary>
public sealed class NullLogSink : ILogSink
{
    public static readonly NullLogSink Instance = new();
    public void Log(LogLevel level, string source, string message) { }
}
