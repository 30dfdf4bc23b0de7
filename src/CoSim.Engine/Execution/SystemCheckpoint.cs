using CoSim.Core;

namespace CoSim.Engine.Execution;

/// <summary>One saved part of a checkpoint: a component's, an observer's or a manipulator's block, under its name.</summary>
public sealed record CheckpointBlock(string Name, byte[] Data);

/// <summary>
/// A running system's state at one communication point, as bytes: the engine's own (time, step index,
/// step counters, every component's input and output buffers and held values, the algorithm's state),
/// every component's (<see cref="ICheckpointable"/>: FMU states, plugins' variables) and every observer's
/// and manipulator's (a recorder's file position, a scenario's events and faults). Read back into a run
/// built from the same specification (<see cref="SystemRunOptions.Resume"/>), it continues bit for bit.
/// </summary>
public sealed record SystemCheckpoint(SimTime Time, long StepIndex, byte[] Engine, IReadOnlyList<CheckpointBlock> Components, IReadOnlyList<CheckpointBlock> Attachments)
{
    private const int FormatVersion = 1;

    /// <summary>How long taking it took (components, engine, attachments); not saved.</summary>
    public TimeSpan CaptureTime { get; init; }

    /// <summary>Bytes of all blocks together.</summary>
    public long Size => Engine.Length + Components.Sum(c => (long)c.Data.Length) + Attachments.Sum(a => (long)a.Data.Length);

    /// <summary>Writes the checkpoint (format version first).</summary>
    public void WriteTo(BinaryWriter w)
    {
        w.Write(FormatVersion);
        w.Write(Time.Ticks);
        w.Write(StepIndex);
        w.WriteBlock(Engine);
        WriteBlocks(w, Components);
        WriteBlocks(w, Attachments);
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote; <paramref name="source"/> names it in errors.</summary>
    public static SystemCheckpoint ReadFrom(BinaryReader r, string source)
    {
        try
        {
            var version = r.ReadInt32();
            if (version != FormatVersion) throw new InputException($"{source}: checkpoint format {version}, this CoSim reads format {FormatVersion}");
            var time = new SimTime(r.ReadInt64());
            var step = r.ReadInt64();
            var engine = r.ReadBlock();
            return new SystemCheckpoint(time, step, engine, ReadBlocks(r), ReadBlocks(r));
        }
        catch (EndOfStreamException)
        {
            throw new InputException($"{source}: the checkpoint is truncated");
        }
    }

    private static void WriteBlocks(BinaryWriter w, IReadOnlyList<CheckpointBlock> blocks)
    {
        w.Write(blocks.Count);
        foreach (var b in blocks)
        {
            w.Write(b.Name);
            w.WriteBlock(b.Data);
        }
    }

    private static List<CheckpointBlock> ReadBlocks(BinaryReader r)
    {
        var n = r.ReadInt32();
        var blocks = new List<CheckpointBlock>(n);
        for (var i = 0; i < n; i++) blocks.Add(new CheckpointBlock(r.ReadString(), r.ReadBlock()));
        return blocks;
    }
}

/// <summary>When a run saves checkpoints and what it does with each: every <see cref="Every"/> of simulated time from the start.</summary>
/// <param name="Every">The interval; a checkpoint is taken at the first communication point at or after each multiple of it (not at the stop time).</param>
/// <param name="Save">Called with each checkpoint, between steps (e.g. writes it to a file).</param>
public sealed record CheckpointPolicy(SimTime Every, Action<SystemCheckpoint> Save);
