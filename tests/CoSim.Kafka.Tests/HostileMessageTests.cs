using CoSim.Core;
using CoSim.Streams;

namespace CoSim.Kafka.Tests;

/// <summary>
/// Regression test of what fuzzing the Kafka message parser found (scripts/fuzz kafka-message, docs/security.md): a
/// string that is not valid UTF-8 passed the JSON reader and threw InvalidOperationException when the time was read,
/// which would have ended the consumer loop. It is now a malformed message like any other.
/// </summary>
public class HostileMessageTests
{
    [TestCase(TimeFormat.DateTime)]
    [TestCase(TimeFormat.Seconds)]
    public void Parse_TimeStringThatIsNotUtf8_IsAMalformedMessage(TimeFormat format)
    {
        byte[] json = [.. "{\"t\":\"2024-01-0"u8, 0xFF, .. "T00:00:00Z\",\"a\":1}"u8];

        var m = new MessageParser("t", format, ["a"]).Parse(2, 41, json);

        m.Error.ShouldBe("a text that is not valid UTF-8");
        double.IsNaN(m.Time).ShouldBeTrue();
        (m.Partition, m.Offset).ShouldBe((2, 41L));
    }
}
