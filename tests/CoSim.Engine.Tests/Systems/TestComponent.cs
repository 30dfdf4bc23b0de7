using System.Globalization;
using CoSim.Core;

namespace CoSim.Engine.Tests.Systems;

/// <summary>
/// A C# component for system tests: named real inputs, outputs and parameters, a state vector,
/// a step function that advances the state, and an output function evaluated whenever outputs are
/// read (so an output may depend directly on an input: feedthrough). Can save and restore state.
/// </summary>
internal sealed class TestComponent : IComponent
{
    private readonly Dictionary<string, int> _index = [];

    public TestComponent(string name, string[] inputs, string[] outputs, string[]? parameters = null, int states = 0)
    {
        Name = name;
        var vars = new List<ComponentVariable>();
        foreach (var i in inputs) vars.Add(new ComponentVariable(vars.Count, i, ValueKind.Real, VariableRole.Input, true, null, null, "0"));
        foreach (var o in outputs) vars.Add(new ComponentVariable(vars.Count, o, ValueKind.Real, VariableRole.Output, true, null, null, null));
        foreach (var p in parameters ?? []) vars.Add(new ComponentVariable(vars.Count, p, ValueKind.Real, VariableRole.Parameter, false, null, null, "0"));
        Variables = vars;
        foreach (var v in vars) _index[v.Name] = v.Index;
        Values = new double[vars.Count];
        State = new double[states];
    }

    public string Name { get; }
    public IReadOnlyList<ComponentVariable> Variables { get; set; }
    /// <summary>Output dependencies (default: every output on every input).</summary>
    public ComponentStructure Structure { get; init; } = ComponentStructure.Opaque;
    public double[] Values { get; }
    public double[] State { get; private set; }
    public SimTime Time { get; private set; }
    public int Steps { get; private set; }

    /// <summary>Advances the state from t by h; returns the status (default: completed).</summary>
    public Func<TestComponent, SimTime, SimTime, StepStatus> OnStep { get; init; } = (_, _, _) => StepStatus.Completed;

    /// <summary>Computes outputs from state and inputs; called before every read.</summary>
    public Action<TestComponent> ComputeOutputs { get; init; } = _ => { };

    /// <summary>Called once at EnterInitialization (set the state from parameters).</summary>
    public Action<TestComponent> OnInitialize { get; init; } = _ => { };

    public double this[string name]
    {
        get => Values[_index[name]];
        set => Values[_index[name]] = value;
    }

    public int IndexOf(string name) => _index[name];

    public bool CanSaveState => true;
    public void Instantiate() { }
    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        Time = start;
        OnInitialize(this);
    }
    public void ExitInitialization() { }

    public StepResult Step(SimTime time, SimTime step)
    {
        var status = OnStep(this, time, step);
        if (status == StepStatus.Discarded) return new StepResult(status, time);
        Time = time + step;
        Steps++;
        return new StepResult(status, time + step);
    }

    public void Terminate() { }
    public void Dispose() { }

    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new Accessor(this, variables.ToArray());
    public void SetFromText(int variable, string text) => Values[variable] = double.Parse(text, CultureInfo.InvariantCulture);
    public string GetAsText(int variable)
    {
        ComputeOutputs(this);
        return Values[variable].ToString("R", CultureInfo.InvariantCulture);
    }

    public IComponentState SaveState() => new Saved((double[])State.Clone(), (double[])Values.Clone(), Time, Steps);

    public void RestoreState(IComponentState state)
    {
        var s = (Saved)state;
        State = (double[])s.State.Clone();
        s.Values.CopyTo(Values, 0);
        Time = s.Time;
        Steps = s.Steps;
    }

    private sealed record Saved(double[] State, double[] Values, SimTime Time, int Steps) : IComponentState
    {
        public void Dispose() { }
    }

    private sealed class Accessor(TestComponent unit, int[] variables) : IValueAccessor
    {
        public IReadOnlyList<int> Variables => variables;
        public void Read(Span<double> values)
        {
            unit.ComputeOutputs(unit);
            for (var i = 0; i < variables.Length; i++) values[i] = unit.Values[variables[i]];
        }
        public void Write(ReadOnlySpan<double> values)
        {
            for (var i = 0; i < variables.Length; i++) unit.Values[variables[i]] = values[i];
        }
    }
}
