using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Kafka;
using CoSim.Runner;

// Kafka benchmark (figures only). The broker is the project's mock-cluster program in its own process; a producer
// thread sends {"t": event time [ms], "v": sequence number} at a fixed rate; the run (Tank FMU, valve from Kafka
// held, step = 1/rate, as fast as the stream allows) publishes Tank.valve every step; a consumer thread notes when
// each sequence number first comes back. End-to-end latency = that moment - the moment the message was sent.
// Usage: scripts/bench-kafka [--seconds S (latency/memory run, default 30)] [--rate R (its rate, default 1000)] [--rates R1,R2,... (default 2000,5000,10000,20000,40000)] [--no-trim]
var seconds = 30.0;
var latencyRate = 1000;
var trim = true;
var rates = new[] { 2000, 5000, 10000, 20000, 40000 };
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--seconds" && i + 1 < args.Length) seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--no-trim") trim = false;
    else if (args[i] == "--rate" && i + 1 < args.Length) latencyRate = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--rates" && i + 1 < args.Length) rates = args[++i].Split(',').Select(int.Parse).ToArray();
    else
    {
        Console.Error.WriteLine("usage: bench-kafka [--seconds S] [--rate R (latency run, default 1000)] [--rates R1,R2,...] [--no-trim (keep the broker's whole log)]");
        return 2;
    }
}
var fmu = Path.Combine(Environment.GetEnvironmentVariable("COSIM_FMU_DIR") is { Length: > 0 } d ? d : Path.Combine(RepoRoot(), "build", "fmus"), "fmi2", "Tank.fmu");
if (!File.Exists(fmu))
{
    Console.Error.WriteLine($"bench-kafka: {fmu} is not built (scripts/build-fmus)");
    return 1;
}

using var broker = Broker.Start();
Console.WriteLine($"broker {broker.Bootstrap} (mock cluster, own process, {(trim ? "consumed records trimmed every second" : "whole log kept")}); Tank FMU; machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}");

var first = Trial.Run(broker, fmu, latencyRate, seconds, sampleMemory: true, trim);
Console.WriteLine($"latency at {latencyRate:N0} msg/s for {seconds:0} s (after the first second): p50 {first.P50:0.00} ms, p99 {first.P99:0.00} ms, max {first.Max:0.00} ms; " +
                  $"{first.Missing} of {first.Sent} lost; run ended {first.EndLag * 1000:0} ms after the last send");
Console.WriteLine($"  of which sent -> published by the run: p50 {first.In.P50:0.00} ms, p99 {first.In.P99:0.00} ms; published -> seen: p50 {first.Out.P50:0.00} ms, p99 {first.Out.P99:0.00} ms");
Console.WriteLine($"memory (RSS of the bench process, every 5 s after 5 s): first {first.Rss.First().Rss:0.0} MiB, last {first.Rss.Last().Rss:0.0} MiB, " +
                  $"max {first.Rss.Max(m => m.Rss):0.0} MiB ({first.Rss.Count} samples); managed heap after a full collection: " +
                  $"first {first.Rss.First().Heap:0.0} MiB, last {first.Rss.Last().Heap:0.0} MiB");
// The course over the run: ten samples, evenly spaced (growth that levels off is warm-up; growth to the end would be a leak).
var course = Enumerable.Range(0, Math.Min(10, first.Rss.Count)).Select(k => first.Rss[k * (first.Rss.Count - 1) / Math.Max(1, Math.Min(10, first.Rss.Count) - 1)]);
Console.WriteLine("  RSS / heap [MiB] over the run: " + string.Join(", ", course.Select(m => $"{m.Seconds:0}s {m.Rss:0.0}/{m.Heap:0.0}")));
var best = 1000;
foreach (var rate in rates)
{
    var t = Trial.Run(broker, fmu, rate, 5, sampleMemory: false, trim);
    var sustained = t.Missing == 0 && t.EndLag < 0.5;
    Console.WriteLine($"rate {rate,6} msg/s for 5 s: {t.Missing} of {t.Sent} lost, p50 {t.P50:0.00} ms, p99 {t.P99:0.00} ms, run ended {t.EndLag * 1000:0} ms after the last send" +
                      (sustained ? "" : " -> not sustained"));
    if (!sustained) break;
    best = rate;
}
Console.WriteLine($"highest sustained rate without loss: {best} msg/s (of those tried; sustained = nothing lost and the run done within 0.5 s of the last send)");
Console.WriteLine($"load average at the end: {LoadAverage()} (latency figures on a loaded machine include waiting for a core)");
return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "CoSim.sln"))) return dir.FullName;
    return Environment.CurrentDirectory;
}

/// <summary>A memory sample: seconds into the run, RSS and managed heap (after a full collection) [MiB].</summary>
internal sealed record MemorySample(double Seconds, double Rss, double Heap);

