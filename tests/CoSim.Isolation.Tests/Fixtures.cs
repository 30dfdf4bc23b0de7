using CoSim.Core;
using CoSim.Engine.Systems;
using CoSim.Fmi;
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
        return new SystemComponent(new IsolatedFmuComponent(archive, name, log ?? NullLogSink.Instance, options: options));
    }

    public static SystemComponent InProcess(string model, string name, ILogSink? log = null, int version = 2) =>
        new(FmuComponents.Create(Archive(model, version), name, log ?? NullLogSink.Instance));
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

/// <summary>Records every numeric output of every component after each step, as raw doubles, for bit-for-bit comparisons.</summary>
public sealed class OutputTrace : IObserver
{
    private SignalHandle[] _signals = [];

    public List<(long Ticks, double[] Values)> Rows { get; } = [];

    public void Attach(IObservationSetup setup) =>
        _signals = setup.Components.SelectMany(c => setup.VariablesOf(c)
                .Where(v => v.Role == VariableRole.Output && v.Kind is ValueKind.Real or ValueKind.Integer or ValueKind.Boolean)
                .Select(v => setup.Observe(new VariableRef(c, v.Name))))
            .ToArray();

    public void Started(SimTime start, StepValues values) => Record(start, values);
    public void StepComplete(SimTime time, StepValues values) => Record(time, values);
    public void Finished(SimTime end, Exception? failure) { }

    private void Record(SimTime time, StepValues values) => Rows.Add((time.Ticks, _signals.Select(s => values[s]).ToArray()));
}
