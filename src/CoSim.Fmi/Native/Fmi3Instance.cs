using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using CoSim.Core;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Native;

/// <summary>An FMI 3.0 instance (co-simulation) over <see cref="Fmi3Functions"/>.</summary>
internal sealed unsafe partial class Fmi3Instance : IFmiInstance
{
    private readonly Fmi3Functions _f;
    private readonly string _token;
    private readonly string _resourcePath;
    private nint _instance;
    private bool _fatal;
    private bool _failed; // returned Error or Fatal: only free (and reset) are legal now

    public Fmi3Instance(FmuLibrary library, string instanceName, string instantiationToken, string resourcesFolder, ILogSink sink)
    {
        _f = Fmi3Functions.Bind(library);
        _token = instantiationToken;
        _resourcePath = Path.GetFullPath(resourcesFolder) + "/";
        Log = new FmuLog(instanceName, sink);
    }

    public FmuLog Log { get; }
    public double Time { get; private set; }
    public bool CanGetSetState => _f.HasFmuState;
    public bool CanSerializeState => _f.HasFmuState && _f.HasSerialization;

    private void Check(int status, string function)
    {
        if (status == 0) return;
        if (status == 1)
        {
            Log.NoteWarningReturn(function, Time); // success: once in the log, then counted
            return;
        }
        if (status >= 3) _failed = true;
        if (status == 4) _fatal = true;
        var name = status switch { 2 => "Discard", 3 => "Error", 4 => "Fatal", _ => $"status {status}" };
        throw new FmiCallException(Log.InstanceName, function, name, Log.LastMessage, SimTime.FromSeconds(Time));
    }

    private static void Require(void* function, string name)
    {
        if (function == null) throw new SimulationException($"the FMU does not export {name}", operation: name);
    }

    public void InstantiateCoSimulation(bool visible, bool loggingOn)
    {
        Require(_f.InstantiateCoSimulation, "fmi3InstantiateCoSimulation");
        Require(_f.DoStep, "fmi3DoStep");
        using var name = new Utf8(Log.InstanceName);
        using var token = new Utf8(_token);
        using var resources = new Utf8(_resourcePath);
        delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, void> logger = &FmuLog.OnFmi3Message;
        _instance = _f.InstantiateCoSimulation(name.Pointer, token.Pointer, resources.Pointer, visible ? (byte)1 : (byte)0, loggingOn ? (byte)1 : (byte)0,
            0 /* eventModeUsed */, 0 /* earlyReturnAllowed */, null, 0, Log.Environment, (nint)logger, 0 /* intermediateUpdate */);
        if (_instance == 0)
            throw new FmiCallException(Log.InstanceName, "fmi3InstantiateCoSimulation", "a null instance", Log.LastMessage, null);
    }

    /// <summary>The native instance (for functions bound outside this class: the clock functions).</summary>
    public nint Handle => _instance;

    /// <summary>
    /// Calls <paramref name="function"/> (the FMU's fmi3InstantiateScheduledExecution); <paramref name="clockUpdate"/>
    /// is an unmanaged <c>fmi3ClockUpdateCallback</c>, called with <see cref="FmuLog.Environment"/>.
    /// </summary>
    public void InstantiateScheduledExecution(nint function, bool loggingOn, nint clockUpdate, nint lockPreemption, nint unlockPreemption)
    {
        var instantiate = (delegate* unmanaged[Cdecl]<byte*, byte*, byte*, byte, byte, nint, nint, nint, nint, nint, nint>)function;
        Require(instantiate, "fmi3InstantiateScheduledExecution");
        using var name = new Utf8(Log.InstanceName);
        using var token = new Utf8(_token);
        using var resources = new Utf8(_resourcePath);
        delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, void> logger = &FmuLog.OnFmi3Message;
        _instance = instantiate(name.Pointer, token.Pointer, resources.Pointer, 0, loggingOn ? (byte)1 : (byte)0, Log.Environment, (nint)logger,
            clockUpdate, lockPreemption, unlockPreemption);
        if (_instance == 0)
            throw new FmiCallException(Log.InstanceName, "fmi3InstantiateScheduledExecution", "a null instance", Log.LastMessage, null);
    }

    /// <summary>fmi3InstantiateCoSimulation with Event Mode and early return (clocked co-simulation); no intermediate update.</summary>
    public void InstantiateCoSimulationWithEventMode(bool loggingOn)
    {
        Require(_f.InstantiateCoSimulation, "fmi3InstantiateCoSimulation");
        using var name = new Utf8(Log.InstanceName);
        using var token = new Utf8(_token);
        using var resources = new Utf8(_resourcePath);
        delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, void> logger = &FmuLog.OnFmi3Message;
        _instance = _f.InstantiateCoSimulation(name.Pointer, token.Pointer, resources.Pointer, 0, loggingOn ? (byte)1 : (byte)0,
            1 /* eventModeUsed */, 1 /* earlyReturnAllowed */, null, 0, Log.Environment, (nint)logger, 0 /* intermediateUpdate */);
        if (_instance == 0)
            throw new FmiCallException(Log.InstanceName, "fmi3InstantiateCoSimulation", "a null instance", Log.LastMessage, null);
    }

