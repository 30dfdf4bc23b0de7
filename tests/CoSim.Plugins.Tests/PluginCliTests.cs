using CoSim.TestSupport;

namespace CoSim.Plugins.Tests;

/// <summary>Plugins through the real <c>cosim</c> command: info, validate, and --plugin in a system run.</summary>
public class PluginCliTests
{
    private static string TestPlugin => ExamplePlugins.Path("CoSim.Plugins.TestPlugin");

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-plugin-cli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Info_PluginAssembly_ListsTypesAndVariables()
    {
        var r = CosimProcess.Run(_dir, "info", TestPlugin);
        r.ExitCode.ShouldBe(0, r.ToString());
        r.StdOut.ShouldContain("Component      CoSim.Plugins.TestPlugin.VersionProbe");
        r.StdOut.ShouldContain("Which MathNet.Numerics the plugin loaded");
        r.StdOut.ShouldMatch(@"mathNetMajor\s+Int64\s+output");
        r.StdOut.ShouldMatch(@"throwAt\s+Float64\s+parameter\s+tunable\s+1\s+s");
    }

    [Test]
    public void Validate_PluginAssembly_CanRun()
    {
        var r = CosimProcess.Run(_dir, "validate", TestPlugin);
        r.ExitCode.ShouldBe(0, r.ToString());
        r.StdOut.ShouldContain("can run (5 component types");
    }

    [Test]
    public void Validate_AssemblyWithoutComponents_CannotRunExit1()
    {
        var mathNet = Path.Combine(Path.GetDirectoryName(TestPlugin)!, "MathNet.Numerics.dll");
        var r = CosimProcess.Run(_dir, "validate", mathNet);
        r.ExitCode.ShouldBe(1, r.ToString());
        r.StdOut.ShouldContain("offers no component");
        r.StdOut.ShouldContain("cannot run");
    }

    [Test]
    public void Run_PluginThrowsMidRun_ErrorNamesComponentOperationTimeAndEarlierRowsStayOnDisk()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", _dir);
        var output = Path.Combine(_dir, "out.csv");
        var r = CosimProcess.Run(_dir, "run", ssp, "--stop", "10", "--step", "0.5", "-o", output,
            "--plugin", TestPlugin + ":Thrower=Boom", "--set", "Boom.throwAt=5");
        r.ExitCode.ShouldBe(1, r.ToString());
        r.StdErr.ShouldContain("11 rows recorded up to the failure are in");
        r.StdErr.Trim().Split('\n')[^1].ShouldBe("error: component 'Boom', Step, at t=5 s: InvalidOperationException: sensor model diverged");
        var csv = ResultCsv.Load(output);
        csv.Times[^1].ShouldBe(5);
        csv.Times.Length.ShouldBe(11);
        csv.Values("Tank.level")[^1].ShouldBeGreaterThan(0.1); // the FMUs' results up to the failure
        csv.Values("Boom.clock")[^1].ShouldBe(5);
    }

    [Test]
    public void Run_PluginPathMissing_BadInputExit2NamingIt()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", _dir);
        var r = CosimProcess.Run(_dir, "run", ssp, "--plugin", "/nowhere/Missing.dll=M", "-o", Path.Combine(_dir, "o.csv"));
        r.ExitCode.ShouldBe(2, r.ToString());
        r.StdErr.ShouldContain("--plugin /nowhere/Missing.dll=M: component 'M': /nowhere/Missing.dll: no such plugin assembly");
    }
}
