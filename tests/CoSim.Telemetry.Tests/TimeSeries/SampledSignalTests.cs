using CoSim.Core;

namespace CoSim.Telemetry.Tests.TimeSeries;

/// <summary>Core's one sampler: jumps, held ends, sorted-in records, discards; checked against direct formulas.</summary>
public class SampledSignalTests
{
    [Test]
    public void ValueAtTime_JumpEndsAndBetween_FollowTheContract()
    {
        var s = new SampledSignal();
        s.Append(1, 10);
        s.Append(2, 20);
        s.Append(2, 40);
        s.Append(4, 0);

        s.ValueAtTime(0, Interpolation.Linear).ShouldBe(10);   // before the first: first value held
        s.ValueAtTime(1.5, Interpolation.Linear).ShouldBe(15);
        s.ValueAtTime(1.5, Interpolation.Hold).ShouldBe(10);
        s.ValueAtTime(2, Interpolation.Linear).ShouldBe(40);   // at a jump: the later record
        s.ValueAtTime(3, Interpolation.Linear).ShouldBe(20);   // from the later record of the jump on
        s.ValueAtTime(9, Interpolation.Linear).ShouldBe(0);    // after the last: last value held
        new SampledSignal().ValueAtTime(1, Interpolation.Linear).ShouldBe(double.NaN);
    }

    [Test]
    public void Upsert_OutOfOrderAndRepeatedTimes_SortsInAndReplaces()
    {
        var s = new SampledSignal();
        foreach (var t in new[] { 5.0, 1, 3, 2, 4 }) s.Upsert(t, t * 10);
        s.Upsert(3, -1);

        s.Count.ShouldBe(5);
        Enumerable.Range(0, 5).Select(s.TimeAt).ShouldBe([1.0, 2, 3, 4, 5]);
        s.ValueAtTime(3, Interpolation.Linear).ShouldBe(-1);
        s.ValueAtTime(3.5, Interpolation.Linear).ShouldBe(19.5);
    }

    [Test]
    public void LastAtOrBefore_CursorHintAfterInsertionsAndBackwardLookups_MatchesALinearScan()
    {
        var random = new Random(7);
        var s = new SampledSignal();
        var reference = new List<double>();
        for (var k = 0; k < 2000; k++)
        {
            var t = Math.Round(random.NextDouble() * 100, 1);
            s.Upsert(t, k);
            if (!reference.Contains(t)) reference.Add(t);
            reference.Sort();
            var probe = random.NextDouble() * 110 - 5;
            var expected = reference.FindLastIndex(r => r <= probe);
            s.LastAtOrBefore(probe).ShouldBe(expected);
        }
    }

    [Test]
    public void DiscardBefore_LongLiveRun_KeepsMemoryBoundedAndValuesRight()
    {
        var s = new SampledSignal();
        for (var i = 0; i < 100_000; i++)
        {
            s.Append(i, 2.0 * i, line: i + 2);
            s.ValueAtTime(i - 0.5, Interpolation.Linear).ShouldBe(Math.Max(0, 2.0 * i - 1));
            s.DiscardBefore(i - 1);
        }

        s.Count.ShouldBeLessThanOrEqualTo(3);
        s.LineAt(s.Count - 1).ShouldBe(100_001);
        s.MedianInterval().ShouldBe(1);
    }

    [Test]
    public void Append_OlderRecord_Throws()
    {
        var s = new SampledSignal();
        s.Append(2, 0);

        Should.Throw<ArgumentException>(() => s.Append(1, 0)).Message.ShouldContain("older");
    }
}
