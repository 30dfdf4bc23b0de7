using System.Diagnostics;
using System.Globalization;
using CoSim.TestSupport;

namespace CoSim.Kafka.Tests;

/// <summary>
/// How a Kafka run ends when the stream or the broker fails: a malformed message with skipMalformed false, a broker
/// killed mid-run, a rerun whose broker is gone or whose configuration was edited, a stream that stalls before the first
/// point. Each test has its own broker process (some kill it), a real Tank FMU and the real cosim command.
/// </summary>
[NonParallelizable]
public class KafkaFailureTests
{
    private LocalBroker _broker = null!;
    private string _folder = "";
    private const double Step = 0.1;

    [SetUp]
    public void SetUp()
    {
        Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "cosim-kafka-fail-" + Guid.NewGuid().ToString("N")));
        _broker = new LocalBroker();
    }

    [TearDown]
    public void TearDown()
    {
        _broker.Dispose();
        Directory.Delete(_folder, true);
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static double Valve(int i) => 0.5 + 0.4 * Math.Sin(i * 0.3);

    private static string Message(double time, double valve) => $"{{\"ts\": {F(time)}, \"data\": {{\"valve\": {F(valve)}}}}}";

    private string Config(string topic, double stallTimeout = 30, bool skipMalformed = true, string interpolation = "linear", double lateness = 0, string late = "drop",
        string? sink = null)
    {
        var path = Path.Combine(_folder, topic + ".json");
        var sinks = sink == null ? "" : $$""", "sinks": [{"topic": "{{sink}}", "signals": ["valve"]}]""";
        File.WriteAllText(path, $$"""
            {"bootstrapServers": "{{_broker.Bootstrap}}",
             "properties": {"session.timeout.ms": "6000", "heartbeat.interval.ms": "1000"},
             "sources": [{"topic": "{{topic}}", "groupId": "{{topic}}-group", "timeField": "ts", "epoch": 0,
                          "signals": [{"input": "valve", "path": "data.valve", "interpolation": "{{interpolation}}"}],
                          "allowedLateness": {{F(lateness)}}, "late": "{{late}}",
                          "stallTimeout": {{F(stallTimeout)}}, "skipMalformed": {{(skipMalformed ? "true" : "false")}}}]{{sinks}}}
            """);
        return path;
    }

    private CosimResult Simulate(double stop, double step, params string[] more) =>
        CosimProcess.Run(_folder, TimeSpan.FromMinutes(3),
            ["simulate", ExampleFmus.Path(2, "Tank"), "--stop", F(stop), "--step", F(step), "--record", "valve", "--record", "level", .. more]);

    /// <summary>
    /// 30 good messages, then one that is not JSON: the run applies every point the stream had passed before it (0..2.9 s),
    /// fails at the next one naming the message and its place, and keeps those rows, equal to the run fed by the same samples.
    /// </summary>
    [Test]
    public void Run_MalformedMessageWithSkipMalformedFalse_FailsAfterItsPredecessorsEventTimeKeepingTheRowsBefore()
    {
        _broker.CreateTopic("valve-bad");
        Kcat.Produce(_broker.Bootstrap, "valve-bad", [.. Enumerable.Range(0, 30).Select(i => Message(i / 10.0, Valve(i))), "{not json", .. Enumerable.Range(30, 21).Select(i => Message(i / 10.0, Valve(i)))]);

        var r = Simulate(5, Step, "--kafka", Config("valve-bad", skipMalformed: false), "-o", "out.csv");

        r.ExitCode.ShouldBe(1, r.ToString());
        r.StdErr.ShouldContain("kafka source 'valve-bad': message at partition 0 offset 30, after event time 2.9 (t=2.9 s): not JSON");
        r.StdErr.ShouldContain("\"skipMalformed\": true skips");
        var result = ResultCsv.Load(Path.Combine(_folder, "out.csv"));
        // Points 0..2.9 were applied; the step from 2.9 was made and recorded, then t=3.0 had no final value.
        result.Times[^1].ShouldBe(3.0, 1e-12);
        var valve = result.Values("valve");
        for (var k = 1; k < result.Rows.Count; k++) valve[k].ShouldBe(Valve(k - 1), $"t={result.Times[k]}");
    }

    /// <summary>
    /// The broker process killed while the run waits for the stream: the stall clock fires at stallTimeout (not after
    /// librdkafka's own reconnect and close timeouts), and the wait says so on the way.
    /// </summary>
    [Test]
    public void Run_BrokerKilledMidRun_StallFiresAtTheConfiguredTimeWithProgressMeanwhile()
    {
        _broker.CreateTopic("valve-kill");
        Kcat.Produce(_broker.Bootstrap, "valve-kill", Enumerable.Range(0, 21).Select(i => Message(i / 10.0, Valve(i))));
        const double stall = 6;
        _broker.CreateTopic("out-kill");
        var run = Task.Run(() => Simulate(5, Step, "--kafka", Config("valve-kill", stallTimeout: stall, sink: "out-kill"), "-o", "out.csv"));
        // Once the run has taken the 21 messages it waits at t=2.1 (linear: it needs the sample after 2.0); its sink has
        // published the points up to 2.0 by then. Then the broker dies.
        var clock = Stopwatch.StartNew();
        while (Kcat.ConsumeAll(_broker.Bootstrap, "out-kill").Count < 21)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60) || run.IsCompleted) Assert.Fail("the run did not start: " + (run.IsCompleted ? run.Result.ToString() : "timeout"));
            Thread.Sleep(100);
        }
        _broker.Kill();
        var killed = clock.Elapsed;

        if (!run.Wait(TimeSpan.FromMinutes(3))) Assert.Fail("cosim did not finish");
        var after = clock.Elapsed - killed;
        var r = run.Result;
        r.ExitCode.ShouldBe(1, r.ToString());
        // The clock is checked every 0.1 s: on a loaded machine it may say 6.1 s.
        if (!System.Text.RegularExpressions.Regex.IsMatch(r.StdErr, $@"stream stalled: no message for {F(stall)}(\.\d)? s while waiting for event time 2\.1")) Assert.Fail(r.ToString());
        r.StdErr.ShouldContain("waiting for event time 2.1 (t=2.1 s): no message for 2 s (the run fails as stalled at 6 s)");
        after.TotalSeconds.ShouldBeLessThan(stall + 8, r.ToString()); // the stall time, plus the process's start and a bounded close
        ResultCsv.Load(Path.Combine(_folder, "out.csv")).Times[^1].ShouldBe(2.1, 1e-12);
    }

    /// <summary>
    /// A rerun of a Kafka run whose broker is gone cannot read the recorded offsets: exit 2, "cannot be redone", before any
    /// FMU is started (so no fmi2Terminate in initialization mode either), not "different".
    /// </summary>
    [Test]
    public void Rerun_BrokerGone_ExitsTwoCannotBeRedone()
    {
        _broker.CreateTopic("valve-gone");
        Kcat.Produce(_broker.Bootstrap, "valve-gone", Enumerable.Range(0, 21).Select(i => Message(i / 10.0, Valve(i))));
        var run = Simulate(2, Step, "--kafka", Config("valve-gone"), "-o", "out.csv");
        run.ExitCode.ShouldBe(0, run.ToString());
        _broker.Kill();

        var rerun = CosimProcess.Run(_folder, TimeSpan.FromMinutes(3), ["rerun", "out.csv.provenance.json"]);

        rerun.ExitCode.ShouldBe(2, rerun.ToString());
        rerun.StdErr.ShouldContain("kafka source 'valve-gone': cannot be redone: the recorded offsets are not readable (broker " + _broker.Bootstrap);
        rerun.StdOut.ShouldNotContain("different");
        (rerun.StdOut + rerun.StdErr).ShouldNotContain("fmi2Terminate");
    }

    /// <summary>The Kafka configuration is an input of the run: hashed in the provenance, so a rerun refuses an edited one, naming it.</summary>
    [Test]
    public void Rerun_KafkaConfigEdited_RefusedNamingTheFile()
    {
        _broker.CreateTopic("valve-edit");
        Kcat.Produce(_broker.Bootstrap, "valve-edit", Enumerable.Range(0, 21).Select(i => Message(i / 10.0, Valve(i))));
        var config = Config("valve-edit");
        var run = Simulate(2, Step, "--kafka", config, "-o", "out.csv");
        run.ExitCode.ShouldBe(0, run.ToString());
        File.ReadAllText(Path.Combine(_folder, "out.csv.provenance.json")).ShouldContain("valve-edit.json");

        File.WriteAllText(config, File.ReadAllText(config).Replace("\"linear\"", "\"hold\""));
        var rerun = CosimProcess.Run(_folder, TimeSpan.FromMinutes(3), ["rerun", "out.csv.provenance.json"]);

        rerun.ExitCode.ShouldBe(2, rerun.ToString());
        rerun.StdErr.ShouldContain($"input file {config} changed since the run");
    }

    /// <summary>
    /// The stream stalls before the first point, while the FMU is in initialization mode: the run fails as stalled, and the
    /// engine does not call fmi2Terminate there (FMI 2 forbids it; the FMU is freed instead).
    /// </summary>
    [Test]
    public void Run_StallDuringInitialization_FailsWithoutTerminateInInitializationMode()
    {
        _broker.CreateTopic("valve-empty");

        var r = Simulate(1, Step, "--kafka", Config("valve-empty", stallTimeout: 1), "-o", "out.csv", "--verbose");

        r.ExitCode.ShouldBe(1, r.ToString());
        if (!r.StdErr.Contains("kafka source 'valve-empty': stream stalled")) Assert.Fail(r.ToString());
        r.StdErr.ShouldNotContain("not allowed in state InitializationMode");
    }

    /// <summary>
    /// A late message deferred to the next point, but a newer sample comes before that point (step 1 s, samples every 0.1 s):
    /// the late value never reaches the input, the result equals the clean run's, and the summary says it was superseded,
    /// not applied.
    /// </summary>
    [Test]
    public void Run_LateNextSupersededBeforeTheNextPoint_CountedAsSupersededAndTheResultIsTheCleanRuns()
    {
        double[] order = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.25, .. Enumerable.Range(6, 25).Select(i => i / 10.0)];
        _broker.CreateTopic("valve-late");
        _broker.CreateTopic("valve-clean");
        Kcat.Produce(_broker.Bootstrap, "valve-late", order.Select(t => Message(t, 0.1 + t)));
        Kcat.Produce(_broker.Bootstrap, "valve-clean", order.Where(t => t != 0.25).Select(t => Message(t, 0.1 + t)));

        var late = Simulate(2, 1, "--kafka", Config("valve-late", interpolation: "hold", lateness: 0.15, late: "next"), "-o", "late.csv");
        var clean = Simulate(2, 1, "--kafka", Config("valve-clean", interpolation: "hold", lateness: 0.15, late: "next"), "-o", "clean.csv");

        late.ExitCode.ShouldBe(0, late.ToString());
        clean.ExitCode.ShouldBe(0, clean.ToString());
        late.StdOut.ShouldContain("1 late: 0 dropped, 0 applied at the next point, 1 superseded by a newer sample before the next point");
        File.ReadAllBytes(Path.Combine(_folder, "late.csv")).ShouldBe(File.ReadAllBytes(Path.Combine(_folder, "clean.csv")));
    }
}
