using CoSim.Core;

namespace CoSim.Calibration.Tests;

/// <summary><c>--starts N</c>: the seeded Latin hypercube, and a multi-start calibration of the real Tank FMU.</summary>
[TestFixture]
public sealed class MultiStartTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("calibration-starts-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void LatinHypercube_EightPoints_OnePerStratumOfEveryParameterAndSameForTheSameSeed()
    {
        double[] lower = [0.1, 0.005, 0];
        double[] upper = [2, 0.2, 1];

        var points = MultiStart.LatinHypercube(8, lower, upper, seed: 7);

        for (var j = 0; j < lower.Length; j++)
            points.Select(p => (int)Math.Floor((p[j] - lower[j]) / (upper[j] - lower[j]) * 8)).Order().ShouldBe(Enumerable.Range(0, 8), $"parameter {j}");
        MultiStart.LatinHypercube(8, lower, upper, seed: 7).ShouldBe(points);
        MultiStart.LatinHypercube(8, lower, upper, seed: 8)[0].ShouldNotBe(points[0]);
    }

    [Test]
    public void Run_TankFromFourStarts_ReportsEveryStartAndKeepsTheOptimum()
    {
        var truth = new Dictionary<string, double> { ["area"] = 0.6, ["outletCoefficient"] = 0.04, ["h0"] = 0.3 };
        var data = SyntheticData.Write(_folder, "tank.csv", SyntheticData.Tank, truth, ["level"], 0.5, 100, 0.01, seed: 5);
        string[] parameters = ["area=0.1..2@1", "outletCoefficient=0.005..0.2@0.08", "h0=0..1@0.6"];
        var single = Calibrator.Run(RecoveryTests.TankSettings([data], parameters), NullLogSink.Instance);

        var multi = Calibrator.Run(RecoveryTests.TankSettings([data], parameters) with { Starts = 4, Seed = 3 }, NullLogSink.Instance);

        multi.Starts.Count.ShouldBe(4);
        multi.Starts[0].Start.ShouldBe([1, 0.08, 0.6]);
        multi.Converged.ShouldBeTrue(multi.Message);
        multi.Cost.ShouldBeLessThanOrEqualTo(single.Cost * (1 + 1e-9));
        for (var j = 0; j < 3; j++) multi.Parameters[j].Value.ShouldBe(single.Parameters[j].Value, 1e-6 * Math.Abs(single.Parameters[j].Value));
        MultiStart.ReachedBest(multi.Starts, multi.Cost).ShouldBeGreaterThanOrEqualTo(2, "a Latin-hypercube start of this well-posed problem reaches the same optimum");
        multi.Evaluations.ShouldBeGreaterThan(single.Evaluations);
    }

    [Test]
    public void Run_ZeroStarts_IsBadInput()
    {
        var truth = new Dictionary<string, double> { ["area"] = 0.6, ["outletCoefficient"] = 0.04, ["h0"] = 0.3 };
        var data = SyntheticData.Write(_folder, "tank.csv", SyntheticData.Tank, truth, ["level"], 0.5, 10, 0.01, seed: 5);

        Should.Throw<InputException>(() => Calibrator.Run(RecoveryTests.TankSettings([data], "area=0.1..2") with { Starts = 0 }, NullLogSink.Instance))
            .Message.ShouldBe("--starts 0: must be at least 1");
    }
}
