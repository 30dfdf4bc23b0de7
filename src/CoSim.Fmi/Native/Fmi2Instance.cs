using System.Buffers;
using System.Runtime.InteropServices;
using CoSim.Core;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Native;

/// <summary>An FMI 2.0 component (co-simulation) over <see cref="Fmi2Functions"/>.</summary>
internal sealed unsafe partial class Fmi2Instance : IFmiInstance
{
    private readonly Fmi2Functions _f;
    private readonly string _guid;
    private readonly string _resourceUri;
    private nint _component;
    private nint _callbacks; // fmi2CallbackFunctions, must outlive the component
    private bool _fatal;
    private bool _failed; // returned Error or Fatal: only free (and reset) are legal now

    public Fmi2Instance(FmuLibrary library, string instanceName, string guid, string resourcesFolder, ILogSink sink, bool coSimulation)
    {
        _f = Fmi2Functions.Bind(library, coSimulation);
        _guid = guid;
        _resourceUri = new Uri(Path.GetFullPath(resourcesFolder) + "/").AbsoluteUri;
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
        var name = status switch { 2 => "Discard", 3 => "Error", 4 => "Fatal", 5 => "Pending", _ => $"status {status}" };
        throw new FmiCallException(Log.InstanceName, function, name, Log.LastMessage, SimTime.FromSeconds(Time));
    }

