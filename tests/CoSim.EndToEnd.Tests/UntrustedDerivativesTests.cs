using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// `cosim simulate` and exporters' directional derivatives (issue 21, point 2), run as a user runs it, in a child
/// process under glibc's malloc checks (GLIBC_TUNABLES=glibc.malloc.check=3 with libc_malloc_debug.so.0 preloaded:
/// the first bad free aborts, deterministically). `--jacobian auto` does not call the derivatives of small systems, so
/// FMUs whose derivatives corrupt the C heap (QuirkDirectionalOverrun, the MapleSim Rectifier) run clean; asked for
/// them with `--jacobian directional`, the quirk FMU aborts (the proof that the checks would see it).
/// </summary>
public class UntrustedDerivativesTests
{
    private const string MallocDebug = "/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0";
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-derivatives-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static Dictionary<string, string> MallocChecks()
    {
        if (!File.Exists(MallocDebug)) Assert.Ignore($"{MallocDebug} is missing (Debian libc6): no malloc checks here");
        return new() { ["GLIBC_TUNABLES"] = "glibc.malloc.check=3", ["LD_PRELOAD"] = MallocDebug };
    }

    private CosimResult Simulate(Dictionary<string, string>? environment, params string[] args) =>
        CosimProcess.Run(_dir, TimeSpan.FromMinutes(2), environment, ["simulate", .. args]);

    [Test]
    public void HeapCorruptingDerivatives_AutoRunsCleanUnderMallocChecks_DirectionalAborts()
    {
        var checks = MallocChecks();
        var fmu = ExampleFmus.Path(2, "QuirkDirectionalOverrun");

        var auto = Simulate(checks, fmu, "--interface", "me", "-o", "auto.csv");
        auto.ExitCode.ShouldBe(0, auto.ToString());
        var csv = ResultCsv.Load(Path.Combine(_dir, "auto.csv"));
        for (var k = 0; k < csv.Times.Length; k++) csv.Values("x")[k].ShouldBe(Math.Exp(-2 * csv.Times[k]), 1e-6);

        var directional = Simulate(checks, fmu, "--interface", "me", "--jacobian", "directional", "-o", "directional.csv");
        directional.Crashed.ShouldBeTrue(directional.ToString()); // SIGABRT from glibc at the overrun array's free
    }

    [Test]
    public void MapleSimRectifier_AutoRunsCleanUnderMallocChecks_SeveralTimes()
    {
        var fmu = Path.Combine(ExampleFmus.RepoRoot, "..", "shared", "data", "third-party", "maplesim-2023-rectifier-me", "Rectifier.fmu");
        if (!File.Exists(fmu)) Assert.Ignore($"third-party test data not found: {Path.GetFullPath(fmu)} (../shared beside the repository; see issue 21)");
        var checks = MallocChecks();
        // Before issue 21 auto called its fmi2GetDirectionalDerivative (4 states) and the run aborted with exit 134 in
        // about 2 runs of 3 without the checks, always with them.
        for (var run = 1; run <= 3; run++)
        {
            var result = Simulate(checks, fmu, "-o", $"rectifier{run}.csv");
            result.ExitCode.ShouldBe(0, $"run {run}: {result}");
            ResultCsv.Load(Path.Combine(_dir, $"rectifier{run}.csv")).Times[^1].ShouldBe(0.1, 1e-12);
        }
    }

    [Test]
    public void WrongDerivatives_AutoWarnsNamingTheFmuAndEqualsDense()
    {
        var fmu = ExampleFmus.Path(2, "QuirkWrongDerivatives");

        var auto = Simulate(null, fmu, "--interface", "me", "-o", "auto.csv");
        var dense = Simulate(null, fmu, "--interface", "me", "--jacobian", "dense", "-o", "dense.csv");

        auto.ExitCode.ShouldBe(0, auto.ToString());
        dense.ExitCode.ShouldBe(0, dense.ToString());
        auto.StdErr.ShouldContain("warning: [QuirkWrongDerivatives] the FMU's directional derivatives disagree with difference quotients at t = ");
        dense.StdErr.ShouldNotContain("directional derivatives");
        var a = ResultCsv.Load(Path.Combine(_dir, "auto.csv"));
        var d = ResultCsv.Load(Path.Combine(_dir, "dense.csv"));
        a.Times.ShouldBe(d.Times);
        foreach (var name in new[] { "x1", "x72" })
            for (var k = 0; k < a.Times.Length; k++)
                a.Values(name)[k].ShouldBe(d.Values(name)[k], 1e-6, $"{name} at t = {a.Times[k]}");
        for (var k = 0; k < a.Times.Length; k++) a.Values("x1")[k].ShouldBe(Math.Exp(-a.Times[k]), 1e-6); // x1' = -x1
    }
}
