using CoSim.Fmi.Native;

namespace CoSim.Fmi.Clocks;

/// <summary>How an FMU qualifies an interval it reports (<c>fmi3IntervalQualifier</c>).</summary>
public enum IntervalQualifier
{
    /// <summary>The FMU does not know the interval (yet): no tick is scheduled from it.</summary>
    NotYetKnown = 0,
    /// <summary>Same interval as before (for countdown clocks: no new tick).</summary>
    Unchanged = 1,
    /// <summary>A new interval (for countdown clocks: a new tick, that long from now).</summary>
    Changed = 2,
}

/// <summary>
/// The FMI 3.0 clock functions of one instance (<c>fmi3ActivateModelPartition</c>, the interval and
/// shift getters and setters, <c>fmi3GetClock</c>), bound from the FMU's library next to the
/// common functions of <see cref="Fmi3Instance"/>, whose status check they share. A function the
/// FMU does not export is null and fails with a message naming it when called.
/// </summary>
internal sealed unsafe class Fmi3ClockFunctions(FmuLibrary library, Fmi3Instance instance)
{
    private readonly delegate* unmanaged[Cdecl]<nint, uint, double, int> _activateModelPartition =
        (delegate* unmanaged[Cdecl]<nint, uint, double, int>)library.Optional("fmi3ActivateModelPartition");
    private readonly delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int*, int> _getIntervalDecimal =
        (delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int*, int>)library.Optional("fmi3GetIntervalDecimal");
    private readonly delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int> _getShiftDecimal =
        (delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int>)library.Optional("fmi3GetShiftDecimal");
    private readonly delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int> _setIntervalDecimal =
        (delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int>)library.Optional("fmi3SetIntervalDecimal");
    private readonly delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int> _setShiftDecimal =
        (delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int>)library.Optional("fmi3SetShiftDecimal");
    private readonly delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, int> _getClock =
        (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, int>)library.Optional("fmi3GetClock");

    private readonly delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, int> _setClock =
        (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, int>)library.Optional("fmi3SetClock");
    private readonly delegate* unmanaged[Cdecl]<nint, int> _enterEventMode =
        (delegate* unmanaged[Cdecl]<nint, int>)library.Optional("fmi3EnterEventMode");
    private readonly delegate* unmanaged[Cdecl]<nint, int> _enterStepMode =
        (delegate* unmanaged[Cdecl]<nint, int>)library.Optional("fmi3EnterStepMode");
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, byte*, byte*, double*, int> _updateDiscreteStates =
        (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, byte*, byte*, double*, int>)library.Optional("fmi3UpdateDiscreteStates");
    private readonly delegate* unmanaged[Cdecl]<nint, double, double, byte, byte*, byte*, byte*, double*, int> _doStep =
        (delegate* unmanaged[Cdecl]<nint, double, double, byte, byte*, byte*, byte*, double*, int>)library.Optional("fmi3DoStep");

    /// <summary>The FMU's fmi3InstantiateScheduledExecution (0 when it does not export it).</summary>
    public nint InstantiateScheduledExecution { get; } = library.Optional("fmi3InstantiateScheduledExecution");

    /// <summary>Whether the FMU can report a shift (periodic clocks whose shift the XML does not fix).</summary>
    public bool HasGetShift => _getShiftDecimal != null;

    private static void Require(void* function, string name)
    {
        if (function == null) throw new CoSim.Core.SimulationException($"the FMU does not export {name}", operation: name);
    }

    public void ActivateModelPartition(uint clock, double time)
    {
        Require(_activateModelPartition, "fmi3ActivateModelPartition");
        instance.CheckStatus(_activateModelPartition(instance.NativeHandle, clock, time), "fmi3ActivateModelPartition", time);
    }

    public (double Interval, IntervalQualifier Qualifier) GetIntervalDecimal(uint clock, double time)
    {
        Require(_getIntervalDecimal, "fmi3GetIntervalDecimal");
        double interval = 0;
        int qualifier = 0;
        instance.CheckStatus(_getIntervalDecimal(instance.NativeHandle, &clock, 1, &interval, &qualifier), "fmi3GetIntervalDecimal", time);
        return (interval, qualifier is >= 0 and <= 2 ? (IntervalQualifier)qualifier : IntervalQualifier.NotYetKnown);
    }

