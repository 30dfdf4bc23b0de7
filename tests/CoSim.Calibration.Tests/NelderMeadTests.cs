using CoSim.Core;

namespace CoSim.Calibration.Tests;

/// <summary><c>--method nelder-mead</c> on the real Tank FMU: the derivative-free route reaches the Levenberg-Marquardt optimum and its uncertainty.</summary>
[TestFixture]
public sealed class NelderMeadTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("calibration-nelder-mead-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Run_TankAreaAndOutlet_ReachesTheLevenbergMarquardtOptimum()
    {
        var truth = new Dictionary<string, double> { ["area"] = 0.6, ["outletCoefficient"] = 0.04 };
        var data = SyntheticData.Write(_folder, "tank.csv", SyntheticData.Tank, truth, ["level"], 0.5, 100, 0.01, seed: 11);
        var settings = RecoveryTests.TankSettings([data], "area=0.1..2@1", "outletCoefficient=0.005..0.2@0.08");
        var lm = Calibrator.Run(settings, NullLogSink.Instance);

        var nm = Calibrator.Run(settings with { Method = CalibrationMethod.NelderMead }, NullLogSink.Instance);

        nm.Converged.ShouldBeTrue(nm.Message);
        nm.Message.ShouldStartWith("Nelder-Mead");
        nm.Cost.ShouldBe(lm.Cost, 1e-8 * lm.Cost);
        for (var j = 0; j < 2; j++)
        {
            // The simplex stops when its costs agree to 1e-10: the end point is within a small fraction of a standard error.
            Math.Abs(nm.Parameters[j].Value - lm.Parameters[j].Value).ShouldBeLessThan(0.01 * lm.Parameters[j].StdErr, nm.Parameters[j].Name);
            nm.Parameters[j].StdErr.ShouldBe(lm.Parameters[j].StdErr, 0.01 * lm.Parameters[j].StdErr);
            truth[nm.Parameters[j].Name].ShouldBeInRange(nm.Parameters[j].Lower95, nm.Parameters[j].Upper95);
        }
    }
}
