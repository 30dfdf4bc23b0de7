using System.Runtime.InteropServices;
using CoSim.Core;

namespace CoSim.Fmi.Native;

/// <summary>
/// What an FMI 2.0 instance (<see cref="Fmi2Instance"/>) and an FMI 3.0 one (<see cref="Fmi3Instance"/>) share:
/// the log, the time last set, the handle, the one status boundary (<see cref="Check"/>), and every call whose C
/// signature is the same in both standards (<see cref="FmiSharedFunctions"/>). The subclasses add what differs:
/// instantiation, initialization, stepping, variable access, event updates.
/// </summary>
internal abstract unsafe class FmiInstance : IModelExchangeInstance
{
    private readonly FmiSharedFunctions _shared;
    private readonly FmiFunctionNames _names;
    private readonly bool _hasPending;
    private bool _fatal;
    private bool _failed; // returned Error or Fatal: only free (and reset) are legal now

    /// <summary>The fmi2Component / fmi3Instance; 0 before instantiation and after freeing.</summary>
    private protected nint Handle;

    /// <summary>An instance over <paramref name="shared"/>; <paramref name="hasPending"/>: the standard has status 5 (FMI 2's Pending).</summary>
    private protected FmiInstance(FmiSharedFunctions shared, string instanceName, ILogSink sink, bool hasPending)
    {
        _shared = shared;
        _names = shared.Names;
        _hasPending = hasPending;
        Log = new FmuLog(instanceName, sink);
    }

    public FmuLog Log { get; }
    public double Time { get; private protected set; }
    public bool CanGetSetState => _shared.HasFmuState;
    public bool CanSerializeState => _shared.HasFmuState && _shared.HasSerialization;

    /// <summary>
    /// The status boundary of every FMI call: OK passes; Warning passes, noted once in the log and then counted;
    /// anything else throws an <see cref="FmiCallException"/> naming the instance, the function and the time, and
    /// after Error or Fatal only freeing is called.
    /// </summary>
    private protected void Check(int status, string function)
    {
        if (status == 0) return;
        if (status == 1)
        {
            Log.NoteWarningReturn(function, Time); // success: once in the log, then counted
            return;
        }
        if (status >= 3) _failed = true;
        if (status == 4) _fatal = true;
        var name = status switch { 2 => "Discard", 3 => "Error", 4 => "Fatal", 5 when _hasPending => "Pending", _ => $"status {status}" };
        throw new FmiCallException(Log.InstanceName, function, name, Log.LastMessage, SimTime.FromSeconds(Time));
    }

    /// <summary>Throws when the FMU does not export the optional function <paramref name="name"/>.</summary>
    private protected static void Require(void* function, string name)
    {
        if (function == null) throw new SimulationException($"the FMU does not export {name}", operation: name);
    }

    /// <summary>Throws when instantiation returned a null handle.</summary>
    private protected void RequireHandle(string function, string what)
    {
        if (Handle == 0) throw new FmiCallException(Log.InstanceName, function, what, Log.LastMessage, null);
    }

    public abstract void InstantiateCoSimulation(bool visible, bool loggingOn);
    public abstract void InstantiateModelExchange(bool visible, bool loggingOn);
    public abstract void EnterInitialization(double start, double? stop, double? tolerance);
    public abstract CsStepInfo DoStep(double time, double step, bool noSetStatePriorToCurrentPoint);
    public abstract void GetNumeric(Description.VariableType type, ReadOnlySpan<uint> valueReferences, Span<double> values);
    public abstract void SetNumeric(Description.VariableType type, ReadOnlySpan<uint> valueReferences, ReadOnlySpan<double> values);
    public abstract (int States, int EventIndicators)? QueryDimensions();
    public abstract EventUpdate UpdateDiscreteStates();
    public abstract bool ExportsDirectionalDerivative { get; }

    public (bool EnterEventMode, bool Terminate) CompletedIntegratorStep(bool noSetFmuStatePriorToCurrentPoint)
    {
        Check(CallCompletedIntegratorStep(noSetFmuStatePriorToCurrentPoint, out var enterEventMode, out var terminate), _names.CompletedIntegratorStep);
        return (enterEventMode, terminate);
    }

    /// <summary>The standard's fmi*CompletedIntegratorStep (its Boolean type differs).</summary>
    private protected abstract int CallCompletedIntegratorStep(bool noSetFmuStatePriorToCurrentPoint, out bool enterEventMode, out bool terminate);

    public void GetDirectionalDerivative(ReadOnlySpan<uint> unknowns, ReadOnlySpan<uint> knowns, ReadOnlySpan<double> seed, Span<double> sensitivity)
    {
        fixed (uint* u = unknowns)
        fixed (uint* k = knowns)
        fixed (double* s = seed)
        fixed (double* r = sensitivity)
            Check(CallGetDirectionalDerivative(u, (nuint)unknowns.Length, k, (nuint)knowns.Length, s, (nuint)seed.Length, r, (nuint)sensitivity.Length),
                _names.GetDirectionalDerivative);
    }

