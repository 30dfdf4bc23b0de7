using CoSim.Core;
using CoSim.Plugins.Sdk;
using CoSim.TestSupport;
using static CoSim.Scenarios.Tests.ScenarioFixture;

namespace CoSim.Scenarios.Tests;

/// <summary>What a new user met in the first hour with scenarios (issue 22): names, tunability, recording, problem lists.</summary>
public class FirstHourTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = NewFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static string BouncingBall => ExampleFmus.Path(2, "BouncingBall");

    [Test]
    public void Record_GlobOverAnFmuWithATimeVariable_TimeIsTheFirstColumnOnly()
    {
        var outcome = Run(_dir, "ball", s =>
        {
            s.Fmu(BouncingBall);
            s.Record("BouncingBall.*");
            s.Stop = 0.5;
        });

        outcome.Failure.ShouldBeNull();
        var header = File.ReadLines(outcome.ResultPath!).First().Split(',');
        header[0].ShouldBe("time");
        header.Count(c => c == "time").ShouldBe(1, string.Join(",", header));
        header.ShouldContain("h");
    }

    [Test]
    public void Tunable_FixedParameterOfAnFmu_RefusedNamingItsVariability()
    {
        var outcome = Run(_dir, "gravity", s =>
        {
            s.Fmu(BouncingBall);
            s.Tunable("BouncingBall.g");
            s.At(0.5, () => s.Set("BouncingBall.g", 1.0));
            s.Stop = 1;
        });

        var failure = outcome.Failure.ShouldBeOfType<InputException>();
        failure.Message.ShouldContain("Tunable(\"BouncingBall.g\"): BouncingBall.g is a fixed parameter in its FMU; only tunable parameters");
    }

    [Test]
    public void Component_PluginWithoutAName_NamedAfterItsClass()
    {
        var outcome = Run(_dir, "lag", s =>
        {
            var tank = s.Fmu(Tank);
            var lag = s.Component(new Lag());
            lag.Name.ShouldBe("Lag");
            s.Connect(tank["level"], lag["u"]);
            s.Stop = 2;
            s.Step = 0.1;
        });

        outcome.Failure.ShouldBeNull();
        File.ReadLines(outcome.ResultPath!).First().Split(',').ShouldContain("Lag.y");
    }

    [Test]
    public void Fmu_DottedModelicaFileName_NamedAfterItsLastPart()
    {
        var copy = Path.Combine(_dir, "Modelica.Blocks.Sources.Tank.fmu");
        File.Copy(Tank, copy);

        var outcome = Run(_dir, "dotted", s =>
        {
            s.Fmu(copy).Name.ShouldBe("Tank");
            s.Set("Tank.valve", 1);
            s.Stop = 1;
        });

        outcome.Failure.ShouldBeNull();
        Scenario.DefaultComponentName("/x/Modelica.Blocks.Sources.Sine.fmu").ShouldBe("Sine");
        Scenario.DefaultComponentName("Tank.fmu").ShouldBe("Tank");
    }

    [Test]
    public void Fmu_MissingFile_RefusedAtOnceWithTheCloseFileNames()
    {
        File.Copy(Tank, Path.Combine(_dir, "Tank.fmu"));

        var e = Should.Throw<InputException>(() => Run(_dir, "missing", s => s.Fmu("Tnak.fmu")));

        e.Message.ShouldBe($"Fmu(\"Tnak.fmu\"): no such file {Path.Combine(_dir, "Tnak.fmu")}; did you mean 'Tank.fmu'?");
    }

    [TestCase("Input")]
    [TestCase("Replay")]
    [TestCase("Kafka")]
    public void DataFileVerb_MissingFile_RefusedAtOnceWithTheCloseFileNames(string verb)
    {
        File.WriteAllText(Path.Combine(_dir, "valve.csv"), "time,Tank.valve\n0,0.5\n");
        Action<Scenario> use = verb switch
        {
            "Input" => s => s.Input("vlave.csv"),
            "Replay" => s => s.Replay("vlave.csv", ("valve", "Tank.valve")),
            _ => s => s.Kafka("vlave.csv"),
        };

        var e = Should.Throw<InputException>(() => Run(_dir, "missing-" + verb, s => { s.Fmu(Tank); use(s); }));

        e.Message.ShouldBe($"{verb}(\"vlave.csv\"): no such file {Path.Combine(_dir, "vlave.csv")}; did you mean 'valve.csv'?");
    }

    [Test]
    public void Component_MissingPluginAssembly_RefusedAtOnceWithTheCloseFileNames()
    {
        File.WriteAllText(Path.Combine(_dir, "Lag.dll"), "");

        var e = Should.Throw<InputException>(() => Run(_dir, "missing-plugin", s => s.Component("plugin", "Lga.dll", "lag")));

        e.Message.ShouldBe($"Component(\"plugin\", \"Lga.dll\", ...): no such file {Path.Combine(_dir, "Lga.dll")}; did you mean 'Lag.dll'?");
    }

    [Test]
    public void Problems_OneAttachmentWithSeveral_CountMatchesTheLinesListed()
    {
        var outcome = Run(_dir, "problems", s =>
        {
            s.Fmu(Tank);
            s.Watch("Tank.levl", "Tank.nope");         // two problems of one observer
            s.Tunable("Tank.valv");                     // one of the manipulator
            s.Assert.StaysWithin("Tank.levl", 0, 1);   // the same name again, from the trace recorder
        });

        var message = outcome.Failure.ShouldBeOfType<InputException>().Message;
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldContain($"{lines.Length - 1} problems:", Case.Sensitive, message);
        lines.Skip(1).ShouldAllBe(l => l.StartsWith("  ") && !l.StartsWith("   "), message);
    }

    /// <summary>A first-order lag written as a plugin component, without a name (the scenario names it).</summary>
    private sealed class Lag : PluginComponent
    {
        private readonly RealVariable _u, _y;

        public Lag()
        {
            _u = Real("u", VariableRole.Input);
            _y = Real("y", VariableRole.Output);
        }

        protected override void Step(double time, double step) => _y.Value += (_u.Value - _y.Value) * (1 - Math.Exp(-step));
    }
}
