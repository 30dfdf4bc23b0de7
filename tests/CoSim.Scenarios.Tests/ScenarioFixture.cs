using CoSim.Core;
using CoSim.Scenarios;
using CoSim.TestSupport;

namespace CoSim.Scenarios.Tests;

/// <summary>Runs scenarios over the real example FMUs in a fresh folder per test; the Tank's closed form as the independent reference.</summary>
internal static class ScenarioFixture
{
    public static string Tank => ExampleFmus.Path(2, "Tank");

    public static string NewFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cosim-scen-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The TankLoop system (PI -> pump -> tank) as an .ssp built from the example's sources.</summary>
    public static string TankLoop(string folder) => ExampleSystems.BuildSsp("TankLoop", folder);

    public static ScenarioOutcome Run(string folder, string name, Action<Scenario> body, int? parallelism = null, ILogSink? log = null) =>
        ScenarioRunner.Run(ctx =>
        {
            var s = new Scenario(ctx);
            body(s);
            return s;
        }, new ScenarioRunOptions(name, folder) { Output = Path.Combine(folder, name + ".csv"), Parallelism = parallelism, Log = log });

    /// <summary>
    /// The Tank's closed form (fmus/Tank/readme.md): the time to go from level h0 to h with the valve
    /// constant (A = 0.5, k = 0.05, maxInflow = 0.1).
    /// </summary>
    public static double TimeToLevel(double h0, double h, double valve)
    {
        const double a = 0.5, k = 0.05, maxInflow = 0.1;
        var s = valve * maxInflow / k;
        if (s == 0) return 2 * a / k * (Math.Sqrt(h0) - Math.Sqrt(h));
        return 2 * a / k * (Math.Sqrt(h0) - Math.Sqrt(h) + s * Math.Log((s - Math.Sqrt(h0)) / (s - Math.Sqrt(h))));
    }

    public static int Row(ResultCsv csv, double time) => Array.FindIndex(csv.Times, t => Math.Abs(t - time) < 1e-9);
}

/// <summary>An inline C# component: output <c>y = slope * t</c>, parameter <c>slope</c>, an input <c>u</c> that it only holds (and that accepts NaN).</summary>
internal sealed class RampSource(string name) : IComponent
{
    private readonly double[] _values = new double[3];
    private SimTime _time;

    public string Name { get; } = name;

    public IReadOnlyList<ComponentVariable> Variables { get; } =
    [
        new(0, "y", ValueKind.Real, VariableRole.Output, true, null, "slope * t", null),
        new(1, "slope", ValueKind.Real, VariableRole.Parameter, false, null, "rise per second", "1"),
        new(2, "u", ValueKind.Real, VariableRole.Input, true, null, "held input", "0"),
    ];

    public bool CanSaveState => false;
    public void Instantiate() => _values[1] = 1;
    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance) => _time = start;
    public void ExitInitialization() { }

    public StepResult Step(SimTime time, SimTime step)
    {
        _time = time + step;
        return StepResult.Completed(_time);
    }

    public void Terminate() { }
    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new Accessor(this, variables);
    public void SetFromText(int variable, string text) => _values[variable] = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    public string GetAsText(int variable) => _values[variable].ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    public IComponentState SaveState() => throw new NotSupportedException();
    public void RestoreState(IComponentState state) => throw new NotSupportedException();
    public void Dispose() { }

    private sealed class Accessor(RampSource owner, IReadOnlyList<int> variables) : IValueAccessor
    {
        public IReadOnlyList<int> Variables => variables;

        public void Read(Span<double> values)
        {
            owner._values[0] = owner._values[1] * owner._time.Seconds;
            for (var i = 0; i < variables.Count; i++) values[i] = owner._values[variables[i]];
        }

        public void Write(ReadOnlySpan<double> values)
        {
            for (var i = 0; i < variables.Count; i++) owner._values[variables[i]] = values[i];
        }
    }
}
