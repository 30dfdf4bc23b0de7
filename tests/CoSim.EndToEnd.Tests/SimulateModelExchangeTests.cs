using System.Globalization;
using System.Text.RegularExpressions;
using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>`cosim simulate --interface me`: CoSim integrates the FMU's equations itself.</summary>
public class SimulateModelExchangeTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-e2e-me-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private (CosimResult Run, ResultCsv Result) Simulate(int version, string model, params string[] extra)
    {
        var output = Path.Combine(_dir, $"{model}{version}.csv");
        var run = CosimProcess.Run(_dir, ["simulate", ExampleFmus.Path(version, model), "--interface", "me", "--output", output, .. extra]);
        run.ExitCode.ShouldBe(0, run.ToString());
        return (run, ResultCsv.Load(output));
    }

    [TestCase(2, "Tank", "cvode", 1e-5)]
    [TestCase(3, "Tank", "dopri5", 1e-5)]
    [TestCase(2, "MassSpringDamper", "cvode", 1e-5)]
    [TestCase(3, "MassSpringDamper", "dopri5", 1e-5)]
    [TestCase(3, "BouncingBall", "cvode", 1e-5)]
    [TestCase(2, "BouncingBall", "dopri5", 1e-5)]
    [TestCase(2, "PIController", "cvode", 1e-12)] // time events at communication points: post-event values, as in CS
    [TestCase(3, "PIController", "dopri5", 1e-12)]
    [TestCase(3, "Pump", "cvode", 1e-3)]
    public void Simulate_ModelExchange_MatchesReference(int version, string model, string solver, double tolerance)
    {
        var (run, result) = Simulate(version, model, "--solver", solver, "--tolerance", "1e-9", "--abs-tolerance", "1e-11");
        run.StdOut.ShouldContain("model exchange");
        var reference = ResultCsv.Load(Path.Combine(ExampleFmus.SourceFolder(model), "reference.csv"));
        foreach (var column in reference.Columns.Skip(1))
            foreach (var row in reference.Rows)
                result.At(column, row[0]).ShouldBe(row[reference.Column(column)], tolerance, $"{model}.{column} at t={row[0]} ({solver})");
    }

    private static long Steps(CosimResult run) =>
        long.Parse(Regex.Match(run.StdOut, @"integrator: [\w-]+: (\d+) steps").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void Simulate_StiffRobertsonToT400_CvodeNeedsOrdersOfMagnitudeFewerSteps()
    {
        // Past the fast transient the explicit method's step stays stability-bound (~1e-3 s)
        // while BDF's grows with the solution's time scale: the gap widens with the horizon.
        var (cvodeRun, _) = Simulate(3, "Robertson", "--solver", "cvode", "--stop", "400", "--step", "1");
        var (dopriRun, dopri) = Simulate(3, "Robertson", "--solver", "dopri5", "--stop", "400", "--step", "1");
        var y = dopri.Rows[^1];
        (y[1] + y[2] + y[3]).ShouldBe(1.0, 1e-6); // mass conservation
        Steps(dopriRun).ShouldBeGreaterThan(100 * Steps(cvodeRun));
    }

    [Test]
    public void Simulate_StiffRobertson_CvodeNeedsFarFewerStepsThanDopri5()
    {
        var (cvodeRun, cvode) = Simulate(2, "Robertson", "--solver", "cvode");
        var (dopriRun, dopri) = Simulate(2, "Robertson", "--solver", "dopri5");
        foreach (var r in new[] { cvode, dopri })
        {
            r.Values("y1")[^1].ShouldBe(0.7158, 1e-4);
            r.Values("y3")[^1].ShouldBe(0.2842, 1e-4);
        }
        var cvodeSteps = Steps(cvodeRun);
        var dopriSteps = Steps(dopriRun);
        cvodeSteps.ShouldBeLessThan(2000);
        dopriSteps.ShouldBeGreaterThan(20 * cvodeSteps);
    }

    [TestCase(2, "fmi2SetTime")]
    [TestCase(3, "fmi3SetTime")]
    public void Simulate_FmuReturnsErrorInModelExchange_MessageCarriesFmuLogAndRowsKept(int version, string function)
    {
        var output = Path.Combine(_dir, "fault.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "FaultError"), "--interface", "me", "--output", output);
        run.ExitCode.ShouldBe(1, run.ToString());
        // SetTime fails from errorTime = 0.5 s on. The integrator steps freely past communication points (outputs are
        // interpolated), so it meets the failure at a trial time of its own, in the step that contains it or earlier:
        // the message names that time, and the rows before that step are kept.
        var failure = Regex.Match(run.StdErr, $@"component 'FaultError', {function}, at t=([0-9.]+) s: {function} returned Error: FaultError: simulated failure in SetTime at t=([0-9.]+)");
        failure.Success.ShouldBeTrue(run.StdErr);
        double.Parse(failure.Groups[1].Value, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(0.5);
        var kept = ResultCsv.Load(output).Times;
        kept[^1].ShouldBeInRange(0.1, 0.4 + 1e-12);
        kept.Length.ShouldBe((int)Math.Round(kept[^1] / 0.1) + 1);
    }

    [Test]
    public void Simulate_SolverOptionWithCoSimulation_ClearError()
    {
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--solver", "euler");
        run.ExitCode.ShouldBe(2);
        run.StdErr.ShouldContain("apply to model exchange");
    }
}