    /// <summary>The standard's fmi*GetDirectionalDerivative (FMI 3 passes the seed and sensitivity lengths too).</summary>
    private protected abstract int CallGetDirectionalDerivative(uint* unknowns, nuint unknownCount, uint* knowns, nuint knownCount, double* seed, nuint seedCount,
        double* sensitivity, nuint sensitivityCount);

    /// <summary>fmi*SetDebugLogging with the categories as C strings.</summary>
    public void SetDebugLogging(bool loggingOn, IReadOnlyList<string> categories)
    {
        var texts = categories.Select(c => new Utf8(c)).ToArray();
        try
        {
            var pointers = stackalloc byte*[Math.Max(1, texts.Length)];
            for (var i = 0; i < texts.Length; i++) pointers[i] = texts[i].Pointer;
            Check(CallSetDebugLogging(loggingOn, (nuint)texts.Length, pointers), _names.SetDebugLogging);
        }
        finally
        {
            foreach (var t in texts) t.Dispose();
        }
    }

    /// <summary>The standard's fmi*SetDebugLogging (its Boolean type differs).</summary>
    private protected abstract int CallSetDebugLogging(bool loggingOn, nuint count, byte** categories);

    public void ExitInitialization() => Check(_shared.ExitInitializationMode(Handle), _names.ExitInitializationMode);

    public void Terminate()
    {
        if (Handle != 0 && !_failed) Check(_shared.Terminate(Handle), _names.Terminate);
    }

    public string GetString(uint valueReference)
    {
        byte* value = null;
        Check(CallGetString(&valueReference, &value), _names.GetString);
        return value == null ? "" : Marshal.PtrToStringUTF8((nint)value) ?? "";
    }

    public void SetString(uint valueReference, string value)
    {
        using var text = new Utf8(value);
        var p = text.Pointer;
        Check(CallSetString(&valueReference, &p), _names.SetString);
    }

    /// <summary>The standard's fmi*GetString for one value reference (FMI 3 passes the value count too).</summary>
    private protected abstract int CallGetString(uint* valueReference, byte** value);

    /// <summary>The standard's fmi*SetString for one value reference.</summary>
    private protected abstract int CallSetString(uint* valueReference, byte** value);

    public nint GetState()
    {
        nint state = 0;
        Check(_shared.GetState(Handle, &state), _names.GetState);
        return state;
    }

    public void SetState(nint state) => Check(_shared.SetState(Handle, state), _names.SetState);

    public void FreeState(nint state)
    {
        if (Handle != 0 && !_fatal) Check(_shared.FreeState(Handle, &state), _names.FreeState);
    }

    public byte[] SerializeState(nint state)
    {
        nuint size = 0;
        Check(_shared.SerializedStateSize(Handle, state, &size), _names.SerializedStateSize);
        var data = new byte[(int)size];
        fixed (byte* d = data) Check(_shared.SerializeState(Handle, state, d, size), _names.SerializeState);
        return data;
    }

    public nint DeserializeState(byte[] data)
    {
        nint state = 0;
        fixed (byte* d = data) Check(_shared.DeserializeState(Handle, d, (nuint)data.Length, &state), _names.DeserializeState);
        return state;
    }

    public void EnterEventMode() => Check(_shared.EnterEventMode(Handle), _names.EnterEventMode);

    public void EnterContinuousTimeMode() => Check(_shared.EnterContinuousTimeMode(Handle), _names.EnterContinuousTimeMode);

    public void SetTime(double time)
    {
        Time = time;
        Check(_shared.SetTime(Handle, time), _names.SetTime);
    }

    public void SetContinuousStates(ReadOnlySpan<double> x)
    {
        fixed (double* p = x) Check(_shared.SetContinuousStates(Handle, p, (nuint)x.Length), _names.SetContinuousStates);
    }

    public void GetDerivatives(Span<double> dx)
    {
        fixed (double* p = dx) Check(_shared.GetDerivatives(Handle, p, (nuint)dx.Length), _names.GetDerivatives);
    }

    public void GetEventIndicators(Span<double> z)
    {
        fixed (double* p = z) Check(_shared.GetEventIndicators(Handle, p, (nuint)z.Length), _names.GetEventIndicators);
    }

    public void GetContinuousStates(Span<double> x)
    {
        fixed (double* p = x) Check(_shared.GetContinuousStates(Handle, p, (nuint)x.Length), _names.GetContinuousStates);
    }

    public void GetNominalsOfContinuousStates(Span<double> nominals)
    {
        fixed (double* p = nominals) Check(_shared.GetNominalsOfContinuousStates(Handle, p, (nuint)nominals.Length), _names.GetNominalsOfContinuousStates);
    }

    /// <summary>Frees the instance (unless it failed fatally), then what the subclass holds, then the log.</summary>
    public void Dispose()
    {
        if (Handle != 0 && !_fatal) _shared.FreeInstance(Handle);
        Handle = 0;
        ReleaseNative();
        Log.Dispose();
    }

    /// <summary>Frees native memory the subclass keeps for the instance's lifetime (after the instance is freed).</summary>
    private protected virtual void ReleaseNative()
    {
    }
}
