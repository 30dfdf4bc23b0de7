using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// <c>cosim simulate</c> and <c>cosim run</c> are front ends of one engine: the same system gives the
/// same file either way, and <c>run</c> has what <c>simulate</c> has (--set, --input, every algorithm).
/// </summary>
public class OneEngineTests
{
    private string _dir = "";

    [OneTimeSetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-oneengine-").FullName;

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>An SSP folder holding one FMU as component <paramref name="name"/>.</summary>
    private string SystemOfOne(int version, string model, string name)
    {
        var folder = Path.Combine(_dir, $"{model}{version}-system");
        Directory.CreateDirectory(Path.Combine(folder, "resources"));
        File.Copy(ExampleFmus.Path(version, model), Path.Combine(folder, "resources", model + ".fmu"), overwrite: true);
        File.WriteAllText(Path.Combine(folder, "SystemStructure.ssd"), $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <ssd:SystemStructureDescription xmlns:ssd="http://ssp-standard.org/SSP1/SystemStructureDescription" version="1.0" name="{name}">
              <ssd:System name="{name}">
                <ssd:Elements>
                  <ssd:Component name="{name}" source="resources/{model}.fmu"/>
                </ssd:Elements>
              </ssd:System>
            </ssd:SystemStructureDescription>
            """);
        return folder;
    }

    [TestCase(2)]
    [TestCase(3)]
    public void SimulateAndRun_SameFmuWithInputAndSet_ByteIdenticalResults(int version)
    {
        // The same Tank, valve driven by the same table, the same parameter, through both commands.
        var input = Path.Combine(_dir, $"valve{version}.csv");
        File.WriteAllText(input, "time,valve\n0,1\n50,1\n50,0.25\n200,0.25\n");
        var runInput = Path.Combine(_dir, $"valve-run{version}.csv");
        File.WriteAllText(runInput, "time,Tank.valve\n0,1\n50,1\n50,0.25\n200,0.25\n");
        var simulated = Path.Combine(_dir, $"simulate{version}.csv");
        var run = Path.Combine(_dir, $"run{version}.csv");

        var a = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "Tank"), "--stop", "200", "--step", "0.5",
            "--input", input, "--set", "h0=0.3", "--record", "*", "-o", simulated);
        var b = CosimProcess.Run(_dir, "run", SystemOfOne(version, "Tank", "Tank"), "--stop", "200", "--step", "0.5",
            "--input", runInput, "--set", "Tank.h0=0.3", "--record", "*", "-o", run);

        a.ExitCode.ShouldBe(0, a.ToString());
        b.ExitCode.ShouldBe(0, b.ToString());
        a.StdErr.ShouldNotContain("not connected"); // the table drives the valve
        b.StdErr.ShouldNotContain("not connected");
        File.ReadAllBytes(run).ShouldBe(File.ReadAllBytes(simulated));
        var csv = ResultCsv.Load(run);
        csv.At("h0", 0).ShouldBe(0.3);
        csv.At("valve", 100).ShouldBe(0.25);
    }

    [Test]
    public void Run_MultiRateWithRates_ControllerStepsAtItsOwnRate()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", Path.Combine(_dir, "loop"));
        var output = Path.Combine(_dir, "multirate.csv");

        var result = CosimProcess.Run(_dir, "run", ssp, "--algorithm", "multi-rate", "--rate", "Controller=10", "--step", "0.1", "--stop", "20", "-o", output);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("multi-rate");
        // The controller steps every 1 s: its output holds for ten base steps at a time.
        var csv = ResultCsv.Load(output);
        var u = csv.Values("Controller.u");
        for (var k = 1; k < 200; k++)
            if (k % 10 != 0) u[k].ShouldBe(u[k - 1], $"t = {csv.Times[k]}");
        u.Distinct().Count().ShouldBeGreaterThan(5);
    }

    [Test]
    public void Run_RateWithoutMultiRate_OneClearError()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", Path.Combine(_dir, "loop2"));
        var result = CosimProcess.Run(_dir, "run", ssp, "--rate", "Controller=10", "--stop", "1");
        result.ExitCode.ShouldBe(2);
        result.StdErr.ShouldContain("step multiples (component rates) need the multi-rate algorithm");
    }
}
