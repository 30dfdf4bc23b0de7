using System.Buffers;
using System.Runtime.InteropServices;
using CoSim.Core;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Native;

/// <summary>An FMI 2.0 component (co-simulation) over <see cref="Fmi2Functions"/>; what FMI 3 does alike is in <see cref="FmiInstance"/>.</summary>
internal sealed unsafe partial class Fmi2Instance : FmiInstance
{
    private readonly Fmi2Functions _f;
    private readonly string _guid;
    private readonly string _resourceUri;
    private nint _callbacks; // fmi2CallbackFunctions, must outlive the component

    /// <summary>Binds the FMI 2 functions of <paramref name="library"/> (throws naming a missing required one) for one interface.</summary>
    public Fmi2Instance(FmuLibrary library, bool coSimulation, string instanceName, string guid, string resourcesFolder, ILogSink sink)
        : this(Fmi2Functions.Bind(library, coSimulation), FmiSharedFunctions.Bind(library, FmiFunctionNames.Fmi2), instanceName, guid, resourcesFolder, sink)
    {
    }

    private Fmi2Instance(Fmi2Functions functions, FmiSharedFunctions shared, string instanceName, string guid, string resourcesFolder, ILogSink sink)
        : base(shared, instanceName, sink, hasPending: true)
    {
        _f = functions;
        _guid = guid;
        _resourceUri = new Uri(Path.GetFullPath(resourcesFolder) + "/").AbsoluteUri;
    }

    public override void InstantiateCoSimulation(bool visible, bool loggingOn) => Instantiate(1 /* fmi2CoSimulation */, visible, loggingOn);

    /// <summary>fmi2Instantiate for <paramref name="type"/> (0 model exchange, 1 co-simulation) with CoSim's callbacks.</summary>
    private void Instantiate(int type, bool visible, bool loggingOn)
    {
        _callbacks = (nint)NativeMemory.AllocZeroed((nuint)(5 * sizeof(nint)));
        var cb = (nint*)_callbacks;
        cb[0] = Fmi2CallbackSupport.Logger;
        cb[1] = Fmi2CallbackSupport.Calloc;
        cb[2] = Fmi2CallbackSupport.Free;
        cb[3] = 0; // stepFinished: CoSim never calls doStep asynchronously
        cb[4] = Log.Environment;
        using var name = new Utf8(Log.InstanceName);
        using var guid = new Utf8(_guid);
        using var uri = new Utf8(_resourceUri);
        Handle = _f.Instantiate(name.Pointer, type, guid.Pointer, uri.Pointer, _callbacks, visible ? 1 : 0, loggingOn ? 1 : 0);
        RequireHandle("fmi2Instantiate", "a null component");
    }

    private protected override int CallSetDebugLogging(bool loggingOn, nuint count, byte** categories) =>
        _f.SetDebugLogging(Handle, loggingOn ? 1 : 0, count, categories);

    public override void EnterInitialization(double start, double? stop, double? tolerance)
    {
        Time = start;
        Check(_f.SetupExperiment(Handle, tolerance.HasValue ? 1 : 0, tolerance ?? 0, start, stop.HasValue ? 1 : 0, stop ?? 0), "fmi2SetupExperiment");
        Check(_f.EnterInitializationMode(Handle), "fmi2EnterInitializationMode");
    }

    public override CsStepInfo DoStep(double time, double step, bool noSetStatePriorToCurrentPoint)
    {
        Time = time;
        var status = _f.DoStep(Handle, time, step, noSetStatePriorToCurrentPoint ? 1 : 0);
        if (status == 0) return new CsStepInfo(false, false, false, time + step);
        if (status == 1)
        {
            Log.NoteWarningReturn("fmi2DoStep", time);
            return new CsStepInfo(false, false, false, time + step);
        }
        if (status != 2) Check(status, "fmi2DoStep");
        // Discard: the FMU may ask to end the run (fmi2Terminated) or only decline this step.
        int terminated = 0;
        if (_f.GetBooleanStatus != null && _f.GetBooleanStatus(Handle, 3 /* fmi2Terminated */, &terminated) > 1) terminated = 0;
        double reached = time;
        if (_f.GetRealStatus != null && _f.GetRealStatus(Handle, 2 /* fmi2LastSuccessfulTime */, &reached) > 1) reached = time;
        return new CsStepInfo(terminated == 0, terminated != 0, false, reached);
    }

    /// <summary>Reals directly; Integer, Enumeration and Boolean through an int buffer (FMI 2 has no other types).</summary>
    public override void GetNumeric(VariableType type, ReadOnlySpan<uint> vrs, Span<double> values)
    {
        fixed (uint* vr = vrs)
        fixed (double* v = values)
        {
            if (type is VariableType.Float64 or VariableType.Float32)
            {
                Check(_f.GetReal(Handle, vr, (nuint)vrs.Length, v), "fmi2GetReal");
                return;
            }
            var scratch = ArrayPool<int>.Shared.Rent(vrs.Length);
            try
            {
                fixed (int* s = scratch)
                {
                    if (type == VariableType.Boolean) Check(_f.GetBoolean(Handle, vr, (nuint)vrs.Length, s), "fmi2GetBoolean");
                    else Check(_f.GetInteger(Handle, vr, (nuint)vrs.Length, s), "fmi2GetInteger");
                }
                for (var i = 0; i < vrs.Length; i++)
                    values[i] = type == VariableType.Boolean ? (scratch[i] != 0 ? 1 : 0) : scratch[i];
            }
            finally
            {
                ArrayPool<int>.Shared.Return(scratch);
            }
        }
    }

    public override void SetNumeric(VariableType type, ReadOnlySpan<uint> vrs, ReadOnlySpan<double> values)
    {
        fixed (uint* vr = vrs)
        fixed (double* v = values)
        {
            if (type is VariableType.Float64 or VariableType.Float32)
            {
                Check(_f.SetReal(Handle, vr, (nuint)vrs.Length, v), "fmi2SetReal");
                return;
            }
            var scratch = ArrayPool<int>.Shared.Rent(vrs.Length);
            try
            {
                for (var i = 0; i < vrs.Length; i++)
                    scratch[i] = type == VariableType.Boolean ? (values[i] != 0 ? 1 : 0) : checked((int)Math.Round(values[i]));
                fixed (int* s = scratch)
                {
                    if (type == VariableType.Boolean) Check(_f.SetBoolean(Handle, vr, (nuint)vrs.Length, s), "fmi2SetBoolean");
                    else Check(_f.SetInteger(Handle, vr, (nuint)vrs.Length, s), "fmi2SetInteger");
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(scratch);
            }
        }
    }

    private protected override int CallGetString(uint* valueReference, byte** value) => _f.GetString(Handle, valueReference, 1, value);

    private protected override int CallSetString(uint* valueReference, byte** value) => _f.SetString(Handle, valueReference, 1, value);

    private protected override void ReleaseNative()
    {
        if (_callbacks != 0) NativeMemory.Free((void*)_callbacks);
        _callbacks = 0;
    }
}

/// <summary>A NUL-terminated UTF-8 copy of a string in unmanaged memory, freed on dispose.</summary>
internal readonly unsafe struct Utf8 : IDisposable
{
    public Utf8(string? text) => Pointer = text == null ? null : (byte*)Marshal.StringToCoTaskMemUTF8(text);
    public byte* Pointer { get; }
    public void Dispose()
    {
        if (Pointer != null) Marshal.FreeCoTaskMem((nint)Pointer);
    }
}
