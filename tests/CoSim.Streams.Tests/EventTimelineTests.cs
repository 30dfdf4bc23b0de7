using CoSim.Core;
using CoSim.Streams;

namespace CoSim.Streams.Tests;

public class EventTimelineTests
{
    private static double[] At(EventTimeline t, double point, int signals = 1)
    {
        var v = new double[signals];
        t.ValuesAt(point, v);
        return v;
    }

    [Test]
    public void ValuesAt_LinearBetweenSamples_InterpolatesAndWaitsForTheSampleAfter()
    {
        var t = new EventTimeline([Interpolation.Linear], 0, LatePolicy.Drop);
        t.Add(0, [1.0]);
        t.Ready(0.5).ShouldBeFalse("the sample after 0.5 has not arrived");
        t.Add(1, [3.0]);
        t.Ready(0.5).ShouldBeTrue();
        At(t, 0.5)[0].ShouldBe(2.0);
        At(t, 1)[0].ShouldBe(3.0);
    }

    [Test]
    public void ValuesAt_Hold_KeepsTheLastSampleAtOrBeforeThePoint()
    {
        var t = new EventTimeline([Interpolation.Hold], 0, LatePolicy.Drop);
        t.Add(0, [1.0]);
        t.Add(1, [3.0]);
        t.Ready(0.9).ShouldBeTrue();
        At(t, 0.9)[0].ShouldBe(1.0);
        At(t, 1)[0].ShouldBe(3.0);
    }

    [Test]
    public void Add_OutOfOrderWithinLateness_IsSortedIn()
    {
        var t = new EventTimeline([Interpolation.Linear], 1.5, LatePolicy.Drop);
        t.Add(0, [0.0]);
        t.Add(2, [20.0]); // watermark 0.5
        t.Add(1, [10.0]).Arrival.ShouldBe(Arrival.Reordered);
        t.Add(3, [30.0]);
        t.Reordered.ShouldBe(1);
        t.Watermark.ShouldBe(1.5);
        At(t, 0.5)[0].ShouldBe(5.0, "interpolated towards the reordered sample at 1, not the one at 2");
    }

    [Test]
    public void Add_LateWithDrop_IsDroppedAndCounted()
    {
        var t = new EventTimeline([Interpolation.Hold], 0.1, LatePolicy.Drop);
        t.Add(0, [0.0]);
        t.Add(1, [1.0]); // watermark 0.9
        t.Add(0.5, [99.0]).Arrival.ShouldBe(Arrival.LateDropped);
        t.LateDropped.ShouldBe(1);
        At(t, 0.95)[0].ShouldBe(0.0);
    }

    [Test]
    public void Add_LateWithNext_TakesEffectJustAfterTheWatermark()
    {
        var t = new EventTimeline([Interpolation.Hold], 0.1, LatePolicy.Next);
        t.Add(0, [0.0]);
        t.Add(1, [1.0]); // watermark 0.9
        At(t, 0.9)[0].ShouldBe(0.0);
        var (arrival, effective) = t.Add(0.5, [99.0]);
        arrival.ShouldBe(Arrival.LateDeferred);
        effective.ShouldBeGreaterThan(0.9);
        t.LateDeferred.ShouldBe(1);
        t.Add(2, [2.0]);
        At(t, 0.95)[0].ShouldBe(99.0, "applied at the next point, never before the points already applied");
        At(t, 1)[0].ShouldBe(1.0);
    }

    [Test]
    public void ValuesAt_BeforeAnySample_IsNaNSoTheInputKeepsItsValue()
    {
        var t = new EventTimeline([Interpolation.Linear, Interpolation.Hold], 0, LatePolicy.Drop);
        t.Add(1, [1.0, double.NaN]);
        t.Add(2, [2.0, 5.0]);
        var v = At(t, 1, 2);
        v[0].ShouldBe(1.0);
        double.IsNaN(v[1]).ShouldBeTrue();
    }

    [Test]
    public void ValuesAt_LongStream_HoldsOnlyTheSamplesLaterPointsNeed()
    {
        var t = new EventTimeline([Interpolation.Linear], 0, LatePolicy.Drop);
        for (var i = 0; i < 10_000; i++)
        {
            t.Add(i, [i]);
            if (i > 0) At(t, i - 0.5)[0].ShouldBe(i - 0.5);
        }
        t.Held.ShouldBeLessThanOrEqualTo(2);
    }

    [Test]
    public void Ready_AfterEnd_IsTrueForAnyPoint()
    {
        var t = new EventTimeline([Interpolation.Linear], 0, LatePolicy.Drop);
        t.Add(0, [1.0]);
        t.Ready(5).ShouldBeFalse();
        t.End();
        t.Ready(5).ShouldBeTrue();
        At(t, 5)[0].ShouldBe(1.0);
    }
}

public class MessageParserTests
{
    private static StreamMessage Parse(string json, TimeFormat format = TimeFormat.Seconds, string time = "ts", params string[] paths) =>
        new MessageParser(time, format, paths).Parse(0, 7, System.Text.Encoding.UTF8.GetBytes(json));

    [Test]
    public void Parse_NestedPaths_ReadsValuesAndMarksAbsentOnesNaN()
    {
        var m = Parse("""{"ts": 1.5, "data": {"valve": 0.25, "on": true}}""", TimeFormat.Seconds, "ts", "data.valve", "data.on", "data.missing");
        m.Time.ShouldBe(1.5);
        m.Values[0].ShouldBe(0.25);
        m.Values[1].ShouldBe(1);
        double.IsNaN(m.Values[2]).ShouldBeTrue();
        m.Error.ShouldBeNull();
    }

    [Test]
    public void Parse_MillisecondsAndIso_GiveTheFormatsOwnUnits()
    {
        Parse("""{"t": 1500}""", TimeFormat.Milliseconds, "t").Time.ShouldBe(1500);
        var iso = Parse("""{"meta": {"at": "2026-12-01T10:00:00.25Z"}}""", TimeFormat.Iso8601, "meta.at").Time;
        var noZone = Parse("""{"at": "2026-12-01T10:00:00.25"}""", TimeFormat.Iso8601, "at").Time;
        iso.ShouldBe(noZone, "a time without a zone is UTC");
        (iso - Parse("""{"at": "2026-12-01T11:00:00.25+01:00"}""", TimeFormat.Iso8601, "at").Time).ShouldBe(0);
        (iso / 1e6).ShouldBe(new DateTimeOffset(2026, 12, 1, 10, 0, 0, 250, TimeSpan.Zero).ToUnixTimeMilliseconds() / 1e3);
    }

    [TestCase("not json", "not JSON")]
    [TestCase("""{"value": 1}""", "no field 'ts'")]
    [TestCase("""{"ts": "yesterday"}""", "is not a Seconds time")]
    public void Parse_Malformed_SaysWhy(string json, string why)
    {
        var m = Parse(json);
        m.Error.ShouldNotBeNull().ShouldContain(why);
        m.Offset.ShouldBe(7);
    }
}
