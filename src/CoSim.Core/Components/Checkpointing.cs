namespace CoSim.Core;

/// <summary>
/// Something whose complete run state can be written to bytes and read back into a fresh copy of
/// itself: a component (an FMU's serialized FMU state, a plugin's variables and locals), an observer
/// or manipulator (a recorder's file position, a replay's cursor, a scenario's fault and event state),
/// a master algorithm. What a system checkpoint is made of; a checkpoint is read back into a run built
/// from the same specification, so only the state is written, never the structure.
/// <para>
/// Call order: <see cref="SaveCheckpoint"/> between steps, after initialization (the thing is at the
/// checkpoint's time); <see cref="RestoreCheckpoint"/> on a fresh instance of the same thing after its
/// own initialization, before the first step of the resumed run. A restore followed by the run's
/// steps gives bit for bit what the saving run computed after the save.
/// </para>
/// </summary>
public interface ICheckpointable
{
    /// <summary>Why this one cannot be saved now (e.g. "the FMU cannot serialize its state: canSerializeFMUstate is false"); null: it can.</summary>
    string? CheckpointProblem => null;

    /// <summary>Writes the state at <paramref name="time"/> (the saver's own format, versioned by the CoSim build that reads it).</summary>
    void SaveCheckpoint(BinaryWriter writer, SimTime time);

    /// <summary>Reads what <see cref="SaveCheckpoint"/> wrote at <paramref name="time"/> and continues from there.</summary>
    void RestoreCheckpoint(BinaryReader reader, SimTime time);
}

/// <summary>
/// Marks an observer or manipulator that holds no run state at all (what it does at a point depends only on
/// that point's time and values), so that a checkpoint needs nothing of it.
/// </summary>
public interface IStatelessAttachment
{
}

/// <summary>Small helpers for <see cref="ICheckpointable"/> implementations.</summary>
public static class CheckpointIO
{
    /// <summary>Writes a length-prefixed array of doubles (bit-exact).</summary>
    public static void WriteDoubles(this BinaryWriter writer, ReadOnlySpan<double> values)
    {
        writer.Write(values.Length);
        foreach (var v in values) writer.Write(v);
    }

    /// <summary>Reads what <see cref="WriteDoubles"/> wrote into <paramref name="into"/>, which must have the same length.</summary>
    public static void ReadDoubles(this BinaryReader reader, Span<double> into, string what)
    {
        var n = reader.ReadInt32();
        if (n != into.Length) throw new InputException($"checkpoint: {what} has {n} values, the run has {into.Length}");
        for (var i = 0; i < n; i++) into[i] = reader.ReadDouble();
    }

    /// <summary>Reads a length-prefixed array of doubles.</summary>
    public static double[] ReadDoubles(this BinaryReader reader)
    {
        var values = new double[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++) values[i] = reader.ReadDouble();
        return values;
    }

    /// <summary>Writes a length-prefixed byte block.</summary>
    public static void WriteBlock(this BinaryWriter writer, ReadOnlySpan<byte> block)
    {
        writer.Write(block.Length);
        writer.Write(block);
    }

    /// <summary>Reads a length-prefixed byte block.</summary>
    public static byte[] ReadBlock(this BinaryReader reader) => reader.ReadBytes(reader.ReadInt32());

    /// <summary>Saves <paramref name="item"/> into a byte block (its own length prefix, so a reader can skip or check it).</summary>
    public static byte[] Save(ICheckpointable item, SimTime time)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) item.SaveCheckpoint(w, time);
        return buffer.ToArray();
    }

    /// <summary>Restores <paramref name="item"/> from a block made by <see cref="Save"/>; the whole block must be read.</summary>
    public static void Restore(ICheckpointable item, byte[] block, SimTime time, string what)
    {
        using var r = new BinaryReader(new MemoryStream(block));
        item.RestoreCheckpoint(r, time);
        if (r.BaseStream.Position != block.Length)
            throw new InputException($"checkpoint: {what} read {r.BaseStream.Position} of its {block.Length} bytes (saved by a different build?)");
    }
}
