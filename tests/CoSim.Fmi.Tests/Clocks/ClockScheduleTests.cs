using CoSim.Core;
using CoSim.Fmi.Clocks;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Tests.Clocks;

/// <summary>ClockSchedule alone, with a scripted driver: the cases the example FMUs do not reach.</summary>
public class ClockScheduleTests
{
    /// <summary>Reports fixed answers and records activations.</summary>
    private sealed class ScriptedDriver(Func<uint, (double, IntervalQualifier)> interval) : IClockDriver
    {
        public readonly List<(uint Clock, SimTime Time)> Activations = [];
        public void Activate(uint clock, SimTime time) => Activations.Add((clock, time));
        public (double Interval, IntervalQualifier Qualifier) GetInterval(uint clock, SimTime time) => interval(clock);
        public double GetShift(uint clock, SimTime time) => 0;
        public bool ReadOutputClock(uint clock, SimTime time) => false;
    }

    private static ClockSchedule Schedule(IClockDriver driver, params ScheduledClock[] inputs) =>
        new(driver, inputs, [], new Dictionary<string, IReadOnlyList<string>>());

    [Test]
    public void RunThrough_CountdownRearmedWithZeroForever_FailsInsteadOfHanging()
    {
        var driver = new ScriptedDriver(_ => (0, IntervalQualifier.Changed));
        var schedule = Schedule(driver, new ScheduledClock("again", 1, ClockIntervalVariability.Countdown));
        schedule.Start(SimTime.Zero);
        var error = Should.Throw<SimulationException>(() => schedule.RunThrough(SimTime.FromSeconds(1)));
        error.Message.ShouldContain($"more than {ClockSchedule.MaxActivationsPerInstant} model-partition activations at t=0");
        error.Message.ShouldContain("again");
    }

    [Test]
    public void RunThrough_PeriodicClockOverManySteps_TicksWithoutDrift()
    {
        var driver = new ScriptedDriver(_ => (0.001, IntervalQualifier.Unchanged));
        var schedule = Schedule(driver, new ScheduledClock("ms", 1, ClockIntervalVariability.Constant, Interval: 0.001, Shift: 0.0005));
        schedule.Start(SimTime.Zero);
        for (var k = 1; k <= 1000; k++) schedule.RunThrough(SimTime.FromSeconds(0.1) * k); // 100 s in steps of 0.1 s
        driver.Activations.Count.ShouldBe(100_000); // 0.0005, 0.0015, ..., 99.9995
        driver.Activations[^1].Time.ShouldBe(SimTime.FromSeconds(99.9995));
    }

    [Test]
    public void Start_CalculatedClockWithoutInterval_FailsNamingTheClock()
    {
        var driver = new ScriptedDriver(_ => (0, IntervalQualifier.NotYetKnown));
        var schedule = Schedule(driver, new ScheduledClock("calc", 3, ClockIntervalVariability.Calculated));
        Should.Throw<SimulationException>(() => schedule.Start(SimTime.Zero))
            .Message.ShouldContain("clock 'calc' is calculated, but the FMU reports no positive interval at initialization");
    }
}
