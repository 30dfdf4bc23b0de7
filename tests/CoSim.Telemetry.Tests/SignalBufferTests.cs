using CoSim.Core;
using CoSim.Telemetry.Signals;

namespace CoSim.Telemetry.Tests;

public class SignalBufferTests
{
    [Test]
    public void Sample_RepeatedTime_IsAJumpToTheLaterRecord()
    {
        var b = new SignalBuffer("x", SignalPolicy.Default);
        b.Add(0, 0);
        b.Add(1, 10);
        b.Add(1, 20);
        b.Add(2, 30);

        b.Sample(0.5).ShouldBe(5);
        b.Sample(1).ShouldBe(20);
        b.Sample(1.5).ShouldBe(25);
    }

    [Test]
    public void Sample_BackwardsAfterForwards_GivesTheSameValues()
    {
        var b = new SignalBuffer("x", SignalPolicy.Default);
        for (var i = 0; i < 100; i++) b.Add(i, i * i);
        var forward = Enumerable.Range(0, 199).Select(k => b.Sample(k * 0.5)).ToArray();

        b.Sample(10.25).ShouldBe(100 + 0.25 * 21);
        Enumerable.Range(0, 199).Select(k => b.Sample(k * 0.5)).ToArray().ShouldBe(forward);
    }

    [Test]
    public void DiscardBefore_LiveAppendAndTrim_KeepsWhatLaterSamplesNeed()
    {
        var b = new SignalBuffer("x", new SignalPolicy(Interpolation.Hold));
        for (var i = 0; i < 10_000; i++)
        {
            b.Add(i, i);
            b.Sample(i - 0.5).ShouldBe(Math.Max(0, i - 1));
            b.DiscardBefore(i - 1);
        }

        b.Count.ShouldBeLessThanOrEqualTo(3);
        b.Sample(9998.5).ShouldBe(9998);
    }

    [Test]
    public void Add_OlderRecord_Throws()
    {
        var b = new SignalBuffer("x", SignalPolicy.Default);
        b.Add(2, 0);

        Should.Throw<ArgumentException>(() => b.Add(1, 0)).Message.ShouldContain("older");
    }
}
