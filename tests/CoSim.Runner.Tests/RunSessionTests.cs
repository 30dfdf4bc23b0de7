using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.TestSupport;

namespace CoSim.Runner.Tests;

/// <summary>A run session on the project's FMUs: one planning pass, the end of the run told to manipulators, one overrides record.</summary>
public class RunSessionTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-session-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static ComponentSpec Tank() => new(new ComponentRequest("Tank", ExampleFmus.Path(2, "Tank"), "fmu"));

    /// <summary>Counts the calls the engine makes; writes the valve so that it drives an input.</summary>
    private sealed class Counting : IObserver, IManipulator
    {
        public int ObserverAttaches, ManipulatorAttaches, ObserverFinishes, ManipulatorFinishes;
        private InputHandle _valve;

        public void Attach(IObservationSetup setup)
        {
            ObserverAttaches++;
            setup.Observe(VariableRef.Parse("Tank.level"));
        }

        public void Attach(IManipulationSetup setup)
        {
            ManipulatorAttaches++;
            _valve = setup.Input(VariableRef.Parse("Tank.valve"));
        }

        public void Started(SimTime start, StepValues values) { }
        public void StepComplete(SimTime time, StepValues values) { }
        void IObserver.Finished(SimTime end, Exception? failure) => ObserverFinishes++;
        public void Initialize(SimTime start, InputWriter inputs) => inputs.Set(_valve, 0.5);
        public void StepCommencing(SimTime time, InputWriter inputs) { }
        void IManipulator.Finished(SimTime end, Exception? failure) => ManipulatorFinishes++;
    }

    [Test]
    public void Run_ObserverAndManipulator_AttachedOnceAndToldTheEndOnce()
    {
        var counting = new Counting();
        var spec = new RunSpecification { Stop = 1, Step = 0.1 };
        spec.Components.Add(Tank());
        spec.Observers.Add(counting);
        spec.Manipulators.Add(counting);

        var result = new RunSession(spec).Run();

        result.Failure.ShouldBeNull();
        counting.ObserverAttaches.ShouldBe(1);
        counting.ManipulatorAttaches.ShouldBe(1);
        counting.ObserverFinishes.ShouldBe(1);
        counting.ManipulatorFinishes.ShouldBe(1);
    }

    [Test]
    public void Run_Overrides_TimeSetAndDecimationAppliedOverTheSpecification()
    {
        var spec = new RunSpecification { Stop = 10, Step = 1 };
        spec.Components.Add(Tank());
        var output = Path.Combine(_dir, "out.csv");

        var result = new RunSession(spec)
        {
            Overrides = new RunOverrides { Stop = 4, Step = 0.5, Set = ["valve=0.25"], RecordEvery = 2, Output = output },
        }.Run();

        result.Report!.Outcome.ShouldBe(RunOutcome.Completed);
        result.Schedule.Stop.Seconds.ShouldBe(4);
        var csv = ResultCsv.Load(output);
        csv.Times.ShouldBe([0.0, 1.0, 2.0, 3.0, 4.0]);
        csv.Values("valve").ShouldAllBe(v => v == 0.25);
        result.Summary[0].ShouldStartWith("Tank (co-simulation");
    }

    [Test]
    public void Run_BudgetSpent_FailureWithTheRowsSoFar()
    {
        var spec = new RunSpecification { Stop = 1000, Step = 0.1, RealTimeFactor = 1 };
        spec.Components.Add(Tank());
        var output = Path.Combine(_dir, "slow.csv");

        var result = new RunSession(spec) { Overrides = new RunOverrides { MaxWallTime = 0.5, Output = output } }.Run();

        result.Failure.ShouldBeOfType<SimulationException>().Message.ShouldContain("wall-clock budget of 0.5 s (--max-wall-time) spent");
        result.Rows.ShouldBeGreaterThanOrEqualTo(1);
        ResultCsv.Load(output).Times[^1].ShouldBeLessThan(100);
    }

    [Test]
    public void Run_CallerCancels_StoppedNotFailed()
    {
        var spec = new RunSpecification { Stop = 1000, Step = 0.1, RealTimeFactor = 1 };
        spec.Components.Add(Tank());
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(0.5));

        var result = new RunSession(spec) { Overrides = new RunOverrides { MaxWallTime = 600 }, Cancel = cancel.Token }.Run();

        result.Failure.ShouldBeNull();
        result.Report!.Outcome.ShouldBe(RunOutcome.Stopped);
    }

    [Test]
    public void RunOverrides_EveryOptionDeclaredOnceWithHelp()
    {
        RunOverrides.Options.Select(o => o.Name).ShouldBeUnique();
        RunOverrides.Options.ShouldAllBe(o => o.Help.Length > 20 && o.AcceptedBy != 0);
        RunOverrides.AcceptedBy(FrontEnds.Test).Select(o => o.Name).ShouldContain("--max-wall-time");
        RunOverrides.AcceptedBy(FrontEnds.Test).Select(o => o.Name).ShouldNotContain("--output");
    }
}
