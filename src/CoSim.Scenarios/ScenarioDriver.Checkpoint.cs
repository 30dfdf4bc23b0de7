using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// Checkpoints of a scenario: the current point and observed values, which events fired and which are due, every
/// fault's window and effect memory (a held value, a delay line), and the event log. Noise faults need nothing: their
/// sample is a function of the seed and the time. Not saved: variables of the script itself that an action changes
/// (a counter in a closure); a scenario whose actions keep such state resumes with the values they have at the start.
/// </summary>
internal sealed partial class ScenarioDriver : ICheckpointable
{
    public void SaveCheckpoint(BinaryWriter writer, SimTime time)
    {
        writer.Write(Now.Ticks);
        _values.Save(writer);
        _schedule.Save(writer);
        _faults.Save(writer);
        _events.Save(writer);
    }

    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        Now = new SimTime(reader.ReadInt64());
        _values.Restore(reader);
        _schedule.Restore(reader);
        _faults.Restore(reader);
        _events.Restore(reader);
    }
}