internal sealed record TrialResult(long Sent, long Missing, double P50, double P99, double Max, double EndLag, List<MemorySample> Rss,
    (double P50, double P99) In, (double P50, double P99) Out);

internal static class Trial
{
    private static int _count;

    public static TrialResult Run(Broker broker, string fmu, int rate, double seconds, bool sampleMemory, bool trim)
    {
        var n = Interlocked.Increment(ref _count);
        var (input, output) = ($"bench-in-{n}", $"bench-out-{n}");
        broker.Command($"topic {input} 1");
        broker.Command($"topic {output} 1");
        var folder = Directory.CreateTempSubdirectory("cosim-kafka-bench").FullName;
        var config = Path.Combine(folder, "kafka.json");
        var epochMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 3000; // the run joins the group meanwhile
        File.WriteAllText(config, $$"""
            {"bootstrapServers": "{{broker.Bootstrap}}", "properties": {"fetch.wait.max.ms": "1"},
             "sources": [{"topic": "{{input}}", "groupId": "bench-{{n}}", "timeField": "t", "timeFormat": "seconds", "epoch": 0,
                          "signals": [{"input": "valve", "path": "v", "interpolation": "hold"}], "buffer": 100000}],
             "sinks": [{"topic": "{{output}}", "signals": ["valve"]}]}
            """);
        var kafka = KafkaAttachments.Load(config, "Tank", null, NullLogSink.Instance);
        var spec = new RunSpecification { Name = "bench", Start = 0, Stop = seconds, Step = 1.0 / rate };
        spec.Components.Add(new ComponentSpec(new ComponentRequest("Tank", fmu, "fmu")));
        spec.Manipulators.AddRange(kafka.Sources);
        spec.Observers.AddRange(kafka.Sinks);

        var total = (long)Math.Round(seconds * rate) + rate / 10; // a little past the stop time, for the watermark
        var sentAt = new long[total];
        var seenAt = new long[total];
        var sentUtc = new long[total]; // DateTime ticks, to split the latency at the sink's wallTime (publish moment)
        var publishedUtc = new long[total];
        // Touched now, so that the bench's own bookkeeping does not show as growth of the memory samples below.
        foreach (var array in new[] { sentAt, seenAt, sentUtc, publishedUtc }) Array.Fill(array, 0L);
        using var stop = new CancellationTokenSource();
        var progress = new Progress();
        var consumer = new Thread(() => Consume(broker.Bootstrap, output, seenAt, publishedUtc, progress, stop.Token)) { IsBackground = true };
        consumer.Start();
        var lastSend = 0L;
        var producer = new Thread(() => lastSend = Produce(broker.Bootstrap, input, rate, epochMs, sentAt, sentUtc)) { IsBackground = true };
        producer.Start();
        var rss = new List<MemorySample>();
        var runClock = Stopwatch.StartNew();
        using var sampler = sampleMemory
            ? new Timer(_ =>
            {
                // A full collection every 5 s costs a few ms of the run; it tells a leak (live objects) from garbage not yet collected.
                var heap = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
                var sample = new MemorySample(runClock.Elapsed.TotalSeconds, Process.GetCurrentProcess().WorkingSet64 / 1048576.0, heap);
                lock (rss) rss.Add(sample);
            }, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5))
            : null;
        // Retention, as a real topic has: what the run and the consumer have read (less a margin) is deleted every second.
        // The mock broker finds a fetched offset by walking its log from the oldest record, so an untrimmed log of a long
        // run at a high rate slows the broker itself down (see src/CoSim.KafkaBroker); a real broker indexes its log.
        using var retention = trim
            ? new Timer(_ =>
            {
                const long margin = 2000;
                var applied = Interlocked.Read(ref progress.MaxSequence); // the source took every input message up to it
                var consumed = Interlocked.Read(ref progress.Consumed);
                if (applied > margin) broker.Command($"trim {input} 0 {applied - margin}");
                if (consumed > margin) broker.Command($"trim {output} 0 {consumed - margin}");
            }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1))
            : null;
        using (var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance)) run.Run();
        var ended = Stopwatch.GetTimestamp();
        producer.Join();
        Thread.Sleep(500);
        stop.Cancel();
        consumer.Join();
        Directory.Delete(folder, true);

        // Only messages inside the run's span can come back (the last tenth of a second only moves the watermark).
        // Latency leaves out the first second: the run may still be joining the group (a backlog that says nothing of the steady state).
        var expected = (long)Math.Round(seconds * rate);
        var latencies = new List<double>();
        var inbound = new List<double>(); // sent -> published by the run (producer, broker, source, step, sink)
        var outbound = new List<double>(); // published -> seen by the consumer (sink client, broker, consumer)
        var missing = 0L;
        for (var i = 0; i < expected; i++)
        {
            if (seenAt[i] == 0) missing++;
            else if (i >= rate)
            {
                var endToEnd = Stopwatch.GetElapsedTime(sentAt[i], seenAt[i]).TotalMilliseconds;
                latencies.Add(endToEnd);
                var first = (publishedUtc[i] - sentUtc[i]) / (double)TimeSpan.TicksPerMillisecond;
                inbound.Add(first);
                outbound.Add(endToEnd - first);
            }
        }
        latencies.Sort();
        inbound.Sort();
        outbound.Sort();
        static double Q(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];
        double P(double q) => Q(latencies, q);
        List<MemorySample> samples;
        lock (rss) samples = [.. rss];
        return new TrialResult(expected, missing, P(0.5), P(0.99), latencies.Count > 0 ? latencies[^1] : double.NaN,
            Stopwatch.GetElapsedTime(lastSend, ended).TotalSeconds, samples.Count > 0 ? samples : [new MemorySample(0, double.NaN, double.NaN)],
            (Q(inbound, 0.5), Q(inbound, 0.99)), (Q(outbound, 0.5), Q(outbound, 0.99)));
    }

    /// <summary>
    /// Sends message i at wall time epoch + i/rate, with event time i/rate [s] (the bench's epoch is event time 0, so that
    /// event times and communication points are the same doubles); returns when the last was sent.
    /// </summary>
    private static long Produce(string bootstrap, string topic, int rate, long epochMs, long[] sentAt, long[] sentUtc)
    {
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 0 }).Build();
        var last = 0L;
        for (var i = 0; i < sentAt.Length; i++)
        {
            var dueMs = epochMs + i * 1000.0 / rate;
            var wait = dueMs - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            if (wait >= 1) Thread.Sleep((int)wait);
            var time = (i / (double)rate).ToString("R", CultureInfo.InvariantCulture);
            var json = Encoding.UTF8.GetBytes($"{{\"t\":{time},\"v\":{i}}}");
            sentAt[i] = Stopwatch.GetTimestamp();
            sentUtc[i] = DateTime.UtcNow.Ticks;
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<Null, byte[]> { Value = json });
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(1));
                }
            }
            last = Stopwatch.GetTimestamp();
        }
        producer.Flush(TimeSpan.FromSeconds(30));
        return last;
    }

    /// <summary>How far the bench's consumer got: messages consumed, and the highest sequence number echoed (the run applied it).</summary>
    private sealed class Progress
    {
        public long Consumed;
        public long MaxSequence;
    }

    private static void Consume(string bootstrap, string topic, long[] seenAt, long[] publishedUtc, Progress progress, CancellationToken stop)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = "bench-reader-" + topic, AutoOffsetReset = AutoOffsetReset.Earliest, FetchWaitMaxMs = 1,
            EnableAutoCommit = false, SessionTimeoutMs = 6000, HeartbeatIntervalMs = 1000,
        }).Build();
        consumer.Subscribe(topic);
        while (!stop.IsCancellationRequested)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(20));
            if (r?.Message?.Value == null) continue;
            var now = Stopwatch.GetTimestamp();
            var root = JsonDocument.Parse(r.Message.Value).RootElement;
            var seq = (long)root.GetProperty("Tank.valve").GetDouble();
            Interlocked.Increment(ref progress.Consumed);
            if (seq > Interlocked.Read(ref progress.MaxSequence)) Interlocked.Exchange(ref progress.MaxSequence, seq);
            if (seq >= 0 && seq < seenAt.Length && seenAt[seq] == 0)
            {
                seenAt[seq] = now;
                publishedUtc[seq] = root.GetProperty("wallTime").GetDateTime().Ticks;
            }
        }
        consumer.Close();
    }
}

/// <summary>The project's broker program in its own process (the bench's output folder has it), killed on dispose.</summary>
internal sealed class Broker : IDisposable
{
    private readonly Process _process;

    private Broker(Process process, string bootstrap)
    {
        _process = process;
        Bootstrap = bootstrap;
    }

    public string Bootstrap { get; }

    public static Broker Start()
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "cosim-kafka-broker.dll")])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        var line = p.StandardOutput.ReadLine() ?? "";
        if (!line.StartsWith("bootstrap ", StringComparison.Ordinal))
        {
            p.Kill();
            throw new InvalidOperationException("broker did not start: " + line);
        }
        return new Broker(p, line["bootstrap ".Length..]);
    }

    public void Command(string command)
    {
        string? answer;
        lock (this)
        {
            _process.StandardInput.WriteLine(command);
            answer = _process.StandardOutput.ReadLine();
        }
        if (answer?.StartsWith("ok", StringComparison.Ordinal) != true) throw new InvalidOperationException($"broker: {command}: {answer}");
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(3000)) _process.Kill();
        _process.Dispose();
    }
}
