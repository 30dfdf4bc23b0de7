using CoSim.Core;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;
using static CoSim.Fmi.Tests.ModelExchange.ModelExchangeRun;

namespace CoSim.Fmi.Tests.ModelExchange;

public class FmuModelExchangeComponentTests
{
    private const double G = 9.81, E = 0.7, H0 = 1.0, VMin = 0.01;

    /// <summary>Analytic impact times of the BouncingBall default parameters, up to (and including) the impact after which it rests.</summary>
    private static List<double> ImpactTimes()
    {
        var times = new List<double>();
        var w = Math.Sqrt(2 * G * H0);
        var t = w / G;
        while (true)
        {
            times.Add(t);
            w *= E;
            if (w < VMin) return times;
            t += 2 * w / G;
        }
    }

    public static IEnumerable<TestCaseData> BallCases()
    {
        foreach (var version in new[] { 2, 3 })
        {
            // CVODE needs an absolute tolerance below the default (rtol x nominal = 1e-8 m): the last
            // bounces are only micrometres high, and a height error of 1e-8 m per flight shifts those
            // impacts by up to 1.4e-5 s (measured). With 1e-10 m the worst error is 1.4e-7 s.
            yield return new TestCaseData(version, new SolverOptions { Kind = SolverKind.Cvode, AbsoluteTolerance = 1e-10 }).SetArgDisplayNames($"fmi{version}", "cvode-bdf");
            yield return new TestCaseData(version, new SolverOptions { Kind = SolverKind.Cvode, CvodeMethod = CvodeMethod.Adams, AbsoluteTolerance = 1e-10 }).SetArgDisplayNames($"fmi{version}", "cvode-adams");
            yield return new TestCaseData(version, new SolverOptions { Kind = SolverKind.DormandPrince54 }).SetArgDisplayNames($"fmi{version}", "dopri5");
        }
    }

    [TestCaseSource(nameof(BallCases))]
    public void Step_BouncingBall_ImpactTimesMatchAnalyticToAMicrosecond(int version, SolverOptions options)
    {
        using var unit = MeUnit(version, "BouncingBall", options);
        var events = new List<(double Time, double Height)>();
        var h = unit.Variables.First(v => v.Name == "h").Index;
        unit.EventOccurring += e =>
        {
            if (e.Kind == ModelExchangeEventKind.State) events.Add((e.Time, double.Parse(unit.GetAsText(h), System.Globalization.CultureInfo.InvariantCulture)));
        };
        var trace = Run(unit, 3, 0.01, ["h", "v", "impacts"]); // tolerance: the model's default experiment (1e-8)

        var expected = ImpactTimes();
        events.Count.ShouldBe(expected.Count);
        var worst = events.Zip(expected, (a, b) => Math.Abs(a.Time - b)).Max();
        var lowestAtEvent = events.Min(e => e.Height);
        var lowest = trace["h"].Min();
        TestContext.Out.WriteLine("impact time errors: " + string.Join(" ", events.Zip(expected, (a, b) => (a.Time - b).ToString("E1"))));
        TestContext.Out.WriteLine($"fmi{version} {unit.Statistics}; {events.Count} impacts, worst impact time error {worst:E2} s, " +
                                  $"lowest h at an event {lowestAtEvent:E2} m, lowest h at output points {lowest:E2} m");
        worst.ShouldBeLessThan(1e-6);
        lowestAtEvent.ShouldBeGreaterThan(-1e-8); // below ground only by the distance covered within the event tolerance
        lowest.ShouldBeGreaterThanOrEqualTo(0);
        trace["impacts"][^1].ShouldBe(expected.Count);
        trace["h"][^1].ShouldBe(0);
        trace["v"][^1].ShouldBe(0);
        unit.Statistics.StateEvents.ShouldBe(expected.Count);
    }

    [Test]
    public void Step_BouncingBallWithEuler_FindsEveryImpactRoughly()
    {
        using var unit = MeUnit(2, "BouncingBall", new SolverOptions { Kind = SolverKind.Euler, FixedStep = 1e-4 });
        var times = new List<double>();
        unit.EventOccurring += e => times.Add(e.Time);
        Run(unit, 1.2, 0.01, ["h"]);
        var expected = ImpactTimes().Where(t => t < 1.2).ToList();
        times.Count.ShouldBe(expected.Count);
        times.Zip(expected, (a, b) => Math.Abs(a - b)).Max().ShouldBeLessThan(2e-3);
        unit.Statistics.Integrator.Steps.ShouldBeGreaterThan(11_000);
    }

