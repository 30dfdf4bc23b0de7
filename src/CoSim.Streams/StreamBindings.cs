using System.Buffers;
using System.Text.Json;
using CoSim.Core;

namespace CoSim.Streams;

/// <summary>How a stream's configured names meet the system: a source's inputs, a sink's observed signals.</summary>
public static class StreamBindings
{
    /// <summary>
    /// The input handles of a source's <paramref name="signals"/> (<c>Component.variable</c>, or bare names in a run of
    /// <paramref name="defaultComponent"/>); every unknown or unsettable one at once in an <see cref="InputException"/>
    /// starting with <paramref name="where"/>.
    /// </summary>
    public static InputHandle[] Inputs(IManipulationSetup setup, IEnumerable<StreamSignalConfig> signals, string? defaultComponent, string where)
    {
        var inputs = new List<InputHandle>();
        var problems = new List<string>();
        var resolver = new VariableResolver(setup.Components, defaultComponent);
        foreach (var s in signals)
        {
            if (resolver.TryResolve(s.Input) is not { } target)
            {
                problems.Add($"input '{s.Input}': {resolver.Hint}");
                continue;
            }
            try
            {
                inputs.Add(setup.Input(target));
            }
            catch (InputException e)
            {
                problems.Add($"input '{s.Input}': {e.Message}");
            }
        }
        if (problems.Count > 0) throw new InputException($"{where}: {string.Join("; ", problems)}");
        return inputs.ToArray();
    }
}

/// <summary>
/// A sink's message: one JSON object <c>{"time": simulation time [s], "wallTime": ISO 8601 UTC, "Component.variable": value, ...}</c>
/// of the signals it publishes, written into a reused buffer (no allocation per message beyond the transport's copy).
/// </summary>
public sealed class SinkPayload
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _json;
    private SignalHandle[] _signals = [];
    private JsonEncodedText[] _names = [];

    public SinkPayload() => _json = new Utf8JsonWriter(_buffer);

    /// <summary>
    /// Observes <paramref name="signals"/> (<c>Component.variable</c>, or bare names in a run of <paramref name="defaultComponent"/>);
    /// every unknown one at once in an <see cref="InputException"/> starting with <paramref name="where"/>.
    /// </summary>
    public void Attach(IObservationSetup setup, IEnumerable<string> signals, string? defaultComponent, string where)
    {
        var handles = new List<SignalHandle>();
        var names = new List<JsonEncodedText>();
        var problems = new List<string>();
        var resolver = new VariableResolver(setup.Components, defaultComponent);
        foreach (var s in signals)
        {
            if (resolver.TryResolve(s) is not { } target)
            {
                problems.Add($"signal '{s}': {resolver.Hint}");
                continue;
            }
            try
            {
                handles.Add(setup.Observe(target));
                names.Add(JsonEncodedText.Encode(target.ToString()));
            }
            catch (InputException e)
            {
                problems.Add($"signal '{s}': {e.Message}");
            }
        }
        if (problems.Count > 0) throw new InputException($"{where}: {string.Join("; ", problems)}");
        _signals = handles.ToArray();
        _names = names.ToArray();
    }

    /// <summary>The message at <paramref name="time"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(SimTime time, StepValues values)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber("time", time.Seconds);
        _json.WriteString("wallTime", DateTime.UtcNow);
        for (var i = 0; i < _signals.Length; i++) _json.WriteNumber(_names[i], values[_signals[i]]);
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }
}
