using CoSim.Core;
using CoSim.Core.Assessment;
using CoSim.TestSupport;
using static CoSim.Scenarios.Tests.ScenarioFixture;

namespace CoSim.Scenarios.Tests;

/// <summary>At, When and Every on the real Tank FMU: trigger times against the closed form, and what actions change.</summary>
public class EventTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = NewFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void At_ValveOpensFullyAt20_TriggersAt20AndLevelFollowsTheNewInflow()
    {
        var outcome = Run(_dir, "at", s =>
        {
            var tank = s.Fmu(Tank);
            s.Stop = 40;
            s.Step = 0.1;
            s.Record("Tank.level", "Tank.valve");
            s.At(20, () => s.Set(tank["valve"], 1.0), "open valve");
        });

        outcome.Failure.ShouldBeNull();
        outcome.Events.ShouldBe([new TriggeredEvent(20, "at", "open valve")]);
        var csv = ResultCsv.Load(outcome.ResultPath!);
        // Values recorded at t were computed before the manipulators of t acted.
        csv.Rows[Row(csv, 20)][csv.Column("valve")].ShouldBe(0.5);
        csv.Rows[Row(csv, 20.1)][csv.Column("valve")].ShouldBe(1.0);
        TimeToLevel(0.1, csv.At("level", 20), 0.5).ShouldBe(20, 1e-4);
        // From t = 20 the closed form restarts from h(20) with the full inflow.
        (20 + TimeToLevel(csv.At("level", 20), csv.At("level", 40), 1.0)).ShouldBe(40, 1e-4);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void When_LevelRisesAboveHalf_FiresOnceAtTheFirstPointAbove(bool declaredSignal)
    {
        var times = new List<double>();
        var outcome = Run(_dir, "when", s =>
        {
            var tank = s.Fmu(Tank);
            s.Stop = 40;
            s.Step = 0.1;
            void Close()
            {
                times.Add(s.Time);
                s.Set(tank["valve"], 0.0);
            }
            if (declaredSignal) s.When(tank["level"], v => v > 0.5, Close, "level high");
            else s.When(() => s.Value("Tank.level") > 0.5, Close, "level high");
        });

        outcome.Failure.ShouldBeNull();
        var expected = Math.Ceiling(TimeToLevel(0.1, 0.5, 0.5) * 10) / 10;
        outcome.Events.Count.ShouldBe(1);
        outcome.Events[0].Kind.ShouldBe("when");
        outcome.Events[0].Time.ShouldBe(expected, 1e-9);
        times.ShouldBe([outcome.Events[0].Time]);
        // After closing, the tank drains as the closed form with valve 0 says.
        var csv = ResultCsv.Load(outcome.ResultPath!);
        var h0 = csv.At("level", expected);
        (expected + TimeToLevel(h0, csv.At("level", 20), 0)).ShouldBe(20, 1e-4);
    }

    [Test]
    public void When_Triggered_TriggerTimeGoesToTheLog()
    {
        var log = new ListLog();
        Run(_dir, "logged", s =>
        {
            s.Fmu(Tank);
            s.Stop = 12;
            s.Step = 0.1;
            s.When(() => s.Value("Tank.level") > 0.5, () => { }, "level high");
        }, log: log);

        var expected = Math.Ceiling(TimeToLevel(0.1, 0.5, 0.5) * 10) / 10;
        log.Lines.ShouldContain($"Info [scenario] t={expected.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} s: when 'level high'");
    }

    private sealed class ListLog : ILogSink
    {
        public List<string> Lines { get; } = [];

        public void Log(LogLevel level, string source, string message)
        {
            lock (Lines) Lines.Add($"{level} [{source}] {message}");
        }
    }

    [Test]
    public void When_ConditionTrueAgainAfterFalling_FiresOnEveryRisingEdge()
    {
        // A bang-bang level controller: open below 0.4, close above 0.6; each opening is a rising edge.
        var outcome = Run(_dir, "edges", s =>
        {
            var tank = s.Fmu(Tank);
            s.Set(tank["valve"], 1.0);
            s.Stop = 200;
            s.Step = 0.1;
            s.When(() => s.Value("Tank.level") > 0.6, () => s.Set(tank["valve"], 0.0), "close");
            s.When(() => s.Value("Tank.level") < 0.4, () => s.Set(tank["valve"], 1.0), "open");
        });

        outcome.Failure.ShouldBeNull();
        var kinds = outcome.Events.Select(e => e.Name).ToList();
        // Starts at 0.1 m (< 0.4): "open" fires at the start, then close/open alternate.
        kinds[0].ShouldBe("open");
        outcome.Events[0].Time.ShouldBe(0);
        kinds.Count.ShouldBeGreaterThan(4);
        for (var i = 1; i < kinds.Count; i++) kinds[i].ShouldNotBe(kinds[i - 1]);
        // The first close: valve 1 from 0.1 m to 0.6 m, by the closed form.
        outcome.Events[1].Time.ShouldBe(Math.Ceiling(TimeToLevel(0.1, 0.6, 1.0) * 10) / 10, 1e-9);
    }

    [Test]
    public void Every_Period10_FiresAtEachMultipleBeforeTheStop()
    {
        var seen = new List<(double Time, double Level)>();
        var outcome = Run(_dir, "every", s =>
        {
            s.Fmu(Tank);
            s.Stop = 50;
            s.Step = 0.5;
            s.Every(10, () => seen.Add((s.Time, s.Value("Tank.level"))), name: "sample");
        });

        outcome.Failure.ShouldBeNull();
        outcome.Events.Select(e => e.Time).ShouldBe([0, 10, 20, 30, 40]);
        seen.Select(x => x.Time).ShouldBe([0, 10, 20, 30, 40]);
        var csv = ResultCsv.Load(outcome.ResultPath!);
        foreach (var (t, level) in seen) level.ShouldBe(csv.At("level", t));
    }

    [Test]
    public void Every_PeriodNotOnTheGrid_FiresAtTheFirstPointAtOrAfterEachMultiple()
    {
        var outcome = Run(_dir, "every2", s =>
        {
            s.Fmu(Tank);
            s.Stop = 3;
            s.Step = 0.4;
            s.Every(1, () => { }, from: 0.5);
        });

        outcome.Failure.ShouldBeNull();
        outcome.Events.Select(e => Math.Round(e.Time, 9)).ShouldBe([0.8, 1.6, 2.8]);
    }

    [Test]
    public void Action_ThrowsAt5_FailedRunKeepsTheStackAndTheRowsSoFar()
    {
        var outcome = Run(_dir, "boom", s =>
        {
            s.Fmu(Tank);
            s.Stop = 10;
            s.Step = 0.5;
            s.At(5, () => ExplodingAction(), "explode");
            s.Assert.StaysWithin("Tank.level", 0, 2, from: 0, to: 4).Named("early");
            s.Assert.StaysWithin("Tank.level", 0, 2, from: 0, to: 10).Named("whole run");
        });

        var failure = outcome.Failure.ShouldBeOfType<ScenarioActionException>();
        failure.Time!.Value.Seconds.ShouldBe(5);
        failure.Describe().ShouldContain("at t=5 s");
        failure.Message.ShouldContain("event 'explode': tank overflow");
        var inner = failure.InnerException.ShouldBeOfType<InvalidOperationException>();
        inner.StackTrace.ShouldNotBeNull();
        inner.StackTrace!.ShouldContain(nameof(ExplodingAction));
        // Every row up to the failure is on disk, and the assertions are judged on what the run reached.
        ResultCsv.Load(outcome.ResultPath!).Times[^1].ShouldBe(5);
        outcome.End.ShouldBe(5);
        outcome.Assertions.Single(a => a.Name == "early").Verdict.ShouldBe(Verdict.Pass);
        outcome.Assertions.Single(a => a.Name == "whole run").Verdict.ShouldBe(Verdict.NotEvaluated);
        outcome.Passed.ShouldBeFalse();
    }

    private static void ExplodingAction() => throw new InvalidOperationException("tank overflow");

    [Test]
    public void Set_ConnectedInputInAnAction_FailsNamingTheConnection()
    {
        var outcome = Run(_dir, "connected", s =>
        {
            s.Component(new RampSource("Ramp"));
            s.Fmu(Tank);
            s.Connect("Ramp.y", "Tank.valve");
            s.Stop = 2;
            s.At(1, () => s.Set("Tank.valve", 0.3));
        });

        var failure = outcome.Failure.ShouldBeOfType<ScenarioActionException>();
        failure.Message.ShouldContain("Ramp.y -> Tank.valve");
        failure.Message.ShouldContain("StuckAt");
    }

    [Test]
    public void Set_ParameterNotDeclaredTunable_FailsSayingHow()
    {
        var outcome = Run(_dir, "tunable", s =>
        {
            s.Fmu(Tank);
            s.Stop = 2;
            s.At(1, () => s.Set("Tank.area", 1.0));
        });

        outcome.Failure.ShouldBeOfType<ScenarioActionException>().Message.ShouldContain("Tunable(\"Tank.area\")");
    }

    [Test]
    public void Value_UnknownSignalInACondition_FailsAtTheStartWithSuggestion()
    {
        var outcome = Run(_dir, "typo", s =>
        {
            s.Fmu(Tank);
            s.Stop = 2;
            s.When(() => s.Value("Tank.levle") > 1, () => { });
        });

        var failure = outcome.Failure.ShouldBeOfType<ScenarioActionException>();
        failure.Time!.Value.Seconds.ShouldBe(0);
        failure.Message.ShouldContain("did you mean 'Tank.level'");
    }
}
