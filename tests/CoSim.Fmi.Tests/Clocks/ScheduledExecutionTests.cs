using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Clocks;
using CoSim.Fmi.Description;
using CoSim.TestSupport;
using static CoSim.Fmi.Tests.Clocks.ClockRuns;

namespace CoSim.Fmi.Tests.Clocks;

/// <summary>
/// FMI 3 Scheduled Execution on the real ClockedTasks FMU (fmus/clocks/ClockedTasks): tick times,
/// counts and activation order against the schedule worked by hand in its readme.
/// </summary>
public class ScheduledExecutionTests
{
    private static string Fmu => ExampleFmus.Path(3, "ClockedTasks");

    private static ScheduledExecutionComponent Open(ClockOptions? options = null) =>
        new(FmuArchive.Open(Fmu), "tasks", NullLogSink.Instance, options: options);

    private static ClockOptions Linked => ClockOptions.Parse("tasks", "onAlarm=alarm", null);

    [Test]
    public void Read_ClockedTasks_ReadsEveryClockKindWithItsAttributes()
    {
        var archive = FmuArchive.Open(Fmu);
        archive.Report.Warnings.ShouldBeEmpty();
        var md = archive.Model;
        md.ScheduledExecution.ShouldNotBeNull().ModelIdentifier.ShouldBe("ClockedTasks");
        md.CoSimulation.ShouldBeNull();
        var clocks = md.Variables.Where(v => v.Type == VariableType.Clock)
            .Select(v => (v.Name, v.Causality, v.Clock!.IntervalVariability, v.Clock.Priority, v.Clock.Interval)).ToList();
        clocks.ShouldBe(
        [
            ("fast", Causality.Input, ClockIntervalVariability.Constant, 0u, 0.1),
            ("slow", Causality.Input, ClockIntervalVariability.Fixed, 2u, 0.25),
            ("calc", Causality.Input, ClockIntervalVariability.Calculated, 3u, null),
            ("tune", Causality.Input, ClockIntervalVariability.Tunable, 4u, null),
            ("change", Causality.Input, ClockIntervalVariability.Changing, 5u, null),
            ("countdown", Causality.Input, ClockIntervalVariability.Countdown, 6u, null),
            ("alarm", Causality.Output, ClockIntervalVariability.Triggered, null, null),
            ("onAlarm", Causality.Input, ClockIntervalVariability.Triggered, 1u, null),
        ]);
        md.FindVariable("order").ShouldNotBeNull().Clocks.ShouldBe([1u, 2u, 3u, 4u, 5u, 6u, 8u]);
    }

    [Test]
    public void Step_ClockedTasks_ActivatesPartitionsAtTheHandWorkedTimesInPriorityOrder()
    {
        using var unit = Open(Linked);
        Run(unit, ["fastTicks"]);
        // readme.md: at one instant, partitions run by priority (fast 0, onAlarm 1, slow 2, calc 3, tune 4, change 5,
        // countdown 6); onAlarm joins when fast ticks the alarm output clock (every 4th fast tick).
        Schedule(unit.Ticks).ShouldBe(
            "fast@0 slow@0 calc@0 tune@0 countdown@0.05 fast@0.1 change@0.1 fast@0.2 tune@0.2 slow@0.25 " +
            "fast@0.3 alarm@0.3 onAlarm@0.3 calc@0.3 change@0.3 fast@0.4 tune@0.4 fast@0.5 slow@0.5 countdown@0.55 " +
            "fast@0.6 calc@0.6 tune@0.6 change@0.6 fast@0.7 alarm@0.7 onAlarm@0.7 slow@0.75 fast@0.8 tune@0.8 " +
            "fast@0.9 calc@0.9 fast@1 slow@1 tune@1 change@1");
        unit.SolverStatistics.ShouldBe("clock ticks: fast 11, slow 5, calc 4, tune 6, change 4, countdown 2, onAlarm 2, alarm 2; clockUpdate calls: 5");
    }

