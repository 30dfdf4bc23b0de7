using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// The fault example FMUs: a failing, discarding, crashing FMU or one without FMU state gives a
/// clear error naming instance, FMI function and time, with the rows up to the failure on disk.
/// </summary>
public class SimulateFaultTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-e2e-faults-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [TestCase(2, "fmi2DoStep")]
    [TestCase(3, "fmi3DoStep")]
    public void Simulate_FmuReturnsError_MessageNamesInstanceFunctionTimeAndFmuLog(int version, string function)
    {
        var output = Path.Combine(_dir, "out.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "FaultError"), "--output", output);
        run.ExitCode.ShouldBe(1, run.ToString());
        run.StdErr.ShouldContain($"error: component 'FaultError', {function}, at t=0.5 s: {function} returned Error: FaultError: simulated failure in doStep at t=0.5");
        run.StdErr.ShouldContain($"6 rows recorded up to the failure are in {output}");
        run.StdErr.ShouldNotContain("   at ");
        var rows = ResultCsv.Load(output);
        rows.Times.ShouldBe([0, 0.1, 0.2, 0.3, 0.4, 0.5], tolerance: 1e-12);
        rows.Values("x")[^1].ShouldBe(0.5, 1e-12);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_FmuDiscardsStep_ClearErrorWithPartialResults(int version)
    {
        var output = Path.Combine(_dir, "out.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "FaultDiscard"), "--set", "discardTime=0.35", "--output", output);
        run.ExitCode.ShouldBe(1, run.ToString());
        run.StdErr.ShouldContain("component 'FaultDiscard', doStep, at t=0.3 s: the component discarded the step");
        ResultCsv.Load(output).Times.ShouldBe([0, 0.1, 0.2, 0.3], tolerance: 1e-12);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_FmuDiscardsOnlyLargeSteps_SmallStepRunsThrough(int version)
    {
        var output = Path.Combine(_dir, "out.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "FaultDiscard"),
            "--set", "discardMaxStep=0.05", "--step", "0.05", "--output", output);
        run.ExitCode.ShouldBe(0, run.ToString());
        ResultCsv.Load(output).Values("x")[^1].ShouldBe(1.0, 1e-9);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_FmuCrashesAtTenthStep_OutputHoldsEveryRowBeforeTheCrash(int version)
    {
        var output = Path.Combine(_dir, "out.csv");
        // Default experiment: step 0.1 s, the 10th doStep (from t=0.9) writes through NULL. The whole run
        // takes far less than any time-based flush interval: only a write per row keeps these rows.
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "FaultCrash"), "--output", output);
        run.Crashed.ShouldBeTrue(run.ToString());
        var text = File.ReadAllText(output);
        text.ShouldStartWith("time,x\n");
        text.ShouldEndWith("\n"); // never half a row
        var rows = ResultCsv.Load(output);
        rows.Times.ShouldBe([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], tolerance: 1e-12);
        rows.Values("x").ShouldBe(rows.Times, tolerance: 1e-12); // x = time
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_FmuCrashesAfterManyRows_OutputHoldsEveryRowBeforeTheCrash(int version)
    {
        var output = Path.Combine(_dir, "out.csv");
        // crashStep 20000: rows t = 0 .. 19.999 were recorded before the 20000th doStep crashed; all are on disk.
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "FaultCrash"),
            "--set", "crashStep=20000", "--stop", "30", "--step", "0.001", "--output", output);
        run.Crashed.ShouldBeTrue(run.ToString());
        File.ReadAllText(output).ShouldEndWith("\n");
        var rows = ResultCsv.Load(output);
        rows.Rows.Count.ShouldBe(20000);
        rows.Rows.ShouldAllBe(r => r.Length == 2);
        for (var i = 0; i < rows.Rows.Count; i++) rows.Rows[i][1].ShouldBe(i * 0.001, 1e-9);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_FmuWithoutStateFunctions_RunsNormally(int version)
    {
        var output = Path.Combine(_dir, "out.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "NoState"), "--output", output);
        run.ExitCode.ShouldBe(0, run.ToString());
        ResultCsv.Load(output).Rows.Count.ShouldBeGreaterThan(1);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_MalformedModelDescription_ReportsProblemWithLine(int version)
    {
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "Malformed"));
        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdErr.ShouldMatch(@"Malformed\.fmu!/modelDescription\.xml:\d+: error: ");
        run.StdErr.ShouldNotContain("   at ");
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Validate_MalformedModelDescription_ExitsOne(int version)
    {
        var run = CosimProcess.Run(_dir, "validate", ExampleFmus.Path(version, "Malformed"));
        run.ExitCode.ShouldBe(1, run.ToString());
        run.StdOut.ShouldContain("cannot run");
    }
}
