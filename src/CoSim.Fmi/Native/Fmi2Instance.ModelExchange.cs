namespace CoSim.Fmi.Native;

/// <summary>The FMI 2.0 model-exchange calls that differ from FMI 3 (the instance must be bound with coSimulation: false).</summary>
internal sealed unsafe partial class Fmi2Instance
{
    public override void InstantiateModelExchange(bool visible, bool loggingOn)
    {
        if (_f.NewDiscreteStates == null)
            throw new InvalidOperationException("this instance was bound for co-simulation; create it with coSimulation: false");
        Instantiate(0 /* fmi2ModelExchange */, visible, loggingOn);
    }

    /// <summary>FMI 2 cannot ask the binary: the model description's counts stand.</summary>
    public override (int States, int EventIndicators)? QueryDimensions() => null;

    public override EventUpdate UpdateDiscreteStates()
    {
        Fmi2EventInfo info = default;
        Check(_f.NewDiscreteStates(Handle, &info), "fmi2NewDiscreteStates");
        return new EventUpdate(info.NewDiscreteStatesNeeded != 0, info.TerminateSimulation != 0, info.NominalsOfContinuousStatesChanged != 0,
            info.ValuesOfContinuousStatesChanged != 0, info.NextEventTimeDefined != 0 ? info.NextEventTime : null);
    }

    private protected override int CallCompletedIntegratorStep(bool noSetFmuStatePriorToCurrentPoint, out bool enterEventMode, out bool terminate)
    {
        int enter = 0, stop = 0;
        var status = _f.CompletedIntegratorStep(Handle, noSetFmuStatePriorToCurrentPoint ? 1 : 0, &enter, &stop);
        (enterEventMode, terminate) = (enter != 0, stop != 0);
        return status;
    }

    public override bool ExportsDirectionalDerivative => _f.GetDirectionalDerivative != null;

    private protected override int CallGetDirectionalDerivative(uint* unknowns, nuint unknownCount, uint* knowns, nuint knownCount, double* seed, nuint seedCount,
        double* sensitivity, nuint sensitivityCount) =>
        _f.GetDirectionalDerivative(Handle, unknowns, unknownCount, knowns, knownCount, seed, sensitivity);
}
