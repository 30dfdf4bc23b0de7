using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Results;

namespace CoSim.Engine.Tests.Execution;

/// <summary>The execution lifecycle with a system of one component (what <c>cosim simulate</c> runs).</summary>
public class OneComponentRunTests
{
    private string _csv = "";

    [SetUp]
    public void SetUp() => _csv = Path.Combine(Path.GetTempPath(), $"cosim-exec-{Guid.NewGuid():N}.csv");

    [TearDown]
    public void TearDown() => File.Delete(_csv);

    private RunReport Run(FakeUnit unit, double stop = 1, double step = 0.1, string? startU = null)
    {
        var system = new SystemModel();
        system.Add(unit);
        if (startU != null) system.SetParameter("fake.u", startU);
        using var recorder = new CsvRecorder(_csv, [new RecordedSignal(new VariableRef("fake", "y"), "y")]);
        return new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, stop, step) }, [], [recorder]).Run();
    }

    [Test]
    public void Run_Completes_CallOrderAndOneRowPerCommunicationPoint()
    {
        var unit = new FakeUnit();
        var report = Run(unit, startU: "2");
        report.Outcome.ShouldBe(RunOutcome.Completed);
        report.Statistics.Steps.ShouldBe(10);
        unit.Calls.ShouldBe(["instantiate", "enter", "exit", "terminate"]);
        var lines = File.ReadAllLines(_csv);
        lines.Length.ShouldBe(12); // header + t0 + 10 steps
        lines[^1].ShouldStartWith("1,");
        double.Parse(lines[^1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(2.0, 1e-12);
    }

    [Test]
    public void Run_UnitAsksToTerminate_EndsEarlyWithRowsKept()
    {
        var unit = new FakeUnit { OnStep = (t, h, _) => t.Seconds >= 0.45 ? new StepResult(StepStatus.Terminated, t + h) : StepResult.Completed(t + h) };
        var report = Run(unit);
        report.Outcome.ShouldBe(RunOutcome.TerminatedByComponent);
        report.EndTime.Seconds.ShouldBe(0.6, 1e-12);
        File.ReadAllLines(_csv).Length.ShouldBe(8); // header + t = 0, 0.1 .. 0.6
    }

    [Test]
    public void Run_StepThrows_RowsUpToFailureOnDiskAndErrorCarriesTime()
    {
        var unit = new FakeUnit
        {
            OnStep = (t, h, _) => t.Seconds >= 0.3 ? throw new SimulationException("boom", "fake", "doStep") : StepResult.Completed(t + h),
        };
        var e = Should.Throw<SimulationException>(() => Run(unit));
        e.Time!.Value.Seconds.ShouldBe(0.3, 1e-12);
        e.Describe().ShouldBe("component 'fake', doStep, at t=0.3 s: boom");
        File.ReadAllLines(_csv).Length.ShouldBe(5); // header + 0, 0.1, 0.2, 0.3
        unit.Calls.ShouldContain("terminate");
    }

    [Test]
    public void Run_Discard_IsAClearFailure()
    {
        var unit = new FakeUnit { OnStep = (t, h, _) => t.Seconds >= 0.5 ? new StepResult(StepStatus.Discarded, t) : StepResult.Completed(t + h) };
        var e = Should.Throw<SimulationException>(() => Run(unit));
        e.Message.ShouldContain("discarded");
        e.Time!.Value.Seconds.ShouldBe(0.5, 1e-12);
    }
}
