using System.Buffers;
using System.Numerics;
using CoSim.Core;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Native;

/// <summary>An FMI 3.0 instance (co-simulation) over <see cref="Fmi3Functions"/>; what FMI 2 does alike is in <see cref="FmiInstance"/>.</summary>
internal sealed unsafe partial class Fmi3Instance : FmiInstance
{
    private readonly Fmi3Functions _f;
    private readonly string _token;
    private readonly string _resourcePath;

    /// <summary>Binds the FMI 3 functions of <paramref name="library"/> (throws naming a missing required one).</summary>
    public Fmi3Instance(FmuLibrary library, string instanceName, string instantiationToken, string resourcesFolder, ILogSink sink)
        : this(Fmi3Functions.Bind(library), FmiSharedFunctions.Bind(library, FmiFunctionNames.Fmi3), instanceName, instantiationToken, resourcesFolder, sink)
    {
    }

    private Fmi3Instance(Fmi3Functions functions, FmiSharedFunctions shared, string instanceName, string instantiationToken, string resourcesFolder, ILogSink sink)
        : base(shared, instanceName, sink, hasPending: false)
    {
        _f = functions;
        _token = instantiationToken;
        _resourcePath = Path.GetFullPath(resourcesFolder) + "/";
    }

    public override void InstantiateCoSimulation(bool visible, bool loggingOn)
    {
        Require(_f.InstantiateCoSimulation, "fmi3InstantiateCoSimulation");
        Require(_f.DoStep, "fmi3DoStep");
        Instantiate(modelExchange: false, visible, loggingOn);
    }

    /// <summary>fmi3InstantiateModelExchange or fmi3InstantiateCoSimulation (no event mode, no early return) with CoSim's logger.</summary>
    private void Instantiate(bool modelExchange, bool visible, bool loggingOn)
    {
        using var name = new Utf8(Log.InstanceName);
        using var token = new Utf8(_token);
        using var resources = new Utf8(_resourcePath);
        delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, void> logger = &FmuLog.OnFmi3Message;
        var (on, visibleByte) = (loggingOn ? (byte)1 : (byte)0, visible ? (byte)1 : (byte)0);
        Handle = modelExchange
            ? _f.InstantiateModelExchange(name.Pointer, token.Pointer, resources.Pointer, visibleByte, on, Log.Environment, (nint)logger)
            : _f.InstantiateCoSimulation(name.Pointer, token.Pointer, resources.Pointer, visibleByte, on,
                0 /* eventModeUsed */, 0 /* earlyReturnAllowed */, null, 0, Log.Environment, (nint)logger, 0 /* intermediateUpdate */);
        RequireHandle(modelExchange ? "fmi3InstantiateModelExchange" : "fmi3InstantiateCoSimulation", "a null instance");
    }

    private protected override int CallSetDebugLogging(bool loggingOn, nuint count, byte** categories) =>
        _f.SetDebugLogging(Handle, loggingOn ? (byte)1 : (byte)0, count, categories);

    /// <summary>The native instance (for functions bound outside this class: the clock functions).</summary>
    public nint NativeHandle => Handle;

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
        Handle = instantiate(name.Pointer, token.Pointer, resources.Pointer, 0, loggingOn ? (byte)1 : (byte)0, Log.Environment, (nint)logger,
            clockUpdate, lockPreemption, unlockPreemption);
        RequireHandle("fmi3InstantiateScheduledExecution", "a null instance");
    }

    /// <summary>fmi3InstantiateCoSimulation with Event Mode and early return (clocked co-simulation); no intermediate update.</summary>
    public void InstantiateCoSimulationWithEventMode(bool loggingOn)
    {
        Require(_f.InstantiateCoSimulation, "fmi3InstantiateCoSimulation");
        using var name = new Utf8(Log.InstanceName);
        using var token = new Utf8(_token);
        using var resources = new Utf8(_resourcePath);
        delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, void> logger = &FmuLog.OnFmi3Message;
        Handle = _f.InstantiateCoSimulation(name.Pointer, token.Pointer, resources.Pointer, 0, loggingOn ? (byte)1 : (byte)0,
            1 /* eventModeUsed */, 1 /* earlyReturnAllowed */, null, 0, Log.Environment, (nint)logger, 0 /* intermediateUpdate */);
        RequireHandle("fmi3InstantiateCoSimulation", "a null instance");
    }

    /// <summary>Throws for Discard, Error and Fatal as every other call does (for functions bound outside this class).</summary>
    public void CheckStatus(int status, string function, double time)
    {
        Time = time;
        Check(status, function);
    }

    public override void EnterInitialization(double start, double? stop, double? tolerance)
    {
        Time = start;
        Check(_f.EnterInitializationMode(Handle, tolerance.HasValue ? (byte)1 : (byte)0, tolerance ?? 0, start, stop.HasValue ? (byte)1 : (byte)0, stop ?? 0),
            "fmi3EnterInitializationMode");
    }

    public override CsStepInfo DoStep(double time, double step, bool noSetStatePriorToCurrentPoint)
    {
        Time = time;
        byte eventNeeded = 0, terminate = 0, early = 0;
        double last = time + step;
        var status = _f.DoStep(Handle, time, step, noSetStatePriorToCurrentPoint ? (byte)1 : (byte)0, &eventNeeded, &terminate, &early, &last);
        if (status == 2) return new CsStepInfo(terminate == 0, terminate != 0, false, last);
        Check(status, "fmi3DoStep");
        return new CsStepInfo(false, terminate != 0, early != 0, early != 0 || terminate != 0 ? last : time + step);
    }

    private void Get<T>(void* function, string name, ReadOnlySpan<uint> vrs, Span<double> values) where T : unmanaged, INumberBase<T>
    {
        Require(function, name);
        var scratch = ArrayPool<T>.Shared.Rent(values.Length);
        try
        {
            fixed (uint* vr = vrs)
            fixed (T* s = scratch)
                Check(((delegate* unmanaged[Cdecl]<nint, uint*, nuint, void*, nuint, int>)function)(Handle, vr, (nuint)vrs.Length, s, (nuint)values.Length), name);
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
                Check(((delegate* unmanaged[Cdecl]<nint, uint*, nuint, void*, nuint, int>)function)(Handle, vr, (nuint)vrs.Length, s, (nuint)values.Length), name);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    public override void GetNumeric(VariableType type, ReadOnlySpan<uint> vrs, Span<double> values)
    {
        switch (type)
        {
            case VariableType.Float64:
                fixed (uint* vr = vrs)
                fixed (double* v = values)
                    Check(_f.GetFloat64(Handle, vr, (nuint)vrs.Length, v, (nuint)values.Length), "fmi3GetFloat64");
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

    public override void SetNumeric(VariableType type, ReadOnlySpan<uint> vrs, ReadOnlySpan<double> values)
    {
        switch (type)
        {
            case VariableType.Float64:
                fixed (uint* vr = vrs)
                fixed (double* v = values)
                    Check(_f.SetFloat64(Handle, vr, (nuint)vrs.Length, v, (nuint)values.Length), "fmi3SetFloat64");
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

    private protected override int CallGetString(uint* valueReference, byte** value)
    {
        Require(_f.GetString, "fmi3GetString");
        return _f.GetString(Handle, valueReference, 1, value, 1);
    }

    private protected override int CallSetString(uint* valueReference, byte** value)
    {
        Require(_f.SetString, "fmi3SetString");
        return _f.SetString(Handle, valueReference, 1, value, 1);
    }
}
