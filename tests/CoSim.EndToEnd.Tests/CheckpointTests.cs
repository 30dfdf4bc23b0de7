using System.Diagnostics;
using System.Text;
using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// Whole-system checkpoints through the real <c>cosim</c> command: a run with <c>--checkpoint-every</c> writes
/// <c>t=T.ckpt</c> files; its result file is then damaged after a checkpoint (what a crash leaves: rows missing or
/// wrong) and <c>cosim resume</c> must make it byte-identical to the run that was never interrupted, for every kind
/// of component. A real process is also SIGKILLed mid-run. Refusals name what cannot be saved or what changed.
/// </summary>
public class CheckpointTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-checkpoint-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private CosimResult Cosim(params string[] args) => CosimProcess.Run(_dir, args);

    private string At(string name) => Path.Combine(_dir, name);

    /// <summary>
    /// Runs <paramref name="run"/> into full.csv with checkpoints every <paramref name="every"/> s into ck/, copies the result
    /// to part.csv, cuts part.csv inside the rows after the checkpoint at <paramref name="resumeAt"/> and appends wrong rows (a
    /// crash's leftovers), resumes into the run's own file and into -o other.csv: both must equal the uninterrupted result.
    /// </summary>
    private byte[] RunDamageAndResume(string[] run, double every, double resumeAt)
    {
        var full = Cosim([.. run, "-o", "part.csv", "--checkpoint-every", F(every), "--checkpoint-dir", "ck"]);
        full.ExitCode.ShouldBe(0, full.ToString());
        var expected = File.ReadAllBytes(At("part.csv"));
        var checkpoint = At($"ck/t={F(resumeAt)}.ckpt");
        File.Exists(checkpoint).ShouldBeTrue($"no {checkpoint}; ck/ has {string.Join(", ", Directory.GetFiles(At("ck")).Select(Path.GetFileName))}");

        // The crash: the file ends in the middle of a row some way after the checkpoint, followed by rows that are not the run's.
        var cut = expected.Length - (expected.Length - RowsEnd(expected, resumeAt)) / 3;
        File.WriteAllBytes(At("part.csv"), [.. expected.AsSpan(0, cut), .. "9,9,9\n9,9,9\n"u8]);

        var resumed = Cosim("resume", checkpoint);
        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        File.ReadAllBytes(At("part.csv")).ShouldBe(expected, "resumed into the run's own file");
        File.Exists(At("part.csv.resuming")).ShouldBeFalse();

        var other = Cosim("resume", checkpoint, "-o", "other.csv");
        other.ExitCode.ShouldBe(0, other.ToString());
        File.ReadAllBytes(At("other.csv")).ShouldBe(expected, "resumed into another file");
        return expected;
    }

    /// <summary>The byte offset just after the row of time <paramref name="t"/> (the rows a checkpoint at t keeps).</summary>
    private static int RowsEnd(byte[] csv, double t)
    {
        var text = Encoding.UTF8.GetString(csv);
        var row = text.IndexOf("\n" + F(t) + ",", StringComparison.Ordinal);
        row.ShouldBeGreaterThan(0, $"no row at t={F(t)}");
        return Encoding.UTF8.GetByteCount(text[..(text.IndexOf('\n', row + 1) + 1)]);
    }

    private static string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void Resume_TankLoopGaussSeidel_ByteIdenticalToUninterruptedAndToRunWithoutCheckpoints()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", At("sys"));
        string[] run = ["run", ssp, "--algorithm", "gauss-seidel", "--stop", "200", "--step", "0.5"];
        var expected = RunDamageAndResume(run, every: 50, resumeAt: 100);

        Directory.GetFiles(At("ck")).Select(Path.GetFileName).Order().ShouldBe(["t=100.ckpt", "t=150.ckpt", "t=50.ckpt"]);
        var plain = Cosim([.. run, "-o", "plain.csv"]);
        plain.ExitCode.ShouldBe(0, plain.ToString());
        File.ReadAllBytes(At("plain.csv")).ShouldBe(expected, "saving the co-simulation FMUs' states does not change the run");
    }

    [Test]
    public void Resume_ModelExchangeBouncingBall_EventsAfterTheCheckpoint_ByteIdentical()
    {
        string[] run = ["simulate", ExampleFmus.Path(2, "BouncingBall"), "--interface", "me", "--stop", "3", "--step", "0.01"];
        var expected = RunDamageAndResume(run, every: 1, resumeAt: 1);
        var csv = ResultCsv.Load(At("part.csv"));
        var v = csv.Values("v");
        var bouncesAfter = Enumerable.Range(1, v.Length - 1).Count(i => csv.Times[i] > 1 && v[i - 1] < 0 && v[i] > 0);
        bouncesAfter.ShouldBeGreaterThan(0, "the resumed part has state events");

        // The integrator restarts at each checkpoint (as at an event): a run without checkpoints differs only within the tolerance.
        var plain = Cosim([.. run, "-o", "plain.csv"]);
        plain.ExitCode.ShouldBe(0, plain.ToString());
        var h = ResultCsv.Load(At("plain.csv")).Values("h");
        var hc = csv.Values("h");
        h.Length.ShouldBe(hc.Length);
        h.Zip(hc).Max(p => Math.Abs(p.First - p.Second)).ShouldBeLessThan(1e-3);
        expected.Length.ShouldBeGreaterThan(0);
    }

    [Test]
    public void Resume_StronglyCoupledGroup_ByteIdentical()
    {
        var ssp = ExampleSystems.BuildSsp("SplitMassSpringDamper", At("sys"));
        RunDamageAndResume(["run", ssp, "--algorithm", "strong", "--stop", "2", "--step", "0.01"], every: 0.5, resumeAt: 1);
    }

    [Test]
    public void Resume_IsolatedFmu_StateThroughTheHostProcess_ByteIdentical()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", At("sys"));
        RunDamageAndResume(["run", ssp, "--algorithm", "gauss-seidel", "--isolate", "Tank", "--stop", "100", "--step", "0.5"], every: 25, resumeAt: 50);
    }

    [Test]
    public void Resume_PluginWithStateOutsideItsVariables_ByteIdentical()
    {
        // The PID's last sample (error, measurement, gain) lives outside its variables and goes through the SDK's WriteState hook;
        // a sample period of 0.7 s on a 0.5 s step puts samples between communication points.
        RunDamageAndResume(["simulate", ExampleFmus.Path(2, "Tank"), "--plugin", ExamplePlugins.Path("CoSim.Plugins.Pid") + "=Pid",
            "--connect", "Pid.u=Tank.valve", "--connect", "Tank.level=Pid.measurement", "--set", "Pid.setpoint=1.2", "--set", "Pid.kp=2",
            "--set", "Pid.ki=0.3", "--set", "Pid.kd=0.5", "--set", "Pid.Tf=1", "--set", "Pid.Ts=0.7", "--set", "Pid.uMin=0", "--stop", "40", "--step", "0.5"],
            every: 10, resumeAt: 20);
    }

    [Test]
    public void Resume_ReplayedHistorianRun_ByteIdentical()
    {
        var skab = Path.GetFullPath(Path.Combine(ExampleFmus.RepoRoot, "..", "shared", "data", "skab", "valve1", "0.csv"));
        if (!File.Exists(skab)) Assert.Ignore($"SKAB data not found at {skab}");
        RunDamageAndResume(["simulate", ExampleFmus.Path(2, "Pump"), "--replay", skab, "--replay-map", "Voltage[V]=voltage",
            "--stop", "60", "--step", "0.5"], every: 20, resumeAt: 40);
    }

    [Test]
    public void Resume_ScenarioWithActiveFaultsAndPendingEvents_ByteIdenticalAndSameVerdicts()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", At("sys"));
        // At the checkpoint (t=100): the valve is stuck (80..140, holding the value it had at 80 s), the sensor is delayed
        // (a delay line of 3 s) and noisy; the setpoint change at 150 s is still pending and the When event has its edge state.
        File.WriteAllText(At("s.csx"), $$"""
            var loop = Ssp(@"{{ssp}}");
            var tank = loop["Tank"];
            var pump = loop["Pump"];
            var controller = loop["Controller"];
            Algorithm = MasterAlgorithm.GaussSeidel;
            Step = 0.5;
            Stop = 200;
            Record("Tank.level", "Pump.valve", "Controller.u");
            StuckAt(pump["valve"]).From(80).For(60).Named("valve stuck");
            Delay(tank["level"], 3).From(20).Named("slow sensor");
            Noise(tank["level"], 0.002, seed: 7).From(90).Named("noisy sensor");
            At(150, () => Set(controller["setpoint"], 1.2), "raise setpoint");
            When(tank["level"], h => h > 1.1, () => Set(controller["setpoint"], 1.0), "back down");
            Assert.StaysWithin(tank["level"], 0, 2);
            """);
        RunDamageAndResume(["run", "s.csx"], every: 50, resumeAt: 100);
        var resumed = Cosim("resume", At("ck/t=100.ckpt"), "-o", "again.csv");
        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        (resumed.StdOut + resumed.StdErr).ShouldContain("raise setpoint");
    }

    [Test]
    public void Fork_EightBranchesFromOneState_EachEqualsAFreshRunWithItsChangeFromTheForkTime()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", At("sys"));
        string Script(string branches) => $$"""
            var loop = Ssp(@"{{ssp}}");
            var tank = loop["Tank"];
            var controller = loop["Controller"];
            Algorithm = MasterAlgorithm.GaussSeidel;
            Step = 0.5;
            Stop = 200;
            Record("Tank.level", "Pump.valve", "Controller.u");
            var setpoint = Case("setpoint", 1.0);
            var bias = Case("bias", 0.0);
            At(100, () => Set(controller["setpoint"], setpoint), "new setpoint");
            Bias(tank["level"], bias).From(100).Named("sensor bias");
            Assert.StaysWithin(tank["level"], 0, 2);
            {{branches}}
            """;
        File.WriteAllText(At("fork.csx"), Script("""Fork(100, ("setpoint", new[] { 0.6, 0.9, 1.2, 1.5 }), ("bias", new[] { 0.0, 0.05 }));"""));
        File.WriteAllText(At("fresh.csx"), Script("""SweepGrid(("setpoint", new[] { 0.6, 0.9, 1.2, 1.5 }), ("bias", new[] { 0.0, 0.05 }));"""));

        var fork = Cosim("run", "fork.csx", "-o", "fork.csv");
        var fresh = Cosim("run", "fresh.csx", "-o", "fresh.csv");

        fork.ExitCode.ShouldBe(0, fork.ToString());
        fresh.ExitCode.ShouldBe(0, fresh.ToString());
        for (var i = 1; i <= 8; i++)
            File.ReadAllBytes(At($"fork.case-{i}.csv")).ShouldBe(File.ReadAllBytes(At($"fresh.case-{i}.csv")), $"branch {i}");
        File.ReadAllBytes(At("fork.case-1.csv")).ShouldNotBe(File.ReadAllBytes(At("fork.case-8.csv")), "the branches differ");
        File.ReadAllLines(At("fork.summary.csv")).Length.ShouldBe(9, "a verdict row per branch");
        Directory.Exists(At(".fork.fork")).ShouldBeFalse("the fork point's folder is removed");
    }

    [Test]
    public void Fork_ComponentCannotSaveItsState_BranchesResimulateFromTheStartWithAWarningOfTheCost()
    {
        File.WriteAllText(At("f.csx"), $$"""
            var f = Fmu(@"{{ExampleFmus.Path(2, "NoState")}}");
            Step = 0.1;
            Stop = 1;
            var k = Case("k", 0.0);
            Fork(0.5, ("k", new[] { 1.0, 2.0 }));
            """);
        var r = Cosim("run", "f.csx", "-o", "f.csv");
        r.ExitCode.ShouldBe(0, r.ToString());
        r.StdErr.ShouldContain("component 'NoState'");
        r.StdErr.ShouldContain("each of the 2 branches re-simulates from t=0 s to the fork instead (the run up to the fork 2 times");
        File.Exists(At("f.case-2.csv")).ShouldBeTrue();
    }

    [Test]
    public void Resume_AfterSigkillOfARealProcess_ResultEqualsUninterruptedRun()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", At("sys"));
        string[] run = ["run", ssp, "--algorithm", "gauss-seidel", "--stop", "200", "--step", "0.1"];
        var reference = Cosim([.. run, "-o", "reference.csv"]);
        reference.ExitCode.ShouldBe(0, reference.ToString());

        // Paced at 100x real time (2 s of wall time), so that the kill lands mid-run after the first checkpoint.
        using (var p = CosimProcess.Start(_dir, [.. run, "--real-time", "100", "-o", "killed.csv", "--checkpoint-every", "50", "--checkpoint-dir", "ck"]))
        {
            var watch = Stopwatch.StartNew();
            while (!File.Exists(At("ck/t=50.ckpt")) && !p.HasExited && watch.Elapsed < TimeSpan.FromMinutes(1)) Thread.Sleep(20);
            p.HasExited.ShouldBeFalse("the run ended before it could be killed");
            p.Kill(); // SIGKILL
            p.WaitForExit();
        }
        var checkpoints = Directory.GetFiles(At("ck"), "*.ckpt").OrderBy(f => double.Parse(Path.GetFileNameWithoutExtension(f)[2..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        checkpoints.ShouldNotBeEmpty();
        File.ReadAllBytes(At("killed.csv")).ShouldNotBe(File.ReadAllBytes(At("reference.csv")), "the kill interrupted the run");

        var resumed = Cosim("resume", checkpoints[^1]);
        resumed.ExitCode.ShouldBe(0, resumed.ToString());
        File.ReadAllBytes(At("killed.csv")).ShouldBe(File.ReadAllBytes(At("reference.csv")));
    }

    [Test]
    public void CheckpointEvery_FmuThatCannotSaveItsState_RefusedNamingIt()
    {
        var r = Cosim("simulate", ExampleFmus.Path(2, "NoState"), "--stop", "1", "--checkpoint-every", "0.5", "--checkpoint-dir", "ck", "-o", "n.csv");
        r.ExitCode.ShouldBe(2, r.ToString());
        r.StdErr.ShouldContain("component 'NoState'");
        r.StdErr.ShouldContain("canGetAndSetFMUstate is false");
    }

    [Test]
    public void CheckpointEvery_PluginWithoutTheSdkHook_RefusedNamingIt()
    {
        var r = Cosim("simulate", ExampleFmus.Path(2, "Tank"), "--plugin", ExamplePlugins.Path("CoSim.Plugins.TestPlugin") + ":Integrator=Sum",
            "--connect", "Tank.level=Sum.u", "--stop", "2", "--checkpoint-every", "1", "--checkpoint-dir", "ck", "-o", "s.csv");
        r.ExitCode.ShouldBe(2, r.ToString());
        r.StdErr.ShouldContain("component 'Sum'");
        r.StdErr.ShouldContain("override WriteState and ReadState");
    }

    [Test]
    public void Resume_ChangedFmuOrOtherBuild_RefusedWithTheReason()
    {
        var fmu = At("Tank.fmu");
        File.Copy(ExampleFmus.Path(2, "Tank"), fmu);
        var run = Cosim("simulate", fmu, "--stop", "10", "--checkpoint-every", "5", "--checkpoint-dir", "ck", "-o", "t.csv");
        run.ExitCode.ShouldBe(0, run.ToString());
        var checkpoint = At("ck/t=5.ckpt");

        // Another build: the manifest's build id differs.
        var bytes = File.ReadAllBytes(checkpoint);
        var text = Encoding.Latin1.GetString(bytes);
        var id = System.Text.RegularExpressions.Regex.Match(text, "\"build\":\"([0-9a-f]{16})\"").Groups[1].Value;
        id.Length.ShouldBe(16);
        File.WriteAllBytes(At("other-build.ckpt"), Encoding.Latin1.GetBytes(text.Replace(id, "0123456789abcdef")));
        var other = Cosim("resume", "other-build.ckpt");
        other.ExitCode.ShouldBe(2, other.ToString());
        other.StdErr.ShouldContain("written by another CoSim build");

        using (var f = File.Open(fmu, FileMode.Append)) f.WriteByte(0);
        var changed = Cosim("resume", checkpoint);
        changed.ExitCode.ShouldBe(2, changed.ToString());
        changed.StdErr.ShouldContain("changed since the checkpoint");
        changed.StdErr.ShouldContain("Tank.fmu");
    }
}
