using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// `cosim simulate` on the FMI 3 Scheduled Execution FMU ClockedTasks (issue 21, 4): the outputs at
/// every communication point against the schedule worked by hand in fmus/clocks/ClockedTasks/readme.md;
/// and on the co-simulation FMU SampledRamp, whose clocks need Event Mode and early return.
/// </summary>
public class SimulateClocksTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-e2e-clocks-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private CosimResult Simulate(string output, params string[] extra) =>
        CosimProcess.Run(_dir, ["simulate", ExampleFmus.Path(3, "ClockedTasks"), "--stop", "1", "--step", "0.1", "--output", output, .. extra]);

    [Test]
    public void Simulate_ClockedTasksWithLinkedAlarm_CountsEveryTickOfTheHandWorkedSchedule()
    {
        var output = Path.Combine(_dir, "tasks.csv");
        var run = Simulate(output, "--clock-link", "onAlarm=alarm");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("scheduled execution");
        run.StdOut.ShouldContain("clock ticks: fast 11, slow 5, calc 4, tune 6, change 4, countdown 2, onAlarm 2, alarm 2");
        var result = ResultCsv.Load(output);
        result.Times.ShouldBe([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
        result.Values("fastTicks").ShouldBe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        result.Values("slowTicks").ShouldBe([1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5]);
        result.Values("calcTicks").ShouldBe([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4]);
        result.Values("tuneTicks").ShouldBe([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
        result.Values("changeTicks").ShouldBe([0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4]);
        result.Values("countdownTicks").ShouldBe([0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
        result.Values("alarmTicks").ShouldBe([0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
        result.Values("onAlarmTicks").ShouldBe([0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
        result.Values("order").ShouldBe([1234, 15, 14, 1835, 14, 12, 1345, 18, 14, 13, 1245]);
    }

    [Test]
    public void Simulate_ClockedTasksFixedIntervalAndNoLink_FollowsTheIntervalAndWarnsOnce()
    {
        var output = Path.Combine(_dir, "tasks.csv");
        var run = Simulate(output, "--clock-interval", "slow=0.2");
        run.ExitCode.ShouldBe(0, run.ToString());
        (run.StdOut + run.StdErr).ShouldContain("triggered input clock 'onAlarm' is linked to no output clock");
        var result = ResultCsv.Load(output);
        result.Values("slowTicks").ShouldBe([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
        result.Values("countdownTicks").ShouldBe([0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3]); // 0.05, 0.45, 0.85
        result.Values("onAlarmTicks").ShouldAllBe(v => v == 0);
    }

    [Test]
    public void Simulate_SampledRampCoSimulationWithClocks_TicksInEventModeWithEarlyReturn()
    {
        var output = Path.Combine(_dir, "ramp.csv");
        var run = CosimProcess.Run(_dir, ["simulate", ExampleFmus.Path(3, "SampledRamp"), "--stop", "1", "--step", "0.1", "--output", output]);
        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("co-simulation with clocks (event mode)");
        run.StdOut.ShouldContain("clock ticks: sample 5, crossed 2; event modes: 7; early returns: 1");
        var result = ResultCsv.Load(output);
        result.Values("samples").ShouldBe([1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5]);
        result.Values("held").ShouldBe([0, 0, 0, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75, 1]);
        result.Values("crossings").ShouldBe([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
        result.At("lastCrossing", 0.4).ShouldBe(0.35);
    }

    [Test]
    public void Simulate_ScheduledExecutionIsolated_ExitsTwoSayingItCannotRunIsolated()
    {
        var run = Simulate(Path.Combine(_dir, "iso.csv"), "--isolate", "ClockedTasks");
        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdErr.ShouldContain("scheduled execution (FMI 3 clocks) cannot run isolated yet; run it without --isolate");
    }

    [Test]
    public void Simulate_ClockLinkToAnInputClock_ExitsTwoWithOneLine()
    {
        var run = Simulate(Path.Combine(_dir, "bad.csv"), "--clock-link", "onAlarm=fast");
        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdErr.ShouldContain("clock-links links 'onAlarm' to 'fast', which is not an output clock (output clocks: alarm)");
        run.StdErr.ShouldNotContain("   at ");
    }
}
