using CoSim.Core;

namespace CoSim.Engine.Tests.Execution;

/// <summary>
/// A component driven by a lambda, for unit tests of the execution logic only (never as proof that a
/// feature works with FMUs): one input "u", one output "y"; <see cref="OnStep"/> decides each step.
/// </summary>
internal sealed class FakeUnit : IComponent
{
    public readonly double[] Values = new double[2]; // [0] = u, [1] = y
    public readonly List<string> Calls = [];
    public Func<SimTime, SimTime, FakeUnit, StepResult> OnStep { get; init; } = (t, h, u) =>
    {
        u.Values[1] += u.Values[0] * h.Seconds; // y integrates u
        return StepResult.Completed(t + h);
    };

    public string Name => "fake";
    public IReadOnlyList<ComponentVariable> Variables { get; } =
    [
        new(0, "u", ValueKind.Real, VariableRole.Input, true, null, null, "0"),
        new(1, "y", ValueKind.Real, VariableRole.Output, true, null, null, null),
    ];
    public bool CanSaveState => false;
    public void Instantiate() => Calls.Add("instantiate");
    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance) => Calls.Add("enter");
    public void ExitInitialization() => Calls.Add("exit");
    public StepResult Step(SimTime time, SimTime step) => OnStep(time, step, this);
    public void Terminate() => Calls.Add("terminate");
    public void Dispose() => Calls.Add("dispose");
    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new Accessor(this, variables);
    public void SetFromText(int variable, string text) => Values[variable] = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    public string GetAsText(int variable) => Values[variable].ToString(System.Globalization.CultureInfo.InvariantCulture);
    public IComponentState SaveState() => throw new NotSupportedException();
    public void RestoreState(IComponentState state) => throw new NotSupportedException();

    private sealed class Accessor(FakeUnit unit, IReadOnlyList<int> variables) : IValueAccessor
    {
        public IReadOnlyList<int> Variables => variables;
        public void Read(Span<double> values)
        {
            for (var i = 0; i < variables.Count; i++) values[i] = unit.Values[variables[i]];
        }
        public void Write(ReadOnlySpan<double> values)
        {
            for (var i = 0; i < variables.Count; i++) unit.Values[variables[i]] = values[i];
        }
    }
}
