using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CoSim.TestSupport;

namespace CoSim.Kafka.Tests;

/// <summary>
/// kcat -> broker (the project's mock-cluster program, its own process) -> cosim (a real Tank FMU, valve from
/// Kafka) -> broker (sink) -> kcat: values, times, lateness policies, a broker outage and exact replay.
/// </summary>
[NonParallelizable]
public class KafkaRunTests
{
    private LocalBroker _broker = null!;
    private string _folder = "";
    private const double Step = 0.1;

    [OneTimeSetUp]
    public void StartBroker() => _broker = new LocalBroker();

    [OneTimeTearDown]
    public void StopBroker() => _broker?.Dispose();

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "cosim-kafka-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, true);

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The known signal: a valve opening that changes at every sample.</summary>
    private static double Valve(int i) => 0.5 + 0.4 * Math.Sin(i * 0.3);

    private static string Message(double time, double valve) => $"{{\"ts\": {F(time)}, \"data\": {{\"valve\": {F(valve)}}}}}";

    private string Config(string topic, string? sink = null, string interpolation = "linear", double lateness = 0, string late = "drop", double stallTimeout = 30,
        int buffer = 10000, string overflow = "block")
    {
        var path = Path.Combine(_folder, topic + ".json");
        var sinks = sink == null ? "" : $$""", "sinks": [{"topic": "{{sink}}", "signals": ["valve", "level"]}]""";
        File.WriteAllText(path, $$"""
            {"bootstrapServers": "{{_broker.Bootstrap}}",
             "properties": {"session.timeout.ms": "6000", "heartbeat.interval.ms": "1000"},
             "sources": [{"topic": "{{topic}}", "groupId": "{{topic}}-group", "timeField": "ts", "epoch": 0,
                          "signals": [{"input": "valve", "path": "data.valve", "interpolation": "{{interpolation}}"}],
                          "allowedLateness": {{F(lateness)}}, "late": "{{late}}", "stallTimeout": {{F(stallTimeout)}},
                          "buffer": {{buffer}}, "overflow": "{{overflow}}"}]{{sinks}}}
            """);
        return path;
    }

    private CosimResult Simulate(double stop, double step, params string[] more) =>
        CosimProcess.Run(_folder, TimeSpan.FromMinutes(3),
            ["simulate", ExampleFmus.Path(2, "Tank"), "--stop", F(stop), "--step", F(step), "--record", "valve", "--record", "level", .. more]);

    /// <summary>The same run fed from a CSV table of the same samples: the reference a Kafka-fed run must equal bit for bit.</summary>
    private string TableRun(int samples, double stop)
    {
        var table = Path.Combine(_folder, "table.csv");
        File.WriteAllLines(table, ["time,valve", .. Enumerable.Range(0, samples).Select(i => $"{F(i / 10.0)},{F(Valve(i))}")]);
        var r = Simulate(stop, Step, "--input", table, "-o", "table_out.csv");
        r.ExitCode.ShouldBe(0, r.ToString());
        return Path.Combine(_folder, "table_out.csv");
    }

    private static JsonElement SourceReport(string result, string topic) =>
        JsonDocument.Parse(File.ReadAllText(result + ".provenance.json")).RootElement.GetProperty("reports").GetProperty("kafka:source:" + topic);

    [Test]
    public void Run_KnownSignalThroughKafka_EveryValueArrivesOnceAtItsTimeAndEqualsTheTableRun()
    {
        _broker.CreateTopic("valve-rt");
        _broker.CreateTopic("out-rt");
        Kcat.Produce(_broker.Bootstrap, "valve-rt", Enumerable.Range(0, 51).Select(i => Message(i / 10.0, Valve(i))));

        var r = Simulate(5, Step, "--kafka", Config("valve-rt", sink: "out-rt"), "-o", "out.csv");

        r.ExitCode.ShouldBe(0, r.ToString());
        r.StdOut.ShouldContain("kafka source 'valve-rt': 51 messages received (0 reordered, 0 late");
        r.StdOut.ShouldContain("kafka sink 'out-rt': 51 messages published, 51 delivered, 0 failed");
        File.ReadAllBytes(Path.Combine(_folder, "out.csv")).ShouldBe(File.ReadAllBytes(TableRun(51, 5)));

        // The sink: one message per communication point, each once, carrying the input applied for the step that ended there.
        var published = Kcat.ConsumeAll(_broker.Bootstrap, "out-rt").Select(l => JsonDocument.Parse(l).RootElement).ToList();
        published.Count.ShouldBe(51);
        var result = ResultCsv.Load(Path.Combine(_folder, "out.csv"));
        for (var k = 0; k < published.Count; k++)
        {
            published[k].GetProperty("time").GetDouble().ShouldBe(result.Times[k]);
            published[k].GetProperty("Tank.valve").GetDouble().ShouldBe(Valve(Math.Max(0, k - 1)), $"at t={result.Times[k]}");
            published[k].GetProperty("Tank.level").GetDouble().ShouldBe(result.Values("level")[k]);
            DateTime.Parse(published[k].GetProperty("wallTime").GetString()!, CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTime.UtcNow.AddMinutes(-5));
        }
        // Offsets: everything applied was committed (the sample at t=5 is after the last point, 4.9: not applied, not committed).
        var report = SourceReport(Path.Combine(_folder, "out.csv"), "valve-rt");
        report.GetProperty("partitions")[0].GetProperty("end").GetInt64().ShouldBe(51);
        report.GetProperty("committed").GetProperty("0").GetInt64().ShouldBe(50);
    }