    [Test]
    public void Step_ClockedTasks_OutputsAtCommunicationPointsIncludeEveryTickUpToThem()
    {
        using var unit = Open(Linked);
        var rows = Run(unit, ["fastTicks", "slowTicks", "changeTicks", "countdownTicks", "onAlarmTicks", "order", "y"]);
        rows["fastTicks"].ShouldBe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        rows["slowTicks"].ShouldBe([1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5]);
        rows["changeTicks"].ShouldBe([0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4]);
        rows["countdownTicks"].ShouldBe([0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
        rows["onAlarmTicks"].ShouldBe([0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
        // Clock numbers of the last activation instant in call order: 1835 = fast, onAlarm, calc, change.
        rows["order"].ShouldBe([1234, 15, 14, 1835, 14, 12, 1345, 18, 14, 13, 1245]);
        rows["y"][10].ShouldBe(0.1 * 2 * 11, 1e-12); // y += 0.1 u at every fast tick, u = 2
    }

    [Test]
    public void Step_FixedIntervalSetByImporter_SlowAndItsCountdownFollowIt()
    {
        using var unit = Open(ClockOptions.Parse("tasks", null, "slow=0.2"));
        Run(unit, ["slowTicks"]);
        Schedule(unit.Ticks.Where(t => t.Clock is "slow" or "countdown"))
            .ShouldBe("slow@0 countdown@0.05 slow@0.2 slow@0.4 countdown@0.45 slow@0.6 slow@0.8 countdown@0.85 slow@1");
    }

    [Test]
    public void Step_CalculatedFromParameter_TicksWithTheFmusInterval()
    {
        using var unit = Open();
        var rows = Run(unit, ["calcTicks"], between: null);
        rows["calcTicks"][10].ShouldBe(4); // 0, 0.3, 0.6, 0.9
        using var other = Open();
        other.Instantiate();
        other.SetFromText(Var(other, "calcPeriod"), "0.25");
        other.EnterInitialization(SimTime.Zero, SimTime.FromSeconds(1), null);
        other.ExitInitialization();
        var h = SimTime.FromSeconds(0.1);
        for (var k = 0; k < 10; k++) other.Step(h * k, h);
        Schedule(other.Ticks.Where(t => t.Clock == "calc")).ShouldBe("calc@0 calc@0.25 calc@0.5 calc@0.75 calc@1");
    }

    [Test]
    public void Step_TunableIntervalChangedMidRun_NextTickIsLastTickPlusNewInterval()
    {
        using var unit = Open();
        Run(unit, ["tuneTicks"], between: (u, t) =>
        {
            if (t == SimTime.FromSeconds(0.5)) u.SetFromText(Var(u, "tunePeriod"), "0.15");
        });
        // 0.2 s until the change at 0.5 (last tick 0.4), then 0.15 s from the last tick: 0.55, 0.7, 0.85, 1.0.
        Schedule(unit.Ticks.Where(t => t.Clock == "tune")).ShouldBe("tune@0 tune@0.2 tune@0.4 tune@0.55 tune@0.7 tune@0.85 tune@1");
    }

    [Test]
    public void Create_TriggeredClockWithoutLink_WarnsThatItsPartitionNeverRuns()
    {
        using var unit = Open();
        unit.Warnings.ShouldHaveSingleItem().ShouldContain("triggered input clock 'onAlarm' is linked to no output clock");
        Run(unit, ["onAlarmTicks"])["onAlarmTicks"][10].ShouldBe(0);
    }

    [TestCase("onAlarm=fast", null, "'fast', which is not an output clock (output clocks: alarm)")]
    [TestCase("fast=alarm", null, "clock-links names 'fast', which is not a triggered input clock")]
    [TestCase(null, "fast=0.2", "clock-intervals names 'fast', which is not an input clock with intervalVariability=\"fixed\" (fixed clocks: slow)")]
    [TestCase(null, "slow=-1", "'-1' for clock 'slow' must be a positive number of seconds")]
    [TestCase("onAlarm", null, "clock-links: 'onAlarm' is not NAME=VALUE")]
    public void Create_BadClockOption_FailsWithOneClearLine(string? links, string? intervals, string message)
    {
        var error = Should.Throw<InputException>(() => Open(ClockOptions.Parse("tasks", links, intervals)).Dispose());
        error.Message.ShouldContain(message);
    }

    [Test]
    public void Create_ScheduledExecutionOnlyFmu_IsChosenByDefault()
    {
        var archive = FmuArchive.Open(Fmu);
        FmuComponents.ChooseInterface(archive, null).ShouldBe(FmuInterface.ScheduledExecution);
        Should.Throw<InputException>(() => FmuComponents.ChooseInterface(archive, FmuInterface.CoSimulation))
            .Message.ShouldContain("no co-simulation interface");
        using var unit = FmuComponents.Create(archive, "tasks", NullLogSink.Instance);
        unit.KindDescription.ShouldBe("FMI 3.0, scheduled execution");
    }
}
