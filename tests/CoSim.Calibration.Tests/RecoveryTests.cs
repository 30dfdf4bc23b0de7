using CoSim.Core;

namespace CoSim.Calibration.Tests;

/// <summary>
/// Acceptance: parameters of the real Tank FMU recovered from synthetic noisy data (known truth,
/// known sigma), including the start value of its state; identifiability of a product pair; two
/// experiments better than either alone.
/// </summary>
[TestFixture]
public sealed class RecoveryTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("calibration-tests-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private static readonly Dictionary<string, double> Truth = new() { ["area"] = 0.6, ["outletCoefficient"] = 0.04, ["h0"] = 0.3 };

    internal static CalibrationSettings TankSettings(IReadOnlyList<string> data, params string[] parameters) => new()
    {
        Model = SyntheticData.Tank,
        Data = data,
        Fits = [FitSpec.Parse("level=level@0.005")],
        Parameters = parameters.Select(p => ParameterSpec.Parse(p)).ToList(),
        Threads = 2,
    };

    [Test]
    public void Run_TankAreaOutletAndStartLevel_RecoversTruthInsideIntervals()
    {
        var data = SyntheticData.Write(_folder, "tank.csv", SyntheticData.Tank, Truth, ["level"], 0.1, 100, 0.005, seed: 1);

        var result = Calibrator.Run(TankSettings([data], "area=0.1..2@1", "outletCoefficient=0.005..0.2@0.08", "h0=0..1@0.6"), NullLogSink.Instance);

        result.Converged.ShouldBeTrue(result.Message);
        result.Warnings.ShouldBeEmpty();
        foreach (var p in result.Parameters)
        {
            var truth = Truth[p.Name];
            p.StdErr.ShouldBeGreaterThan(0);
            truth.ShouldBeInRange(p.Lower95, p.Upper95, $"{p.Name}: {p.Value} +- {p.StdErr}");
            Math.Abs(p.Value - truth).ShouldBeLessThan(0.02 * truth, p.Name);
        }
        // Known sigma: the residuals' RMSE after the fit is that sigma.
        result.Quality.Single().RmseAfter.ShouldBeInRange(0.0045, 0.0055);
    }

    [Test]
    public void Run_InputAndParameterEnteringAsProduct_NamesTheProduct()
    {
        // q_in = valve * maxInflow: only the product reaches the level.
        // Area and outlet at the model's values (0.5, 0.05): they stay fixed.
        var data = SyntheticData.Write(_folder, "tank.csv", SyntheticData.Tank, new Dictionary<string, double> { ["h0"] = 0.3 }, ["level"], 0.1, 100, 0.005, seed: 2);

        var result = Calibrator.Run(TankSettings([data], "valve=0.1..1@0.8", "maxInflow=0.01..1@0.2", "h0=0..1@0.5"),
            NullLogSink.Instance);

        result.Warnings.Where(w => w.Contains("product")).ShouldHaveSingleItem().ShouldContain("valve and maxInflow enter only as the product valve·maxInflow");
        result.Warnings.ShouldContain(w => w.StartsWith("valve: its 95 % interval (unbounded) is wider than its bounds"));
        result.Parameters.Single(p => p.Name == "valve").StdErr.ShouldBe(double.PositiveInfinity);
        // The product itself is still recovered: 0.5 x 0.1.
        var valve = result.Parameters.Single(p => p.Name == "valve").Value;
        var maxInflow = result.Parameters.Single(p => p.Name == "maxInflow").Value;
        (valve * maxInflow).ShouldBe(0.05, 0.002);
    }

    [Test]
    public void Run_TwoExperimentsWithOwnStartLevels_DetermineSharedParametersBetterThanEither()
    {
        // Short records (20 s) from two initial levels: one fills, one drains.
        var filling = SyntheticData.Write(_folder, "filling.csv", SyntheticData.Tank, new Dictionary<string, double>(Truth) { ["h0"] = 0.2 }, ["level"], 0.1, 20, 0.005, seed: 3);
        var draining = SyntheticData.Write(_folder, "draining.csv", SyntheticData.Tank, new Dictionary<string, double>(Truth) { ["h0"] = 1.6 }, ["level"], 0.1, 20, 0.005, seed: 4);
        string[] shared = ["area=0.1..2@1", "outletCoefficient=0.005..0.2@0.08"];

        var alone = new[] { filling, draining }.Select(d => Calibrator.Run(TankSettings([d], [.. shared, "h0=0..2@1"]), NullLogSink.Instance)).ToList();
        var settings = TankSettings([filling, draining], shared) with
        {
            Parameters = [.. shared.Select(p => ParameterSpec.Parse(p)), ParameterSpec.Parse("h0=0..2@1", "--param-per-experiment", perExperiment: true)],
        };
        var both = Calibrator.Run(settings, NullLogSink.Instance);

        both.Converged.ShouldBeTrue(both.Message);
        both.Parameters.Select(p => p.Name).ShouldBe(["area", "outletCoefficient", "h0[filling]", "h0[draining]"]);
        both.Parameters[2].Value.ShouldBe(0.2, 0.01);
        both.Parameters[3].Value.ShouldBe(1.6, 0.01);
        foreach (var name in new[] { "area", "outletCoefficient" })
        {
            var combined = both.Parameters.Single(p => p.Name == name);
            Truth[name].ShouldBeInRange(combined.Lower95, combined.Upper95, name);
            foreach (var single in alone) combined.StdErr.ShouldBeLessThan(single.Parameters.Single(p => p.Name == name).StdErr, name);
        }
    }
}