    // Samples every 0.1 s up to 2.2 (the watermark must pass the last point, 1.975), held, stepped at 0.025 s; allowed lateness 0.15 s.
    // In topic order: 0.2 after 0.3 (reordered, sorted in), 0.25 after 0.5 (watermark 0.35: late).
    private static readonly double[] LateOrder = [0, 0.1, 0.3, 0.2, 0.4, 0.5, 0.25, .. Enumerable.Range(6, 17).Select(i => i / 10.0)];

    private static double ValueAt(double time) => 0.1 + 0.04 * time * 10;

    [TestCase("drop")]
    [TestCase("next")]
    public void Run_LateAndOutOfOrderMessages_FollowThePolicyAndAreCounted(string policy)
    {
        var topic = "late-" + policy;
        _broker.CreateTopic(topic);
        Kcat.Produce(_broker.Bootstrap, topic, LateOrder.Select(t => Message(t, ValueAt(t))));
        const double step = 0.025;

        var config = Config(topic, interpolation: "hold", lateness: 0.15, late: policy);
        var r = Simulate(2, step, "--kafka", config, "-o", "out.csv");

        r.ExitCode.ShouldBe(0, r.ToString());
        var counts = SourceReport(Path.Combine(_folder, "out.csv"), topic).GetProperty("counts");
        counts.GetProperty("received").GetInt64().ShouldBe(LateOrder.Length);
        counts.GetProperty("reordered").GetInt64().ShouldBe(1);
        counts.GetProperty("lateDropped").GetInt64().ShouldBe(policy == "drop" ? 1 : 0);
        counts.GetProperty("lateDeferred").GetInt64().ShouldBe(policy == "next" ? 1 : 0);

        // The value applied at point p: the last sample at or before p in event time; the late one (next) just after the watermark 0.35.
        var samples = LateOrder.Where(t => t != 0.25).Select(t => (Time: t, Value: ValueAt(t))).ToList();
        if (policy == "next") samples.Add((Math.BitIncrement(0.35), ValueAt(0.25)));
        double Applied(double p) => samples.Where(s => s.Time <= p).MaxBy(s => s.Time).Value;
        var result = ResultCsv.Load(Path.Combine(_folder, "out.csv"));
        var valve = result.Values("valve");
        for (var k = 1; k < result.Rows.Count; k++)
            valve[k].ShouldBe(Applied(result.Times[k - 1]), $"row t={result.Times[k]} (input applied at t={result.Times[k - 1]})");
        // At 0.375, the first point after the watermark 0.35: the late value (next) or the held 0.3 (drop).
        valve[result.Times.ToList().FindIndex(t => Math.Abs(t - 0.4) < 1e-9)].ShouldBe(policy == "next" ? ValueAt(0.25) : ValueAt(0.3));

        var replay = Simulate(2, step, "--kafka", config, "--kafka-replay", "out.csv.provenance.json", "-o", "replay.csv");
        replay.ExitCode.ShouldBe(0, replay.ToString());
        File.ReadAllBytes(Path.Combine(_folder, "replay.csv")).ShouldBe(File.ReadAllBytes(Path.Combine(_folder, "out.csv")));
    }

