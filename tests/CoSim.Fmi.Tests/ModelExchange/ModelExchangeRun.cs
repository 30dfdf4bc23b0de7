using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.CoSimulation;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;
using CoSim.TestSupport;

namespace CoSim.Fmi.Tests.ModelExchange;

/// <summary>Runs an example FMU (ME or CS) on a fixed communication grid and records variables at every point.</summary>
internal static class ModelExchangeRun
{
    public sealed record Trace(double[] Times, Dictionary<string, double[]> Values, IComponent Unit)
    {
        public double[] this[string name] => Values[name];
    }

    public static FmuArchive Open(int version, string model) => FmuArchive.Open(ExampleFmus.Path(version, model));

    /// <summary>The FMU if it is built, else the test is ignored (for example FMUs still being written).</summary>
    public static FmuArchive OpenOrIgnore(int version, string model)
    {
        try
        {
            return Open(version, model);
        }
        catch (FileNotFoundException e)
        {
            Assert.Ignore(e.Message);
            throw;
        }
    }

    public static FmuModelExchangeComponent MeUnit(int version, string model, SolverOptions options) =>
        new(Open(version, model), $"{model}{version}", NullLogSink.Instance, options);

    public static FmuCoSimulationComponent CsUnit(int version, string model) =>
        new(Open(version, model), $"{model}{version}cs", NullLogSink.Instance);

    /// <summary>
    /// Instantiate, initialize (with parameters from text), step to <paramref name="stop"/> by <paramref name="step"/>
    /// and record <paramref name="names"/>; <paramref name="before"/> runs before each step (e.g. to write inputs).
    /// Disposal is the caller's (the unit is returned in the trace).
    /// </summary>
    public static Trace Run(IComponent unit, double stop, double step, string[] names,
        Action<IComponent, double>? before = null, (string Name, string Value)[]? parameters = null, double? tolerance = null)
    {
        int Index(string n) => unit.Variables.First(v => v.Name == n).Index;
        unit.Instantiate();
        foreach (var (n, v) in parameters ?? []) unit.SetFromText(Index(n), v);
        unit.EnterInitialization(SimTime.Zero, SimTime.FromSeconds(stop), tolerance);
        unit.ExitInitialization();
        var accessor = unit.CreateAccessor(names.Select(Index).ToArray());
        var h = SimTime.FromSeconds(step);
        var steps = (int)Math.Round(stop / step);
        var times = new double[steps + 1];
        var values = names.ToDictionary(n => n, _ => new double[steps + 1]);
        var row = new double[names.Length];
        void Record(int k, SimTime t)
        {
            accessor.Read(row);
            times[k] = t.Seconds;
            for (var i = 0; i < names.Length; i++) values[names[i]][k] = row[i];
        }
        Record(0, SimTime.Zero);
        for (var k = 0; k < steps; k++)
        {
            var t = h * k;
            before?.Invoke(unit, t.Seconds);
            var result = unit.Step(t, h);
            result.Status.ShouldBe(StepStatus.Completed, $"step at t={t}");
            Record(k + 1, h * (k + 1));
        }
        unit.Terminate();
        return new Trace(times, values, unit);
    }
}
