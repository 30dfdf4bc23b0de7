using CoSim.Core;
using CoSim.Telemetry.Replay;

namespace CoSim.Telemetry.Tests;

public class InputTableTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-input-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "in.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static double[] Sample(InputTable t, double time, params bool[] continuous)
    {
        var v = new double[t.Names.Count];
        t.Sample(time, continuous, v);
        return v;
    }

    [Test]
    public void Sample_BetweenRows_ContinuousInterpolatesDiscreteHolds()
    {
        var t = InputTable.Load(Write("time,u,k\n0,0,1\n1,10,2\n"));
        Sample(t, 0.25, true, false).ShouldBe([2.5, 1]);
        Sample(t, 0.75, true, false).ShouldBe([7.5, 1]);
    }

    [Test]
    public void Sample_OutsideRange_HoldsEndValues()
    {
        var t = InputTable.Load(Write("time,u\n1,5\n2,7\n"));
        Sample(t, 0, true).ShouldBe([5]);
        Sample(t, 3, true).ShouldBe([7]);
    }

    [Test]
    public void Sample_RepeatedTimeStamp_IsDiscontinuity()
    {
        var t = InputTable.Load(Write("time,u\n0,0\n1,0\n1,1\n2,1\n"));
        Sample(t, 0.999, true)[0].ShouldBe(0);
        Sample(t, 1.0, true)[0].ShouldBe(1); // from the instant on, the later row
        Sample(t, 1.5, true)[0].ShouldBe(1);
    }

    [Test]
    public void Sample_BackwardsInTime_StillCorrect()
    {
        var t = InputTable.Load(Write("time,u\n0,0\n1,1\n2,0\n"));
        Sample(t, 1.5, true)[0].ShouldBe(0.5);
        Sample(t, 0.5, true)[0].ShouldBe(0.5);
    }

    [TestCase("time,u\n0,1\n1,abc\n", ":3:3: column 'u': 'abc' is not a number")]
    [TestCase("time,u\n0,1\n1,2,3\n", ":3: expected 2 values, found 3")]
    [TestCase("time,u\n1,1\n0,2\n", ":3: time 0 is before the previous row's 1")]
    [TestCase("time,u\n0,1\n0,2\n0,3\n", ":4: a third row with time 0")]
    [TestCase("", ":1: the input file is empty")]
    [TestCase("time,u\n", "has a header but no rows")]
    [TestCase("time,u,u\n0,1,1\n", ":1: column 'u' appears twice")]
    public void Load_BadFile_ErrorNamesFileAndLine(string text, string expected)
    {
        var path = Write(text);
        var e = Should.Throw<InputException>(() => InputTable.Load(path));
        e.Message.ShouldContain(path);
        e.Message.ShouldContain(expected);
    }
}