    /// <summary>
    /// Two partitions fed while the run goes, the second one sample behind the first: whether its samples arrive late
    /// (allowed lateness 0.05 s, applied at the next point) depends on how the run happened to take the two partitions.
    /// A rerun from the recorded offsets gets both partitions at once, in whatever order the client fetches them, and must
    /// still give the same result: it hands the messages over in the recorded order.
    /// </summary>
    [Test]
    public void Rerun_TwoPartitionsInterleavedLive_ReplaysTheRecordedOrderBitIdentically()
    {
        const string topic = "valve-two";
        _broker.CreateTopic(topic, partitions: 2);
        _broker.CreateTopic("out-two");
        var config = Config(topic, sink: "out-two", interpolation: "hold", lateness: 0.05, late: "next");
        using var producer = new PartitionProducer(_broker.Bootstrap);
        // Even tenths on partition 0, odd ones on partition 1 sent after the next even one: 0.0, 0.2, 0.1, 0.4, 0.3, ...
        void Send(int k)
        {
            producer.Send(topic, 0, Message(k * 0.2, Valve(2 * k)));
            Thread.Sleep(15);
            if (k > 0) producer.Send(topic, 1, Message(k * 0.2 - 0.1, Valve(2 * k - 1)));
            Thread.Sleep(15);
        }
        Send(0);
        Send(1);
        var run = Task.Run(() => Simulate(3, 0.05, "--kafka", config, "-o", "out.csv"));
        // The rest once the run consumes (its sink published the start), so that the two partitions arrive interleaved.
        var clock = Stopwatch.StartNew();
        while (Kcat.ConsumeAll(_broker.Bootstrap, "out-two").Count < 1)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60) || run.IsCompleted) Assert.Fail("the run did not start: " + (run.IsCompleted ? run.Result.ToString() : "timeout"));
            Thread.Sleep(50);
        }
        for (var k = 2; k <= 16; k++) Send(k);
        if (!run.Wait(TimeSpan.FromMinutes(3))) Assert.Fail("cosim did not finish");
        var r = run.Result;
        r.ExitCode.ShouldBe(0, r.ToString());
        var report = SourceReport(Path.Combine(_folder, "out.csv"), topic);
        report.GetProperty("partitions").GetArrayLength().ShouldBe(2);
        var order = report.GetProperty("order").EnumerateArray().Select(o => (Partition: o.GetProperty("partition").GetInt32(), Count: o.GetProperty("count").GetInt64())).ToList();
        order.Sum(o => o.Count).ShouldBe(report.GetProperty("counts").GetProperty("received").GetInt64());
        order.Count.ShouldBeGreaterThan(2, "the live run took the partitions interleaved");

        var rerun = CosimProcess.Run(_folder, TimeSpan.FromMinutes(3), ["rerun", "out.csv.provenance.json"]);
        rerun.ExitCode.ShouldBe(0, rerun.ToString());
        rerun.StdOut.ShouldContain("--kafka-replay");
        rerun.StdOut.ShouldContain("identical:");
        rerun.StdOut.ShouldContain($"{report.GetProperty("counts").GetProperty("received").GetInt64()} messages replayed");
    }

    [Test]
    public void Run_BrokerDownMidRun_LosesAndDuplicatesNothingReportsTheOutageAndReplaysBitIdentically()
    {
        _broker.CreateTopic("valve-outage");
        _broker.CreateTopic("out-outage");
        var config = Config("valve-outage", sink: "out-outage");
        var producer = Kcat.StartProducer(_broker.Bootstrap, "valve-outage");
        Task<CosimResult>? run = null;
        try
        {
            void Send(int from, int to)
            {
                for (var i = from; i < to; i++) producer.StandardInput.WriteLine(Message(i / 10.0, Valve(i)));
                producer.StandardInput.Flush();
            }
            Send(0, 21);
            run = Task.Run(() => Simulate(6, Step, "--kafka", config, "-o", "out.csv"));
            // Mid-run: the sink has published the first points (the run waits for the stream at t=2).
            var clock = Stopwatch.StartNew();
            while (Kcat.ConsumeAll(_broker.Bootstrap, "out-outage").Count < 10)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60) || run.IsCompleted) Assert.Fail("the run did not start: " + (run.IsCompleted ? run.Result.ToString() : "timeout"));
                Thread.Sleep(100);
            }
            _broker.Command("down");
            Thread.Sleep(1000);
            Send(21, 41); // kcat holds and retries these while the broker is down
            Thread.Sleep(1500);
            _broker.Command("up");
            Send(41, 61);
            Kcat.Finish(producer);
        }
        finally
        {
            if (!producer.HasExited) producer.Kill();
            producer.Dispose();
            if (run != null && !run.Wait(TimeSpan.FromMinutes(3))) Assert.Fail("cosim did not finish");
        }

        var r = run.Result;
        r.ExitCode.ShouldBe(0, r.ToString());
        r.StdOut.ShouldMatch(@"kafka source 'valve-outage': 1 broker outage, [0-9.]+ s in all");
        var outage = SourceReport(Path.Combine(_folder, "out.csv"), "valve-outage").GetProperty("outages")[0].GetProperty("seconds").GetDouble();
        outage.ShouldBeGreaterThan(2.0, "the broker was down 2.5 s");
        r.StdOut.ShouldContain("61 messages received (0 reordered, 0 late: 0 dropped, 0 applied at the next point; 0 malformed, 0 duplicates skipped");
        // Nothing lost, nothing applied twice: the result equals the run fed by a table of the same samples.
        File.ReadAllBytes(Path.Combine(_folder, "out.csv")).ShouldBe(File.ReadAllBytes(TableRun(61, 6)));
        var times = Kcat.ConsumeAll(_broker.Bootstrap, "out-outage").Select(l => JsonDocument.Parse(l).RootElement.GetProperty("time").GetDouble()).ToList();
        times.ToArray().ShouldBe(ResultCsv.Load(Path.Combine(_folder, "out.csv")).Times, "every point published once, in order");

        var replay = Simulate(6, Step, "--kafka", config, "--kafka-replay", "out.csv.provenance.json", "-o", "replay.csv");
        replay.ExitCode.ShouldBe(0, replay.ToString());
        replay.StdOut.ShouldContain("61 messages replayed");
        File.ReadAllBytes(Path.Combine(_folder, "replay.csv")).ShouldBe(File.ReadAllBytes(Path.Combine(_folder, "out.csv")));
    }

    [Test]
    public void Run_BacklogLargerThanTheBuffer_PausesTheConsumerAndLosesNothing()
    {
        _broker.CreateTopic("valve-backlog");
        Kcat.Produce(_broker.Bootstrap, "valve-backlog", Enumerable.Range(0, 301).Select(i => Message(i / 10.0, Valve(i))));

        var r = Simulate(30, Step, "--kafka", Config("valve-backlog", buffer: 4), "-o", "out.csv");

        r.ExitCode.ShouldBe(0, r.ToString());
        var counts = SourceReport(Path.Combine(_folder, "out.csv"), "valve-backlog").GetProperty("counts");
        counts.GetProperty("pauses").GetInt64().ShouldBeGreaterThan(0, "the run takes a message a step, slower than the backlog arrives");
        counts.GetProperty("overflowDropped").GetInt64().ShouldBe(0);
        counts.GetProperty("duplicates").GetInt64().ShouldBe(0);
        File.ReadAllBytes(Path.Combine(_folder, "out.csv")).ShouldBe(File.ReadAllBytes(TableRun(301, 30)));
    }

    [Test]
    public void Run_BacklogLargerThanTheBufferWithDropPolicy_DropsAndCounts()
    {
        _broker.CreateTopic("valve-drop");
        Kcat.Produce(_broker.Bootstrap, "valve-drop", Enumerable.Range(0, 301).Select(i => Message(i / 10.0, Valve(i))));

        // Hold, so that a dropped sample leaves the previous one in force instead of stalling the wait for the next.
        var r = Simulate(30, Step, "--kafka", Config("valve-drop", interpolation: "hold", buffer: 4, overflow: "drop", stallTimeout: 3), "-o", "out.csv");

        var counts = SourceReport(Path.Combine(_folder, "out.csv"), "valve-drop").GetProperty("counts");
        var dropped = counts.GetProperty("overflowDropped").GetInt64();
        dropped.ShouldBeGreaterThan(0, r.ToString());
        (counts.GetProperty("received").GetInt64() + dropped).ShouldBeLessThanOrEqualTo(301);
        // A dropped tail can leave the run waiting in vain at the end (stalled, exit 1): the summary is printed either way.
        r.ExitCode.ShouldBeOneOf(0, 1);
        (r.StdOut + r.StdErr).ShouldContain($"{dropped} dropped on overflow");
    }

    [Test]
    public void Run_StreamStops_FailsAsStalledWithTheRowsSoFarOnDisk()
    {
        _broker.CreateTopic("valve-stall");
        Kcat.Produce(_broker.Bootstrap, "valve-stall", Enumerable.Range(0, 11).Select(i => Message(i / 10.0, Valve(i))));

        var r = Simulate(3, Step, "--kafka", Config("valve-stall", stallTimeout: 3), "-o", "out.csv");

        r.ExitCode.ShouldBe(1, r.ToString());
        r.StdErr.ShouldContain("kafka source 'valve-stall': stream stalled: no message for 3 s while waiting for event time 1.1 (t=1.1 s)");
        // Points 0..1.0 had their samples; the step from 1.0 to 1.1 was made and recorded, then t=1.1 waited in vain.
        ResultCsv.Load(Path.Combine(_folder, "out.csv")).Times[^1].ShouldBe(1.1);
        File.Exists(Path.Combine(_folder, "out.csv.provenance.json")).ShouldBeTrue();
    }

    /// <summary>A scenario script attaches the same source with <c>Kafka("config.json")</c>: it equals the script fed by a table, and reruns from its offsets.</summary>
    [Test]
    public void Scenario_KafkaVerb_FeedsTheInputLikeATable()
    {
        _broker.CreateTopic("valve-script");
        Kcat.Produce(_broker.Bootstrap, "valve-script", Enumerable.Range(0, 51).Select(i => Message(i / 10.0, Valve(i))));
        File.WriteAllText(Path.Combine(_folder, "kafka.json"), $$"""
            {"bootstrapServers": "{{_broker.Bootstrap}}",
             "properties": {"session.timeout.ms": "6000", "heartbeat.interval.ms": "1000"},
             "sources": [{"topic": "valve-script", "groupId": "script-group", "timeField": "ts", "epoch": 0,
                          "signals": [{"input": "Tank.valve", "path": "data.valve"}]}]}
            """);
        File.WriteAllLines(Path.Combine(_folder, "table.csv"), ["time,Tank.valve", .. Enumerable.Range(0, 51).Select(i => $"{F(i / 10.0)},{F(Valve(i))}")]);
        string Script(string name, string feed)
        {
            File.WriteAllText(Path.Combine(_folder, name), $$"""
                Fmu("{{ExampleFmus.Path(2, "Tank")}}");
                {{feed}}
                Stop = 5;
                Step = 0.1;
                Record("Tank.valve", "Tank.level");
                """);
            return name;
        }

        var live = CosimProcess.Run(_folder, TimeSpan.FromMinutes(3), ["run", Script("live.csx", "Kafka(\"kafka.json\");"), "-o", "live.csv"]);
        var table = CosimProcess.Run(_folder, TimeSpan.FromMinutes(3), ["run", Script("table.csx", "Input(\"table.csv\");"), "-o", "table.csv.out.csv"]);

        live.ExitCode.ShouldBe(0, live.ToString());
        table.ExitCode.ShouldBe(0, table.ToString());
        live.StdOut.ShouldContain("kafka source 'valve-script': 51 messages received");
        File.ReadAllBytes(Path.Combine(_folder, "live.csv")).ShouldBe(File.ReadAllBytes(Path.Combine(_folder, "table.csv.out.csv")));
        ResultCsv.Load(Path.Combine(_folder, "live.csv")).Values("valve")[10].ShouldBe(Valve(9), "the input applied for the step that ended at t=1");

        // The script's run has its provenance too: a rerun reads the recorded offsets again.
        var rerun = CosimProcess.Run(_folder, TimeSpan.FromMinutes(3), ["rerun", "live.csv.provenance.json"]);
        rerun.ExitCode.ShouldBe(0, rerun.ToString());
        rerun.StdOut.ShouldContain("--kafka-replay");
        rerun.StdOut.ShouldContain("kafka source 'valve-script': 51 messages replayed");
        rerun.StdOut.ShouldContain("identical:");
    }

    [Test]
    public void Run_UnknownInputInConfig_IsBadInputNamingIt()
    {
        var path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, $$"""{"bootstrapServers": "{{_broker.Bootstrap}}", "sources": [{"topic": "t", "signals": [{"input": "nosuch"}]}]}""");

        var r = Simulate(1, Step, "--kafka", path, "-o", "out.csv");

        r.ExitCode.ShouldBe(2, r.ToString());
        r.StdErr.ShouldContain("kafka source 't': input 'nosuch'");
        r.StdErr.ShouldContain("no variable 'nosuch'");
    }
}
