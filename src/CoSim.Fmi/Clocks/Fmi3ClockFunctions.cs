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
        instance.CheckStatus(_activateModelPartition(instance.Handle, clock, time), "fmi3ActivateModelPartition", time);
    }

    public (double Interval, IntervalQualifier Qualifier) GetIntervalDecimal(uint clock, double time)
    {
        Require(_getIntervalDecimal, "fmi3GetIntervalDecimal");
        double interval = 0;
        int qualifier = 0;
        instance.CheckStatus(_getIntervalDecimal(instance.Handle, &clock, 1, &interval, &qualifier), "fmi3GetIntervalDecimal", time);
        return (interval, qualifier is >= 0 and <= 2 ? (IntervalQualifier)qualifier : IntervalQualifier.NotYetKnown);
    }

    public double GetShiftDecimal(uint clock, double time)
    {
        Require(_getShiftDecimal, "fmi3GetShiftDecimal");
        double shift = 0;
        instance.CheckStatus(_getShiftDecimal(instance.Handle, &clock, 1, &shift), "fmi3GetShiftDecimal", time);
        return shift;
    }

    public void SetIntervalDecimal(uint clock, double interval, double time)
    {
        Require(_setIntervalDecimal, "fmi3SetIntervalDecimal");
        instance.CheckStatus(_setIntervalDecimal(instance.Handle, &clock, 1, &interval), "fmi3SetIntervalDecimal", time);
    }

    public void SetShiftDecimal(uint clock, double shift, double time)
    {
        Require(_setShiftDecimal, "fmi3SetShiftDecimal");
        instance.CheckStatus(_setShiftDecimal(instance.Handle, &clock, 1, &shift), "fmi3SetShiftDecimal", time);
    }

    /// <summary>Whether an output clock ticked (the FMU resets it as it is read).</summary>
    public bool GetClock(uint clock, double time)
    {
        Require(_getClock, "fmi3GetClock");
        byte value = 0;
        instance.CheckStatus(_getClock(instance.Handle, &clock, 1, &value), "fmi3GetClock", time);
        return value != 0;
    }
}
