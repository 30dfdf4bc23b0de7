using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>Bad input gets one clear message with its place, a non-zero exit code and no stack trace.</summary>
public class SimulateErrorTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-e2e-errors-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static void ShouldBeCleanError(CosimResult run, int exitCode, params string[] fragments)
    {
        run.ExitCode.ShouldBe(exitCode, run.ToString());
        foreach (var f in fragments) run.StdErr.ShouldContain(f, Case.Sensitive, run.ToString());
        run.StdErr.ShouldNotContain("   at ", Case.Sensitive, "no stack trace for a user error");
        run.StdErr.ShouldNotContain("Unhandled exception");
    }

    [Test]
    public void Simulate_UnknownSetName_NamesVariableAndSuggests()
    {
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--set", "aera=1");
        ShouldBeCleanError(run, 2, "parameter Tank.aera: component 'Tank' has no variable 'aera'", "did you mean 'area'");
    }

    [Test]
    public void Simulate_SetValueOfWrongType_ClearError()
    {
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(3, "Tank"), "--set", "area=wide");
        ShouldBeCleanError(run, 2, "'wide' is not a valid Float64 value for 'area'");
    }

    [Test]
    public void Simulate_SetOutput_Refused()
    {
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--set", "level=1");
        ShouldBeCleanError(run, 2, "parameter Tank.level: it is an output");
    }

    [Test]
    public void Simulate_BadInputCsvRow_NamesFileLineAndColumn()
    {
        var input = Path.Combine(_dir, "in.csv");
        File.WriteAllText(input, "time,valve\n0,0.5\n1,0.x\n");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--input", input);
        ShouldBeCleanError(run, 2, $"{input}:3:3: column 'valve': '0.x' is not a number");
    }

    [Test]
    public void Simulate_InputColumnIsNotAnInput_ClearError()
    {
        var input = Path.Combine(_dir, "in.csv");
        File.WriteAllText(input, "time,level,nosuch\n0,0.5,1\n");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--input", input);
        ShouldBeCleanError(run, 2, "column 'level' is an output", "column 'nosuch' is not a variable of 'Tank'");
    }

    [Test]
    public void Simulate_MissingFmu_ClearError()
    {
        var run = CosimProcess.Run(_dir, "simulate", Path.Combine(_dir, "nope.fmu"));
        ShouldBeCleanError(run, 2, "nope.fmu: no such file");
    }

    [Test]
    public void Simulate_NotAnFmu_ClearError()
    {
        var path = Path.Combine(_dir, "text.fmu");
        File.WriteAllText(path, "hello");
        var run = CosimProcess.Run(_dir, "simulate", path);
        ShouldBeCleanError(run, 2, "not a zip archive");
    }

    [Test]
    public void Simulate_StopBeforeStart_ClearError()
    {
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--start", "5", "--stop", "1");
        ShouldBeCleanError(run, 2, "stop time 1 must be after start time 5");
    }

    [Test]
    public void Simulate_RecordGlobMatchingNothing_ClearError()
    {
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--record", "pressure*");
        ShouldBeCleanError(run, 2, "recording pattern 'pressure*' matches no variable of 'Tank'");
    }

    [Test]
    public void Help_Simulate_ExplainsOptions()
    {
        var run = CosimProcess.Run(_dir, "simulate", "--help");
        run.ExitCode.ShouldBe(0);
        foreach (var option in new[] { "--interface", "--start", "--stop", "--step", "--input", "--output", "--set", "--record" })
            run.StdOut.ShouldContain(option);
    }
}
