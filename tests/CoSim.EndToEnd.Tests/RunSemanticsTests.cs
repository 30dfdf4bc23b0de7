using System.Globalization;
using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// Co-simulation semantics through the real CLI, on the Feedthrough example FMU: Gauss-Seidel on a
/// source -> feedthrough chain, the tolerance handed to FMUs, warnings printed once.
/// </summary>
public class RunSemanticsTests
{
    private string _dir = "";
    private string _ssp = "";

    [OneTimeSetUp]
    public void BuildSystem()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cosim-sem-" + Guid.NewGuid().ToString("N"));
        _ssp = ExampleSystems.BuildSsp("FeedthroughChain", _dir);
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);

    /// <summary>The FeedthroughChain example as a folder whose Source and Gain are the FMI versions given.</summary>
    private string MixedChain(int sourceVersion, int gainVersion)
    {
        var folder = Path.Combine(_dir, $"chain{sourceVersion}{gainVersion}");
        Directory.CreateDirectory(Path.Combine(folder, "resources"));
        File.Copy(ExampleFmus.Path(sourceVersion, "Feedthrough"), Path.Combine(folder, "resources", "Source.fmu"), overwrite: true);
        File.Copy(ExampleFmus.Path(gainVersion, "Feedthrough"), Path.Combine(folder, "resources", "Gain.fmu"), overwrite: true);
        var ssd = File.ReadAllText(Path.Combine(ExampleSystems.SourceFolder("FeedthroughChain"), "SystemStructure.ssd"));
        ssd = ssd.Replace("name=\"Source\" source=\"resources/Feedthrough.fmu\"", "name=\"Source\" source=\"resources/Source.fmu\"")
                 .Replace("name=\"Gain\" source=\"resources/Feedthrough.fmu\"", "name=\"Gain\" source=\"resources/Gain.fmu\"");
        ssd.ShouldContain("resources/Gain.fmu");
        File.WriteAllText(Path.Combine(folder, "SystemStructure.ssd"), ssd);
        return folder;
    }

    [TestCase(0, 0)]
    [TestCase(2, 3)]
    [TestCase(3, 2)]
    [TestCase(3, 3)]
    public void Run_GaussSeidelOnSourceFeedthroughChain_GainReproducesTheSourceAtEveryRow(int sourceVersion, int gainVersion)
    {
        var system = sourceVersion == 0 ? _ssp : MixedChain(sourceVersion, gainVersion);
        var output = Path.Combine(_dir, $"gs{sourceVersion}{gainVersion}.csv");

        var run = CosimProcess.Run(_dir, "run", system, "--algorithm", "gauss-seidel", "--step", "0.1", "-o", output);

        run.ExitCode.ShouldBe(0, run.ToString());
        var csv = ResultCsv.Load(output);
        csv.Rows.Count.ShouldBe(11);
        var t = csv.Values("time");
        var source = csv.Values("Source.ramp");
        var gain = csv.Values("Gain.y");
        for (var i = 0; i < t.Length; i++)
        {
            source[i].ShouldBe(9 * t[i], 1e-12, $"Source.ramp at t={t[i]}");
            gain[i].ShouldBe(source[i], $"Gain.y at t={t[i]} (k = 1, b = 0)"); // the issue saw 0.95 against 0.9 at t = 0.1
        }
    }

    [Test]
    public void Run_GsHoldMeanOnFeedthroughInput_StillReproducesTheSource()
    {
        var output = Path.Combine(_dir, "mean.csv");
        var run = CosimProcess.Run(_dir, "run", _ssp, "--algorithm", "gauss-seidel", "--gs-hold", "mean", "--step", "0.1", "-o", output);

        run.ExitCode.ShouldBe(0, run.ToString());
        var csv = ResultCsv.Load(output);
        csv.Values("Gain.y").ShouldBe(csv.Values("Source.ramp"));
    }

    [TestCase(null)]
    [TestCase("1e-6")]
    public void Run_Tolerance_ReachesTheFmusOnlyWhenGiven(string? tolerance)
    {
        var output = Path.Combine(_dir, $"tol{tolerance}.csv");
        string[] args = ["run", _ssp, "--record", "*.tolerance*", "-o", output];
        var run = CosimProcess.Run(_dir, tolerance == null ? args : [.. args, "--tolerance", tolerance]);

        run.ExitCode.ShouldBe(0, run.ToString());
        var csv = ResultCsv.Load(output);
        foreach (var unit in new[] { "Source", "Gain" })
        {
            csv.Values(unit + ".toleranceDefined").ShouldAllBe(v => v == (tolerance == null ? 0 : 1), unit);
            csv.Values(unit + ".toleranceGiven").ShouldAllBe(v => v == (tolerance == null ? 0 : 1e-6), unit);
        }
    }

    [TestCase(2, "cs", null, 0.0)]
    [TestCase(3, "cs", null, 0.0)]
    [TestCase(2, "cs", "1e-7", 1e-7)]
    [TestCase(3, "cs", "1e-7", 1e-7)]
    [TestCase(3, "me", null, 1e-6)] // model exchange: the FMU is told the tolerance CoSim's integrator uses (its default experiment's)
    public void Simulate_Tolerance_CoSimulationFmuGetsOneOnlyWhenGiven(int version, string iface, string? tolerance, double expected)
    {
        var output = Path.Combine(_dir, $"sim{version}{iface}{tolerance}.csv");
        string[] args = ["simulate", ExampleFmus.Path(version, "Feedthrough"), "--interface", iface, "-o", output];
        var run = CosimProcess.Run(_dir, tolerance == null ? args : [.. args, "--tolerance", tolerance]);

        run.ExitCode.ShouldBe(0, run.ToString());
        var csv = ResultCsv.Load(output);
        csv.Values("toleranceDefined").ShouldAllBe(v => v == (expected == 0 ? 0 : 1));
        csv.Values("toleranceGiven").ShouldAllBe(v => v == expected);
    }

    [Test]
    public void Run_UnconnectedInput_IsWarnedExactlyOnce()
    {
        var run = CosimProcess.Run(_dir, "run", _ssp, "-o", Path.Combine(_dir, "warn.csv"));

        run.ExitCode.ShouldBe(0, run.ToString());
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Count(l => l.Contains("'Source.u' is not connected")).ShouldBe(1, run.ToString());
    }
}
