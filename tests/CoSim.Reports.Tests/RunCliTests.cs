using System.Globalization;
using System.Text.RegularExpressions;
using CoSim.TestSupport;

namespace CoSim.Reports.Tests;

/// <summary>Progress lines, decimation and units through the real <c>cosim</c> (output redirected: not a terminal).</summary>
public class RunCliTests
{
    private string _dir = "";
    private string _ssp = "";

    [OneTimeSetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("cosim-runcli-").FullName;
        _ssp = ExampleSystems.BuildSsp("TankLoop", Path.Combine(_dir, "loop"));
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Run_NotATerminal_PrintsPeriodicPlainLinesAndASummaryLine()
    {
        // Paced at the wall clock: 3 s of simulated time take 3 s, so the lines (after the first quiet second) are sure to come.
        var run = CosimProcess.Run(_dir, "run", _ssp, "--stop", "3", "--step", "0.01", "--real-time", "1", "-o", Path.Combine(_dir, "paced.csv"));

        run.ExitCode.ShouldBe(0, run.ToString());
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("progress: ", StringComparison.Ordinal)).ToList();
        var periodic = lines.Where(l => Regex.IsMatch(l, @"^progress: \d+% t=[\d.]+ of 3 s, [\d.]+ steps/s, real time x[\d.]+, ETA \d\d:\d\d:\d\d$")).ToList();
        periodic.Count.ShouldBeInRange(2, 12, run.ToString()); // every 10 % after the first second (and every 5 s on a slow machine)
        var done = lines.Last();
        var match = Regex.Match(done, @"^progress: done, 300 steps to t=3 s in ([\d.]+) s wall \(([\d.]+) steps/s, real time x([\d.]+)\)$");
        match.Success.ShouldBeTrue(done);
        double Number(int group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        Number(1).ShouldBeInRange(2.9, 4.5);
        Number(3).ShouldBeInRange(0.65, 1.05, "paced at real time");
        Number(2).ShouldBe(300 / Number(1), 300 / Number(1) * 0.01 + 0.5);
    }

    [Test]
    public void Run_Quick_PrintsOnlyTheSummaryLine()
    {
        // 10 steps: milliseconds even on a loaded machine (the quiet second counts from the first step).
        var run = CosimProcess.Run(_dir, "run", _ssp, "--stop", "0.1", "--step", "0.01", "-o", Path.Combine(_dir, "quick.csv"));

        run.ExitCode.ShouldBe(0, run.ToString());
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("progress: ", StringComparison.Ordinal)).ToList();
        lines.Count.ShouldBe(1, run.ToString());
        lines[0].ShouldStartWith("progress: done, 10 steps to t=0.1 s in ");
    }

    [Test]
    public void Run_RecordEvery_KeepsFirstEveryNthAndLastRow_SameValuesAsFullResult()
    {
        var full = Path.Combine(_dir, "full.csv");
        var every = Path.Combine(_dir, "every.parquet");
        var a = CosimProcess.Run(_dir, "run", _ssp, "--stop", "10.05", "--step", "0.01", "-o", full);
        var b = CosimProcess.Run(_dir, "run", _ssp, "--stop", "10.05", "--step", "0.01", "--record-every", "100", "-o", every);

        a.ExitCode.ShouldBe(0, a.ToString());
        b.ExitCode.ShouldBe(0, b.ToString());
        var all = ResultCsv.Load(full);
        var kept = ResultParquet.Load(every);
        // 1005 steps: rows 0, 100, ..., 1000 and the last point, 10.05 s.
        kept.Rows.Select(r => r[0]).ShouldBe([.. Enumerable.Range(0, 11).Select(i => all.Rows[i * 100][0]), 10.05]);
        foreach (var row in kept.Rows)
            row.ShouldBe(all.Rows.Single(r => r[0] == row[0]), "a kept row holds the values of the full run");
    }

    [Test]
    public void Run_RecordInterval_RowsAtLeastThatFarApart()
    {
        var path = Path.Combine(_dir, "interval.csv");
        var run = CosimProcess.Run(_dir, "run", _ssp, "--stop", "2", "--step", "0.1", "--record-interval", "0.25", "-o", path);

        run.ExitCode.ShouldBe(0, run.ToString());
        ResultCsv.Load(path).Times.ShouldBe([0, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2], 1e-12);
    }

    [TestCase("--record-every", "0", "--record-every 0: must be at least 1")]
    [TestCase("--record-interval", "-1", "--record-interval -1: must be >= 0")]
    [TestCase("--report", "nofolder/r.html", "--report nofolder/r.html: the folder")]
    public void Run_BadRecordingOption_OneLineExit2(string option, string value, string expected)
    {
        var run = CosimProcess.Run(_dir, "run", _ssp, option, value, "-o", Path.Combine(_dir, "bad.csv"));

        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdErr.Trim().Split('\n').Length.ShouldBe(1, run.ToString());
        run.StdErr.ShouldContain(expected);
    }

    [Test]
    public void Run_Provenance_RecordsTheUnitsOfTheRecordedColumns()
    {
        var path = Path.Combine(_dir, "units.parquet");
        var run = CosimProcess.Run(_dir, "run", _ssp, "--stop", "1", "-o", path);

        run.ExitCode.ShouldBe(0, run.ToString());
        var table = ResultTable.Load(path);
        table.Traces.Single(t => t.Signal == "Tank.level").Unit.ShouldBe("m");
        table.Traces.Where(t => t.Unit != null).Count().ShouldBeGreaterThan(1);
    }
}