    /// <summary>Throws for Discard, Error and Fatal as every other call does (for functions bound outside this class).</summary>
    public void CheckStatus(int status, string function, double time)
    {
        Time = time;
        Check(status, function);
    }

    public void SetDebugLogging(bool loggingOn, IReadOnlyList<string> categories)
    {
        var texts = categories.Select(c => new Utf8(c)).ToArray();
        try
        {
            var pointers = stackalloc byte*[Math.Max(1, texts.Length)];
            for (var i = 0; i < texts.Length; i++) pointers[i] = texts[i].Pointer;
            Check(_f.SetDebugLogging(_instance, loggingOn ? (byte)1 : (byte)0, (nuint)texts.Length, pointers), "fmi3SetDebugLogging");
        }
        finally
        {
            foreach (var t in texts) t.Dispose();
        }
    }

    public void EnterInitialization(double start, double? stop, double? tolerance)
    {
        Time = start;
        Check(_f.EnterInitializationMode(_instance, tolerance.HasValue ? (byte)1 : (byte)0, tolerance ?? 0, start, stop.HasValue ? (byte)1 : (byte)0, stop ?? 0),
            "fmi3EnterInitializationMode");
    }

    public void ExitInitialization() => Check(_f.ExitInitializationMode(_instance), "fmi3ExitInitializationMode");

    public CsStepInfo DoStep(double time, double step, bool noSetStatePriorToCurrentPoint)
    {
        Time = time;
        byte eventNeeded = 0, terminate = 0, early = 0;
        double last = time + step;
        var status = _f.DoStep(_instance, time, step, noSetStatePriorToCurrentPoint ? (byte)1 : (byte)0, &eventNeeded, &terminate, &early, &last);
        if (status == 2) return new CsStepInfo(terminate == 0, terminate != 0, false, last);
        Check(status, "fmi3DoStep");
        return new CsStepInfo(false, terminate != 0, early != 0, early != 0 || terminate != 0 ? last : time + step);
    }

    public void Terminate()
    {
        if (_instance != 0 && !_failed) Check(_f.Terminate(_instance), "fmi3Terminate");
    }

