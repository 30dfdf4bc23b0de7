using CoSim.Core;
using CoSim.Core.Assessment;
using CoSim.TestSupport;
using static CoSim.Scenarios.Tests.ScenarioFixture;

namespace CoSim.Scenarios.Tests;

/// <summary>
/// Each fault type on the TankLoop's level sensor (the output Tank.level feeding
/// Controller.measurement) and on the Tank's valve input, its effect checked numerically. With the
/// Jacobi algorithm the controller's input over the step from t_k is computed from the level at
/// t_k, and it is read back after the step: measurement[k+1] = fault(t_k, level[k]).
/// </summary>
public class FaultTests
{
    private const double Step = 0.1;
    private static string _dir = "";
    private static string _ssp = "";

    [OneTimeSetUp]
    public void BuildSystem()
    {
        _dir = NewFolder();
        _ssp = TankLoop(_dir);
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, true);

    private static ResultCsv RunLoop(string name, Func<Scenario, Fault?> addFault, out ScenarioOutcome outcome)
    {
        outcome = Run(_dir, name, s =>
        {
            s.Ssp(_ssp);
            s.Stop = 40;
            s.Step = Step;
            s.Record("Tank.level", "Controller.measurement");
            addFault(s);
        });
        outcome.Failure.ShouldBeNull();
        return ResultCsv.Load(outcome.ResultPath!);
    }

    /// <summary>Checks measurement[k+1] = expected(k) at every point, inside the window [10, 30) and outside it (the true level).</summary>
    private static void CheckSensor(ResultCsv csv, Func<int, double> expectedInWindow, double from = 10, double to = 30)
    {
        var t = csv.Times;
        var level = csv.Values("Tank.level");
        var seen = csv.Values("Controller.measurement");
        var inside = 0;
        for (var k = 0; k + 1 < t.Length; k++)
        {
            var active = t[k] >= from - 1e-9 && t[k] < to - 1e-9;
            if (active) inside++;
            var expected = active ? expectedInWindow(k) : level[k];
            seen[k + 1].ShouldBe(expected, 1e-12, $"at t = {t[k]} s");
        }
        inside.ShouldBe((int)Math.Round((to - from) / Step));
    }

    private static void CheckLog(ScenarioOutcome outcome, string name)
    {
        outcome.Events.ShouldContain(new TriggeredEvent(10, "fault-start", name));
        outcome.Events.ShouldContain(new TriggeredEvent(30, "fault-end", name));
    }

    [Test]
    public void StuckAt_LevelSensor_ControllerSeesTheValue()
    {
        var csv = RunLoop("stuck", s => s.StuckAt("Tank.level", 0.25).From(10).Until(30), out var outcome);
        CheckSensor(csv, _ => 0.25);
        CheckLog(outcome, "stuck-at Tank.level");
    }

    [Test]
    public void StuckAt_WithoutValue_HoldsTheLevelAtTheFaultsStart()
    {
        var csv = RunLoop("hold", s => s.StuckAt("Tank.level").From(10).Until(30), out _);
        var atStart = csv.At("Tank.level", 10);
        CheckSensor(csv, _ => atStart);
    }

    [Test]
    public void Bias_LevelSensor_ControllerSeesLevelPlusOffset()
    {
        var csv = RunLoop("bias", s => s.Bias("Tank.level", 0.15).From(10).Until(30).Named("sensor offset"), out var outcome);
        var level = csv.Values("Tank.level");
        CheckSensor(csv, k => level[k] + 0.15);
        CheckLog(outcome, "sensor offset");
    }

    [Test]
    public void Drift_LevelSensor_OffsetGrowsLinearlyFromTheStart()
    {
        var csv = RunLoop("drift", s => s.Drift("Tank.level", 0.02).From(10).Until(30), out _);
        var level = csv.Values("Tank.level");
        CheckSensor(csv, k => level[k] + 0.02 * (csv.Times[k] - 10));
    }

