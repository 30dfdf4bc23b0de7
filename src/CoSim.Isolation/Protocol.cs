using CoSim.Core;
using CoSim.Fmi;

namespace CoSim.Isolation;

/// <summary>
/// Operations of the isolation channel. A request is a sequence of operations ended by
/// <see cref="End"/>; the host runs them in order and answers with a status word (0 = done,
/// 1 = failed, then the error) followed by the operations' results in order. Input writes are
/// queued into the request as they happen and travel with the next operation, so a step is one
/// round trip: writes, the step, and the reads of the accessors the master read after the last step.
/// </summary>
internal enum Op
{
    End = 0,
    Open,            // spec -> variables, capabilities
    Instantiate,
    EnterInitialization, // start ticks, has stop, stop ticks, has tolerance, tolerance
    ExitInitialization,
    Step,            // t, h, prefetch count, accessor ids..., checkpoint flag -> status, reached, values..., [checkpoint]
    Terminate,
    CreateAccessor,  // count, indices -> id
    Read,            // id -> values
    Write,           // id, values
    SetText,         // variable, text
    GetText,         // variable -> text
    SaveState,       // -> id
    RestoreState,    // id
    FreeState,       // id
    SerializeState,  // id -> bytes
    DeserializeState, // bytes -> id
    SaveCheckpoint,  // -> bytes (state saved and serialized at once)
    LoadCheckpoint,  // bytes (deserialized and restored)
    Shutdown,
    CheckpointProblem,     // -> text (null: can)
    SaveUnitCheckpoint,    // ticks -> bytes (the hosted component's ICheckpointable block)
    RestoreUnitCheckpoint, // ticks, bytes
}

/// <summary>What the child is asked to create.</summary>
/// <param name="FmuPath">The .fmu archive (or extracted folder).</param>
/// <param name="ModelExchange">Model exchange (integrated in the host) instead of co-simulation.</param>
/// <param name="InstanceName">The FMU instance name.</param>
/// <param name="LoggingOn">All of the FMU's log categories (else only the status categories).</param>
/// <param name="SolverJson">Model exchange: the solver options as JSON, or null for the defaults.</param>
internal sealed record HostSpec(string FmuPath, bool ModelExchange, string InstanceName, bool LoggingOn, string? SolverJson);

/// <summary>Encodings shared by the parent and the host.</summary>
internal static class Protocol
{
    public const int Done = 0;
    public const int Failed = 1;

    private enum ErrorKind { Fmi = 1, Simulation, Input, Argument, Internal }

    public static void WriteSpec(MessageBuffer b, HostSpec spec)
    {
        b.WriteString(spec.FmuPath);
        b.WriteBool(spec.ModelExchange);
        b.WriteString(spec.InstanceName);
        b.WriteBool(spec.LoggingOn);
        b.WriteString(spec.SolverJson);
    }

    public static HostSpec ReadSpec(MessageBuffer b) =>
        new(b.ReadString()!, b.ReadBool(), b.ReadString()!, b.ReadBool(), b.ReadString());

    public static void WriteVariables(MessageBuffer b, IReadOnlyList<ComponentVariable> variables)
    {
        b.WriteInt(variables.Count);
        foreach (var v in variables)
        {
            b.WriteInt(v.Index);
            b.WriteString(v.Name);
            b.WriteInt((int)v.Kind);
            b.WriteInt((int)v.Role);
            b.WriteBool(v.IsContinuous);
            b.WriteString(v.Unit);
            b.WriteString(v.Description);
            b.WriteString(v.Start);
            b.WriteString(v.TypeName);
            b.WriteString(v.Variability);
        }
    }

    public static ComponentVariable[] ReadVariables(MessageBuffer b)
    {
        var result = new ComponentVariable[b.ReadInt()];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new ComponentVariable(b.ReadInt(), b.ReadString()!, (ValueKind)b.ReadInt(), (VariableRole)b.ReadInt(), b.ReadBool(),
                b.ReadString(), b.ReadString(), b.ReadString()) { TypeName = b.ReadString()!, Variability = b.ReadString() };
        }
        return result;
    }

    /// <summary>Writes a failure so that the parent can rethrow the same exception type with the same message and place.</summary>
    public static void WriteError(MessageBuffer b, Exception e)
    {
        b.Clear();
        b.WriteInt(Failed);
        switch (e)
        {
            case FmiCallException f:
                b.WriteInt((int)ErrorKind.Fmi);
                b.WriteString(f.Component);
                b.WriteString(f.Operation);
                b.WriteString(f.Status);
                b.WriteString(f.FmuMessage);
                WriteTime(b, f.Time);
                break;
            case SimulationException s:
                b.WriteInt((int)ErrorKind.Simulation);
                b.WriteString(s.Message);
                b.WriteString(s.Component);
                b.WriteString(s.Operation);
                WriteTime(b, s.Time);
                break;
            case InputException i:
                b.WriteInt((int)ErrorKind.Input);
                b.WriteString(i.Message);
                break;
            case ArgumentException a:
                b.WriteInt((int)ErrorKind.Argument);
                b.WriteString(a.Message);
                break;
            default:
                b.WriteInt((int)ErrorKind.Internal);
                b.WriteString($"{e.GetType().Name}: {e.Message}");
                b.WriteString(e.StackTrace);
                break;
        }
    }

    /// <summary>The exception a failed response carries, as it was thrown in the host.</summary>
    public static Exception ReadError(MessageBuffer b, string component)
    {
        switch ((ErrorKind)b.ReadInt())
        {
            case ErrorKind.Fmi:
                var instance = b.ReadString() ?? component;
                var function = b.ReadString() ?? "?";
                var status = b.ReadString() ?? "Error";
                var message = b.ReadString();
                return new FmiCallException(instance, function, status, message, ReadTime(b));
            case ErrorKind.Simulation:
                var text = b.ReadString() ?? "";
                return new SimulationException(text, b.ReadString(), b.ReadString(), ReadTime(b));
            case ErrorKind.Input:
                return new InputException(b.ReadString() ?? "");
            case ErrorKind.Argument:
                return new ArgumentException(b.ReadString());
            default:
                var what = b.ReadString();
                var trace = b.ReadString();
                return new InvalidOperationException($"internal error in the FMU host of '{component}': {what}{Environment.NewLine}{trace}");
        }
    }

    private static void WriteTime(MessageBuffer b, SimTime? time)
    {
        b.WriteBool(time.HasValue);
        b.WriteLong(time?.Ticks ?? 0);
    }

    private static SimTime? ReadTime(MessageBuffer b)
    {
        var has = b.ReadBool();
        var ticks = b.ReadLong();
        return has ? new SimTime(ticks) : null;
    }

    /// <summary>Appends one log record; false when the log area is full.</summary>
    public static bool TryWriteLog(MessageBuffer b, LogLevel level, string source, string message)
    {
        var need = 12 + System.Text.Encoding.UTF8.GetByteCount(source) + System.Text.Encoding.UTF8.GetByteCount(message);
        if (b.Position + need > b.Capacity) return false;
        b.WriteInt((int)level);
        b.WriteString(source);
        b.WriteString(message);
        return true;
    }
}
