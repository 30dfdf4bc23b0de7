using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;
using CoSim.Runner;
using CoSim.TestSupport;

namespace CoSim.Runner.Tests;

/// <summary>A run specification made real on the project's FMUs: every problem at once, defaults in one place.</summary>
public class PreparedRunTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-runner-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static ComponentSpec Fmu(string model, string name) => new(new ComponentRequest(name, ExampleFmus.Path(2, model), "fmu"));

    [Test]
    public void Prepare_ManyProblems_ReportsEveryOneAtOnce()
    {
        var input = Path.Combine(_dir, "in.csv");
        File.WriteAllText(input, "time,Tank.level,Nobody.x\n0,1,2\n");
        var spec = new RunSpecification { Name = "broken", Step = -1, Threads = 0 };
        spec.Components.Add(Fmu("Tank", "Tank"));
        spec.Components.Add(Fmu("Pump", "Pump"));
        spec.Connections.Add(new Connection(VariableRef.Parse("Pump.flowRate"), VariableRef.Parse("Tank.nope")));
        spec.Parameters.Add(new ParameterValue(VariableRef.Parse("Tank.level"), "3"));
        spec.Inputs.Add(new InputTableSpec(input));
        spec.Record.Add("Tank.pres*");

        var e = Should.Throw<InputException>(() => PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance));

        TestContext.Out.WriteLine(e.Message);
        e.Message.ShouldContain("threads must be at least 1");                      // the specification
        e.Message.ShouldContain("component 'Tank' has no variable 'nope'");          // the system
        e.Message.ShouldContain("parameter Tank.level: it is an output");
        e.Message.ShouldContain("step size -1 must be positive");                    // the schedule
        e.Message.ShouldContain("column 'Tank.level' is an output of 'Tank'");       // the input table
        e.Message.ShouldContain("column 'Nobody.x' names no component's variable");
        e.Message.ShouldContain("recording pattern 'Tank.pres*' matches no variable");  // the recording
        e.Message.ShouldContain("6 problems");
    }

    [Test]
    public void Prepare_MissingFmu_NamesTheComponentAndItsSource()
    {
        var spec = new RunSpecification();
        spec.Components.Add(new ComponentSpec(new ComponentRequest("Ghost", Path.Combine(_dir, "ghost.fmu"), "fmu")) { Location = "system.ssd:7" });
        Should.Throw<InputException>(() => PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance))
            .Message.ShouldBe($"system.ssd:7: component 'Ghost': {Path.Combine(_dir, "ghost.fmu")}: no such file");
    }

    [Test]
    public void Prepare_NothingGiven_DefaultsFromTheFmusDefaultExperiment()
    {
        var spec = new RunSpecification();
        spec.Components.Add(Fmu("Tank", "Tank"));
        using var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance);
        var md = CoSim.Fmi.Archive.FmuArchive.Open(ExampleFmus.Path(2, "Tank")).Model.DefaultExperiment!;
        run.Schedule.Start.Seconds.ShouldBe(md.StartTime ?? 0);
        run.Schedule.Stop.Seconds.ShouldBe(md.StopTime!.Value);
        run.Schedule.Step.Seconds.ShouldBe(md.StepSize ?? (md.StopTime!.Value - (md.StartTime ?? 0)) / RunDefaults.StepsWhenUnspecified, 1e-12);
        run.Recorder.ShouldBeNull(); // no output named: no file
    }

    [Test]
    public void Run_TableDrivesAnInputOfOneComponent_ByBareColumnName()
    {
        var input = Path.Combine(_dir, "valve.csv");
        File.WriteAllText(input, "time,valve\n0,1\n5,1\n5,0\n10,0\n");
        var spec = new RunSpecification { Stop = 10, Step = 1, Output = Path.Combine(_dir, "out.csv") };
        spec.Components.Add(Fmu("Tank", "Tank"));
        spec.Inputs.Add(new InputTableSpec(input) { Component = "Tank" });
        spec.Record.Add("valve");
        using (var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance))
            run.Run().Outcome.ShouldBe(RunOutcome.Completed);
        var csv = ResultCsv.Load(spec.Output);
        csv.Columns.ShouldBe(["time", "valve"]);
        csv.At("valve", 4).ShouldBe(1);
        csv.At("valve", 6).ShouldBe(0);
    }
}
