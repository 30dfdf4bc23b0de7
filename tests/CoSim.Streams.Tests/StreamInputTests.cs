using System.Diagnostics;
using System.Text;
using CoSim.Core;

namespace CoSim.Streams.Tests;

/// <summary>
/// The simulation side of every stream, driven through its channel by the test itself (the transports' own tests run it
/// with a real broker): values once final, waiting for the stream, stalls, malformed messages, the end of a replay.
/// </summary>
public class StreamInputTests
{
    /// <summary>A transport that is ready from the start and never fails, unless told.</summary>
    private sealed class TestFeed : IStreamFeed
    {
        public Exception? Failure { get; set; }
        public long ReadySince { get; set; } = Stopwatch.GetTimestamp();
        public string? LastError { get; set; }
    }

    private static StreamSourceConfig Source(double lateness = 0, bool skipMalformed = true, double stall = 30) => new()
    {
        Topic = "valve",
        Signals = [new StreamSignalConfig { Input = "Tank.valve" }],
        AllowedLateness = lateness,
        SkipMalformed = skipMalformed,
        StallTimeout = stall,
    };

    private static readonly MessageParser Parser = new("time", TimeFormat.Seconds, ["valve"]);

    private static StreamMessage Message(long offset, string json) => Parser.Parse(0, offset, Encoding.UTF8.GetBytes(json));

    private static double At(StreamInput input, double seconds)
    {
        var values = new double[1];
        input.ValuesAt(SimTime.FromSeconds(seconds), values);
        return values[0];
    }

    [Test]
    public void ValuesAt_MessagesAlreadyThere_InterpolatesAndReportsTakenOffsets()
    {
        var channel = StreamInput.NewChannel(16);
        var taken = new List<(long Offset, double Effective)>();
        var input = new StreamInput("test source", Source(), 0, channel.Reader, new TestFeed(), NullLogSink.Instance, "test", (m, e) => taken.Add((m.Offset, e)));
        channel.Writer.TryWrite(Message(0, """{"time": 0, "valve": 1}""")).ShouldBeTrue();
        channel.Writer.TryWrite(Message(1, """{"time": 2, "valve": 3}""")).ShouldBeTrue();

        At(input, 1).ShouldBe(2);
        taken.ShouldBe([(0L, 0.0), (1L, 2.0)]);
        input.Received.ShouldBe(2);
    }

    [Test]
    public void ValuesAt_StreamBehindThePoint_WaitsForTheMessageThatPassesIt()
    {
        var channel = StreamInput.NewChannel(16);
        var input = new StreamInput("test source", Source(), 0, channel.Reader, new TestFeed(), NullLogSink.Instance, "test");
        channel.Writer.TryWrite(Message(0, """{"time": 0, "valve": 1}""")).ShouldBeTrue();
        var writer = Task.Run(async () =>
        {
            await Task.Delay(300);
            await channel.Writer.WriteAsync(Message(1, """{"time": 2, "valve": 5}"""));
        });

        At(input, 1).ShouldBe(3);
        writer.Wait();
        input.Waiting.TotalSeconds.ShouldBeGreaterThan(0.2);
    }

    [Test]
    public void ValuesAt_SilentStream_FailsAsStalledNamingTheSourceAndTime()
    {
        var channel = StreamInput.NewChannel(16);
        var input = new StreamInput("test source 'valve'", Source(stall: 0.3), 0, channel.Reader, new TestFeed { LastError = "connection refused" }, NullLogSink.Instance, "test");
        channel.Writer.TryWrite(Message(0, """{"time": 0, "valve": 1}""")).ShouldBeTrue();

        var e = Should.Throw<SimulationException>(() => At(input, 1));
        e.Message.ShouldStartWith("test source 'valve': stream stalled: no message for 0.3 s while waiting for event time 1 (t=1 s)");
        e.Message.ShouldEndWith("last client error: connection refused");
        e.Operation.ShouldBe("test wait");
    }

    [Test]
    public void ValuesAt_MalformedWithSkipOff_GivesThePointsBeforeItThenFails()
    {
        var channel = StreamInput.NewChannel(16);
        var input = new StreamInput("src", Source(skipMalformed: false), 0, channel.Reader, new TestFeed(), NullLogSink.Instance, "test");
        channel.Writer.TryWrite(Message(0, """{"time": 0, "valve": 1}""")).ShouldBeTrue();
        channel.Writer.TryWrite(Message(1, """{"time": 1, "valve": 2}""")).ShouldBeTrue();
        channel.Writer.TryWrite(Message(2, """{"valve": 9}""")).ShouldBeTrue();

        At(input, 1).ShouldBe(2);
        var e = Should.Throw<SimulationException>(() => At(input, 1.5));
        e.Message.ShouldContain("offset 2, after event time 1 (t=1 s): no field 'time'");
        input.Malformed.ShouldBe(1);
    }

    [Test]
    public void ValuesAt_MalformedSkipped_CountsItAndGoesOn()
    {
        var channel = StreamInput.NewChannel(16);
        var skipped = new List<double>();
        var input = new StreamInput("src", Source(), 0, channel.Reader, new TestFeed(), NullLogSink.Instance, "test", (_, e) => skipped.Add(e));
        channel.Writer.TryWrite(Message(0, "not json")).ShouldBeTrue();
        channel.Writer.TryWrite(Message(1, """{"time": 0, "valve": 4}""")).ShouldBeTrue();
        channel.Writer.TryWrite(Message(2, """{"time": 1, "valve": 4}""")).ShouldBeTrue();

        At(input, 0.5).ShouldBe(4);
        input.Malformed.ShouldBe(1);
        skipped[0].ShouldBe(double.NegativeInfinity);
    }

    [Test]
    public void ValuesAt_CompletedChannel_EndsTheStreamOrReportsTheFeedsFailure()
    {
        var ended = StreamInput.NewChannel(16);
        var replay = new StreamInput("src", Source(lateness: 10), 0, ended.Reader, new TestFeed(), NullLogSink.Instance, "test");
        ended.Writer.TryWrite(Message(0, """{"time": 0, "valve": 7}""")).ShouldBeTrue();
        ended.Writer.Complete();
        At(replay, 5).ShouldBe(7); // everything received is final once the replay ended, lateness or not

        var failed = StreamInput.NewChannel(16);
        var feed = new TestFeed { Failure = new InvalidOperationException("topic not found") };
        var live = new StreamInput("src", Source(), 0, failed.Reader, feed, NullLogSink.Instance, "test");
        failed.Writer.Complete();
        var e = Should.Throw<SimulationException>(() => At(live, 0));
        e.Message.ShouldBe("src: topic not found");
        e.Operation.ShouldBe("test consume");
    }
}
