using System.Runtime.InteropServices;
using System.Text;

namespace CoSim.KafkaBroker;

/// <summary>
/// Hosts librdkafka's mock cluster (a Kafka-protocol broker in memory) for tests and demos.
/// Prints <c>bootstrap HOST:PORT</c> on its first line, then obeys one command a line on standard input
/// and answers each with one line (<c>ok ...</c> or <c>error ...</c>):
/// <c>topic NAME [PARTITIONS]</c>, <c>down [BROKER]</c>, <c>up [BROKER]</c>, <c>trim TOPIC PARTITION OFFSET</c>, <c>quit</c>.
/// <c>trim</c> deletes the records before OFFSET, as a real cluster's retention would: the mock finds a fetched
/// offset by walking its log from the oldest record (librdkafka's own "FIXME: maintain an index"), so a long
/// run at a high rate slows the broker down unless what every consumer has read is trimmed now and then.
/// It exits when standard input closes, so it never outlives the process that started it.
/// </summary>
internal static unsafe class Program
{
    private static int Main(string[] args)
    {
        var brokers = 1;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--brokers" && i + 1 < args.Length && int.TryParse(args[++i], out var n) && n is >= 1 and <= 16) brokers = n;
            else
            {
                Console.Error.WriteLine($"usage: cosim-kafka-broker [--brokers N]   (then commands on stdin: {MockCluster.Commands})");
                return 2;
            }
        }
        MockCluster cluster;
        try
        {
            cluster = new MockCluster(brokers);
        }
        catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
        Console.Out.WriteLine("bootstrap " + cluster.Bootstraps);
        Console.Out.Flush();
        string? line;
        while ((line = Console.In.ReadLine()) != null)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            if (words[0] == "quit") break;
            Console.Out.WriteLine(cluster.Execute(words));
            Console.Out.Flush();
        }
        cluster.Dispose();
        return 0;
    }
}

/// <summary>The mock cluster through librdkafka's C API (<c>rd_kafka_mock_*</c>), loaded from the redist package's own library.</summary>
internal sealed unsafe class MockCluster : IDisposable
{
    private readonly nint _library;
    private readonly nint _client;
    private readonly nint _cluster;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, int, int, int> _topicCreate;
    private readonly delegate* unmanaged[Cdecl]<nint, int, int> _brokerDown;
    private readonly delegate* unmanaged[Cdecl]<nint, int, int> _brokerUp;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, int, long, int> _deleteRecords;
    private readonly delegate* unmanaged[Cdecl]<nint, void> _clusterDestroy;
    private readonly delegate* unmanaged[Cdecl]<nint, void> _destroy;

    public MockCluster(int brokers)
    {
        _library = NativeLibrary.Load(LibraryPath());
        var confNew = (delegate* unmanaged[Cdecl]<nint>)Export("rd_kafka_conf_new");
        var kafkaNew = (delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint>)Export("rd_kafka_new");
        var clusterNew = (delegate* unmanaged[Cdecl]<nint, int, nint>)Export("rd_kafka_mock_cluster_new");
        var bootstraps = (delegate* unmanaged[Cdecl]<nint, byte*>)Export("rd_kafka_mock_cluster_bootstraps");
        var rebalanceDelay = (delegate* unmanaged[Cdecl]<nint, int, void>)Export("rd_kafka_mock_group_initial_rebalance_delay_ms");
        _topicCreate = (delegate* unmanaged[Cdecl]<nint, byte*, int, int, int>)Export("rd_kafka_mock_topic_create");
        _brokerDown = (delegate* unmanaged[Cdecl]<nint, int, int>)Export("rd_kafka_mock_broker_set_down");
        _brokerUp = (delegate* unmanaged[Cdecl]<nint, int, int>)Export("rd_kafka_mock_broker_set_up");
        _deleteRecords = (delegate* unmanaged[Cdecl]<nint, byte*, int, long, int>)Export("rd_kafka_mock_partition_delete_records");
        _clusterDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Export("rd_kafka_mock_cluster_destroy");
        _destroy = (delegate* unmanaged[Cdecl]<nint, void>)Export("rd_kafka_destroy");

        var errors = stackalloc byte[512];
        // The cluster is owned by a client handle (a producer that never produces); rd_kafka_new takes over the configuration.
        _client = kafkaNew(0, confNew(), errors, 512);
        if (_client == 0) throw new InvalidOperationException("rd_kafka_new failed: " + Marshal.PtrToStringUTF8((nint)errors));
        _cluster = clusterNew(_client, brokers);
        if (_cluster == 0) throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        // The first consumer of a group joins at once instead of after the default 3 s.
        rebalanceDelay(_cluster, 0);
        Bootstraps = Marshal.PtrToStringUTF8((nint)bootstraps(_cluster)) ?? "";
        Brokers = brokers;
    }

    public string Bootstraps { get; }

    public int Brokers { get; }

    public const string Commands = "topic NAME [PARTITIONS] | down [BROKER] | up [BROKER] | trim TOPIC PARTITION OFFSET | quit";

    /// <summary>Runs one command; the answer line.</summary>
    public string Execute(string[] words)
    {
        int Broker() => words.Length > 1 && int.TryParse(words[1], out var b) ? b : 1;
        switch (words[0])
        {
            case "topic" when words.Length is 2 or 3:
                var partitions = words.Length == 3 && int.TryParse(words[2], out var p) ? p : 1;
                var name = Encoding.UTF8.GetBytes(words[1] + "\0");
                fixed (byte* n = name)
                {
                    var err = _topicCreate(_cluster, n, partitions, 1);
                    return err == 0 ? $"ok topic {words[1]} {partitions}" : $"error topic {words[1]}: librdkafka error {err}";
                }
            case "down" or "up" when words.Length <= 2:
                var broker = Broker();
                if (broker < 1 || broker > Brokers) return $"error no broker {broker} (have 1..{Brokers})";
                var result = words[0] == "down" ? _brokerDown(_cluster, broker) : _brokerUp(_cluster, broker);
                return result == 0 ? $"ok {words[0]} {broker}" : $"error {words[0]} {broker}: librdkafka error {result}";
            case "trim" when words.Length == 4 && int.TryParse(words[2], out var partition) && long.TryParse(words[3], out var offset):
                var topic = Encoding.UTF8.GetBytes(words[1] + "\0");
                fixed (byte* t = topic)
                {
                    var err = _deleteRecords(_cluster, t, partition, offset);
                    return err == 0 ? $"ok trim {words[1]} {partition} {offset}" : $"error trim {words[1]} {partition} {offset}: librdkafka error {err}";
                }
            default:
                return $"error unknown command '{string.Join(' ', words)}' ({Commands})";
        }
    }

    public void Dispose()
    {
        _clusterDestroy(_cluster);
        _destroy(_client);
        NativeLibrary.Free(_library);
    }

    private nint Export(string name) => NativeLibrary.GetExport(_library, name);

    /// <summary>
    /// The redist's centos8 build: its default librdkafka.so needs libsasl2.so.3, which Debian 12 lacks.
    /// Beside the program (runtimes/linux-x64/native), as the package's build copies it there.
    /// </summary>
    private static string LibraryPath()
    {
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        foreach (var candidate in new[] { "centos8-librdkafka.so", "librdkafka.so" })
            if (File.Exists(Path.Combine(native, candidate))) return Path.Combine(native, candidate);
        throw new DllNotFoundException($"no librdkafka in {native}: build the broker with its librdkafka.redist package");
    }
}
