using System.Globalization;
using CoSim.TestSupport;

namespace CoSim.Estimation.Tests;

/// <summary>
/// The real <c>cosim simulate ... --replay --estimate</c> in a child process on the Tank FMU (model exchange): the
/// result's columns, the summary, and one-line errors with exit 2 for bad input.
/// </summary>
[TestFixture]
public sealed class EstimateCliTests
{
    private string _folder = null!;
    private string _data = null!;
    private static string Tank => ExampleFmus.Path(2, "Tank");

    [OneTimeSetUp]
    public void OneTimeSetUp()
    {
        _folder = Directory.CreateTempSubdirectory("estimate-cli-").FullName;
        // A tank filling at valve 0.5 from h0 = 0.1: the closed form is not needed here, only a plausible measured level.
        var random = new Random(2);
        var lines = new List<string> { "time,level_sensor,valve_position" };
        for (var k = 0; k <= 200; k++)
        {
            var t = k * 0.1;
            var level = 1.0 - 0.9 * Math.Exp(-t / 8); // rises toward the steady level of valve 0.5: (0.05/0.05)^2 = 1 m
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{t},{level + 0.01 * Models.Gaussian(random)},0.5"));
        }
        _data = Path.Combine(_folder, "tank.csv");
        File.WriteAllLines(_data, lines);
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => Directory.Delete(_folder, recursive: true);

    private CosimResult Simulate(params string[] args) =>
        CosimProcess.Run(_folder, ["simulate", Tank, "--replay", _data, "--replay-map", "valve_position=valve", "--step", "0.1", .. args]);

    [Test]
    public void SimulateWithEstimate_WritesMeansIntervalsInnovationsAndTheFilterSummary()
    {
        var result = Simulate("--interface", "me", "--estimate", "level=level_sensor@0.01", "--initial-spread", "level=0.3",
            "--process-noise", "level=0.005", "--ensemble", "8", "--forecast", "1", "--forecast-every", "20", "-o", "est.csv");
        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("estimation (EnKF, 8 members): 201 analyses");
        var table = ResultCsv.Load(Path.Combine(_folder, "est.csv"));
        table.Columns.ShouldBe(["time", "level", "level.lower", "level.upper", "level.innovation", "level.nis", "nis",
            "level.forecast", "level.forecast_lower", "level.forecast_upper"]);
        var last = table.Rows[^1];
        // Settled on the measurements: the estimate is within a few sigma of the last measured value, the interval around it.
        last[1].ShouldBe(1.0 - 0.9 * Math.Exp(-20.0 / 8), 0.05);
        last[2].ShouldBeLessThan(last[1]);
        last[3].ShouldBeGreaterThan(last[1]);
        // Forecasts are made at every 20th analysis (t = 0, 2, ..., 18 s) for 1 s ahead: the rows of t = 1, 3, ..., 19 s hold them.
        var at19 = table.Rows.Single(r => Math.Abs(r[0] - 19) < 1e-9);
        double.IsNaN(at19[7]).ShouldBeFalse("the forecast made at t = 18 s is in the row of t = 19 s");
        at19[8].ShouldBeLessThan(at19[7]);
        at19[9].ShouldBeGreaterThan(at19[7]);
        table.Rows.Count(r => !double.IsNaN(r[7])).ShouldBe(10);
        // The joint NIS of one signal is that signal's NIS.
        last[6].ShouldBe(last[5], 1e-9);
    }

    [TestCase("--estimate", "level=level_sensor@0", "sigma '0' must be a number > 0")]
    [TestCase("--estimate", "level=no_such_column@0.01", "no_such_column")]
    [TestCase("--estimate", "levle=level_sensor@0.01", "has no variable 'levle'")]
    [TestCase("--ensemble", "1", "--ensemble 1: an ensemble needs at least 2 members")]
    [TestCase("--process-noise", "area=0.1", "'area' is a fixed parameter of Tank: only tunable parameters can change during a run; states that can be estimated: level")]
    public void BadInput_OneLineAndExit2(string option, string value, string message)
    {
        string[] args = option == "--estimate"
            ? ["--interface", "me", option, value]
            : ["--interface", "me", "--estimate", "level=level_sensor@0.01", option, value];
        var result = Simulate(args);
        result.ExitCode.ShouldBe(2, result.ToString());
        result.StdErr.ShouldContain(message);
        result.StdErr.Trim().Split('\n').Length.ShouldBe(1, result.ToString());
    }

    [Test]
    public void CoSimulationStatesCannotBeSet_TheComponentIsNamedWithWhatCanBeEstimated()
    {
        var result = Simulate("--interface", "cs", "--estimate", "level=level_sensor@0.01", "--initial-spread", "level=0.3");
        result.ExitCode.ShouldBe(2, result.ToString());
        result.StdErr.ShouldContain("the states of 'Tank' (");
        result.StdErr.ShouldContain("cannot be set during a run");
        result.StdErr.ShouldContain("--interface me");
    }

    [Test]
    public void EstimationOptionsWithoutEstimate_AreRefused()
    {
        var result = Simulate("--ensemble", "16");
        result.ExitCode.ShouldBe(2, result.ToString());
        result.StdErr.ShouldContain("give the measured signals with --estimate");
    }
}
