using System.Diagnostics;

namespace CoSim.Kafka.Tests;

/// <summary>
/// The project's broker program (librdkafka's mock cluster) in its own process, for one test class: started
/// here, commanded through its standard input, killed on dispose (also after a failed test).
/// </summary>
public sealed class LocalBroker : IDisposable
{
    private readonly Process _process;

    public LocalBroker()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "cosim-kafka-broker.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, _) => { }; // librdkafka's own log lines; drained so the pipe never fills
        _process.BeginErrorReadLine();
        var first = ReadLine(TimeSpan.FromSeconds(30));
        if (first?.StartsWith("bootstrap ", StringComparison.Ordinal) != true)
        {
            Dispose();
            throw new InvalidOperationException($"the broker did not start (said: '{first}')");
        }
        Bootstrap = first["bootstrap ".Length..];
    }

    /// <summary>host:port of the broker.</summary>
    public string Bootstrap { get; }

    /// <summary>Runs a broker command (<c>topic NAME [PARTITIONS]</c>, <c>down</c>, <c>up</c>); throws when it answers with an error.</summary>
    public string Command(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        var answer = ReadLine(TimeSpan.FromSeconds(10));
        if (answer?.StartsWith("ok", StringComparison.Ordinal) != true) throw new InvalidOperationException($"broker: {command}: {answer}");
        return answer;
    }

    public void CreateTopic(string name, int partitions = 1) => Command($"topic {name} {partitions}");

    /// <summary>Kills the broker process outright (not a paused broker: its port is gone, as when a broker dies).</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    private string? ReadLine(TimeSpan timeout)
    {
        var line = _process.StandardOutput.ReadLineAsync();
        return line.Wait(timeout) ? line.Result : null;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close(); // the broker exits when its input closes
            if (!_process.WaitForExit(3000)) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.WaitForExit();
        _process.Dispose();
    }
}

/// <summary>Debian's kcat as the separate producer and consumer (scripts/setup installs it).</summary>
public static class Kcat
{
    public static string Path { get; } = new[] { "/usr/bin/kcat", "/usr/local/bin/kcat" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("kcat is not installed: run scripts/setup (it installs Debian's kcat)");

    /// <summary>
    /// Starts a producer to <paramref name="topic"/> that sends each line written to its standard input as a message
    /// (-E: it rides out a broker outage). No fixed partition: kcat 1.7 holds the lines of a <c>-p N</c> producer until its
    /// input closes (see <see cref="PartitionProducer"/> for a live producer to a given partition).
    /// </summary>
    public static Process StartProducer(string bootstrap, string topic)
    {
        var psi = new ProcessStartInfo(Path) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-P", "-E", "-b", bootstrap, "-t", topic, "-X", "linger.ms=0" }) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Produces <paramref name="lines"/> (one message each) and waits until kcat delivered them and exited.</summary>
    public static void Produce(string bootstrap, string topic, IEnumerable<string> lines)
    {
        using var p = StartProducer(bootstrap, topic);
        try
        {
            foreach (var l in lines) p.StandardInput.WriteLine(l);
            Finish(p);
        }
        finally
        {
            if (!p.HasExited) p.Kill();
        }
    }

    /// <summary>Closes the producer's input and waits for it to deliver everything and exit with success.</summary>
    public static void Finish(Process producer)
    {
        producer.StandardInput.Close();
        if (!producer.WaitForExit(60_000)) throw new TimeoutException("kcat did not deliver its messages within 60 s");
        producer.ExitCode.ShouldBe(0, "kcat producer");
    }

    /// <summary>Every message of the topic, from the beginning to its current end (kcat -C -e).</summary>
    public static List<string> ConsumeAll(string bootstrap, string topic)
    {
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%s\\n" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        p.ErrorDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        if (!p.WaitForExit(60_000))
        {
            p.Kill();
            throw new TimeoutException("kcat consumer did not reach the end of the topic within 60 s");
        }
        p.ExitCode.ShouldBe(0, "kcat consumer");
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}

/// <summary>
/// The test's own producer (Confluent.Kafka, in the test process: still a process apart from cosim) for messages to a
/// chosen partition, each delivered before <see cref="Send"/> returns.
/// </summary>
public sealed class PartitionProducer(string bootstrap) : IDisposable
{
    private readonly Confluent.Kafka.IProducer<Confluent.Kafka.Null, string> _producer =
        new Confluent.Kafka.ProducerBuilder<Confluent.Kafka.Null, string>(new Confluent.Kafka.ProducerConfig { BootstrapServers = bootstrap, LingerMs = 0 }).Build();

    public void Send(string topic, int partition, string message) =>
        _producer.ProduceAsync(new Confluent.Kafka.TopicPartition(topic, partition), new Confluent.Kafka.Message<Confluent.Kafka.Null, string> { Value = message })
            .GetAwaiter().GetResult();

    public void Dispose() => _producer.Dispose();
}
