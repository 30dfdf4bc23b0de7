using CoSim.Core;
using CoSim.Core.Assessment;
using CoSim.TestSupport;
using static CoSim.Scenarios.Tests.ScenarioFixture;

namespace CoSim.Scenarios.Tests;

/// <summary>Parameter sweeps (cases in parallel, each equal to the same case run alone) and bad input reported before the run.</summary>
public class SweepAndErrorTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = NewFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static void TankCase(Scenario s)
    {
        var tank = s.Fmu(Tank);
        s.Set(tank["valve"], s.Case("opening", 0.5));
        s.Stop = 30;
        s.Step = 0.1;
        s.When(tank["level"], v => v > 0.5, () => s.Set(tank["valve"], 0.2), "throttle");
        s.Metric("max level", tank["level"], s.Max);
        s.Metric("final level", tank["level"], TraceMetrics.Final);
        s.Assert.StaysWithin(tank["level"], 0, 0.45).Named("below 0.45");
    }

    [Test]
    public void SweepGrid_CasesInParallel_EachEqualsTheSameCaseRunAlone()
    {
        var outcome = Run(_dir, "grid", s =>
        {
            TankCase(s);
            s.SweepGrid(("Tank.h0", [0.1, 0.4]), ("opening", [0.3, 0.6, 0.9]));
        }, parallelism: 2);

        outcome.Failure.ShouldBeNull();
        outcome.Cases.Count.ShouldBe(6);
        outcome.Cases.Select(c => (c.Parameters["Tank.h0"], c.Parameters["opening"]))
            .ShouldBe([(0.1, 0.3), (0.1, 0.6), (0.1, 0.9), (0.4, 0.3), (0.4, 0.6), (0.4, 0.9)]);
        foreach (var c in outcome.Cases)
        {
            c.ResultPath.ShouldBe(Path.Combine(_dir, $"grid.case-{c.Number}.csv"));
            var alone = Run(_dir, $"alone-{c.Number}", s =>
            {
                TankCase(s);
                s.Set("Tank.h0", c.Parameters["Tank.h0"]);
                s.Set("Tank.valve", c.Parameters["opening"]);
            });
            var a = ResultCsv.Load(c.ResultPath!);
            var b = ResultCsv.Load(alone.ResultPath!);
            a.Values("level").ShouldBe(b.Values("level"));
            c.Events.ShouldBe(alone.Events);
            c.Metrics["max level"].ShouldBe(a.Values("level").Max());
            c.Metrics["final level"].ShouldBe(a.Values("level")[^1]);
            c.Assertions.Single().Verdict.ShouldBe(alone.Assertions.Single().Verdict);
            // The closed form up to the throttle (or the end): the case's own values took effect.
            var until = c.Events.Count > 0 ? c.Events[0].Time : 30;
            TimeToLevel(c.Parameters["Tank.h0"], a.At("level", until), c.Parameters["opening"]).ShouldBe(until, 1e-4);
        }
        // Opening 0.3 settles at 0.36 m (below 0.45); wider openings head for 1.44 m and more, and pass 0.45.
        outcome.Cases.Select(c => c.Assertions.Single().Verdict).ShouldBe([Verdict.Pass, Verdict.Fail, Verdict.Fail, Verdict.Pass, Verdict.Fail, Verdict.Fail]);
        outcome.Passed.ShouldBeFalse();

        var summary = File.ReadAllLines(outcome.SummaryPath!);
        outcome.SummaryPath.ShouldBe(Path.Combine(_dir, "grid.summary.csv"));
        summary[0].ShouldBe("case,Tank.h0,opening,passed,below 0.45,max level,final level,failure,result");
        summary.Length.ShouldBe(7);
        summary[6].ShouldStartWith("6,0.4,0.9,false,fail,");
        summary[6].ShouldEndWith(",grid.case-6.csv");
    }

    [Test]
    public void SweepGrid_ParallelismTwo_CasesRunAtTheSameTime()
    {
        // Every case waits at its start for a partner: with cases one after another the barrier would time out.
        using var barrier = new Barrier(2);
        var met = 0;
        var outcome = Run(_dir, "together", s =>
        {
            s.Fmu(Tank);
            s.Stop = 1;
            s.Set("Tank.valve", s.Case("opening", 0.5));
            s.At(0, () =>
            {
                if (barrier.SignalAndWait(TimeSpan.FromSeconds(30))) Interlocked.Increment(ref met);
            });
            s.SweepGrid(("opening", [0.2, 0.4, 0.6, 0.8]));
        }, parallelism: 2);

        outcome.Failure.ShouldBeNull();
        met.ShouldBe(4);
    }

    [Test]
    public void SweepRandom_SameSeed_SameCasesWithinTheRanges()
    {
        var a = Sweep.Random(20, 42, ("Controller.kp", 0.1, 2.0), ("x", -1, 1));
        var b = Sweep.Random(20, 42, ("Controller.kp", 0.1, 2.0), ("x", -1, 1));
        var c = Sweep.Random(20, 43, ("Controller.kp", 0.1, 2.0), ("x", -1, 1));
        a.Cases.Select(x => x["Controller.kp"]).ShouldBe(b.Cases.Select(x => x["Controller.kp"]));
        a.Cases.Select(x => x["x"]).SequenceEqual(c.Cases.Select(x => x["x"])).ShouldBeFalse();
        a.Cases.ShouldAllBe(x => x["Controller.kp"] >= 0.1 && x["Controller.kp"] < 2.0 && x["x"] >= -1 && x["x"] < 1);
        a.Names.ShouldBe(["Controller.kp", "x"]);
    }

    [Test]
    public void SweepRandom_RunsEveryCaseWithItsValue()
    {
        var outcome = Run(_dir, "random", s =>
        {
            var tank = s.Fmu(Tank);
            s.Stop = 10;
            s.Step = 0.5;
            s.Metric("final level", tank["level"], TraceMetrics.Final);
            s.SweepRandom(4, 5, ("Tank.h0", 0.2, 0.8));
        });

        outcome.Failure.ShouldBeNull();
        outcome.Cases.Count.ShouldBe(4);
        foreach (var c in outcome.Cases)
            TimeToLevel(c.Parameters["Tank.h0"], c.Metrics["final level"], 0.5).ShouldBe(10, 1e-4);
    }

    [Test]
    public void Sweep_ScriptThrowsInACase_ExceptionPropagatesUnchanged()
    {
        var thrown = Should.Throw<ArgumentOutOfRangeException>(() => Run(_dir, "throws", s =>
        {
            s.Fmu(Tank);
            if (s.Case("n", 0) == 2) throw new ArgumentOutOfRangeException("n", "case two is bad");
            s.SweepGrid(("n", [1, 2, 3]));
        }, parallelism: 1));
        thrown.ParamName.ShouldBe("n");
        thrown.StackTrace!.ShouldContain(nameof(Sweep_ScriptThrowsInACase_ExceptionPropagatesUnchanged));
    }

    [Test]
    public void Sweep_NameNeitherSignalNorRead_CaseFailsAsBadInput()
    {
        var outcome = Run(_dir, "unused", s =>
        {
            s.Fmu(Tank);
            s.Stop = 1;
            s.SweepGrid(("gain", [1, 2]));
        });

        outcome.Cases.Count.ShouldBe(2);
        outcome.Failure.ShouldBeOfType<InputException>().Message.ShouldContain("'gain'");
        outcome.Cases.ShouldAllBe(c => c.ResultPath == null);
    }

    [Test]
    public void Prepare_UnknownNames_AllReportedAtOnceWithSuggestions()
    {
        var ssp = TankLoop(_dir);
        var outcome = Run(_dir, "typos", s =>
        {
            s.Ssp(ssp);
            s.Stop = 5;
            s.Bias("Tank.levle", 0.1);
            s.StuckAt("Tnak.valve", 0);
            s.Assert.StaysWithin("Controller.uu", 0, 1);
            s.When("Pump.flowrate", v => v > 1, () => { });
            s.Metric("m", "Tank.outflw", TraceMetrics.Max);
            s.Connect("Tank.levl", "Pump.voltage");
            s.Record("Tank.lvl");
        });

        var failure = outcome.Failure.ShouldBeOfType<InputException>();
        var message = failure.Message;
        message.ShouldContain("Tank.levle");
        message.ShouldContain("did you mean 'level'");
        message.ShouldContain("unknown component 'Tnak'");
        message.ShouldContain("did you mean 'Tank'");
        message.ShouldContain("'uu'; did you mean 'u'");
        message.ShouldContain("'flowrate'; did you mean 'flowRate'");
        message.ShouldContain("'outflw'; did you mean 'outflow'");
        message.ShouldContain("connection Tank.levl -> Pump.voltage");
        message.ShouldContain("'Tank.lvl'");
        outcome.Assertions.ShouldBeEmpty();
        outcome.ResultPaths.ShouldBeEmpty();
        File.Exists(Path.Combine(_dir, "typos.csv")).ShouldBeFalse();
    }

    [Test]
    public void CasePath_AndSummaryPath_SitBesideTheOutput()
    {
        ScenarioRunner.CasePath("/r/tank.parquet", 3).ShouldBe("/r/tank.case-3.parquet");
        ScenarioRunner.SummaryPath("/r/tank.parquet").ShouldBe("/r/tank.summary.csv");
    }
}
