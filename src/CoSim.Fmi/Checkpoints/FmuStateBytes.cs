using CoSim.Core;
using CoSim.Fmi.Description;
using CoSim.Fmi.Native;

namespace CoSim.Fmi.Checkpoints;

/// <summary>
/// An FMU instance's state as bytes, for checkpoints: get the FMU state, serialize it, free it (and back:
/// deserialize, set, free). The FMU keeps no handle alive between steps, so the master never promises
/// fewer rollbacks than it makes (noSetFMUStatePriorToCurrentPoint stays true).
/// </summary>
internal static class FmuStateBytes
{
    /// <summary>Why <paramref name="instance"/> cannot be checkpointed (the flag of <paramref name="info"/> or a missing function); null: it can.</summary>
    public static string? Problem(IFmiInstance instance, InterfaceInfo info)
    {
        if (!info.CanGetAndSetFmuState) return "the FMU cannot save its state (canGetAndSetFMUstate is false)";
        if (!info.CanSerializeFmuState) return "the FMU cannot serialize its state (canSerializeFMUstate is false)";
        if (!instance.CanGetSetState) return "the FMU does not export the get/set/free FMU state functions";
        if (!instance.CanSerializeState) return "the FMU does not export the FMU state serialization functions";
        return null;
    }

    /// <summary>The instance's current state, serialized.</summary>
    public static byte[] Save(IFmiInstance instance)
    {
        var state = instance.GetState();
        try
        {
            return instance.SerializeState(state);
        }
        finally
        {
            instance.FreeState(state);
        }
    }

    /// <summary>Sets the instance to a state <see cref="Save"/> serialized.</summary>
    public static void Restore(IFmiInstance instance, byte[] data)
    {
        var state = instance.DeserializeState(data);
        try
        {
            instance.SetState(state);
        }
        finally
        {
            instance.FreeState(state);
        }
    }

    /// <summary>Throws the checkpoint problem of a component as a <see cref="SimulationException"/> naming it.</summary>
    public static void Require(string? problem, string component)
    {
        if (problem != null) throw new SimulationException(problem, component, "checkpoint");
    }
}
