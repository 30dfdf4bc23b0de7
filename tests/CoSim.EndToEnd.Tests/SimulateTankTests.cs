using System.Globalization;
using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>`cosim simulate` on the Tank example against its closed-form solution.</summary>
public class SimulateTankTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-e2e-tank-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    // Tank defaults (fmus/Tank/readme.md): A = 0.5 m2, k = 0.05 m2.5/s, maxInflow = 0.1 m3/s, h0 = 0.1 m.
    private const double A = 0.5, K = 0.05, MaxInflow = 0.1;

    /// <summary>Time to go from h0 to h with constant inflow q (closed form of A dh/dt = q - k sqrt(h)).</summary>
    private static double TimeToReach(double h0, double h, double q)
    {
        var sStar = q / K;
        return 2 * A / K * ((Math.Sqrt(h0) - Math.Sqrt(h)) + sStar * Math.Log((sStar - Math.Sqrt(h0)) / (sStar - Math.Sqrt(h))));
    }

    /// <summary>Level after time t from h0 with inflow q: the closed form inverted by bisection on h.</summary>
    private static double Level(double h0, double t, double q)
    {
        var hStar = Math.Pow(q / K, 2);
        double lo = Math.Min(h0, hStar), hi = Math.Max(h0, hStar);
        for (var i = 0; i < 200; i++)
        {
            var mid = 0.5 * (lo + hi);
            var tm = TimeToReach(h0, mid, q);
            // Filling: t grows with h. Draining: t grows as h falls.
            if ((h0 < hStar) == (tm < t)) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_ConstantValve_MatchesReferenceCsv(int version)
    {
        var output = Path.Combine(_dir, "out.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "Tank"), "--output", output);
        run.ExitCode.ShouldBe(0, run.ToString());
        var result = ResultCsv.Load(output);
        result.Columns.ShouldBe(["time", "level", "outflow"]);
        result.Rows.Count.ShouldBe(1001); // default experiment: 0..100 s, step 0.1 s
        result.Times[^1].ShouldBe(100.0);
        var reference = ResultCsv.Load(Path.Combine(ExampleFmus.SourceFolder("Tank"), "reference.csv"));
        foreach (var row in reference.Rows)
        {
            var t = row[0];
            result.At("level", t).ShouldBe(row[reference.Column("level")], 1e-9, $"level at t={t}");
            result.At("outflow", t).ShouldBe(row[reference.Column("outflow")], 1e-9, $"outflow at t={t}");
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_ValveStepFromInputCsv_MatchesClosedFormAcrossTheStep(int version)
    {
        var input = Path.Combine(_dir, "valve.csv");
        // A repeated time stamp is a discontinuity: valve 0.5 until t = 40, then 1.0.
        File.WriteAllText(input, "time,valve\n0,0.5\n40,0.5\n40,1.0\n100,1.0\n");
        var output = Path.Combine(_dir, "out.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "Tank"), "--input", input, "--output", output, "--stop", "80", "--step", "0.5");
        run.ExitCode.ShouldBe(0, run.ToString());
        var result = ResultCsv.Load(output);
        var h40 = Level(0.1, 40, 0.5 * MaxInflow);
        foreach (var t in new[] { 10.0, 25.0, 40.0 })
            result.At("level", t).ShouldBe(Level(0.1, t, 0.5 * MaxInflow), 1e-8, $"t={t}");
        foreach (var t in new[] { 40.5, 50.0, 65.0, 80.0 })
            result.At("level", t).ShouldBe(Level(h40, t - 40, MaxInflow), 1e-8, $"t={t}");
        // The level rises faster after the step: the input really reached the FMU.
        result.At("level", 80).ShouldBeGreaterThan(Level(0.1, 80, 0.5 * MaxInflow) + 0.5);
    }

    [Test]
    public void Simulate_SetParameterAndRecordGlob_ChangesResultAndColumns()
    {
        var output = Path.Combine(_dir, "out.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--set", "h0=2", "--set", "area=1",
            "--record", "lev*", "--record", "inflow", "--stop", "10", "--output", output);
        run.ExitCode.ShouldBe(0, run.ToString());
        var result = ResultCsv.Load(output);
        result.Columns.ShouldBe(["time", "level", "inflow"]);
        result.Rows[0][1].ShouldBe(2.0);
        // With A = 1 m2 the closed form changes by A: check against it directly.
        var expected = 2 * 1.0 / K; // 2A/k with A = 1
        var sStar = 0.5 * MaxInflow / K;
        double T(double h) => expected * ((Math.Sqrt(2) - Math.Sqrt(h)) + sStar * Math.Log((sStar - Math.Sqrt(2)) / (sStar - Math.Sqrt(h))));
        var h10 = result.At("level", 10);
        T(h10).ShouldBe(10, 1e-6);
    }

    [Test]
    public void Simulate_DefaultOutputName_WrittenInWorkingDirectory()
    {
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--stop", "1");
        run.ExitCode.ShouldBe(0, run.ToString());
        File.Exists(Path.Combine(_dir, "Tank_out.csv")).ShouldBeTrue();
        run.StdOut.ShouldContain("10 steps to t=1 s");
    }

    [Test]
    public void Simulate_StepNotDividingInterval_LastPointExactlyAtStop()
    {
        var output = Path.Combine(_dir, "out.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(3, "Tank"), "--start", "0", "--stop", "1", "--step", "0.3", "-o", output);
        run.ExitCode.ShouldBe(0, run.ToString());
        ResultCsv.Load(output).Times.ShouldBe([0, 0.3, 0.6, 0.9, 1.0], tolerance: 1e-15);
    }

    [Test]
    public void Info_Tank_ListsVariablesAndCapabilities()
    {
        var run = CosimProcess.Run(_dir, "info", ExampleFmus.Path(3, "Tank"));
        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("FMI version    3.0");
        run.StdOut.ShouldContain("co-simulation, model exchange");
        run.StdOut.ShouldContain("x86_64-linux");
        run.StdOut.ShouldContain("outletCoefficient");
        run.StdOut.ShouldContain("m2.5/s");
    }

    [Test]
    public void Validate_Tank_CanRun()
    {
        var run = CosimProcess.Run(_dir, "validate", ExampleFmus.Path(2, "Tank"));
        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("can run");
    }
}
