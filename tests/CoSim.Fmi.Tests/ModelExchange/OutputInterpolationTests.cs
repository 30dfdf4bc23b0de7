using CoSim.Solvers;
using CoSim.TestSupport;
using static CoSim.Fmi.Tests.ModelExchange.ModelExchangeRun;

namespace CoSim.Fmi.Tests.ModelExchange;

/// <summary>
/// Outputs interpolated between free integrator steps (the default) against stopping the integrator at every
/// communication point (<see cref="SolverOptions.StopAtOutputs"/>, the behaviour before): both are compared with
/// the example models' independent references (fmus/*/reference.csv: closed forms, or scipy at tight tolerances),
/// on the references' own grids, with each model's default-experiment tolerance.
/// </summary>
public class OutputInterpolationTests
{
    private static IEnumerable<TestCaseData> Models()
    {
        foreach (var kind in new[] { SolverKind.Cvode, SolverKind.DormandPrince54 })
        {
            yield return new TestCaseData("VanDerPol", 20.0, 0.05, new[] { "x0", "x1" }, kind);
            yield return new TestCaseData("MassSpringDamper", 10.0, 0.05, new[] { "x1", "v1", "x2", "v2" }, kind);
            yield return new TestCaseData("Tank", 100.0, 0.5, new[] { "level", "outflow" }, kind);
            yield return new TestCaseData("BouncingBall", 3.0, 0.01, new[] { "h", "v" }, kind);
            yield return new TestCaseData("DiodeBridge", 0.2, 1e-4, new[] { "vC", "iOut" }, kind);
            yield return new TestCaseData("Pump", 1200.0, 4.0, new[] { "speed", "current", "flowRate", "pressure", "motorTemperature" }, kind);
        }
    }

    [TestCaseSource(nameof(Models))]
    public void Step_InterpolatedOutputs_AsCloseToTheReferenceAsStoppingAtEveryPointWithFewerDerivativeCalls(
        string model, double stop, double step, string[] names, SolverKind kind)
    {
        var reference = ResultCsv.Load(Path.Combine(ExampleFmus.SourceFolder(model), "reference.csv"));
        using var stopping = MeUnit(2, model, new SolverOptions { Kind = kind, StopAtOutputs = true });
        using var free = MeUnit(2, model, new SolverOptions { Kind = kind });
        var old = Run(stopping, stop, step, names);
        var now = Run(free, stop, step, names);
        var rtol = free.ModelDescription.DefaultExperiment!.Tolerance!.Value;
        double worstOld = 0, worstNew = 0, worstBetween = 0;
        foreach (var name in names)
        {
            var scale = Math.Max(old[name].Max(Math.Abs), 1e-300);
            for (var k = 0; k < old.Times.Length; k++)
            {
                var r = reference.At(name, old.Times[k]);
                worstOld = Math.Max(worstOld, Math.Abs(old[name][k] - r) / scale);
                worstNew = Math.Max(worstNew, Math.Abs(now[name][k] - r) / scale);
                worstBetween = Math.Max(worstBetween, Math.Abs(now[name][k] - old[name][k]) / scale);
            }
        }
        var (a, b) = (stopping.Statistics, free.Statistics);
        TestContext.Out.WriteLine($"{model} {kind} rtol {rtol:G}: max error / max |value|: stopping {worstOld:E2}, interpolating {worstNew:E2}, " +
                                  $"between them {worstBetween:E2}; f-evals {a.Integrator.FunctionEvaluations} -> {b.Integrator.FunctionEvaluations}, " +
                                  $"steps {a.Integrator.Steps} -> {b.Integrator.Steps}; state events {a.StateEvents} -> {b.StateEvents}");
        worstNew.ShouldBeLessThanOrEqualTo(2 * worstOld + 100 * rtol, "interpolated outputs as close to the reference as stopped ones");
        worstBetween.ShouldBeLessThanOrEqualTo(2 * worstOld + 100 * rtol, "interpolated and stopped outputs within the integrator's accuracy");
        b.Integrator.FunctionEvaluations.ShouldBeLessThanOrEqualTo(a.Integrator.FunctionEvaluations);
        b.StateEvents.ShouldBe(a.StateEvents, "every state event still located");
    }

    [TestCase(SolverKind.Cvode)]
    [TestCase(SolverKind.DormandPrince54)]
    public void Step_LongRunWithManyOutputPoints_FarFewerDerivativeCallsThanOutputPoints(SolverKind kind)
    {
        // The benchmark's long run (docs/performance.md): VanDerPol for 2000 s with 200,000 communication points.
        const double stop = 2000, step = 0.01;
        using var unit = MeUnit(2, "VanDerPol", new SolverOptions { Kind = kind });
        var trace = Run(unit, stop, step, ["x0", "x1"]);
        var points = trace.Times.Length - 1;
        var work = unit.Statistics.Integrator;
        TestContext.Out.WriteLine($"VanDerPol {kind}, {points} points: {unit.Statistics}");
        // Stopping at every point took at least one step and one derivative call per point (200,011 and 200,015).
        work.FunctionEvaluations.ShouldBeLessThan(points * 3 / 5);
        work.Steps.ShouldBeLessThan(points / 4);
        // Still the oscillator's solution: compare with the reference over its span (0..20 s).
        var reference = ResultCsv.Load(Path.Combine(ExampleFmus.SourceFolder("VanDerPol"), "reference.csv"));
        for (var k = 0; k <= 2000; k += 5)
            trace["x0"][k].ShouldBe(reference.At("x0", k * step), 1e-4, $"x0 at t = {k * step}");
    }
}
