using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;
using CoSim.TestSupport;
using static CoSim.Fmi.Tests.ModelExchange.ModelExchangeRun;

namespace CoSim.Fmi.Tests.ModelExchange;

/// <summary>
/// Event handling of model-exchange components (issue 8, 5a and 5b): step events that change nothing must
/// not restart the integrator; switching circuits must match an independent piecewise-exact reference.
/// </summary>
public class EventHandlingTests
{
    private static readonly string[] MsdOutputs = ["x1", "v1", "x2", "v2"];

    public static IEnumerable<TestCaseData> QuirkCases()
    {
        foreach (var version in new[] { 2, 3 })
        {
            yield return new TestCaseData(version, new SolverOptions { Kind = SolverKind.Cvode }).SetArgDisplayNames($"fmi{version}", "cvode-bdf");
            yield return new TestCaseData(version, new SolverOptions { Kind = SolverKind.DormandPrince54 }).SetArgDisplayNames($"fmi{version}", "dopri5");
        }
    }

    [TestCaseSource(nameof(QuirkCases))]
    public void Step_FmuAsksForEventModeAfterEveryStep_SameStepsAndResultsAsWithoutTheRequest(int version, SolverOptions options)
    {
        // The quirk needs fmi*CompletedIntegratorStep, so its integrator stops at every communication point: compare
        // with the plain model stopping there too (it otherwise steps freely and interpolates, with fewer steps).
        using var plain = MeUnit(version, "MassSpringDamper", options with { StopAtOutputs = true });
        using var quirk = MeUnit(version, "QuirkEventEveryStep", options);
        var a = Run(plain, 10, 0.01, MsdOutputs); // tolerance: the models' default experiment (1e-8)
        var b = Run(quirk, 10, 0.01, MsdOutputs);

        var p = plain.Statistics;
        var q = quirk.Statistics;
        TestContext.Out.WriteLine($"fmi{version} MassSpringDamper    {p}");
        TestContext.Out.WriteLine($"fmi{version} QuirkEventEveryStep {q}");
        q.StepEvents.ShouldBe(q.Integrator.Steps); // the quirk asked after every step ...
        q.Restarts.ShouldBe(0);                     // ... and nothing changed, so the integrator went on
        q.Integrator.Steps.ShouldBeLessThanOrEqualTo(p.Integrator.Steps + p.Integrator.Steps / 10);
        double worst = 0;
        foreach (var name in MsdOutputs)
            for (var k = 0; k < a.Times.Length; k++)
                worst = Math.Max(worst, Math.Abs(a[name][k] - b[name][k]));
        TestContext.Out.WriteLine($"max |quirk - plain| = {worst:E2}");
        worst.ShouldBeLessThan(1e-9);
    }

    [Test]
    public void Step_BouncingBallImpacts_StillRestartTheIntegrator()
    {
        // The counterpart: events that re-initialize states must restart (state events always do).
        using var unit = MeUnit(3, "BouncingBall", new SolverOptions { Kind = SolverKind.Cvode });
        Run(unit, 3, 0.01, ["h"]);
        unit.Statistics.Restarts.ShouldBe(unit.Statistics.StateEvents);
        unit.Statistics.StateEvents.ShouldBe(18);
    }

    public static IEnumerable<TestCaseData> BridgeCases()
    {
        foreach (var version in new[] { 2, 3 })
        {
            yield return new TestCaseData(version, new SolverOptions { Kind = SolverKind.Cvode, AbsoluteTolerance = 1e-10 }).SetArgDisplayNames($"fmi{version}", "cvode-bdf");
            yield return new TestCaseData(version, new SolverOptions { Kind = SolverKind.Cvode, CvodeMethod = CvodeMethod.Adams, AbsoluteTolerance = 1e-10 }).SetArgDisplayNames($"fmi{version}", "cvode-adams");
            yield return new TestCaseData(version, new SolverOptions { Kind = SolverKind.DormandPrince54, AbsoluteTolerance = 1e-10 }).SetArgDisplayNames($"fmi{version}", "dopri5");
        }
    }

    [TestCaseSource(nameof(BridgeCases))]
    public void Step_DiodeBridge_MatchesPiecewiseExactReferenceThroughEverySwitching(int version, SolverOptions options)
    {
        using var unit = MeUnit(version, "DiodeBridge", options);
        var switchTimes = new List<double>();
        unit.EventOccurring += e =>
        {
            if (e.Kind == ModelExchangeEventKind.State) switchTimes.Add(e.Time);
        };
        var trace = Run(unit, 0.2, 1e-4, ["vC", "iOut", "iS", "switches"], tolerance: 1e-9);
        var reference = ResultCsv.Load(Path.Combine(ExampleFmus.SourceFolder("DiodeBridge"), "reference.csv"));

        double worstV = 0, worstI = 0;
        for (var k = 0; k < trace.Times.Length; k++)
        {
            var t = trace.Times[k];
            worstV = Math.Max(worstV, Math.Abs(trace["vC"][k] - reference.At("vC", t)));
            worstI = Math.Max(worstI, Math.Abs(trace["iOut"][k] - reference.At("iOut", t)));
            Math.Abs(trace["iS"][k]).ShouldBe(trace["iOut"][k], 1e-12); // the bridge rectifies the source current
        }
        TestContext.Out.WriteLine($"fmi{version} {unit.Statistics}; {switchTimes.Count} switching instants, " +
                                  $"max |vC - ref| = {worstV:E2} V, max |iOut - ref| = {worstI:E2} A");
        // 40 pair switchings in 0.2 s (the first just after t = 0): each switches two diodes at one instant.
        switchTimes.Count.ShouldBe(40);
        trace["switches"][^1].ShouldBe(80);
        worstV.ShouldBeLessThan(1e-5); // of ~9.5 V
        worstI.ShouldBeLessThan(1e-4); // of ~5 A peaks
    }
}
