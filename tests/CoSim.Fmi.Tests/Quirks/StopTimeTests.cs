using CoSim.Core;
using CoSim.Fmi.CoSimulation;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;
using CoSim.TestSupport;
using static CoSim.Fmi.Tests.ModelExchange.ModelExchangeRun;

namespace CoSim.Fmi.Tests.Quirks;

/// <summary>
/// Issue 21, point 0: co-simulation FMUs are told no stop time unless asked (OpenModelica 1.13 FMUs told one
/// integrate to it in their first doStep), and the CS and ME interfaces of the example FMUs agree.
/// </summary>
public class StopTimeTests
{
    [TestCase(2)]
    [TestCase(3)]
    public void Step_CoSimulationByDefault_FmuIsNotToldTheStopTimeAndYEqualsTime(int version)
    {
        using var unit = new FmuCoSimulationComponent(OpenOrIgnore(version, "QuirkStopTimeJump"), "clock", NullLogSink.Instance);
        var trace = Run(unit, 0.5, 0.1, ["y"]);
        for (var k = 0; k < trace.Times.Length; k++) trace["y"][k].ShouldBe(trace.Times[k], 1e-12);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Step_TellStopTime_QuirkFmuJumpsToTheStopTime(int version)
    {
        // What the option exposes the user to: y = 0.5 from the first communication point on.
        using var unit = new FmuCoSimulationComponent(OpenOrIgnore(version, "QuirkStopTimeJump"), "clock", NullLogSink.Instance) { TellStopTime = true };
        var trace = Run(unit, 0.5, 0.1, ["y"]);
        trace["y"][1].ShouldBe(0.5, 1e-12);
        trace["y"][^1].ShouldBe(0.5, 1e-12);
    }

    /// <summary>Example and quirk FMUs without inputs that must be set, faults or deliberate breakage.</summary>
    private static readonly string[] BothInterfaces =
    [
        "Tank", "BouncingBall", "Pump", "MassSpringDamper", "DualMassOscillator", "Robertson", "DiodeBridge", "NoState",
        "QuirkWarning", "QuirkLogCategory", "QuirkEventEveryStep", "QuirkStopTimeJump", "QuirkLatchedRelations",
    ];

    public static IEnumerable<TestCaseData> AgreementCases() =>
        from version in new[] { 2, 3 } from model in BothInterfaces select new TestCaseData(version, model).SetArgDisplayNames($"fmi{version}", model);

    [TestCaseSource(nameof(AgreementCases))]
    public void Step_CoSimulationAndModelExchange_SameOutputsAtEveryCommunicationPoint(int version, string model)
    {
        var archive = OpenOrIgnore(version, model);
        var experiment = archive.Model.DefaultExperiment!;
        double stop = experiment.StopTime!.Value, step = experiment.StepSize!.Value;
        using var cs = new FmuCoSimulationComponent(archive, "cs", NullLogSink.Instance);
        using var me = new FmuModelExchangeComponent(Open(version, model), "me", NullLogSink.Instance,
            new SolverOptions { Kind = SolverKind.Cvode, RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-12 });
        var outputs = cs.Variables.Where(v => v.Role == VariableRole.Output && v.Kind == ValueKind.Real).Select(v => v.Name).ToArray();
        var a = Run(cs, stop, step, outputs);
        var b = Run(me, stop, step, outputs);
        foreach (var name in outputs)
        {
            var range = Math.Max(a[name].Max() - a[name].Min(), 1e-300);
            var worst = a[name].Zip(b[name], (x, y) => Math.Abs(x - y)).Max();
            TestContext.Out.WriteLine($"{model} {name}: max |cs - me| = {worst:E2} of range {range:E2}");
            worst.ShouldBeLessThan(1e-4 * range, $"{model}.{name}");
        }
    }
}
