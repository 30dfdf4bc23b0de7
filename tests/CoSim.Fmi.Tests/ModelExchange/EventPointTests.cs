using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;
using CoSim.TestSupport;
using static CoSim.Fmi.Tests.ModelExchange.ModelExchangeRun;

namespace CoSim.Fmi.Tests.ModelExchange;

/// <summary>
/// Issue 21, point 1: an FMU decides an event from the event indicators it computed last (MapleSim latches its
/// relations in fmi2GetEventIndicators), so the importer must evaluate them at the event point before event mode.
/// Before the fix the integrator's root finding left a trial point before the crossing as the last evaluation:
/// switchings were missed or came late (Rectifier 5 % off, 20 % at tolerance 1e-8).
/// </summary>
public class EventPointTests
{
    public static IEnumerable<TestCaseData> SolverCases()
    {
        foreach (var version in new[] { 2, 3 })
            foreach (var (name, options) in Solvers())
                yield return new TestCaseData(version, options).SetArgDisplayNames($"fmi{version}", name);
    }

    private static IEnumerable<(string, SolverOptions)> Solvers()
    {
        yield return ("cvode-bdf", new SolverOptions { Kind = SolverKind.Cvode });
        yield return ("cvode-adams", new SolverOptions { Kind = SolverKind.Cvode, CvodeMethod = CvodeMethod.Adams });
        yield return ("dopri5", new SolverOptions { Kind = SolverKind.DormandPrince54 });
    }

    [TestCaseSource(nameof(SolverCases))]
    public void Step_FmuDecidesEventsOnItsLastIndicators_MatchesDiodeBridgeExactReference(int version, SolverOptions options)
    {
        using var unit = new FmuModelExchangeComponent(OpenOrIgnore(version, "QuirkLatchedRelations"), "latched", NullLogSink.Instance, options);
        var trace = Run(unit, 0.2, 1e-4, ["vC", "iOut", "switches"], tolerance: 1e-9);
        var reference = ResultCsv.Load(Path.Combine(ExampleFmus.SourceFolder("DiodeBridge"), "reference.csv"));
        double worstV = 0;
        for (var k = 0; k < trace.Times.Length; k++)
            worstV = Math.Max(worstV, Math.Abs(trace["vC"][k] - reference.At("vC", trace.Times[k])));
        TestContext.Out.WriteLine($"fmi{version} {unit.Statistics}; max |vC - exact| = {worstV:E2} V");
        trace["switches"][^1].ShouldBe(80); // 40 pair switchings, as DiodeBridge
        worstV.ShouldBeLessThan(1e-5); // of ~9.5 V
    }

    public static IEnumerable<TestCaseData> RectifierCases() =>
        Solvers().Select(s => new TestCaseData(s.Item2).SetArgDisplayNames(s.Item1));

    /// <summary>The MapleSim 2023 Rectifier (third-party test data beside the repository) against the exporter's reference, at its default tolerance.</summary>
    [TestCaseSource(nameof(RectifierCases))]
    public void Step_MapleSimRectifier_MatchesExporterReferenceWithinATenthOfAPercent(SolverOptions options)
    {
        var folder = Path.Combine(ExampleFmus.RepoRoot, "..", "shared", "data", "third-party", "maplesim-2023-rectifier-me");
        var fmu = Path.Combine(folder, "Rectifier.fmu");
        if (!File.Exists(fmu)) Assert.Ignore($"third-party test data not found: {Path.GetFullPath(fmu)} (see issue 21)");
        using var unit = new FmuModelExchangeComponent(FmuArchive.Open(fmu), "Rectifier", NullLogSink.Instance, options);
        var trace = Run(unit, 0.1, 1e-5, ["outputs"]); // fine output grid: the reference's points fall between ours
        var reference = ResultCsv.Load(Path.Combine(folder, "Rectifier_ref.csv"));
        double worst = 0, at = 0;
        foreach (var row in reference.Rows)
        {
            var k = Math.Min((int)(row[0] / 1e-5), trace.Times.Length - 2);
            var w = (row[0] - trace.Times[k]) / (trace.Times[k + 1] - trace.Times[k]);
            var simulated = trace["outputs"][k] + w * (trace["outputs"][k + 1] - trace["outputs"][k]);
            var error = Math.Abs(simulated - row[1]) / Math.Abs(row[1]);
            if (error > worst) (worst, at) = (error, row[0]);
        }
        TestContext.Out.WriteLine($"{unit.Statistics}; worst relative error {worst:E2} at t={at}");
        worst.ShouldBeLessThan(1e-3);
    }
}
