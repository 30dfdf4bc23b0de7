using System.Text.Json.Nodes;
using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>Every result gets RESULT.provenance.json; <c>cosim rerun</c> redoes the run and checks the result byte for byte.</summary>
public class ProvenanceTests
{
    private string _dir = "";

    [OneTimeSetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-provenance-").FullName;

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static JsonNode ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    [Test]
    public void Simulate_Completes_ProvenanceRecordsRunInputsAndOutcome()
    {
        var fmu = ExampleFmus.Path(2, "Tank");
        var result = CosimProcess.Run(_dir, "simulate", fmu, "--stop", "10", "--step", "0.5", "--set", "h0=0.3", "-o", "tank.csv");

        result.ExitCode.ShouldBe(0, result.ToString());
        var p = ReadJson(Path.Combine(_dir, "tank.csv.provenance.json"));
        p["outcome"]!.GetValue<string>().ShouldBe("completed");
        p["error"].ShouldBeNull();
        p["arguments"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["simulate", fmu, "--stop", "10", "--step", "0.5", "--set", "h0=0.3", "-o", "tank.csv"]);
        p["workingDirectory"]!.GetValue<string>().ShouldBe(_dir);
        var component = p["components"]![0]!;
        component["source"]!.GetValue<string>().ShouldBe(fmu);
        component["sha256"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(fmu))));
        p["parameters"]!["Tank.h0"]!.GetValue<string>().ShouldBe("0.3");
        p["stop"]!.GetValue<double>().ShouldBe(10);
        p["step"]!.GetValue<double>().ShouldBe(0.5);
        p["statistics"]!["steps"]!.GetValue<long>().ShouldBe(20);
        p["cosimVersion"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        var started = DateTime.Parse(p["startedUtc"]!.GetValue<string>(), null, System.Globalization.DateTimeStyles.RoundtripKind);
        var ended = DateTime.Parse(p["endedUtc"]!.GetValue<string>(), null, System.Globalization.DateTimeStyles.RoundtripKind);
        started.Kind.ShouldBe(DateTimeKind.Utc);
        ended.ShouldBeGreaterThanOrEqualTo(started);
        (DateTime.UtcNow - ended).ShouldBeLessThan(TimeSpan.FromMinutes(5));
    }

    [Test]
    public void Simulate_FmuFails_ProvenanceSaysFailedWithError()
    {
        var result = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "FaultError"), "-o", "fault.csv");

        result.ExitCode.ShouldBe(1, result.ToString());
        var p = ReadJson(Path.Combine(_dir, "fault.csv.provenance.json"));
        p["outcome"]!.GetValue<string>().ShouldBe("failed");
        p["error"]!.GetValue<string>().ShouldContain("simulated failure in doStep at t=0.5");
        p["statistics"].ShouldBeNull();
    }

    [Test]
    public void Rerun_SameTankLoopRun_Identical_ChangedParameter_Different()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", Path.Combine(_dir, "loop"));
        var run = CosimProcess.Run(_dir, "run", ssp, "--stop", "20", "--step", "0.05", "-o", "loop.csv");
        run.ExitCode.ShouldBe(0, run.ToString());
        var provenance = Path.Combine(_dir, "loop.csv.provenance.json");

        var same = CosimProcess.Run(_dir, "rerun", provenance);
        same.ExitCode.ShouldBe(0, same.ToString());
        same.StdOut.ShouldContain("identical");

        // The same run with a different tank start level, as if the recorded command line had said so.
        var json = ReadJson(provenance);
        json["arguments"]!.AsArray().Add("--set");
        json["arguments"]!.AsArray().Add("Tank.h0=0.9");
        var edited = Path.Combine(_dir, "edited.provenance.json");
        File.WriteAllText(edited, json.ToJsonString());
        var changed = CosimProcess.Run(_dir, "rerun", edited);
        changed.ExitCode.ShouldBe(1, changed.ToString());
        changed.StdOut.ShouldContain("different:");
        changed.StdOut.ShouldContain("row 1 (time 0)");
    }

    [Test]
    public void Rerun_SourceChangedOrMissing_BadInputNamingIt()
    {
        var fmu = Path.Combine(_dir, "MyTank.fmu");
        File.Copy(ExampleFmus.Path(2, "Tank"), fmu, overwrite: true);
        CosimProcess.Run(_dir, "simulate", fmu, "--stop", "2", "-o", "mytank.parquet").ExitCode.ShouldBe(0);
        var provenance = Path.Combine(_dir, "mytank.parquet.provenance.json");
        CosimProcess.Run(_dir, "rerun", provenance).ExitCode.ShouldBe(0);

        File.AppendAllText(fmu, "x"); // a different file under the same name
        var changed = CosimProcess.Run(_dir, "rerun", provenance);
        changed.ExitCode.ShouldBe(2, changed.ToString());
        changed.StdErr.ShouldContain($"component 'MyTank' source {fmu} changed since the run");

        var missing = CosimProcess.Run(_dir, "rerun", Path.Combine(_dir, "nothing.provenance.json"));
        missing.ExitCode.ShouldBe(2);
        missing.StdErr.ShouldContain("nothing.provenance.json: no such file");
    }

    [Test]
    public void Simulate_OutputToStdout_NoProvenanceAndNoWarning()
    {
        var result = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--stop", "1", "-o", "/dev/stdout");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("time,");
        result.StdErr.ShouldNotContain("provenance");
    }
}
