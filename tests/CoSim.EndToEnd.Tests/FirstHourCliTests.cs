using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>What a new user met in the first hour on the command line (issue 22): recording globs, script lines in errors, warning summaries.</summary>
public class FirstHourCliTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("cosim-first-hour-cli-").FullName;
        File.Copy(ExampleFmus.Path(2, "BouncingBall"), Path.Combine(_dir, "ball.fmu"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Simulate_RecordEverythingWithReport_TimeOnceAndTheReportWritten()
    {
        var run = CosimProcess.Run(_dir, "simulate", "ball.fmu", "--record", "*", "-o", "all.csv", "--report", "all.html");

        run.ExitCode.ShouldBe(0, run.ToString());
        var header = File.ReadLines(Path.Combine(_dir, "all.csv")).First().Split(',');
        header.Count(c => c == "time").ShouldBe(1, string.Join(",", header));
        run.StdErr.ShouldNotContain("report not written");
        File.Exists(Path.Combine(_dir, "all.html")).ShouldBeTrue(run.ToString());
        CosimProcess.Run(_dir, "plot", "all.csv", "-o", "all.svg").ExitCode.ShouldBe(0);
    }

    [Test]
    public void Run_MisspelledNames_EachProblemWithItsScriptLine()
    {
        File.WriteAllText(Path.Combine(_dir, "names.csx"), """
            var ball = Fmu("ball.fmu");
            Set("ball.gg", 1);
            Record("ball.hh*");
            Assert.StaysWithin("ball.hx", 0, 1).Named("height");
            """);

        var run = CosimProcess.Run(_dir, "run", "names.csx");

        run.ExitCode.ShouldBe(2, run.ToString());
        var script = Path.Combine(_dir, "names.csx");
        run.StdErr.ShouldContain($"{script}:2: parameter ball.gg: component 'ball' has no variable 'gg'", Case.Sensitive, run.ToString());
        run.StdErr.ShouldContain($"{script}:3: recording pattern 'ball.hh*'", Case.Sensitive, run.ToString());
        run.StdErr.ShouldContain($"{script}:4: assertion 'height': component 'ball' has no variable 'hx'", Case.Sensitive, run.ToString());
    }

    [Test]
    public void Run_MissingFmu_ScriptLineAndTheCloseFileName()
    {
        File.WriteAllText(Path.Combine(_dir, "missing.csx"), """
            Stop = 1;
            var ball = Fmu("bal.fmu");
            """);

        var run = CosimProcess.Run(_dir, "run", "missing.csx");

        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdErr.Trim().Split('\n').Length.ShouldBe(1, run.ToString());
        run.StdErr.ShouldContain($"{Path.Combine(_dir, "missing.csx")}:2: error: Fmu(\"bal.fmu\"): no such file {Path.Combine(_dir, "bal.fmu")}; did you mean 'ball.fmu'?", Case.Sensitive, run.ToString());
    }

    [Test]
    public void Run_ManyUnconnectedInputs_OneSummaryLineAndAllWithVerbose()
    {
        // Five Feedthrough FMUs and the ball: five inputs nobody drives.
        var feed = ExampleFmus.Path(2, "Feedthrough").Replace("\\", "/");
        File.WriteAllText(Path.Combine(_dir, "feeds.csx"), $$"""
            Fmu("ball.fmu");
            for (var i = 1; i <= 5; i++) Fmu("{{feed}}", $"F{i}");
            Stop = 0.1;
            """);

        var quiet = CosimProcess.Run(_dir, "run", "feeds.csx");
        var verbose = CosimProcess.Run(_dir, "run", "feeds.csx", "--verbose");

        quiet.ExitCode.ShouldBe(0, quiet.ToString());
        quiet.StdErr.Split('\n').Count(l => l.Contains("not connected")).ShouldBe(1, quiet.ToString());
        quiet.StdErr.ShouldContain("5 inputs are not connected and keep their start values: F1.u, F2.u, F3.u, ... (--verbose lists them all)");
        verbose.StdErr.Split('\n').Count(l => l.Contains("is not connected; it keeps its start value")).ShouldBe(5, verbose.ToString());
    }
}
