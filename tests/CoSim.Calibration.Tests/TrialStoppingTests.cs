using CoSim.Core;

namespace CoSim.Calibration.Tests;

/// <summary>
/// A trial given a cost limit (the current point's cost) stops its model run as soon as the cost so
/// far passes the limit, and loses exactly as the full run would: the real Tank FMU, synthetic data.
/// </summary>
[TestFixture]
public sealed class TrialStoppingTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("calibration-trials-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private ResidualFunction Function()
    {
        var truth = new Dictionary<string, double> { ["area"] = 0.6, ["outletCoefficient"] = 0.04, ["h0"] = 0.3 };
        var data = SyntheticData.Write(_folder, "tank.csv", SyntheticData.Tank, truth, ["level"], 0.5, 100, 0.01, seed: 3);
        var settings = RecoveryTests.TankSettings([data], "area=0.1..2", "outletCoefficient=0.005..0.2", "h0=0..1");
        return Calibrator.Prepare(settings, NullLogSink.Instance, out _);
    }

    [Test]
    public void Evaluate_LosingTrialWithTheCurrentCostAsLimit_StopsEarlyAndLoses()
    {
        var function = Function();
        var current = function.Evaluate([0.6, 0.04, 0.3]);
        var losing = function.Evaluate([2, 0.005, 1]);
        losing.Cost.ShouldBeGreaterThan(current.Cost, "the far point must lose for this test to mean anything");
        var before = function.SimulatedSeconds;

        var limited = function.Evaluate([2, 0.005, 1], current.Cost);

        limited.Exceeded.ShouldBeTrue();
        limited.Failure.ShouldBeNull();
        (function.SimulatedSeconds - before).ShouldBeLessThan(50, "the run must stop well before the data's end at 100 s");
    }

    [Test]
    public void Evaluate_WinningTrialUnderItsLimit_RunsToTheEndWithTheSameResiduals()
    {
        var function = Function();
        var far = function.Evaluate([1, 0.08, 0.6]);
        var full = function.Evaluate([0.65, 0.045, 0.35]);
        full.Cost.ShouldBeLessThan(far.Cost);

        var limited = function.Evaluate([0.65, 0.045, 0.35], far.Cost);

        limited.Exceeded.ShouldBeFalse();
        limited.Residuals.ShouldBe(full.Residuals);
    }
}
