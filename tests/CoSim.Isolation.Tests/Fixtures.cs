using CoSim.Core;
using CoSim.Engine.Systems;
using CoSim.Fmi.Archive;
using CoSim.TestSupport;

namespace CoSim.Isolation.Tests;

/// <summary>Shared helpers: example FMUs as isolated or in-process components, a log that keeps messages.</summary>
public static class Fixtures
{
    public static FmuArchive Archive(string model, int version = 2) => FmuArchive.Open(ExampleFmus.Path(version, model));

    public static SystemComponent Isolated(string model, string name, IsolationOptions? options = null, ILogSink? log = null, int version = 2)
    {
        var archive = Archive(model, version);
        var unit = new IsolatedUnit(archive, name, log ?? NullLogSink.Instance, options: options);
        return FmuComponents.FromUnit(unit, archive.Model);
    }

    public static SystemComponent InProcess(string model, string name, ILogSink? log = null, int version = 2) =>
        FmuComponents.Create(Archive(model, version), name, log ?? NullLogSink.Instance);
}

/// <summary>Keeps every message (thread-safe).</summary>
public sealed class ListLogSink : ILogSink
{
    private readonly List<(LogLevel Level, string Source, string Message)> _messages = [];

    public IReadOnlyList<(LogLevel Level, string Source, string Message)> Messages
    {
        get { lock (_messages) return _messages.ToList(); }
    }

    public void Log(LogLevel level, string source, string message)
    {
        lock (_messages) _messages.Add((level, source, message));
    }
}

/// <summary>Records every output of every component after each step, as raw doubles, for bit-for-bit comparisons.</summary>
public sealed class OutputTrace : IObserver
{
    private readonly (IValueAccessor Accessor, int Count)[] _reads;
    private readonly double[] _row;

    public OutputTrace(SystemModel system)
    {
        _reads = system.Components.Select(c =>
        {
            var outputs = c.Unit.Variables.Where(v => v.Role == VariableRole.Output).Select(v => v.Index).ToArray();
            return (c.Unit.CreateAccessor(outputs), outputs.Length);
        }).ToArray();
        _row = new double[_reads.Sum(r => r.Count)];
    }

    public List<(long Ticks, double[] Values)> Rows { get; } = [];

    public void Started(SimTime start) => Record(start);
    public void StepComplete(SimTime time) => Record(time);
    public void Finished(SimTime end, Exception? failure) { }

    private void Record(SimTime time)
    {
        var offset = 0;
        foreach (var (accessor, count) in _reads)
        {
            accessor.Read(_row.AsSpan(offset, count));
            offset += count;
        }
        Rows.Add((time.Ticks, _row.ToArray()));
    }
}
