using CoSim.Core;

namespace CoSim.Fmi.Native;

/// <summary>The FMI 3.0 model-exchange calls.</summary>
internal sealed unsafe partial class Fmi3Instance : IModelExchangeInstance
{
    public void InstantiateModelExchange(bool visible, bool loggingOn)
    {
        Require(_f.InstantiateModelExchange, "fmi3InstantiateModelExchange");
        Require(_f.UpdateDiscreteStates, "fmi3UpdateDiscreteStates");
        Require(_f.EnterEventMode, "fmi3EnterEventMode");
        Require(_f.EnterContinuousTimeMode, "fmi3EnterContinuousTimeMode");
        Require(_f.CompletedIntegratorStep, "fmi3CompletedIntegratorStep");
        Require(_f.SetTime, "fmi3SetTime");
        Require(_f.SetContinuousStates, "fmi3SetContinuousStates");
        Require(_f.GetContinuousStateDerivatives, "fmi3GetContinuousStateDerivatives");
        Require(_f.GetEventIndicators, "fmi3GetEventIndicators");
        Require(_f.GetContinuousStates, "fmi3GetContinuousStates");
        Require(_f.GetNominalsOfContinuousStates, "fmi3GetNominalsOfContinuousStates");
        using var name = new Utf8(Log.InstanceName);
        using var token = new Utf8(_token);
        using var resources = new Utf8(_resourcePath);
        delegate* unmanaged[Cdecl]<nint, int, byte*, byte*, void> logger = &FmuLog.OnFmi3Message;
        _instance = _f.InstantiateModelExchange(name.Pointer, token.Pointer, resources.Pointer, visible ? (byte)1 : (byte)0, loggingOn ? (byte)1 : (byte)0,
            Log.Environment, (nint)logger);
        if (_instance == 0)
            throw new FmiCallException(Log.InstanceName, "fmi3InstantiateModelExchange", "a null instance", Log.LastMessage, null);
    }

    public (int States, int EventIndicators)? QueryDimensions()
    {
        if (_f.GetNumberOfContinuousStates == null || _f.GetNumberOfEventIndicators == null) return null;
        nuint states = 0, indicators = 0;
        Check(_f.GetNumberOfContinuousStates(_instance, &states), "fmi3GetNumberOfContinuousStates");
        Check(_f.GetNumberOfEventIndicators(_instance, &indicators), "fmi3GetNumberOfEventIndicators");
        if (states > int.MaxValue || indicators > int.MaxValue)
            throw new SimulationException($"the FMU reports {states} states and {indicators} event indicators", Log.InstanceName, "fmi3GetNumberOfContinuousStates");
        return ((int)states, (int)indicators);
    }

    public void EnterEventMode() => Check(_f.EnterEventMode(_instance), "fmi3EnterEventMode");

    public EventUpdate UpdateDiscreteStates()
    {
        byte needUpdate = 0, terminate = 0, nominalsChanged = 0, valuesChanged = 0, nextDefined = 0;
        double next = 0;
        Check(_f.UpdateDiscreteStates(_instance, &needUpdate, &terminate, &nominalsChanged, &valuesChanged, &nextDefined, &next), "fmi3UpdateDiscreteStates");
        return new EventUpdate(needUpdate != 0, terminate != 0, nominalsChanged != 0, valuesChanged != 0, nextDefined != 0 ? next : null);
    }

    public void EnterContinuousTimeMode() => Check(_f.EnterContinuousTimeMode(_instance), "fmi3EnterContinuousTimeMode");

    public (bool EnterEventMode, bool Terminate) CompletedIntegratorStep(bool noSetFmuStatePriorToCurrentPoint)
    {
        byte enter = 0, terminate = 0;
        Check(_f.CompletedIntegratorStep(_instance, noSetFmuStatePriorToCurrentPoint ? (byte)1 : (byte)0, &enter, &terminate), "fmi3CompletedIntegratorStep");
        return (enter != 0, terminate != 0);
    }

    public void SetTime(double time)
    {
        Time = time;
        Check(_f.SetTime(_instance, time), "fmi3SetTime");
    }

    public void SetContinuousStates(ReadOnlySpan<double> x)
    {
        fixed (double* p = x) Check(_f.SetContinuousStates(_instance, p, (nuint)x.Length), "fmi3SetContinuousStates");
    }

    public bool ExportsDirectionalDerivative => _f.GetDirectionalDerivative != null;

    public void GetDirectionalDerivative(ReadOnlySpan<uint> unknowns, ReadOnlySpan<uint> knowns, ReadOnlySpan<double> seed, Span<double> sensitivity)
    {
        fixed (uint* u = unknowns)
        fixed (uint* k = knowns)
        fixed (double* s = seed)
        fixed (double* r = sensitivity)
            Check(_f.GetDirectionalDerivative(_instance, u, (nuint)unknowns.Length, k, (nuint)knowns.Length, s, (nuint)seed.Length, r, (nuint)sensitivity.Length),
                "fmi3GetDirectionalDerivative");
    }

    public void GetDerivatives(Span<double> dx)
    {
        fixed (double* p = dx) Check(_f.GetContinuousStateDerivatives(_instance, p, (nuint)dx.Length), "fmi3GetContinuousStateDerivatives");
    }

    public void GetEventIndicators(Span<double> z)
    {
        fixed (double* p = z) Check(_f.GetEventIndicators(_instance, p, (nuint)z.Length), "fmi3GetEventIndicators");
    }

    public void GetContinuousStates(Span<double> x)
    {
        fixed (double* p = x) Check(_f.GetContinuousStates(_instance, p, (nuint)x.Length), "fmi3GetContinuousStates");
    }

    public void GetNominalsOfContinuousStates(Span<double> nominals)
    {
        fixed (double* p = nominals) Check(_f.GetNominalsOfContinuousStates(_instance, p, (nuint)nominals.Length), "fmi3GetNominalsOfContinuousStates");
    }
}
