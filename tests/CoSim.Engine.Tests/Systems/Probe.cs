using System.Globalization;
using CoSim.Core;

namespace CoSim.Engine.Tests.Systems;

/// <summary>Observer that keeps (time, value) of one variable of a unit after every step.</summary>
internal sealed class Probe(ISimulationUnit unit, string variable) : IObserver
{
    private readonly int _index = unit.Variables.First(v => v.Name == variable).Index;
    public List<(double Time, double Value)> Samples { get; } = [];
    public void Started(SimTime start) => Samples.Add((start.Seconds, Read()));
    public void StepComplete(SimTime time) => Samples.Add((time.Seconds, Read()));
    public void Finished(SimTime end, Exception? failure) { }
    private double Read() => double.Parse(unit.GetAsText(_index), CultureInfo.InvariantCulture);
}