    public double GetShiftDecimal(uint clock, double time)
    {
        Require(_getShiftDecimal, "fmi3GetShiftDecimal");
        double shift = 0;
        instance.CheckStatus(_getShiftDecimal(instance.NativeHandle, &clock, 1, &shift), "fmi3GetShiftDecimal", time);
        return shift;
    }

    public void SetIntervalDecimal(uint clock, double interval, double time)
    {
        Require(_setIntervalDecimal, "fmi3SetIntervalDecimal");
        instance.CheckStatus(_setIntervalDecimal(instance.NativeHandle, &clock, 1, &interval), "fmi3SetIntervalDecimal", time);
    }

    public void SetShiftDecimal(uint clock, double shift, double time)
    {
        Require(_setShiftDecimal, "fmi3SetShiftDecimal");
        instance.CheckStatus(_setShiftDecimal(instance.NativeHandle, &clock, 1, &shift), "fmi3SetShiftDecimal", time);
    }

    /// <summary>Sets an input clock active (Event Mode of co-simulation and model exchange).</summary>
    public void SetClock(uint clock, double time)
    {
        Require(_setClock, "fmi3SetClock");
        byte active = 1;
        instance.CheckStatus(_setClock(instance.NativeHandle, &clock, 1, &active), "fmi3SetClock", time);
    }

    public void EnterEventMode(double time)
    {
        Require(_enterEventMode, "fmi3EnterEventMode");
        instance.CheckStatus(_enterEventMode(instance.NativeHandle), "fmi3EnterEventMode", time);
    }

    public void EnterStepMode(double time)
    {
        Require(_enterStepMode, "fmi3EnterStepMode");
        instance.CheckStatus(_enterStepMode(instance.NativeHandle), "fmi3EnterStepMode", time);
    }

    /// <summary>fmi3UpdateDiscreteStates until the FMU needs no further iteration (at most <paramref name="limit"/> times); returns whether it asks to terminate.</summary>
    public bool UpdateDiscreteStates(double time, int limit = 1000)
    {
        Require(_updateDiscreteStates, "fmi3UpdateDiscreteStates");
        for (var i = 0; i < limit; i++)
        {
            byte again = 0, terminate = 0, nominals = 0, values = 0, nextDefined = 0;
            double next = 0;
            instance.CheckStatus(_updateDiscreteStates(instance.NativeHandle, &again, &terminate, &nominals, &values, &nextDefined, &next), "fmi3UpdateDiscreteStates", time);
            if (terminate != 0) return true;
            if (again == 0) return false;
        }
        throw new CoSim.Core.SimulationException($"fmi3UpdateDiscreteStates still asks for another iteration after {limit} at t={time} s", operation: "fmi3UpdateDiscreteStates");
    }

    /// <summary>fmi3DoStep with the event flags that <see cref="Fmi3Instance.DoStep"/> leaves out.</summary>
    public (bool EventHandlingNeeded, bool Terminate, bool EarlyReturn, double LastSuccessfulTime) DoStep(double time, double step)
    {
        Require(_doStep, "fmi3DoStep");
        byte eventNeeded = 0, terminate = 0, early = 0;
        var last = time + step;
        instance.CheckStatus(_doStep(instance.NativeHandle, time, step, 1, &eventNeeded, &terminate, &early, &last), "fmi3DoStep", time);
        return (eventNeeded != 0, terminate != 0, early != 0, early != 0 || terminate != 0 ? last : time + step);
    }

    /// <summary>Whether an output clock ticked (the FMU resets it as it is read).</summary>
    public bool GetClock(uint clock, double time)
    {
        Require(_getClock, "fmi3GetClock");
        byte value = 0;
        instance.CheckStatus(_getClock(instance.NativeHandle, &clock, 1, &value), "fmi3GetClock", time);
        return value != 0;
    }
}
