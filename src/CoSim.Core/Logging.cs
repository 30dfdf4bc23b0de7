namespace CoSim.Core;

/// <summary>Severity of a log message; FMU statuses map OK to Info, Warning/Discard to Warning, Error/Fatal to Error.</summary>
public enum LogLevel
{
    /// <summary>Detail for diagnosis (shown with --verbose).</summary>
    Debug,
    /// <summary>Normal progress messages.</summary>
    Info,
    /// <summary>Something unusual that did not stop the run.</summary>
    Warning,
    /// <summary>A failure.</summary>
    Error,
}

/// <summary>Where messages from FMUs, components and the engine go. Implementations must be thread-safe.</summary>
public interface ILogSink
{
    /// <summary>Records one message from <paramref name="source"/> (an FMU instance, a component, the engine).</summary>
    void Log(LogLevel level, string source, string message);
}

/// <summary>Writes messages at or above a level to standard error, one line each.</summary>
public sealed class ConsoleLogSink(LogLevel minimum) : ILogSink
{
    private readonly Lock _gate = new();

    /// <summary>Messages below this level are dropped.</summary>
    public LogLevel Minimum { get; set; } = minimum;

    /// <inheritdoc />
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
    /// <summary>The shared instance.</summary>
    public static readonly NullLogSink Instance = new();

    /// <inheritdoc />
    public void Log(LogLevel level, string source, string message) { }
}