    [Test]
    public void Delay_LevelSensor_ControllerSeesTheLevelTwoSecondsEarlier()
    {
        var csv = RunLoop("delay", s => s.Delay("Tank.level", 2).From(10).Until(30), out _);
        var level = csv.Values("Tank.level");
        CheckSensor(csv, k => level[k - 20]);
    }

    [Test]
    public void DropoutHold_LevelSensor_HoldsTheLastValue()
    {
        var csv = RunLoop("dropout-hold", s => s.Dropout("Tank.level", DropoutMode.Hold).From(10).Until(30), out _);
        var atStart = csv.At("Tank.level", 10);
        CheckSensor(csv, _ => atStart);
    }

    [Test]
    public void Override_ScriptedFunction_ControllerSeesItsValue()
    {
        var csv = RunLoop("override", s => s.Override("Tank.level", (t, x) => 0.5 * x + 0.01 * t).From(10).Until(30), out _);
        var level = csv.Values("Tank.level");
        CheckSensor(csv, k => 0.5 * level[k] + 0.01 * csv.Times[k]);
    }

    [Test]
    public void Noise_Seeded_GaussianWithTheGivenDeviationAndReproducible()
    {
        var a = RunLoop("noise-a", s => s.Noise("Tank.level", 0.05, seed: 7).From(10).Until(30), out _);
        var b = RunLoop("noise-b", s => s.Noise("Tank.level", 0.05, seed: 7).From(10).Until(30), out _);
        var c = RunLoop("noise-c", s => s.Noise("Tank.level", 0.05, seed: 8).From(10).Until(30), out _);

        a.Values("Controller.measurement").ShouldBe(b.Values("Controller.measurement"));
        a.Values("Controller.measurement").SequenceEqual(c.Values("Controller.measurement")).ShouldBeFalse();
        var level = a.Values("Tank.level");
        var seen = a.Values("Controller.measurement");
        var noise = Enumerable.Range(0, a.Times.Length - 1).Where(k => a.Times[k] >= 10 - 1e-9 && a.Times[k] < 30 - 1e-9)
            .Select(k => seen[k + 1] - level[k]).ToList();
        noise.Count.ShouldBe(200);
        var mean = noise.Average();
        var sd = Math.Sqrt(noise.Sum(x => (x - mean) * (x - mean)) / (noise.Count - 1));
        // 200 samples: the mean's standard error is 0.0035, the deviation's about 5 %.
        Math.Abs(mean).ShouldBeLessThan(4 * 0.05 / Math.Sqrt(200));
        sd.ShouldBe(0.05, 0.01);
        noise.Distinct().Count().ShouldBe(200);
        // Outside the window the sensor is exact.
        CheckSensor(a, k => seen[k + 1], 10, 30);
    }

    [Test]
    public void DropoutNaN_InputOfAnInlineComponent_ReadsNaNInTheWindow()
    {
        var outcome = Run(_dir, "dropout-nan", s =>
        {
            var ramp = s.Component(new RampSource("Ramp"));
            s.Set(ramp["u"], 0.7);
            s.Stop = 20;
            s.Step = Step;
            s.Record("Ramp.u");
            s.Dropout(ramp["u"]).From(5).Until(15);
        });

        outcome.Failure.ShouldBeNull();
        var csv = ResultCsv.Load(outcome.ResultPath!);
        var u = csv.Values("u");
        for (var k = 0; k + 1 < u.Length; k++)
            u[k + 1].ShouldBe(csv.Times[k] >= 5 - 1e-9 && csv.Times[k] < 15 - 1e-9 ? double.NaN : 0.7, $"after t = {csv.Times[k]}");
    }

    [Test]
    public void DropoutNaN_OnAnFmuThatRefusesNaN_FailedRunWithRowsSoFar()
    {
        var outcome = Run(_dir, "dropout-nan-fmu", s =>
        {
            s.Fmu(Tank);
            s.Stop = 20;
            s.Step = Step;
            s.Dropout("Tank.valve").From(5).Until(15);
        });

        // The example FMUs refuse a NaN input (fmi2SetReal returns Error): the run fails there, named.
        var failure = outcome.Failure.ShouldBeAssignableTo<SimulationException>()!;
        failure.Describe().ShouldContain("fmi2SetReal");
        failure.Describe().ShouldContain("NaN");
        // The inputs for the step from t = 5 are refused; the FMU layer stamps the component's last step start (4.9 s).
        failure.Time!.Value.Seconds.ShouldBeInRange(4.9 - 1e-9, 5 + 1e-9);
        ResultCsv.Load(outcome.ResultPath!).Times[^1].ShouldBe(5, 1e-9);
    }

