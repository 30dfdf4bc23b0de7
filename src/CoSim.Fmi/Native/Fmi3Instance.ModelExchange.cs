using CoSim.Core;

namespace CoSim.Fmi.Native;

/// <summary>The FMI 3.0 model-exchange calls that differ from FMI 2.</summary>
internal sealed unsafe partial class Fmi3Instance
{
    public override void InstantiateModelExchange(bool visible, bool loggingOn)
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
        Instantiate(modelExchange: true, visible, loggingOn);
    }

    public override (int States, int EventIndicators)? QueryDimensions()
    {
        if (_f.GetNumberOfContinuousStates == null || _f.GetNumberOfEventIndicators == null) return null;
        nuint states = 0, indicators = 0;
        Check(_f.GetNumberOfContinuousStates(Handle, &states), "fmi3GetNumberOfContinuousStates");
        Check(_f.GetNumberOfEventIndicators(Handle, &indicators), "fmi3GetNumberOfEventIndicators");
        if (states > int.MaxValue || indicators > int.MaxValue)
            throw new SimulationException($"the FMU reports {states} states and {indicators} event indicators", Log.InstanceName, "fmi3GetNumberOfContinuousStates");
        return ((int)states, (int)indicators);
    }

    public override EventUpdate UpdateDiscreteStates()
    {
        byte needUpdate = 0, terminate = 0, nominalsChanged = 0, valuesChanged = 0, nextDefined = 0;
        double next = 0;
        Check(_f.UpdateDiscreteStates(Handle, &needUpdate, &terminate, &nominalsChanged, &valuesChanged, &nextDefined, &next), "fmi3UpdateDiscreteStates");
        return new EventUpdate(needUpdate != 0, terminate != 0, nominalsChanged != 0, valuesChanged != 0, nextDefined != 0 ? next : null);
    }

    private protected override int CallCompletedIntegratorStep(bool noSetFmuStatePriorToCurrentPoint, out bool enterEventMode, out bool terminate)
    {
        byte enter = 0, stop = 0;
        var status = _f.CompletedIntegratorStep(Handle, noSetFmuStatePriorToCurrentPoint ? (byte)1 : (byte)0, &enter, &stop);
        (enterEventMode, terminate) = (enter != 0, stop != 0);
        return status;
    }

    public override bool ExportsDirectionalDerivative => _f.GetDirectionalDerivative != null;

    private protected override int CallGetDirectionalDerivative(uint* unknowns, nuint unknownCount, uint* knowns, nuint knownCount, double* seed, nuint seedCount,
        double* sensitivity, nuint sensitivityCount) =>
        _f.GetDirectionalDerivative(Handle, unknowns, unknownCount, knowns, knownCount, seed, seedCount, sensitivity, sensitivityCount);
}
