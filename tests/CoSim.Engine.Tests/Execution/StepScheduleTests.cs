using CoSim.Core;
using CoSim.Engine.Execution;

namespace CoSim.Engine.Tests.Execution;

public class StepScheduleTests
{
    [Test]
    public void Point_MillionSteps_NoDriftAndLastPointExactlyAtStop()
    {
        var s = StepSchedule.Create(0, 1000, 0.001);
        s.StepCount.ShouldBe(1_000_000);
        s.Point(999_999).Seconds.ShouldBe(999.999);
        s.Point(1_000_000).ShouldBe(SimTime.FromSeconds(1000));
        // Accumulating the double step would have drifted: show the schedule does not.
        double acc = 0;
        for (var i = 0; i < 1_000_000; i++) acc += 0.001;
        acc.ShouldNotBe(1000.0);
    }

    [Test]
    public void StepCount_IntervalNotMultipleOfStep_FinalPartialStepEndsAtStop()
    {
        var s = StepSchedule.Create(0, 1, 0.3);
        s.StepCount.ShouldBe(4);
        s.Point(3).Seconds.ShouldBe(0.9, 1e-15);
        s.Point(4).Seconds.ShouldBe(1.0);
    }

    [TestCase(1, 0, 0.1)]
    [TestCase(0, 1, 0)]
    [TestCase(0, 1, -1)]
    [TestCase(0, double.NaN, 0.1)]
    [TestCase(0, 1, 1e-12)]
    public void Create_InvalidArguments_ThrowsInputException(double start, double stop, double step) =>
        Should.Throw<InputException>(() => StepSchedule.Create(start, stop, step));
}
