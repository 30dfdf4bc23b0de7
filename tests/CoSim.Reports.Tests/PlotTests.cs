using CoSim.TestSupport;

namespace CoSim.Reports.Tests;

/// <summary><c>cosim plot</c> and <see cref="ResultPlot"/> on results of the real Tank FMU, checked in the SVG's XML and the PNG's header.</summary>
public class PlotTests
{
    private string _dir = "";
    private string _csv = "";

    [OneTimeSetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("cosim-plot-").FullName;
        _csv = Path.Combine(_dir, "tank.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--input", Path.Combine(ExampleFmus.RepoRoot, "examples", "tank-valve-step", "valve.csv"),
            "--stop", "200", "-o", _csv);
        run.ExitCode.ShouldBe(0, run.ToString());
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Plot_TankResultToSvg_OnePanelPerUnitWithUnitLabelsTicksAndOneLinePerSignal()
    {
        var svgPath = Path.Combine(_dir, "tank.svg");
        var run = CosimProcess.Run(_dir, "plot", _csv, "-o", svgPath, "--width", "900", "--marker", "60=valve step", "--window", "100:150");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("2 signals in 2 panels (m, m3/s)");
        var svg = SvgFigure.Parse(File.ReadAllText(svgPath));
        svg.Width.ShouldBe(900);
        svg.Texts.ShouldContain("level [m]");
        svg.Texts.ShouldContain("outflow [m3/s]");
        svg.Texts.Count(t => t == "time [s]").ShouldBe(2, "each panel labels the shared time axis");
        svg.Texts.Count(t => t == "valve step").ShouldBe(2, "an event is marked on every panel");
        svg.DataLines("1.5").Count.ShouldBe(2, "one line per signal");
        // The time axis spans the run: ticks from 0 to 200 s (the same on both panels).
        var ticks = svg.NumericTexts;
        ticks.Count(t => t == 200).ShouldBe(2);
        ticks.Count(t => t == 0).ShouldBeGreaterThanOrEqualTo(2);
        ticks.Count.ShouldBeGreaterThan(20);
    }

    [Test]
    public void Plot_Png_HasTheRequestedSize()
    {
        var png = Path.Combine(_dir, "tank.png");
        var run = CosimProcess.Run(_dir, "plot", _csv, "-o", png, "--width", "640", "--height", "480", "--signals", "lev*");

        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("1 signals in 1 panels (m)");
        var bytes = File.ReadAllBytes(png);
        bytes.Take(8).ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        // IHDR: width and height, big-endian, at bytes 16..23.
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)).ShouldBe(640);
        System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)).ShouldBe(480);
    }

    [TestCase("plot {csv} --signals nothing*", "--signals 'nothing*': matches no column")]
    [TestCase("plot {csv} -o plot.jpg", "a plot is .png or .svg")]
    [TestCase("plot {csv} --window 5:1", "--window '5:1': TO must be after FROM")]
    [TestCase("plot {csv} --marker x=valve", "--marker 'x=valve': 'x' is not a time")]
    [TestCase("plot missing.csv", "missing.csv: no such file")]
    public void Plot_BadInput_OneLineAndExit2(string args, string expected)
    {
        var run = CosimProcess.Run(_dir, args.Replace("{csv}", _csv).Split(' '));

        run.ExitCode.ShouldBe(2, run.ToString());
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, run.ToString());
        lines[0].ShouldStartWith("error: ");
        lines[0].ShouldContain(expected);
    }

    [Test]
    public void Plot_NotAResult_SaysFileAndLine()
    {
        var bad = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(bad, "time,x\n0,1\n0.1,oops\n");

        var run = CosimProcess.Run(_dir, "plot", bad);

        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdErr.ShouldContain($"{bad}:3:5: column 'x': 'oops' is not a number");
    }

    [Test]
    public void Create_MeasuredColumn_JoinsItsSignalsPanel()
    {
        var table = ResultTable.Load(_csv);
        var level = table.Traces.Single(t => t.Signal == "level");
        var measured = new Trace("level.measured", level.Time, level.Values.Select((v, i) => v + 0.01 * Math.Sin(i)).ToArray(), "m");

        var plot = ResultPlot.Create([.. table.Traces, measured]);

        plot.Panels.Count.ShouldBe(2);
        plot.Panels[0].Signals.Select(s => s.Signal).ShouldBe(["level"]);
        plot.Panels[0].Measured.Single()!.Signal.ShouldBe("level.measured");
        var svg = SvgFigure.Parse(plot.ToSvg());
        svg.DataLines("1.5").Count.ShouldBe(2, "level and outflow");
        svg.DataLines("4").Count.ShouldBe(1, "the measurement, wide under its signal");
        svg.Texts.ShouldContain("level.measured");
    }

    [Test]
    public void Plot_MarkerWithALabel_LabelAboveTheDataClearOfTheTimeTicks()
    {
        var svgPath = Path.Combine(_dir, "marker.svg");
        var png = Path.Combine(TestContext.CurrentContext.WorkDirectory, "plot-marker.png");
        var run = CosimProcess.Run(_dir, "plot", _csv, "-o", svgPath, "--signals", "level", "--marker", "60=valve step");
        CosimProcess.Run(_dir, "plot", _csv, "-o", png, "--marker", "60=valve step").ExitCode.ShouldBe(0);
        TestContext.AddTestAttachment(png, "cosim plot --marker");

        run.ExitCode.ShouldBe(0, run.ToString());
        var svg = SvgFigure.Parse(File.ReadAllText(svgPath));
        var label = svg.TextBoxes("valve step").ShouldHaveSingleItem();
        var ticks = svg.NumericTextBoxes().Where(b => b.Y > svg.Height / 2).ToList(); // the time axis's tick labels, at the bottom
        ticks.Count.ShouldBeGreaterThan(3);
        label.Y.ShouldBeLessThan(40, "above the data area, where nothing else is drawn");
        ticks.ShouldAllBe(t => Math.Abs(t.Y - label.Y) > 30);
    }

    [Test]
    public void Create_SixSignalsWithLongNames_EachYLabelFitsItsPanel()
    {
        // Six signals in three units, names as long as a shadow run's: joined, their labels were longer than their panels.
        double[] t = [0, 1, 2, 3];
        var traces = Enumerable.Range(0, 6).Select(i => new Trace($"shadow.Pump.flowRate{i}.measurement.residual", t, [i, i + 1, i, i + 2], i % 3 == 0 ? "l/min" : i % 3 == 1 ? "A" : "degC")).ToList();

        var plot = ResultPlot.Create(traces);
        var svg = SvgFigure.Parse(plot.ToSvg());

        plot.Panels.Count.ShouldBe(3);
        var room = plot.Height / 3.0 - 12 - 48;
        using var typeface = SkiaSharp.SKTypeface.FromFamilyName("DejaVu Sans", SkiaSharp.SKFontStyle.Bold);
        using var font = new SkiaSharp.SKFont(typeface, 14);
        foreach (var unit in new[] { "l/min", "A", "degC" })
        {
            var label = svg.Texts.Single(x => x.EndsWith($"[{unit}]"));
            font.MeasureText(label).ShouldBeLessThanOrEqualTo((float)room, label);
        }
    }

    [Test]
    public void Create_NearZeroSignal_TickLabelsDiffer()
    {
        double[] t = [0, 1, 2, 3, 4];
        var plot = ResultPlot.Create([new Trace("tiny", t, t.Select(x => x * 2e-7).ToArray(), "V")]);

        var ticks = SvgFigure.Parse(plot.ToSvg()).NumericTexts.Where(v => v is > 0 and < 1e-5).Distinct().ToList();

        ticks.Count.ShouldBeGreaterThanOrEqualTo(3, "ticks 1e-7 apart must not all read 0");
    }

    [Test]
    public void SignalPairs_Find_PairsAShadowComponentsMeasurementWithTheSimulatedSignal()
    {
        string[] columns = ["Pump.flowRate", "shadow.Pump.flowRate.measured", "shadow.Pump.flowRate.residual", "shadow.Pump.flowRate.flag", "shadow.flag"];

        SignalPairs.Find(columns).ShouldBe([("Pump.flowRate", "shadow.Pump.flowRate.measured")]);
        SignalPairs.FlagOf("shadow.Pump.flowRate.measured", columns).ShouldBe("shadow.Pump.flowRate.flag");
    }

    [Test]
    public void Create_ShadowFlag_ShadesTheFlaggedIntervalOnTheSimulatedSignalsPanel()
    {
        double[] t = [0, 1, 2, 3, 4, 5];
        var plot = ResultPlot.Create([
            new Trace("Pump.flowRate", t, [1, 1, 1, 1, 1, 1], "l/min"),
            new Trace("shadow.Pump.flowRate.measured", t, [1, 1, 3, 3, 1, 1], "l/min"),
            new Trace("shadow.Pump.flowRate.flag", t, [0, 0, 1, 1, 0, 0]),
        ]);

        plot.Panels.ShouldHaveSingleItem().Measured.Single()!.Signal.ShouldBe("shadow.Pump.flowRate.measured");
        plot.Options.Spans.ShouldBe([new PlotSpan(2, 4, "flagged", "Pump.flowRate")]);
    }

    [Test]
    public void Downsample_MillionPoints_KeepsEveryExtremeWithinFewPointsPerPixel()
    {
        const int n = 1_000_000;
        var time = Enumerable.Range(0, n).Select(i => i * 1e-3).ToArray();
        var values = time.Select(t => Math.Sin(t / 50)).ToArray();
        values[123_457] = 7;   // a one-sample spike
        values[876_543] = -5;  // and a dip

        var (x, y) = ResultPlot.Downsample(time, values, 1000);

        x.Length.ShouldBeLessThanOrEqualTo(4 * 1000);
        y.Max().ShouldBe(7);
        y.Min().ShouldBe(-5);
        x[0].ShouldBe(0);
        x[^1].ShouldBe(time[^1]);
        x.Zip(x.Skip(1)).ShouldAllBe(p => p.First <= p.Second, "in time order");
    }

    [Test]
    public void SignalPairs_Find_PairsOnlyMeasurementsWhoseSignalIsPresent()
    {
        SignalPairs.Find(["Tank.level", "Tank.level.measured", "Pump.flow.measured", "measured", ".measured"])
            .ShouldBe([("Tank.level", "Tank.level.measured")]);
        SignalPairs.SimulatedOf("a.b.measured").ShouldBe("a.b");
        SignalPairs.SimulatedOf("a.b").ShouldBeNull();
    }

    [Test]
    public void ResidualStatistics_Of_MatchesHandComputedValues()
    {
        double[] t = [0, 1, 2, 3];
        var stats = ResidualStatistics.Of([new Trace("x", t, [1, 2, 3, 4]), new Trace("x.measured", t, [1, 1, 5, double.NaN])]).Single();

        // residuals 0, 1, -2 (the NaN sample is left out)
        stats.Samples.ShouldBe(3);
        stats.Mean.ShouldBe(-1.0 / 3, 1e-15);
        stats.Rms.ShouldBe(Math.Sqrt(5.0 / 3), 1e-15);
        stats.MaxAbs.ShouldBe(2);
        stats.MaxAbsTime.ShouldBe(2);
    }
}