    [Test]
    public void StuckAt_ValveInput_OverridesTheStartValue()
    {
        var outcome = Run(_dir, "stuck-valve", s =>
        {
            s.Fmu(Tank);
            s.Stop = 20;
            s.Step = Step;
            s.StuckAt("Tank.valve", 1.0);
        });

        outcome.Failure.ShouldBeNull();
        var csv = ResultCsv.Load(outcome.ResultPath!);
        TimeToLevel(0.1, csv.At("level", 20), 1.0).ShouldBe(20, 1e-4);
        outcome.Events.ShouldBe([new TriggeredEvent(0, "fault-start", "stuck-at Tank.valve")]);
    }

    [Test]
    public void Fault_StartedByAnEventForADuration_LoggedAndAlarmAssertionJudgesIt()
    {
        var outcome = Run(_dir, "on-demand", s =>
        {
            s.Ssp(_ssp);
            s.Stop = 40;
            s.Step = Step;
            var failure = s.StuckAt("Tank.level", 0.05).OnDemand().For(10).Named("sensor fails");
            s.When(() => s.Value("Tank.level") > 0.3, () => failure.Start(), "level above 0.3");
            // The controller's next sample sees the stuck sensor: its error becomes 1 - 0.05 (it was below 0.7).
            s.Assert.RisesWithinAfter("Controller.error", "sensor fails", within: 0.5, threshold: 0.9).Named("controller reacts");
            s.Assert.RisesWithinAfter("Controller.error", "sensor fails", within: 0.5, threshold: 0.96).Named("too high");
            s.Assert.RisesWithinAfter("Controller.u", "never happens", within: 1).Named("no such event");
        });

        outcome.Failure.ShouldBeNull();
        var when = outcome.Events.Single(e => e.Kind == "when");
        outcome.Events.ShouldContain(new TriggeredEvent(when.Time, "fault-start", "sensor fails"));
        outcome.Events.Single(e => e.Kind == "fault-end").Time.ShouldBe(when.Time + 10, 1e-9);
        outcome.Assertions.Single(a => a.Name == "controller reacts").Verdict.ShouldBe(Verdict.Pass);
        outcome.Assertions.Single(a => a.Name == "no such event").Verdict.ShouldBe(Verdict.NotEvaluated);
        var tooHigh = outcome.Assertions.Single(a => a.Name == "too high");
        tooHigh.Verdict.ShouldBe(Verdict.Fail);
        tooHigh.Violation!.Time.ShouldBe(when.Time + 0.5, 1e-9);
    }

    [Test]
    public void Fault_OnAnOutputThatFeedsNothing_IsReportedBeforeTheRun()
    {
        var outcome = Run(_dir, "feeds-nothing", s =>
        {
            s.Fmu(Tank);
            s.Bias("Tank.outflow", 1);
        });

        outcome.Failure.ShouldBeOfType<InputException>().Message.ShouldContain("feeds no input");
    }

    [Test]
    public void Noise_Sample_DependsOnlyOnSeedAndTime()
    {
        NoiseFault.Sample(3, SimTime.FromSeconds(1.5)).ShouldBe(NoiseFault.Sample(3, SimTime.FromSeconds(1.5)));
        NoiseFault.Sample(3, SimTime.FromSeconds(1.5)).ShouldNotBe(NoiseFault.Sample(4, SimTime.FromSeconds(1.5)));
        var samples = Enumerable.Range(0, 20000).Select(i => NoiseFault.Sample(11, new SimTime(i * 1000L))).ToList();
        samples.Average().ShouldBe(0, 0.03);
        Math.Sqrt(samples.Average(x => x * x)).ShouldBe(1, 0.02);
    }
}
