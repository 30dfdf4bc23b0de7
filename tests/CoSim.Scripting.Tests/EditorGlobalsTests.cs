using CoSim.Scenarios;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace CoSim.Scripting.Tests;

public class EditorGlobalsTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-globals-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private const string UserScript = """
        #load "globals.csx"
        var tank = Fmu("Tank.fmu");
        Connect(tank["level"], "Controller.measurement", factor: 2);
        Stop = 10;
        At(5, () => Set("Tank.valve", 0.5));
        StuckAt("Tank.valve", 0.2).From(3);
        Assert.StaysWithin(tank["level"], 0, 1);
        SweepGrid(("Controller.kp", new[] { 1.0, 2.0 }));
        Metric("peak", "Tank.level", Max);
        """;

    [Test]
    public void Generate_EditorViewWithoutGlobalsType_ScriptResolves()
    {
        // What an editor sees: a plain script (no globals type) that #loads the header.
        File.WriteAllText(Path.Combine(_dir, "globals.csx"), EditorGlobals.Generate(typeof(Scenario), [typeof(Engine.Specification.RunSpecification).Assembly]));
        var options = ScriptOptions.Default.WithFilePath(Path.Combine(_dir, "user.csx"))
            .WithSourceResolver(new SourceFileResolver([], _dir))
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(_dir))
            .WithImports("System", "System.Linq", "System.Collections.Generic");

        var errors = CSharpScript.Create(UserScript, options).GetCompilation().GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);

        errors.ShouldBeEmpty();
    }

    [Test]
    public void Generate_LoadedWhenCosimRuns_ForwardsToTheScenario()
    {
        File.WriteAllText(Path.Combine(_dir, "globals.csx"), EditorGlobals.Generate(typeof(Scenario), [typeof(Engine.Specification.RunSpecification).Assembly]));
        var path = Path.Combine(_dir, "user.csx");
        File.WriteAllText(path, UserScript);
        File.WriteAllText(Path.Combine(_dir, "Tank.fmu"), ""); // Fmu() refuses a missing file at once; this build phase never opens it
        var scenario = new Scenario(new ScenarioContext("user", _dir, Core.NullLogSink.Instance));

        ScenarioScripts.Host(Core.NullLogSink.Instance, cacheRoot: null).Load(path).Run(scenario);

        scenario.Stop.ShouldBe(10);
        scenario.Specification.Components.ShouldHaveSingleItem().Name.ShouldBe("Tank");
        scenario.Specification.Connections.ShouldHaveSingleItem();
        scenario.DeclaredAssertions.ShouldHaveSingleItem();
        scenario.Sweep!.Cases.Count.ShouldBe(2);
    }
}
