using CoSim.Core;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// Checkpoints of a strongly coupled group: every member's serialized FMU state, then the group's stepping
/// state; the one integrator restarts from the members' states in the saving run and in the restored one
/// alike (see <see cref="FmuModelExchangeComponent"/>'s checkpoints).
/// </summary>
public sealed partial class StronglyCoupledGroup : ICheckpointable
{
    /// <inheritdoc />
    public string? CheckpointProblem =>
        _members.Select(m => m.CheckpointProblem is { } p ? $"member '{m.Name}': {p}" : null).FirstOrDefault(p => p != null);

    /// <inheritdoc />
    public void SaveCheckpoint(BinaryWriter writer, SimTime time)
    {
        writer.Write(_members.Length);
        foreach (var m in _members) writer.WriteBlock(m.SaveFmuState());
        WriteSteppingState(writer);
        if (_running && !TerminateRequested) Restart();
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        var n = reader.ReadInt32();
        if (n != _members.Length) throw new InputException($"checkpoint: group '{Name}' had {n} members, it has {_members.Length}");
        foreach (var m in _members) m.RestoreFmuState(reader.ReadBlock());
        ReadSteppingState(reader);
        _ode.Forget();
        if (!_running || TerminateRequested) return;
        _ode.ReadNominals();
        Restart();
    }
}
