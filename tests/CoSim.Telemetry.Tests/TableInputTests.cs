using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Telemetry.Replay;

namespace CoSim.Telemetry.Tests;

/// <summary>The table manipulator: binding columns to inputs, and a system run it drives.</summary>
public class TableInputTests
{
    private static InputTable Table(params string[] names) =>
        new(names, [0, 1, 1, 2], names.Select(_ => new double[] { 0, 10, 20, 20 }).ToArray());

    [Test]
    public void Attach_ColumnsNamingOutputsOrUnknownVariables_OneErrorListingEach()
    {
        var setup = new FakeSetup();
        var input = new TableInput(Table("Plant.y", "Plant.nope", "Other.u"), "in.csv");
        var e = Should.Throw<InputException>(() => input.Attach(setup));
        e.Message.ShouldStartWith("in.csv: ");
        e.Message.ShouldContain("column 'Plant.y' is an output of 'Plant', not an input");
        e.Message.ShouldContain("column 'Plant.nope' is not a variable of 'Plant'");
        e.Message.ShouldContain("column 'Other.u' names no component's variable");
    }

    [Test]
    public void StepCommencing_BareNamesOfTheDefaultComponent_InterpolatesContinuousAndAppliesTheJump()
    {
        var setup = new FakeSetup();
        var writer = new FakeWriter();
        var input = new TableInput(Table("u"), "in.csv", defaultComponent: "Plant");
        input.Attach(setup);
        setup.Registered.ShouldBe([new VariableRef("Plant", "u")]);

        input.StepCommencing(SimTime.FromSeconds(0.5), writer);
        writer.Last.ShouldBe(5);
        input.StepCommencing(SimTime.FromSeconds(1), writer); // two rows at t = 1: the later one applies from then on
        writer.Last.ShouldBe(20);
    }

    [Test]
    public void Run_SystemDrivenByTable_IntegratorSeesTheTableValues()
    {
        using var system = new SystemModel();
        var plant = new Integrator("Plant");
        system.Add(plant);
        var table = new InputTable(["Plant.u"], [0, 1, 2], [[1, 1, 3]]);

        new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 2, 0.5), Threads = 1 }, [new TableInput(table, "table")]).Run();

        // y = ∫u with u held over each 0.5 s step at its value at the step start: 0.5·(1 + 1 + 1 + 2) = 2.5.
        plant.Y.ShouldBe(2.5, 1e-12);
    }

    private sealed class FakeSetup : IManipulationSetup
    {
        public List<VariableRef> Registered { get; } = [];
        public IReadOnlyList<string> Components => ["Plant"];

        public IReadOnlyList<ComponentVariable> VariablesOf(string component) =>
        [
            new(0, "u", ValueKind.Real, VariableRole.Input, true, null, null, "0"),
            new(1, "y", ValueKind.Real, VariableRole.Output, true, null, null, null),
        ];

        public InputHandle Input(VariableRef input)
        {
            Registered.Add(input);
            return new InputHandle(Registered.Count - 1);
        }
    }

    private sealed class FakeWriter : InputWriter
    {
        public double Last { get; private set; } = double.NaN;
        public override void Set(InputHandle input, double value) => Last = value;
        public override void Override(InputHandle input, IInputOverride? inputOverride) => throw new NotSupportedException();
    }

    /// <summary>y' = u, integrated exactly over each step with u held (a minimal C# component).</summary>
    private sealed class Integrator(string name) : IComponent
    {
        private double _u;
        public double Y { get; private set; }
        public string Name => name;
        public IReadOnlyList<ComponentVariable> Variables { get; } =
        [
            new(0, "u", ValueKind.Real, VariableRole.Input, true, null, null, "0"),
            new(1, "y", ValueKind.Real, VariableRole.Output, true, null, null, null),
        ];
        public bool CanSaveState => false;
        public void Instantiate() { }
        public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance) { }
        public void ExitInitialization() { }
        public StepResult Step(SimTime time, SimTime step)
        {
            Y += _u * step.Seconds;
            return StepResult.Completed(time + step);
        }
        public void Terminate() { }
        public void Dispose() { }
        public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new Accessor(this, variables);
        public void SetFromText(int variable, string text) => throw new NotSupportedException();
        public string GetAsText(int variable) => (variable == 0 ? _u : Y).ToString(System.Globalization.CultureInfo.InvariantCulture);
        public IComponentState SaveState() => throw new NotSupportedException();
        public void RestoreState(IComponentState state) => throw new NotSupportedException();

        private sealed class Accessor(Integrator owner, IReadOnlyList<int> variables) : IValueAccessor
        {
            public IReadOnlyList<int> Variables => variables;
            public void Read(Span<double> values)
            {
                for (var i = 0; i < variables.Count; i++) values[i] = variables[i] == 0 ? owner._u : owner.Y;
            }
            public void Write(ReadOnlySpan<double> values)
            {
                for (var i = 0; i < variables.Count; i++)
                    if (variables[i] == 0) owner._u = values[i];
            }
        }
    }
}
