using CoSim.Core;
using CoSim.Fmi.Checkpoints;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// Checkpoints of a model-exchange FMU: the FMU's serialized state and the stepping loop's state. The
/// integrator's internal history (CVODE's order, step size, Nordsieck array) is not saved: both the saving
/// run and a restored one restart the integrator from the FMU's states at the checkpoint, as at an event,
/// so that a resumed run is bit for bit the saving run. A run with checkpoints therefore differs from one
/// without only as a run with an extra event at each checkpoint time does (within the integrator's tolerance).
/// </summary>
public sealed partial class FmuModelExchangeComponent : ICheckpointable
{
    /// <inheritdoc />
    public string? CheckpointProblem => FmuStateBytes.Problem(_instance, _me);

    /// <inheritdoc />
    public void SaveCheckpoint(BinaryWriter writer, SimTime time)
    {
        FmuStateBytes.Require(CheckpointProblem, Name);
        writer.WriteBlock(FmuStateBytes.Save(_instance));
        WriteSteppingState(writer);
        if (_running && !TerminateRequested) Restart(); // as the restored run will
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        FmuStateBytes.Require(CheckpointProblem, Name);
        FmuStateBytes.Restore(_instance, reader.ReadBlock());
        ReadSteppingState(reader);
        if (!_running || TerminateRequested) return;
        _system!.ReadNominals();
        Restart();
    }

    /// <summary>For a <see cref="StronglyCoupledGroup"/>: the FMU's serialized state alone (the group owns the stepping).</summary>
    internal byte[] SaveFmuState()
    {
        FmuStateBytes.Require(CheckpointProblem, Name);
        return FmuStateBytes.Save(_instance);
    }

    /// <summary>For a <see cref="StronglyCoupledGroup"/>: sets the FMU to a state <see cref="SaveFmuState"/> gave.</summary>
    internal void RestoreFmuState(byte[] data)
    {
        FmuStateBytes.Require(CheckpointProblem, Name);
        FmuStateBytes.Restore(_instance, data);
    }
}