    public void InstantiateCoSimulation(bool visible, bool loggingOn)
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
        _component = _f.Instantiate(name.Pointer, 1 /* fmi2CoSimulation */, guid.Pointer, uri.Pointer, _callbacks, visible ? 1 : 0, loggingOn ? 1 : 0);
        if (_component == 0)
            throw new FmiCallException(Log.InstanceName, "fmi2Instantiate", "a null component", Log.LastMessage, null);
    }

    public void SetDebugLogging(bool loggingOn, IReadOnlyList<string> categories)
    {
        var texts = categories.Select(c => new Utf8(c)).ToArray();
        try
        {
            var pointers = stackalloc byte*[Math.Max(1, texts.Length)];
            for (var i = 0; i < texts.Length; i++) pointers[i] = texts[i].Pointer;
            Check(_f.SetDebugLogging(_component, loggingOn ? 1 : 0, (nuint)texts.Length, pointers), "fmi2SetDebugLogging");
        }
        finally
        {
            foreach (var t in texts) t.Dispose();
        }
    }

    public void EnterInitialization(double start, double? stop, double? tolerance)
    {
        Time = start;
        Check(_f.SetupExperiment(_component, tolerance.HasValue ? 1 : 0, tolerance ?? 0, start, stop.HasValue ? 1 : 0, stop ?? 0), "fmi2SetupExperiment");
        Check(_f.EnterInitializationMode(_component), "fmi2EnterInitializationMode");
    }

    public void ExitInitialization() => Check(_f.ExitInitializationMode(_component), "fmi2ExitInitializationMode");

    public CsStepInfo DoStep(double time, double step, bool noSetStatePriorToCurrentPoint)
    {
        Time = time;
        var status = _f.DoStep(_component, time, step, noSetStatePriorToCurrentPoint ? 1 : 0);
        if (status == 0) return new CsStepInfo(false, false, false, time + step);
        if (status == 1)
        {
            Log.NoteWarningReturn("fmi2DoStep", time);
            return new CsStepInfo(false, false, false, time + step);
        }
        if (status != 2) Check(status, "fmi2DoStep");
        // Discard: the FMU may ask to end the run (fmi2Terminated) or only decline this step.
        int terminated = 0;
        if (_f.GetBooleanStatus != null && _f.GetBooleanStatus(_component, 3 /* fmi2Terminated */, &terminated) > 1) terminated = 0;
        double reached = time;
        if (_f.GetRealStatus != null && _f.GetRealStatus(_component, 2 /* fmi2LastSuccessfulTime */, &reached) > 1) reached = time;
        return new CsStepInfo(terminated == 0, terminated != 0, false, reached);
    }

    public void Terminate()
    {
        if (_component != 0 && !_failed)
            Check(_f.Terminate(_component), "fmi2Terminate");
    }

    public void GetNumeric(VariableType type, ReadOnlySpan<uint> vrs, Span<double> values)
    {
        fixed (uint* vr = vrs)
        fixed (double* v = values)
        {
            if (type is VariableType.Float64 or VariableType.Float32)
            {
                Check(_f.GetReal(_component, vr, (nuint)vrs.Length, v), "fmi2GetReal");
                return;
            }
            var scratch = ArrayPool<int>.Shared.Rent(vrs.Length);
            try
            {
                fixed (int* s = scratch)
                {
                    if (type == VariableType.Boolean) Check(_f.GetBoolean(_component, vr, (nuint)vrs.Length, s), "fmi2GetBoolean");
                    else Check(_f.GetInteger(_component, vr, (nuint)vrs.Length, s), "fmi2GetInteger");
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

    public void SetNumeric(VariableType type, ReadOnlySpan<uint> vrs, ReadOnlySpan<double> values)
    {
        fixed (uint* vr = vrs)
        fixed (double* v = values)
        {
            if (type is VariableType.Float64 or VariableType.Float32)
            {
                Check(_f.SetReal(_component, vr, (nuint)vrs.Length, v), "fmi2SetReal");
                return;
            }
            var scratch = ArrayPool<int>.Shared.Rent(vrs.Length);
            try
            {
                for (var i = 0; i < vrs.Length; i++)
                    scratch[i] = type == VariableType.Boolean ? (values[i] != 0 ? 1 : 0) : checked((int)Math.Round(values[i]));
                fixed (int* s = scratch)
                {
                    if (type == VariableType.Boolean) Check(_f.SetBoolean(_component, vr, (nuint)vrs.Length, s), "fmi2SetBoolean");
                    else Check(_f.SetInteger(_component, vr, (nuint)vrs.Length, s), "fmi2SetInteger");
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(scratch);
            }
        }
    }

    public string GetString(uint valueReference)
    {
        byte* value = null;
        Check(_f.GetString(_component, &valueReference, 1, &value), "fmi2GetString");
        return value == null ? "" : Marshal.PtrToStringUTF8((nint)value) ?? "";
    }

    public void SetString(uint valueReference, string value)
    {
        using var text = new Utf8(value);
        var p = text.Pointer;
        Check(_f.SetString(_component, &valueReference, 1, &p), "fmi2SetString");
    }

    public nint GetState()
    {
        nint state = 0;
        Check(_f.GetFMUstate(_component, &state), "fmi2GetFMUstate");
        return state;
    }

    public void SetState(nint state) => Check(_f.SetFMUstate(_component, state), "fmi2SetFMUstate");

    public void FreeState(nint state)
    {
        if (_component != 0 && !_fatal) Check(_f.FreeFMUstate(_component, &state), "fmi2FreeFMUstate");
    }

    public byte[] SerializeState(nint state)
    {
        nuint size = 0;
        Check(_f.SerializedFMUstateSize(_component, state, &size), "fmi2SerializedFMUstateSize");
        var data = new byte[(int)size];
        fixed (byte* d = data) Check(_f.SerializeFMUstate(_component, state, d, size), "fmi2SerializeFMUstate");
        return data;
    }

    public nint DeserializeState(byte[] data)
    {
        nint state = 0;
        fixed (byte* d = data) Check(_f.DeSerializeFMUstate(_component, d, (nuint)data.Length, &state), "fmi2DeSerializeFMUstate");
        return state;
    }

    public void Dispose()
    {
        if (_component != 0 && !_fatal) _f.FreeInstance(_component);
        _component = 0;
        if (_callbacks != 0) NativeMemory.Free((void*)_callbacks);
        _callbacks = 0;
        Log.Dispose();
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
