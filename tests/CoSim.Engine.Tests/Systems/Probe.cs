using CoSim.Core;

namespace CoSim.Engine.Tests.Systems;

/// <summary>Observer that keeps (time, value) of one variable of a component after every step, from the values the run read.</summary>
internal sealed class Probe(IComponent unit, string variable) : IObserver
{
    private SignalHandle _signal;
    public List<(double Time, double Value)> Samples { get; } = [];
    public void Attach(IObservationSetup setup) => _signal = setup.Observe(new VariableRef(unit.Name, variable));
    public void Started(SimTime start, StepValues values) => Samples.Add((start.Seconds, values[_signal]));
    public void StepComplete(SimTime time, StepValues values) => Samples.Add((time.Seconds, values[_signal]));
    public void Finished(SimTime end, Exception? failure) { }
}
