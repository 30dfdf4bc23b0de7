using System.Runtime.InteropServices;

namespace CoSim.Fmi.Native;

/// <summary>The FMI 2.0 model-exchange calls (the instance must be created with coSimulation: false).</summary>
internal sealed unsafe partial class Fmi2Instance : IModelExchangeInstance
{
    private void RequireModelExchange()
    {
        if (_f.NewDiscreteStates == null)
            throw new InvalidOperationException("this instance was bound for co-simulation; create it with coSimulation: false");
    }

    public void InstantiateModelExchange(bool visible, bool loggingOn)
    {
        RequireModelExchange();
        _callbacks = (nint)NativeMemory.AllocZeroed((nuint)(5 * sizeof(nint)));
        var cb = (nint*)_callbacks;
        cb[0] = Fmi2CallbackSupport.Logger;
        cb[1] = Fmi2CallbackSupport.Calloc;
        cb[2] = Fmi2CallbackSupport.Free;
        cb[3] = 0; // stepFinished: co-simulation only
        cb[4] = Log.Environment;
        using var name = new Utf8(Log.InstanceName);
        using var guid = new Utf8(_guid);
        using var uri = new Utf8(_resourceUri);
        _component = _f.Instantiate(name.Pointer, 0 /* fmi2ModelExchange */, guid.Pointer, uri.Pointer, _callbacks, visible ? 1 : 0, loggingOn ? 1 : 0);
        if (_component == 0)
            throw new FmiCallException(Log.InstanceName, "fmi2Instantiate", "a null component", Log.LastMessage, null);
    }

    public (int States, int EventIndicators)? QueryDimensions() => null;

    public void EnterEventMode() => Check(_f.EnterEventMode(_component), "fmi2EnterEventMode");

    public EventUpdate UpdateDiscreteStates()
    {
        Fmi2EventInfo info = default;
        Check(_f.NewDiscreteStates(_component, &info), "fmi2NewDiscreteStates");
        return new EventUpdate(info.NewDiscreteStatesNeeded != 0, info.TerminateSimulation != 0, info.NominalsOfContinuousStatesChanged != 0,
            info.ValuesOfContinuousStatesChanged != 0, info.NextEventTimeDefined != 0 ? info.NextEventTime : null);
    }

    public void EnterContinuousTimeMode() => Check(_f.EnterContinuousTimeMode(_component), "fmi2EnterContinuousTimeMode");

    public (bool EnterEventMode, bool Terminate) CompletedIntegratorStep(bool noSetFmuStatePriorToCurrentPoint)
    {
        int enter = 0, terminate = 0;
        Check(_f.CompletedIntegratorStep(_component, noSetFmuStatePriorToCurrentPoint ? 1 : 0, &enter, &terminate), "fmi2CompletedIntegratorStep");
        return (enter != 0, terminate != 0);
    }

    public void SetTime(double time)
    {
        Time = time;
        Check(_f.SetTime(_component, time), "fmi2SetTime");
    }

    public void SetContinuousStates(ReadOnlySpan<double> x)
    {
        fixed (double* p = x) Check(_f.SetContinuousStates(_component, p, (nuint)x.Length), "fmi2SetContinuousStates");
    }

    public bool ExportsDirectionalDerivative => _f.GetDirectionalDerivative != null;

    public void GetDirectionalDerivative(ReadOnlySpan<uint> unknowns, ReadOnlySpan<uint> knowns, ReadOnlySpan<double> seed, Span<double> sensitivity)
    {
        fixed (uint* u = unknowns)
        fixed (uint* k = knowns)
        fixed (double* s = seed)
        fixed (double* r = sensitivity)
            Check(_f.GetDirectionalDerivative(_component, u, (nuint)unknowns.Length, k, (nuint)knowns.Length, s, r), "fmi2GetDirectionalDerivative");
    }

    public void GetDerivatives(Span<double> dx)
    {
        fixed (double* p = dx) Check(_f.GetDerivatives(_component, p, (nuint)dx.Length), "fmi2GetDerivatives");
    }

    public void GetEventIndicators(Span<double> z)
    {
        fixed (double* p = z) Check(_f.GetEventIndicators(_component, p, (nuint)z.Length), "fmi2GetEventIndicators");
    }

    public void GetContinuousStates(Span<double> x)
    {
        fixed (double* p = x) Check(_f.GetContinuousStates(_component, p, (nuint)x.Length), "fmi2GetContinuousStates");
    }

    public void GetNominalsOfContinuousStates(Span<double> nominals)
    {
        fixed (double* p = nominals) Check(_f.GetNominalsOfContinuousStates(_component, p, (nuint)nominals.Length), "fmi2GetNominalsOfContinuousStates");
    }
}