    private void Get<T>(void* function, string name, ReadOnlySpan<uint> vrs, Span<double> values) where T : unmanaged, INumberBase<T>
    {
        Require(function, name);
        var scratch = ArrayPool<T>.Shared.Rent(values.Length);
        try
        {
            fixed (uint* vr = vrs)
            fixed (T* s = scratch)
                Check(((delegate* unmanaged[Cdecl]<nint, uint*, nuint, void*, nuint, int>)function)(_instance, vr, (nuint)vrs.Length, s, (nuint)values.Length), name);
            for (var i = 0; i < values.Length; i++) values[i] = double.CreateTruncating(scratch[i]);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private void Set<T>(void* function, string name, ReadOnlySpan<uint> vrs, ReadOnlySpan<double> values) where T : unmanaged, INumberBase<T>
    {
        Require(function, name);
        var scratch = ArrayPool<T>.Shared.Rent(values.Length);
        try
        {
            for (var i = 0; i < values.Length; i++)
                scratch[i] = typeof(T) == typeof(float) ? T.CreateTruncating(values[i]) : T.CreateChecked(Math.Round(values[i]));
            fixed (uint* vr = vrs)
            fixed (T* s = scratch)
                Check(((delegate* unmanaged[Cdecl]<nint, uint*, nuint, void*, nuint, int>)function)(_instance, vr, (nuint)vrs.Length, s, (nuint)values.Length), name);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    public void GetNumeric(VariableType type, ReadOnlySpan<uint> vrs, Span<double> values)
    {
        switch (type)
        {
            case VariableType.Float64:
                fixed (uint* vr = vrs)
                fixed (double* v = values)
                    Check(_f.GetFloat64(_instance, vr, (nuint)vrs.Length, v, (nuint)values.Length), "fmi3GetFloat64");
                break;
            case VariableType.Float32: Get<float>(_f.GetFloat32, "fmi3GetFloat32", vrs, values); break;
            case VariableType.Int8: Get<sbyte>(_f.GetInt8, "fmi3GetInt8", vrs, values); break;
            case VariableType.UInt8: Get<byte>(_f.GetUInt8, "fmi3GetUInt8", vrs, values); break;
            case VariableType.Int16: Get<short>(_f.GetInt16, "fmi3GetInt16", vrs, values); break;
            case VariableType.UInt16: Get<ushort>(_f.GetUInt16, "fmi3GetUInt16", vrs, values); break;
            case VariableType.Int32: Get<int>(_f.GetInt32, "fmi3GetInt32", vrs, values); break;
            case VariableType.UInt32: Get<uint>(_f.GetUInt32, "fmi3GetUInt32", vrs, values); break;
            case VariableType.Int64 or VariableType.Enumeration: Get<long>(_f.GetInt64, "fmi3GetInt64", vrs, values); break;
            case VariableType.UInt64: Get<ulong>(_f.GetUInt64, "fmi3GetUInt64", vrs, values); break;
            case VariableType.Boolean: Get<byte>(_f.GetBoolean, "fmi3GetBoolean", vrs, values); break;
            default: throw new SimulationException($"variables of type {type} cannot be read as numbers", Log.InstanceName);
        }
    }

    public void SetNumeric(VariableType type, ReadOnlySpan<uint> vrs, ReadOnlySpan<double> values)
    {
        switch (type)
        {
            case VariableType.Float64:
                fixed (uint* vr = vrs)
                fixed (double* v = values)
                    Check(_f.SetFloat64(_instance, vr, (nuint)vrs.Length, v, (nuint)values.Length), "fmi3SetFloat64");
                break;
            case VariableType.Float32: Set<float>(_f.SetFloat32, "fmi3SetFloat32", vrs, values); break;
            case VariableType.Int8: Set<sbyte>(_f.SetInt8, "fmi3SetInt8", vrs, values); break;
            case VariableType.UInt8: Set<byte>(_f.SetUInt8, "fmi3SetUInt8", vrs, values); break;
            case VariableType.Int16: Set<short>(_f.SetInt16, "fmi3SetInt16", vrs, values); break;
            case VariableType.UInt16: Set<ushort>(_f.SetUInt16, "fmi3SetUInt16", vrs, values); break;
            case VariableType.Int32: Set<int>(_f.SetInt32, "fmi3SetInt32", vrs, values); break;
            case VariableType.UInt32: Set<uint>(_f.SetUInt32, "fmi3SetUInt32", vrs, values); break;
            case VariableType.Int64 or VariableType.Enumeration: Set<long>(_f.SetInt64, "fmi3SetInt64", vrs, values); break;
            case VariableType.UInt64: Set<ulong>(_f.SetUInt64, "fmi3SetUInt64", vrs, values); break;
            case VariableType.Boolean:
                // fmi3Boolean is C bool: only 0 and 1 are valid bytes.
                Span<double> normalized = values.Length <= 256 ? stackalloc double[values.Length] : new double[values.Length];
                for (var i = 0; i < values.Length; i++) normalized[i] = values[i] != 0 ? 1 : 0;
                Set<byte>(_f.SetBoolean, "fmi3SetBoolean", vrs, normalized);
                break;
            default: throw new SimulationException($"variables of type {type} cannot be set from numbers", Log.InstanceName);
        }
    }

    public string GetString(uint valueReference)
    {
        Require(_f.GetString, "fmi3GetString");
        byte* value = null;
        Check(_f.GetString(_instance, &valueReference, 1, &value, 1), "fmi3GetString");
        return value == null ? "" : Marshal.PtrToStringUTF8((nint)value) ?? "";
    }

    public void SetString(uint valueReference, string value)
    {
        Require(_f.SetString, "fmi3SetString");
        using var text = new Utf8(value);
        var p = text.Pointer;
        Check(_f.SetString(_instance, &valueReference, 1, &p, 1), "fmi3SetString");
    }

    public nint GetState()
    {
        nint state = 0;
        Check(_f.GetFMUState(_instance, &state), "fmi3GetFMUState");
        return state;
    }

    public void SetState(nint state) => Check(_f.SetFMUState(_instance, state), "fmi3SetFMUState");

    public void FreeState(nint state)
    {
        if (_instance != 0 && !_fatal) Check(_f.FreeFMUState(_instance, &state), "fmi3FreeFMUState");
    }

    public byte[] SerializeState(nint state)
    {
        nuint size = 0;
        Check(_f.SerializedFMUStateSize(_instance, state, &size), "fmi3SerializedFMUStateSize");
        var data = new byte[(int)size];
        fixed (byte* d = data) Check(_f.SerializeFMUState(_instance, state, d, size), "fmi3SerializeFMUState");
        return data;
    }

    public nint DeserializeState(byte[] data)
    {
        nint state = 0;
        fixed (byte* d = data) Check(_f.DeserializeFMUState(_instance, d, (nuint)data.Length, &state), "fmi3DeserializeFMUState");
        return state;
    }

    public void Dispose()
    {
        if (_instance != 0 && !_fatal) _f.FreeInstance(_instance);
        _instance = 0;
        Log.Dispose();
    }
}
