using System.Globalization;
using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// Every front end runs through one run session: an option declared once (<c>--max-wall-time</c>) works in
/// <c>simulate</c>, <c>run SYSTEM</c>, <c>run SCRIPT.csx</c> and <c>test</c>; the run's defaults survive
/// what the command line adds (plugins, a shadow comparison); help texts come from what each command accepts.
/// </summary>
public class RunSessionCliTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-session-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private CosimResult Cosim(params string[] args) => CosimProcess.Run(_dir, args);

    // A real-time run of 1000 s: only the budget can end it within the test's time.
    private static readonly string[] Slow = ["--stop", "1000", "--real-time", "1", "--max-wall-time", "2"];

    private static void ShouldHaveStoppedOnBudget(CosimResult r, string result)
    {
        r.ExitCode.ShouldBe(1, r.ToString());
        r.StdErr.ShouldContain("wall-clock budget of 2 s (--max-wall-time) spent");
        var csv = ResultCsv.Load(result);
        csv.Times.Length.ShouldBeGreaterThanOrEqualTo(1, "the rows up to the stop are on disk (on a loaded machine, maybe only the initial values)");
        csv.Times[^1].ShouldBeLessThan(100);
    }

    [Test]
    public void Simulate_MaxWallTimeSpent_StopsKeepsRowsAndExits1()
    {
        var r = Cosim(["simulate", ExampleFmus.Path(2, "Tank"), "--step", "0.1", .. Slow, "-o", "tank.csv"]);
        ShouldHaveStoppedOnBudget(r, Path.Combine(_dir, "tank.csv"));
        File.ReadAllText(Path.Combine(_dir, "tank.csv.provenance.json")).ShouldContain("\"outcome\": \"failed\"");
    }

    [Test]
    public void RunSystem_MaxWallTimeSpent_StopsKeepsRowsAndExits1()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", _dir);
        var r = Cosim(["run", ssp, "--step", "0.1", .. Slow, "-o", "loop.csv"]);
        ShouldHaveStoppedOnBudget(r, Path.Combine(_dir, "loop.csv"));
    }

    [Test]
    public void RunScript_MaxWallTimeSpent_StopsKeepsRowsAndExits1()
    {
        File.WriteAllText(Path.Combine(_dir, "slow.csx"), Script("Record(\"Tank.level\");"));
        var r = Cosim(["run", "slow.csx", .. Slow, "-o", "slow.csv"]);
        ShouldHaveStoppedOnBudget(r, Path.Combine(_dir, "slow.csv"));
    }

    [Test]
    public void Test_MaxWallTimeSpent_ScenarioErrorsWithTheReason()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "set"));
        File.WriteAllText(Path.Combine(_dir, "set", "slow.csx"), Script("Assert.StaysWithin(tank[\"level\"], 0, 5);"));
        var r = Cosim(["test", "set", "--results", "out", .. Slow]);
        r.ExitCode.ShouldBe(1, r.ToString());
        r.StdOut.ShouldContain("ERROR slow");
        r.StdOut.ShouldContain("wall-clock budget of 2 s (--max-wall-time) spent");
        ResultCsv.Load(Path.Combine(_dir, "out", "slow.csv")).Times[^1].ShouldBeLessThan(100);
    }

    [Test]
    public void Simulate_MaxWallTimeNotPositive_BadInputExit2()
    {
        var r = Cosim("simulate", ExampleFmus.Path(2, "Tank"), "--max-wall-time", "0");
        r.ExitCode.ShouldBe(2, r.ToString());
        r.StdErr.Trim().ShouldBe("error: --max-wall-time 0: must be a positive number of seconds");
    }

    /// <summary>Issue 22 point 3: a plugin beside the FMU used to turn the run into a system without the FMU's default experiment (0..1 s in 500 steps).</summary>
    [Test]
    public void Simulate_WithPlugin_KeepsTheFmusDefaultExperiment()
    {
        var r = Cosim("simulate", ExampleFmus.Path(2, "BouncingBall"), "--plugin", ExamplePlugins.Path("CoSim.Plugins.TestPlugin") + ":Oscillator=Osc", "-o", "ball.csv");

        r.ExitCode.ShouldBe(0, r.ToString());
        var csv = ResultCsv.Load(Path.Combine(_dir, "ball.csv"));
        csv.Times[^1].ShouldBe(3, "BouncingBall's default experiment stops at 3 s");
        (csv.Times[1] - csv.Times[0]).ShouldBe(0.01, 1e-12, "and steps at 0.01 s");
    }

    /// <summary>Issue 30 point 2: a replayed run defaults to the file's span and the FMU's step, also with a shadow comparison beside it.</summary>
    [Test]
    public void Simulate_ReplayWithShadow_FileSpanAndTheFmusStep()
    {
        WriteHistorian(21);
        var r = Cosim("simulate", ExampleFmus.Path(2, "Pump"), "--replay", "h.csv", "--replay-map", "Voltage=voltage", "--shadow", "flowRate=Flow",
            "--shadow-fit-rows", "5", "-o", "out.csv");

        r.ExitCode.ShouldBe(0, r.ToString());
        var csv = ResultCsv.Load(Path.Combine(_dir, "out.csv"));
        csv.Times[^1].ShouldBe(20, "the file's last record");
        (csv.Times[1] - csv.Times[0]).ShouldBe(1, "the Pump's default step");
        r.StdOut.ShouldMatch(@"shadow Pump\.flowRate vs 'Flow': 1\d points");
        r.StdOut.ShouldContain("replay h.csv: 21 rows");
    }

    /// <summary>Issue 30 point 2: a shadow comparison that compared nothing (the run ended inside the fitting rows) is an error, not a pass.</summary>
    [Test]
    public void Simulate_ShadowComparedNoPoint_FailsExit1()
    {
        WriteHistorian(21);
        var r = Cosim("simulate", ExampleFmus.Path(2, "Pump"), "--replay", "h.csv", "--replay-map", "Voltage=voltage", "--shadow", "flowRate=Flow",
            "--shadow-fit-rows", "10", "--stop", "5", "-o", "out.csv");

        r.ExitCode.ShouldBe(1, r.ToString());
        r.StdErr.Trim().Split('\n')[^1].ShouldStartWith("error: shadow: compared 0 points with the measured data after the first 10 (fitting) rows");
        ResultCsv.Load(Path.Combine(_dir, "out.csv")).Times[^1].ShouldBe(5, "the results stay on disk");
    }

    /// <summary>Issue 22 point 6: the help of run says what a script takes, from the same list the check uses.</summary>
    [Test]
    public void RunHelp_ScriptOptionsListedFromWhatTheScriptAccepts()
    {
        var r = Cosim("run", "--help");

        r.ExitCode.ShouldBe(0, r.ToString());
        var help = string.Join(" ", r.StdOut.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        help.ShouldNotContain("only --output and --format apply");
        help.ShouldContain("--start, --stop, --step, --tolerance, --set, --parameters, --real-time, --threads, --max-wall-time, --output, --format, --record-every, --record-interval, --report");
        Cosim("test", "--help").StdOut.ShouldContain("--max-wall-time");
        Cosim("simulate", "--help").StdOut.ShouldContain("--max-wall-time");
    }

    /// <summary>Issue 22 point 6: a single scenario gets its report and decimation from the command line.</summary>
    [Test]
    public void RunScript_ReportAndDecimation_Written()
    {
        File.WriteAllText(Path.Combine(_dir, "one.csx"), Script("Record(\"Tank.level\");\nAssert.StaysWithin(tank[\"level\"], 0, 5);"));

        var r = Cosim("run", "one.csx", "--stop", "10", "--record-every", "10", "--report", "one.html", "-o", "one.csv");

        r.ExitCode.ShouldBe(0, r.ToString());
        r.StdOut.ShouldContain("report -> one.html");
        var html = File.ReadAllText(Path.Combine(_dir, "one.html"));
        html.ShouldContain("one");
        html.ShouldContain("level");
        var csv = ResultCsv.Load(Path.Combine(_dir, "one.csv"));
        csv.Times.ShouldBe([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], "every 10th point of 0.1 s steps");
    }

    private void WriteHistorian(int rows) =>
        File.WriteAllLines(Path.Combine(_dir, "h.csv"), ["time;Voltage;Flow",
            .. Enumerable.Range(0, rows).Select(i => $"2026-12-01T10:00:{i:00}Z;{(220 + i).ToString(CultureInfo.InvariantCulture)};{(30 + 0.1 * i).ToString(CultureInfo.InvariantCulture)}")]);

    // A tank whose valve a script leaves at 0.5, stepped at 0.1 s.
    private static string Script(string body) =>
        $"var tank = Fmu(\"{ExampleFmus.Path(2, "Tank")}\");\nStep = 0.1;\nStop = 20;\nSet(\"Tank.valve\", 0.5);\n{body}\n";
}
