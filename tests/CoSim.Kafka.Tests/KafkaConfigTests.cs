namespace CoSim.Kafka.Tests;

public class KafkaConfigTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "cosim-kafka-config-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, true);

    private string Write(string text)
    {
        var path = Path.Combine(_folder, "k.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void Load_SyntaxError_NamesFileLineAndColumn()
    {
        var path = Write("{\n  \"bootstrapServers\": \"x:1\",\n  \"sources\": [ { \"topic\": } ]\n}");
        Should.Throw<CoSim.Core.InputException>(() => KafkaConfig.Load(path)).Message.ShouldStartWith(path + ":3:");
    }

    [Test]
    public void Load_UnknownFieldOrValue_NamesIt()
    {
        var unknown = Write("""{"bootstrapServers": "x:1", "sources": [{"topic": "t", "signals": [{"input": "v"}], "lateness": 1}]}""");
        Should.Throw<CoSim.Core.InputException>(() => KafkaConfig.Load(unknown)).Message.ShouldContain("lateness");
        var badEnum = Write("""{"bootstrapServers": "x:1", "sources": [{"topic": "t", "signals": [{"input": "v"}], "late": "later"}]}""");
        Should.Throw<CoSim.Core.InputException>(() => KafkaConfig.Load(badEnum)).Message.ShouldContain("$.sources[0].late: must be one of drop, next");
    }

    [Test]
    public void Load_Problems_AreListedTogether()
    {
        var path = Write("""{"sources": [{"topic": "t", "signals": [], "allowedLateness": -1, "timeFormat": "iso8601", "epoch": 12}], "sinks": [{"topic": "o", "signals": ["x"], "every": 0}]}""");
        var message = Should.Throw<CoSim.Core.InputException>(() => KafkaConfig.Load(path)).Message;
        foreach (var part in new[] { "no bootstrapServers", "sources[0].signals is empty", "allowedLateness -1", "sources[0].epoch 12", "sinks[0].every 0" })
            message.ShouldContain(part);
    }

    [Test]
    public void ClientProperties_PassThroughWithOwnOverShared()
    {
        var path = Write("""
            {"bootstrapServers": "b:9092", "properties": {"security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN", "client.id": "shared"},
             "sinks": [{"topic": "o", "signals": ["x"], "properties": {"client.id": "mine"}}]}
            """);
        var config = KafkaConfig.Load(path);
        var props = config.ClientProperties(config.Sinks[0].Properties);
        props["security.protocol"].ShouldBe("SASL_SSL");
        props["client.id"].ShouldBe("mine");
        props["bootstrap.servers"].ShouldBe("b:9092");
    }
}
