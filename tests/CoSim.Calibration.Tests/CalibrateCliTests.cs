using System.Globalization;
using System.Text.Json;
using CoSim.TestSupport;

namespace CoSim.Calibration.Tests;

/// <summary>The real <c>cosim calibrate</c> in a child process: outputs, exit codes, one-line errors for bad input.</summary>
[TestFixture]
public sealed class CalibrateCliTests
{
    private string _folder = null!;
    private string _data = null!;

    [OneTimeSetUp]
    public void OneTimeSetUp()
    {
        _folder = Directory.CreateTempSubdirectory("calibration-cli-").FullName;
        _data = SyntheticData.Write(_folder, "tank.csv", SyntheticData.Tank, new Dictionary<string, double> { ["area"] = 0.6, ["h0"] = 0.3 }, ["level"], 0.1, 60, 0.005, seed: 5);
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => Directory.Delete(_folder, recursive: true);

    private CosimResult Calibrate(params string[] args) => CosimProcess.Run(_folder, ["calibrate", SyntheticData.Tank, .. args]);

    [Test]
    public void Calibrate_TankToSsvAndJson_WritesEstimatesThatSimulateAccepts()
    {
        var result = Calibrate("--data", _data, "--fit", "level=level@0.005", "--param", "area=0.1..2@1", "--param", "h0=0..1@0.5", "-o", "fit.ssv", "--json", "fit.json",
            "--predictions", "points.csv");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("converged");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "fit.json")));
        var root = json.RootElement;
        root.GetProperty("converged").GetBoolean().ShouldBeTrue();
        var area = root.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "area");
        area.GetProperty("value").GetDouble().ShouldBe(0.6, 0.01);
        area.GetProperty("lower95").GetDouble().ShouldBeLessThan(area.GetProperty("value").GetDouble());
        area.GetProperty("upper95").GetDouble().ShouldBeGreaterThan(area.GetProperty("value").GetDouble());
        root.GetProperty("correlation").GetArrayLength().ShouldBe(2);
        root.GetProperty("evaluations").GetInt32().ShouldBeGreaterThan(2);
        root.GetProperty("provenance").GetProperty("data")[0].GetProperty("sha256").GetString()!.Length.ShouldBe(64);
        File.ReadLines(Path.Combine(_folder, "points.csv")).Count().ShouldBe(602);

        // The SSV drives a plain simulation: its end level is the fitted one.
        var run = CosimProcess.Run(_folder, "simulate", SyntheticData.Tank, "--parameters", "fit.ssv", "--stop", "60", "--step", "0.1", "-o", "run.csv");
        run.ExitCode.ShouldBe(0, run.ToString());
        var last = File.ReadLines(Path.Combine(_folder, "points.csv")).Last().Split(',');
        var lastRun = File.ReadLines(Path.Combine(_folder, "run.csv")).Last().Split(',');
        var header = File.ReadLines(Path.Combine(_folder, "run.csv")).First().Split(',');
        double.Parse(lastRun[Array.IndexOf(header, "level")], CultureInfo.InvariantCulture).ShouldBe(double.Parse(last[4], CultureInfo.InvariantCulture), 1e-12);
    }

    [TestCase("--param", "aera=0.1..2", "has no variable 'aera'; did you mean 'area'?")]
    [TestCase("--param", "level=0..2", "only parameters, inputs and initial=\"exact\" start values can be set before initialization")]
    [TestCase("--param", "area=2..0.1", "the lower bound 2 must be below the upper bound 0.1")]
    [TestCase("--param", "area=0.1..2@5", "the start 5 is outside the bounds 0.1..2")]
    [TestCase("--fit", "level=height", "no column 'height'")]
    [TestCase("--fit-window", "200..300", "no time overlap between the data (0..60 s) and fit window 200..300 s")]
    public void Calibrate_BadInput_OneLineAndExitTwo(string option, string value, string expected)
    {
        var args = new List<string> { "--data", _data };
        if (option != "--fit") args.AddRange(["--fit", "level=level"]);
        if (option != "--param") args.AddRange(["--param", "area=0.1..2"]);
        args.AddRange([option, value]);

        var result = Calibrate([.. args]);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.StdErr.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(expected);
    }

    [Test]
    public void Calibrate_MissingMeasuredValue_SaysThePolicy()
    {
        var holes = Path.Combine(_folder, "holes.csv");
        var lines = File.ReadAllLines(_data);
        lines[5] = lines[5].Split(',')[0] + ",";
        File.WriteAllLines(holes, lines);

        var failed = Calibrate("--data", holes, "--fit", "level=level", "--param", "area=0.1..2");
        var skipped = Calibrate("--data", holes, "--fit", "level=level", "--param", "area=0.1..2", "--missing", "skip");

        failed.ExitCode.ShouldBe(2, failed.ToString());
        failed.StdErr.ShouldContain("holes.csv:6: column 'level' has no value (policy --missing fail; --missing skip leaves such points out of the fit)");
        skipped.ExitCode.ShouldBe(0, skipped.ToString());
        skipped.StdOut.ShouldContain("(600 points)");
    }

    [Test]
    public void Calibrate_EvaluationLimit_WritesBestSetMarkedAndExitsOne()
    {
        var result = Calibrate("--data", _data, "--fit", "level=level@0.005", "--param", "area=0.1..2@1.9", "--param", "h0=0..1@0.9", "--max-evaluations", "6", "-o", "best.ssv");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StdOut.ShouldContain("NOT CONVERGED: evaluation limit 6 reached before convergence");
        File.ReadAllText(Path.Combine(_folder, "best.ssv")).ShouldContain("NOT CONVERGED");
    }

    [Test]
    public void Calibrate_ModelFailsAtTheStart_ShowsTheFailureAndExitsOne()
    {
        var data = Path.Combine(_folder, "faulty.csv");
        File.WriteAllLines(data, ["time,x", .. Enumerable.Range(0, 11).Select(i => $"{i * 0.1:R},{i * 0.1:R}")]);

        var result = CosimProcess.Run(_folder, "calibrate", ExampleFmus.Path(2, "FaultError"), "--data", data, "--fit", "x=x", "--param", "errorTime=0.1..0.4");

        result.ExitCode.ShouldBe(1, result.ToString());
        // The FMU's own log line, then CoSim's one line.
        result.StdErr.Trim().Split('\n').Last().ShouldStartWith("error: the model run at the start values failed: faulty at errorTime=0.25: component 'FaultError', fmi2DoStep, at t=0.3 s");
    }
}