    [TestCase(SolverKind.Cvode)]
    [TestCase(SolverKind.DormandPrince54)]
    public void Step_BouncingBallFmi2AndFmi3_GiveTheSameResults(SolverKind kind)
    {
        var options = new SolverOptions { Kind = kind };
        using var two = MeUnit(2, "BouncingBall", options);
        using var three = MeUnit(3, "BouncingBall", options);
        var a = Run(two, 3, 0.01, ["h", "v"]);
        var b = Run(three, 3, 0.01, ["h", "v"]);
        for (var k = 0; k < a.Times.Length; k++)
        {
            a["h"][k].ShouldBe(b["h"][k], 1e-12);
            a["v"][k].ShouldBe(b["v"][k], 1e-12);
        }
        two.Statistics.Integrator.ShouldBe(three.Statistics.Integrator);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Step_TankWithCvode_MatchesCoSimulationAndReference(int version)
    {
        using var me = MeUnit(version, "Tank", new SolverOptions { Kind = SolverKind.Cvode, RelativeTolerance = 1e-8 });
        using var cs = CsUnit(version, "Tank");
        var a = Run(me, 100, 0.5, ["level", "outflow"]);
        var b = Run(cs, 100, 0.5, ["level", "outflow"]);
        var referencePath = ReferenceCsv("Tank");
        var reference = referencePath == null ? null : TestSupport.ResultCsv.Load(referencePath);
        double worstCs = 0, worstRef = 0;
        for (var k = 0; k < a.Times.Length; k++)
        {
            worstCs = Math.Max(worstCs, Math.Abs(a["level"][k] - b["level"][k]));
            if (reference != null) worstRef = Math.Max(worstRef, Math.Abs(a["level"][k] - reference.At("level", a.Times[k])));
        }
        TestContext.Out.WriteLine($"Tank fmi{version} ME {me.Statistics}; max |ME - CS| = {worstCs:E2} m, max |ME - reference| = {worstRef:E2} m");
        worstCs.ShouldBeLessThan(1e-6);
        worstRef.ShouldBeLessThan(1e-6);
    }

    /// <summary>An example model's reference CSV: beside this checkout's sources, or beside COSIM_FMU_DIR's (build/fmus -> fmus).</summary>
    private static string? ReferenceCsv(string model)
    {
        var local = Path.Combine(TestSupport.ExampleFmus.SourceFolder(model), "reference.csv");
        if (File.Exists(local)) return local;
        var beside = Path.GetFullPath(Path.Combine(TestSupport.ExampleFmus.Folder, "..", "..", "fmus", model, "reference.csv"));
        return File.Exists(beside) ? beside : null;
    }

    [Test]
    public void Step_TankValveClosedHalfway_InputEventRestartsTheIntegratorAndMatchesCoSimulation()
    {
        static void Valve(CoSim.Core.IComponent u, double t)
        {
            if (Math.Abs(t - 40) < 1e-9) u.SetFromText(u.Variables.First(v => v.Name == "valve").Index, "0");
        }
        using var me = MeUnit(2, "Tank", new SolverOptions { Kind = SolverKind.Cvode, RelativeTolerance = 1e-8 });
        using var cs = CsUnit(2, "Tank");
        var a = Run(me, 80, 0.5, ["level"], Valve);
        var b = Run(cs, 80, 0.5, ["level"], Valve);
        me.Statistics.InputEvents.ShouldBe(1);
        // 2e-6 m: the tank runs empty, where the outflow k*sqrt(h) has an unbounded derivative; the integrator's free
        // steps (outputs interpolated) meet that kink with longer steps than when it stopped every 0.5 s: 1.05e-6 m measured.
        for (var k = 0; k < a.Times.Length; k++) a["level"][k].ShouldBe(b["level"][k], 2e-6);
        a["level"][^1].ShouldBeLessThan(a["level"][80]); // draining after t = 40
    }

    [Test]
    public void Step_TankFmi2AndFmi3WithCvode_GiveTheSameResults()
    {
        var options = new SolverOptions { Kind = SolverKind.Cvode };
        using var two = MeUnit(2, "Tank", options);
        using var three = MeUnit(3, "Tank", options);
        var a = Run(two, 100, 0.1, ["level", "outflow"]);
        var b = Run(three, 100, 0.1, ["level", "outflow"]);
        for (var k = 0; k < a.Times.Length; k++) a["level"][k].ShouldBe(b["level"][k], 1e-12);
    }

    [Test]
    public void Constructor_FmuWithoutTheSolverLibraryKind_ValidatesOptions()
    {
        Should.Throw<ArgumentException>(() => MeUnit(2, "Tank", new SolverOptions { MaxStep = 0 }));
    }

    [Test]
    public void Step_BeforeInitialization_Throws()
    {
        using var unit = MeUnit(2, "Tank", new SolverOptions());
        unit.Instantiate();
        Should.Throw<InvalidOperationException>(() => unit.Step(SimTime.Zero, SimTime.FromSeconds(1)));
    }
}
