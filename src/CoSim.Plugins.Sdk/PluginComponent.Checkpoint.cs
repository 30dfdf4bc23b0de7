using System.Reflection;
using CoSim.Core;

namespace CoSim.Plugins.Sdk;

/// <summary>
/// Checkpoints of a plugin (the SDK hook): the value array, the time and the flags are written by the SDK;
/// state kept outside the variables (what <see cref="CaptureState"/> returns) is written by
/// <see cref="WriteState"/> and read back by <see cref="ReadState"/>. A plugin that overrides
/// <see cref="CaptureState"/> but not these two cannot be checkpointed, and a checkpoint names it.
/// </summary>
public abstract partial class PluginComponent : ICheckpointable
{
    /// <summary>Writes the state that is not held in variables (what <see cref="CaptureState"/> captures), for a checkpoint file.</summary>
    protected virtual void WriteState(BinaryWriter writer) { }

    /// <summary>Reads what <see cref="WriteState"/> wrote (into a fresh instance of the same plugin, after its initialization).</summary>
    protected virtual void ReadState(BinaryReader reader) { }

    /// <inheritdoc />
    string? ICheckpointable.CheckpointProblem =>
        Overrides(nameof(CaptureState)) && !(Overrides(nameof(WriteState)) && Overrides(nameof(ReadState)))
            ? $"the plugin {GetType().FullName} keeps state outside its variables (it overrides CaptureState) but does not write it to a checkpoint (override WriteState and ReadState)"
            : null;

    void ICheckpointable.SaveCheckpoint(BinaryWriter writer, SimTime time)
    {
        if (((ICheckpointable)this).CheckpointProblem is { } problem) throw new SimulationException(problem, Name, "checkpoint");
        writer.WriteDoubles(_values.AsSpan(0, _variables.Count));
        writer.Write(Time);
        writer.Write(_dirty);
        writer.Write(_terminateRequested);
        WriteState(writer);
    }

    void ICheckpointable.RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        reader.ReadDoubles(_values.AsSpan(0, _variables.Count), $"plugin '{Name}' variables");
        Time = reader.ReadDouble();
        _dirty = reader.ReadBoolean();
        _terminateRequested = reader.ReadBoolean();
        ReadState(reader);
    }

    private bool Overrides(string method) =>
        GetType().GetMethod(method, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?.DeclaringType != typeof(PluginComponent);
}
