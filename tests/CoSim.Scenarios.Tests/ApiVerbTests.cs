using CoSim.Core;
using CoSim.Core.Assessment;
using CoSim.Engine.Execution;
using CoSim.TestSupport;
using static CoSim.Scenarios.Tests.ScenarioFixture;

namespace CoSim.Scenarios.Tests;

/// <summary>Each build verb of the scenario API, on the real Tank FMU and TankLoop system, against the Tank's closed form.</summary>
public class ApiVerbTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = NewFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void Fmu_SetStartValuesAndTime_LevelFollowsClosedForm()
    {
        var outcome = Run(_dir, "fill", s =>
        {
            var tank = s.Fmu(Tank);
            s.Set(tank["h0"], 0.2);
            s.Set(tank["valve"], 0.7);
            s.Stop = 40;
            s.Step = 0.1;
            s.Record("Tank.level");
        });

        outcome.Failure.ShouldBeNull();
        outcome.Report!.Outcome.ShouldBe(RunOutcome.Completed);
        var csv = ResultCsv.Load(outcome.ResultPath!);
        csv.Columns.ShouldBe(["time", "level"]);
        csv.Times[^1].ShouldBe(40, 1e-9);
        foreach (var t in new[] { 5.0, 20.0, 40.0 })
            TimeToLevel(0.2, csv.At("level", t), 0.7).ShouldBe(t, 1e-4);
    }

    [Test]
    public void Replay_HistorianColumnWithGapsAndIrregularTimes_DrivesTheValveLinearly()
    {
        // A historian export: semicolons, ISO times 2 s then 4 s apart, the valve column named with spaces.
        File.WriteAllText(Path.Combine(_dir, "plant.csv"), """
            timestamp;Valve Position
            2024-05-01T10:00:00;0.0
            2024-05-01T10:00:02;0.5
            2024-05-01T10:00:06;1.0
            """);
        var outcome = Run(_dir, "replay", s =>
        {
            s.Fmu(Tank);
            s.Replay("plant.csv", ("Valve Position", "Tank.valve"));
            s.Stop = 6;
            s.Step = 0.5;
            s.Record("Tank.valve");
        });

        outcome.Failure.ShouldBeNull();
        var csv = ResultCsv.Load(outcome.ResultPath!);
        // The engine records at t the input set at the step's start, t - h: the linear ramp one step late.
        double Expected(double t) => t <= 2 ? 0.25 * t : Math.Min(1, 0.5 + 0.125 * (t - 2));
        foreach (var t in new[] { 1.5, 3.0, 5.0 }) csv.At("valve", t).ShouldBe(Expected(t - 0.5), 1e-12, $"t = {t}");
    }

    [Test]
    public void StronglyCoupled_StiffSplitDualMass_MatchesTheMonolithicModel()
    {
        var split = Run(_dir, "split", s =>
        {
            var options = new Dictionary<string, string> { ["jacobian"] = "directional" };
            s.Fmu(ExampleFmus.Path(2, "DualMass1"), "Mass1", options);
            s.Fmu(ExampleFmus.Path(2, "DualMass2"), "Mass2", options);
            s.Connect("Mass1.x1", "Mass2.x1");
            s.Connect("Mass1.v1", "Mass2.v1");
            s.Connect("Mass2.F", "Mass1.F");
            s.StronglyCoupled("Dual", "Mass1", "Mass2");
            s.Tolerance = 1e-9;
            s.Step = 0.01;
            s.Record("Mass1.x1"); // a member's name: the group's column is Dual.Mass1.x1
        });
        var mono = Run(_dir, "mono", s =>
        {
            s.Fmu(ExampleFmus.Path(2, "DualMassOscillator"), "Mono", new Dictionary<string, string> { ["interface"] = "me" });
            s.Tolerance = 1e-9;
            s.Step = 0.01;
            s.Record("Mono.x1");
        });

        split.Failure.ShouldBeNull();
        mono.Failure.ShouldBeNull();
        var a = ResultCsv.Load(split.ResultPath!);
        var b = ResultCsv.Load(mono.ResultPath!);
        a.Times.Length.ShouldBe(b.Times.Length);
        var x1 = a.Columns.Single(c => c.EndsWith("x1", StringComparison.Ordinal));
        var y1 = b.Columns.Single(c => c.EndsWith("x1", StringComparison.Ordinal));
        var worst = a.Times.Select(t => Math.Abs(a.At(x1, t) - b.At(y1, t))).Max();
        worst.ShouldBeLessThan(1e-6 * 0.01); // positions of 0.01 m, both at tolerance 1e-9
    }

    [Test]
    public void Fmu_RelativePathAndName_ResolvesAgainstBaseDirectoryAndNamesComponent()
    {
        File.Copy(Tank, Path.Combine(_dir, "MyTank.fmu"));
        var outcome = Run(_dir, "relative", s =>
        {
            var t = s.Fmu("MyTank.fmu", "Vessel");
            t.Name.ShouldBe("Vessel");
            s.Stop = 1;
            s.Output = "sub/out.csv";
        });

        outcome.Failure.ShouldBeNull();
        // The runner's output option wins over the script's.
        outcome.ResultPath.ShouldBe(Path.Combine(_dir, "relative.csv"));
        ResultCsv.Load(outcome.ResultPath!).Columns.ShouldContain("level");
    }

    [Test]
    public void Output_ScriptChoosesFileAndFormat_WrittenThere()
    {
        var outcome = ScenarioRunner.Run(ctx =>
        {
            var s = new Scenario(ctx);
            s.Fmu(Tank);
            s.Stop = 2;
            s.Output = "results/tank.parquet";
            return s;
        }, new ScenarioRunOptions("fmt", _dir));

        outcome.Failure.ShouldBeNull();
        outcome.ResultPath.ShouldBe(Path.Combine(_dir, "results", "tank.parquet"));
        File.Exists(outcome.ResultPath).ShouldBeTrue();
        File.ReadAllBytes(outcome.ResultPath!)[..4].ShouldBe("PAR1"u8.ToArray());
    }

    [Test]
    public void Input_ValveTable_DrivesTheInput()
    {
        var table = Path.Combine(ExampleFmus.RepoRoot, "examples", "tank-valve-step", "valve.csv");
        var outcome = Run(_dir, "table", s =>
        {
            s.Fmu(Tank);
            s.Input(table, "Tank");
            s.Stop = 100;
            s.Step = 0.5;
            s.Record("Tank.valve", "Tank.level");
        });

        outcome.Failure.ShouldBeNull();
        var csv = ResultCsv.Load(outcome.ResultPath!);
        csv.At("valve", 30).ShouldBe(0.3, 1e-12);
        csv.At("valve", 90).ShouldBe(0.9, 1e-12);
    }

    [Test]
    public void Ssp_ThenSet_SystemRunsAndLaterParameterWins()
    {
        var ssp = TankLoop(_dir);
        var outcome = Run(_dir, "loop", s =>
        {
            var loop = s.Ssp(ssp);
            loop.Components.ShouldBe(["Controller", "Pump", "Tank"], ignoreOrder: true);
            s.Set(loop["Controller"]["kp"], 2.5);
            s.Stop = 30;
            s.Metric("kp", "Controller.kp", TraceMetrics.Final);
            s.Metric("final level", "Tank.level", TraceMetrics.Final);
        });

        outcome.Failure.ShouldBeNull();
        outcome.Metrics["kp"].ShouldBe(2.5);
        // The SSD's parameters apply too: the level rises from 10 cm towards the 1 m setpoint.
        outcome.Metrics["final level"].ShouldBeGreaterThan(0.5);
        outcome.Metrics["final level"].ShouldBeLessThan(1.2);
    }

    [Test]
    public void ComponentAndConnect_InlineRampIntoTankValve_ValveFollowsRampAndLevelClosedForm()
    {
        var outcome = Run(_dir, "ramp", s =>
        {
            var ramp = s.Component(new RampSource("Ramp"));
            var tank = s.Component("fmu", Tank, "Tank");
            s.Set(ramp["slope"], 0.0);
            s.Connect(ramp["y"], tank["valve"], factor: 0, offset: 0.4);
            s.Stop = 20;
            s.Step = 0.1;
            s.Record("Tank.*", "Ramp.y");
        });

        outcome.Failure.ShouldBeNull();
        var csv = ResultCsv.Load(outcome.ResultPath!);
        csv.Values("Tank.valve").Skip(1).ShouldAllBe(v => Math.Abs(v - 0.4) < 1e-12);
        TimeToLevel(0.1, csv.At("Tank.level", 20), 0.4).ShouldBe(20, 1e-4);
    }

    [Test]
    public void Component_InlineRampConnectedWithoutTransform_ConsumerSeesRamp()
    {
        var outcome = Run(_dir, "ramp2", s =>
        {
            var ramp = s.Component(new RampSource("Ramp"));
            s.Fmu(Tank);
            s.Set(ramp["slope"], 0.05);
            s.Connect("Ramp.y", "Tank.valve");
            s.Stop = 10;
            s.Step = 0.5;
            s.Record("Tank.valve");
            s.Metric("mean ramp", ramp["y"], s.Mean);
            s.Metric("max ramp", ramp["y"], s.Max);
            s.Metric("min ramp", ramp["y"], s.Min);
        });

        outcome.Failure.ShouldBeNull();
        // y = 0.05 t over 0..10 s: mean 0.25 (the trapezoids are exact on a line), max 0.5, min 0.
        outcome.Metrics["mean ramp"].ShouldBe(0.25, 1e-12);
        outcome.Metrics["max ramp"].ShouldBe(0.5, 1e-12);
        outcome.Metrics["min ramp"].ShouldBe(0);
        var csv = ResultCsv.Load(outcome.ResultPath!);
        // Jacobi: the valve over the step from t is the ramp at t, as read back after the step.
        for (var i = 1; i < csv.Rows.Count; i++) csv.Rows[i][1].ShouldBe(0.05 * csv.Times[i - 1], 1e-12);
    }

    [Test]
    public void AlgorithmToleranceRealTime_Settings_ReachTheRun()
    {
        var outcome = Run(_dir, "settings", s =>
        {
            s.Fmu(Tank);
            s.Algorithm = MasterAlgorithm.GaussSeidel;
            s.Tolerance = 1e-6;
            s.RealTimeFactor = 0;
            s.Start = 1;
            s.Stop = 3;
            s.Step = 0.25;
            s.Specification.Algorithm.ShouldBe(MasterAlgorithm.GaussSeidel);
            s.Specification.Tolerance.ShouldBe(1e-6);
        });

        outcome.Failure.ShouldBeNull();
        outcome.Report!.Statistics.Steps.ShouldBe(8);
        var csv = ResultCsv.Load(outcome.ResultPath!);
        csv.Times[0].ShouldBe(1);
        csv.Times[^1].ShouldBe(3);
    }

    [Test]
    public void Ssp_AndFmuOfTheSameName_ReportedAsBadInput()
    {
        var ssp = TankLoop(_dir);
        var outcome = Run(_dir, "twice", s =>
        {
            s.Ssp(ssp);
            s.Fmu(Tank);
        });

        outcome.Failure.ShouldBeOfType<InputException>().Message.ShouldContain("component name 'Tank' is used 2 times");
    }

    [Test]
    public void Signal_FromStringWithoutDot_ThrowsInputException()
    {
        Should.Throw<InputException>(() => { Signal s = "level"; }).Message.ShouldContain("Component.variable");
        Signal ok = "Tank.der(level)";
        ok.Component.ShouldBe("Tank");
        ok.Variable.ShouldBe("der(level)");
    }

    [Test]
    public void Build_ScriptThrows_ExceptionPropagatesUnchanged()
    {
        var thrown = Should.Throw<FormatException>(() => ScenarioRunner.Run(ctx => throw new FormatException("line 3"), new ScenarioRunOptions("x", _dir)));
        thrown.Message.ShouldBe("line 3");
    }

    [Test]
    public void Assert_PassFailAndNotEvaluated_JudgedOnRecordedSignals()
    {
        var outcome = Run(_dir, "judge", s =>
        {
            s.Fmu(Tank);
            s.Stop = 30;
            s.Step = 0.1;
            s.Assert.Reaches("Tank.level", 0.5, within: 15, tolerance: 0.01).Named("reaches half");
            s.Assert.StaysWithin("Tank.level", 0, 0.5).Named("stays below half");
            s.Assert.StaysWithin("Tank.level", 0, 2, from: 40, to: 50).Named("after the end");
        });

        outcome.Failure.ShouldBeNull();
        var byName = outcome.Assertions.ToDictionary(a => a.Name);
        byName["reaches half"].Verdict.ShouldBe(Verdict.Pass);
        byName["after the end"].Verdict.ShouldBe(Verdict.NotEvaluated);
        var fail = byName["stays below half"];
        fail.Verdict.ShouldBe(Verdict.Fail);
        fail.Signal.ShouldBe("Tank.level");
        // The first sample above 0.5: the closed form crosses it at 9.14 s.
        var crossing = TimeToLevel(0.1, 0.5, 0.5);
        fail.Violation!.Time.ShouldBe(Math.Ceiling(crossing * 10) / 10, 1e-9);
        fail.Violation.Value.ShouldBeGreaterThan(0.5);
        fail.Violation.Bound.ShouldBe(0.5);
        outcome.Passed.ShouldBeFalse();
    }
}
