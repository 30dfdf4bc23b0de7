using CoSim.Core;
using CoSim.Engine.Algorithms;

namespace CoSim.Engine.Execution;

/// <summary>
/// Takes and restores <see cref="SystemCheckpoint"/>s of one <see cref="SystemExecution"/>: knows which
/// parts hold state (components, the algorithm, observers and manipulators) and the engine's own buffers.
/// Every part that cannot be saved is named before the run starts (<see cref="Problems"/>).
/// </summary>
internal sealed class CheckpointKeeper(CoupledSystem system, IMasterAlgorithm algorithm, IObserver[] observers, IManipulator[] manipulators)
{
    /// <summary>Everything that stands in the way of a checkpoint of this run, each naming the part and why.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var c in system.Components)
        {
            if (c.Instance is not ICheckpointable saver)
                yield return $"component '{c.Name}'{Kind(c.Instance)} cannot be checkpointed: it has no state save/restore";
            else if (saver.CheckpointProblem is { } problem)
                yield return $"component '{c.Name}'{Kind(c.Instance)} cannot be checkpointed: {problem}";
        }
        if (algorithm is not ICheckpointable)
            yield return $"the {algorithm.Name} algorithm cannot be checkpointed";
        foreach (var (name, attachment) in Attachments())
        {
            if (attachment is IStatelessAttachment) continue;
            if (attachment is not ICheckpointable a)
                yield return $"{name} cannot be checkpointed: it has no state save/restore";
            else if (a.CheckpointProblem is { } problem)
                yield return $"{name} cannot be checkpointed: {problem}";
        }
    }

    /// <summary>The state at <paramref name="time"/>, the <paramref name="stepIndex"/>-th communication point.</summary>
    public SystemCheckpoint Capture(SimTime time, long stepIndex, Action<BinaryWriter> engineCounters)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var components = system.Components.Select(c => new CheckpointBlock(c.Name, CheckpointIO.Save((ICheckpointable)c.Instance, time))).ToList();
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer))
        {
            engineCounters(w);
            foreach (var c in system.Components)
            {
                w.WriteDoubles(c.Inputs);
                w.WriteDoubles(c.ManipulatedInputs);
                w.WriteDoubles(c.HeldInputs);
                w.WriteDoubles(c.Outputs);
                w.WriteDoubles(c.PendingOutputs);
                w.WriteDoubles(c.SweepStartOutputs);
            }
            w.WriteBlock(CheckpointIO.Save((ICheckpointable)algorithm, time));
        }
        var attachments = Attachments().Where(a => a.Part is not IStatelessAttachment)
            .Select(a => new CheckpointBlock(a.Name, CheckpointIO.Save((ICheckpointable)a.Part, time))).ToList();
        return new SystemCheckpoint(time, stepIndex, buffer.ToArray(), components, attachments) { CaptureTime = System.Diagnostics.Stopwatch.GetElapsedTime(started) };
    }

    /// <summary>Returns the initialized run to <paramref name="checkpoint"/>; the engine's counters are read by <paramref name="engineCounters"/>.</summary>
    public void Restore(SystemCheckpoint checkpoint, Action<BinaryReader> engineCounters)
    {
        var time = checkpoint.Time;
        Expect("components", checkpoint.Components.Select(b => b.Name), system.Components.Select(c => c.Name));
        var stateful = Attachments().Where(a => a.Part is not IStatelessAttachment).ToList();
        Expect("observers and manipulators", checkpoint.Attachments.Select(b => b.Name), stateful.Select(a => a.Name));
        for (var i = 0; i < system.Components.Length; i++)
            CheckpointIO.Restore((ICheckpointable)system.Components[i].Instance, checkpoint.Components[i].Data, time, $"component '{system.Components[i].Name}'");
        using (var r = new BinaryReader(new MemoryStream(checkpoint.Engine)))
        {
            engineCounters(r);
            foreach (var c in system.Components)
            {
                r.ReadDoubles(c.Inputs, $"{c.Name} inputs");
                r.ReadDoubles(c.ManipulatedInputs, $"{c.Name} inputs");
                r.ReadDoubles(c.HeldInputs, $"{c.Name} inputs");
                r.ReadDoubles(c.Outputs, $"{c.Name} outputs");
                r.ReadDoubles(c.PendingOutputs, $"{c.Name} outputs");
                r.ReadDoubles(c.SweepStartOutputs, $"{c.Name} outputs");
            }
            CheckpointIO.Restore((ICheckpointable)algorithm, r.ReadBlock(), time, $"the {algorithm.Name} algorithm");
        }
        for (var i = 0; i < stateful.Count; i++)
            CheckpointIO.Restore((ICheckpointable)stateful[i].Part, checkpoint.Attachments[i].Data, time, stateful[i].Name);
    }

    private IEnumerable<(string Name, object Part)> Attachments()
    {
        for (var i = 0; i < observers.Length; i++) yield return ($"observer {i + 1} ({observers[i].GetType().Name})", observers[i]);
        for (var i = 0; i < manipulators.Length; i++) yield return ($"manipulator {i + 1} ({manipulators[i].GetType().Name})", manipulators[i]);
    }

    private static void Expect(string what, IEnumerable<string> saved, IEnumerable<string> now)
    {
        var a = saved.ToList();
        var b = now.ToList();
        if (!a.SequenceEqual(b))
            throw new InputException($"checkpoint: the run's {what} ({string.Join(", ", b)}) are not the checkpoint's ({string.Join(", ", a)})");
    }

    private static string Kind(IComponent c) => c.KindDescription is { } k ? $" ({k})" : "";
}
