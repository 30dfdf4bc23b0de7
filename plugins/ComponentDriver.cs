using CoSim.Core;

namespace CoSim.Plugins.Testing;

/// <summary>Drives one component through its contract by hand (the sample plugins' tests): set inputs, step, read.</summary>
internal sealed class ComponentDriver : IDisposable
{
    private readonly IComponent _component;

    public ComponentDriver(IComponent component, double start = 0, params (string Name, string Value)[] parameters)
    {
        _component = component;
        component.Instantiate();
        foreach (var (name, value) in parameters) component.SetFromText(Index(name), value);
        component.EnterInitialization(SimTime.FromSeconds(start), null, null);
        component.ExitInitialization();
        Time = SimTime.FromSeconds(start);
    }

    public SimTime Time { get; private set; }

    public int Index(string name) => _component.Variables.Single(v => v.Name == name).Index;

    public void Set(string name, double value) => _component.CreateAccessor([Index(name)]).Write([value]);

    public double Get(string name)
    {
        var value = new double[1];
        _component.CreateAccessor([Index(name)]).Read(value);
        return value[0];
    }

    public void Step(double h)
    {
        var step = SimTime.FromSeconds(h);
        _component.Step(Time, step).Status.ShouldBe(StepStatus.Completed);
        Time += step;
    }

    /// <summary>Steps by <paramref name="h"/> until <paramref name="until"/> (to the nanosecond grid).</summary>
    public void StepUntil(double until, double h)
    {
        var end = SimTime.FromSeconds(until);
        while (Time < end) Step(h);
    }

    public void Dispose() => _component.Dispose();
}
