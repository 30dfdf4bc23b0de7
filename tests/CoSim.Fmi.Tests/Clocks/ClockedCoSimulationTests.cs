using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Clocks;
using CoSim.Fmi.CoSimulation;
using CoSim.TestSupport;
using static CoSim.Fmi.Tests.Clocks.ClockRuns;

namespace CoSim.Fmi.Tests.Clocks;

/// <summary>
/// FMI 3 co-simulation with clocks in Event Mode on the real SampledRamp FMU (fmus/clocks/SampledRamp):
/// an input clock ticked by CoSim at 0, 0.25, ..., an output clock the FMU ticks at ramp crossings
/// (0.35 by early return inside a step, 0.7 at a step's end), against the schedule in its readme.
/// </summary>
public class ClockedCoSimulationTests
{
    private static FmuArchive Archive => FmuArchive.Open(ExampleFmus.Path(3, "SampledRamp"));

    [Test]
    public void Create_CoSimulationFmuWithClocksAndEventMode_IsRunInEventMode()
    {
        using var unit = FmuComponents.Create(Archive, "ramp", NullLogSink.Instance);
        unit.ShouldBeOfType<ClockedCoSimulationComponent>().KindDescription.ShouldBe("FMI 3.0, co-simulation with clocks (event mode)");
    }

    [Test]
    public void Step_SampledRamp_TicksInputClockAtItsTimesAndOutputClockAtEarlyReturn()
    {
        using var unit = new ClockedCoSimulationComponent(Archive, "ramp", NullLogSink.Instance);
        var rows = Run(unit, ["x", "held", "samples", "crossings", "lastCrossing"]);
        Schedule(unit.Ticks)
            .ShouldBe("sample@0 sample@0.25 crossed@0.35 sample@0.5 crossed@0.7 sample@0.75 sample@1");
        unit.EarlyReturns.ShouldBe(1); // at 0.35, inside the step 0.3..0.4; 0.7 is a step's end
        unit.SolverStatistics.ShouldBe("clock ticks: sample 5, crossed 2; event modes: 7; early returns: 1");
        rows["x"].ShouldBe([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], 1e-12);
        rows["samples"].ShouldBe([1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5]);
        rows["held"].ShouldBe([0, 0, 0, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75, 1], 1e-12);
        rows["crossings"].ShouldBe([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
        rows["lastCrossing"].ShouldBe([-1, -1, -1, -1, 0.35, 0.35, 0.35, 0.7, 0.7, 0.7, 0.7], 1e-12);
    }

    [Test]
    public void Step_SampledRampWithoutEventMode_ClocksAreInertButCrossingsStillCounted()
    {
        // The plain co-simulation component does not use Event Mode: the FMU handles its crossings inside
        // fmi3DoStep and nobody ticks its input clock.
        using var unit = new FmuCoSimulationComponent(Archive, "ramp", NullLogSink.Instance);
        var rows = Run(unit, ["samples", "crossings", "lastCrossing"]);
        rows["samples"].ShouldAllBe(v => v == 0);
        rows["crossings"].ShouldBe([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
        rows["lastCrossing"][10].ShouldBe(0.7, 1e-12);
    }
}
