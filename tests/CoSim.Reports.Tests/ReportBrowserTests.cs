using CoSim.Core.Assessment;
using CoSim.TestSupport;
using Microsoft.Playwright;

namespace CoSim.Reports.Tests;

/// <summary>
/// Reports opened as a reader opens them: in headless Chromium (Debian's, driven by Playwright), which
/// must load the page without a console error and show its plots. Screenshots are kept as test attachments.
/// </summary>
[NonParallelizable]
public class ReportBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private string _dir = "";
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("cosim-report-").FullName;
        if (!File.Exists(Chromium)) Assert.Ignore($"{Chromium} is missing: run scripts/setup (it installs Debian's chromium)");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        if (_browser != null) await _browser.CloseAsync();
        _playwright?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task RunReport_TankLoop_LoadsWithoutErrorsAndShowsItsPlots()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", Path.Combine(_dir, "loop"));
        var html = Path.Combine(_dir, "loop.html");
        var run = CosimProcess.Run(_dir, "run", ssp, "--stop", "100", "--step", "0.01", "-o", Path.Combine(_dir, "loop.parquet"), "--report", html);
        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("report -> " + html);
        ShouldBeSelfContained(File.ReadAllText(html));

        var page = await Open(html, "tankloop-report.png");

        (await page.TitleAsync()).ShouldBe("TankLoop");
        (await page.Locator("#summary").InnerTextAsync()).ShouldContain("10000");
        (await page.Locator("#provenance").InnerTextAsync()).ShouldContain("\"units\"");
        var svgs = page.Locator("#signals figure svg");
        (await svgs.CountAsync()).ShouldBe(1);
        var box = (await svgs.First.BoundingBoxAsync())!;
        box.Width.ShouldBeGreaterThan(600);
        box.Height.ShouldBeGreaterThan(500, "one panel per unit: m, l/min, m3/s, none");
        (await SvgTexts(page.Locator("#signals svg text"))).ShouldContain("Tank.level [m]");
    }

    [Test]
    public async Task RunReport_FmuFailsMidway_ReportSaysFailedWithErrorAndPlotsRowsUpToIt()
    {
        var html = Path.Combine(_dir, "fault.html");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "FaultError"), "--stop", "1", "--step", "0.01", "-o", Path.Combine(_dir, "fault.csv"), "--report", html);
        run.ExitCode.ShouldBe(1, run.ToString());
        run.StdErr.ShouldContain("error: component 'FaultError', fmi2DoStep, at t=0.5 s");

        var page = await Open(html, "failed-run-report.png");

        (await page.Locator(".outcome").InnerTextAsync()).ShouldBe("failed");
        (await page.Locator("#summary").InnerTextAsync()).ShouldContain("simulated failure in doStep at t=0.5");
        (await page.Locator("#summary").InnerTextAsync()).ShouldContain("(51 rows, 1 signals)");
        var ticks = (await SvgTexts(page.Locator("#signals svg text"))).Where(t => double.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out _)).Select(double.Parse).ToList();
        ticks.Max().ShouldBeLessThanOrEqualTo(0.5, "time axis ends where the rows end");
    }

    [Test]
    public async Task AssertionReport_FailedAssertion_PlotMarksViolationAndShadesWindow()
    {
        // The real Tank FMU's level after a valve step; the requirement "level <= 2 m from 100 s on" fails.
        var csv = Path.Combine(_dir, "tank.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Tank"), "--input", Path.Combine(ExampleFmus.RepoRoot, "examples", "tank-valve-step", "valve.csv"),
            "--stop", "200", "-o", csv);
        run.ExitCode.ShouldBe(0, run.ToString());
        var table = ResultTable.Load(csv);
        var level = table.Traces.Single(t => t.Signal == "level");
        var first = Enumerable.Range(0, level.Time.Length).First(i => level.Time[i] >= 100 && level.Values[i] > 2);
        var measured = new Trace("level.measured", level.Time, level.Values.Select(v => v * 1.02).ToArray(), "m");
        var report = new Report
        {
            Title = "Tank commissioning",
            Outcome = "failed",
            Summary = [new("scenario", "valve step"), new("result", csv)],
            Assertions =
            [
                new AssertionResult("level stays below 2 m", "level", Verdict.Fail, $"level must stay <= 2 m from t = 100 s; it was {level.Values[first]:0.###} m at t = {level.Time[first]} s")
                {
                    Violation = new Violation(level.Time[first], level.Values[first], 2),
                    Window = (100, 200),
                },
                new AssertionResult("outflow positive", "outflow", Verdict.Pass, "outflow stayed > 0 over the run"),
                new AssertionResult("pump speed", "pump.speed", Verdict.NotEvaluated, "pump.speed was not recorded"),
            ],
            Traces = [.. table.Traces, measured],
            Events = [new PlotMarker(60, "valve step")],
            Residuals = ResidualStatistics.Of([level, measured]),
            Tables = [new ReportTable("Sweep", ["area [m2]", "max level [m]"], [["0.5", "3.2"], ["1.0", "1.6"]])],
        };
        var html = Path.Combine(_dir, "assertions.html");
        ReportWriter.Write(report, html);
        ShouldBeSelfContained(File.ReadAllText(html));

        var page = await Open(html, "assertion-report.png");

        (await page.Locator("#assertions h2").InnerTextAsync()).ShouldBe("Assertions: 1 of 3 passed");
        (await page.Locator("#assertions tr.fail td").AllInnerTextsAsync()).ShouldContain($"t = {level.Time[first]:G6} s: {level.Values[first]:G6} vs bound 2");
        (await page.Locator("#assertions figure").CountAsync()).ShouldBe(2, "the two assertions whose signal has a trace");
        var failed = page.Locator("#assertions figure.fail svg");
        (await SvgTexts(failed.Locator("text"))).ShouldContain($"first violation, t = {level.Time[first]:G6} s");
        (await failed.Locator("ellipse").CountAsync()).ShouldBeGreaterThan(0, "the violation's marker");
        (await page.Locator("#residuals td").AllInnerTextsAsync()).ShouldContain("level");
        (await page.Locator("section.table td").AllInnerTextsAsync()).ShouldContain("1.6");
        (await page.Locator("svg").CountAsync()).ShouldBe(3);
        // Printable: the print style sheet applies and the plots stay on the page.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var pdf = await page.PdfAsync(new() { Format = "A4" });
        pdf.Length.ShouldBeGreaterThan(10_000);
    }

    [Test]
    public async Task TestReport_TwoScenarios_UnitsOwnFiguresReadableTicksTubeAndEventsMarked()
    {
        // Two scenarios unlike each other: the Tank in metres over 200 s with a fault and a reference tube, and a
        // ramp of 1e-7 per second (no unit) over 10 s.
        var scenarios = Directory.CreateDirectory(Path.Combine(_dir, "first-hour")).FullName;
        var tank = ExampleFmus.Path(2, "Tank").Replace("\\", "/");
        File.WriteAllText(Path.Combine(scenarios, "a-tank.csx"), $$"""
            var tank = Fmu("{{tank}}");
            Stop = 200; Step = 0.5;
            Set(tank["valve"], 0.5);
            StuckAt(tank["valve"], 1.0).From(60).For(40).Named("valve stuck open");
            At(150, () => { }, "inspection");
            Assert.StaysWithin(tank["level"], 0, 2);
            Assert.FollowsReference(tank["level"], t => Math.Min(0.95, 0.1 + 0.03 * t), absolute: 0.3).Named("level follows the plan");
            """);
        File.WriteAllText(Path.Combine(scenarios, "b-tiny.csx"), $$"""
            var feed = Fmu("{{ExampleFmus.Path(2, "Feedthrough").Replace("\\", "/")}}");
            Stop = 10; Step = 0.1;
            Set(feed["slope"], 1e-7);
            Assert.StaysWithin(feed["ramp"], 0, 1e-5);
            """);
        var html = Path.Combine(_dir, "test-report.html");

        var run = CosimProcess.Run(_dir, "test", scenarios, "--results", Path.Combine(_dir, "test-results"), "--report", html);

        run.ExitCode.ShouldBe(1, run.ToString()); // the tube assertion fails: the tank fills faster than planned while the valve is stuck
        File.Exists(Path.Combine(_dir, "test-results", "a-tank.csv.provenance.json")).ShouldBeTrue("cosim test writes provenance beside its results");
        var page = await Open(html, "test-report.png");

        var figures = page.Locator("#signals figure");
        (await figures.CountAsync()).ShouldBe(2, "one figure per scenario");
        (await page.Locator("#signals h3").AllInnerTextsAsync()).ShouldBe(["a-tank", "b-tiny"]);
        var tankTexts = await SvgTexts(figures.Nth(0).Locator("svg text"));
        tankTexts.ShouldContain(t => t.EndsWith("[m]"), "the level's unit, from the provenance cosim test wrote");
        tankTexts.ShouldContain("valve stuck open");
        tankTexts.ShouldContain("end");
        tankTexts.ShouldContain("inspection");
        var tinyTicks = (await SvgTexts(figures.Nth(1).Locator("svg text")))
            .Select(t => double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN)
            .Where(v => v is > 0 and < 1e-5).ToList();
        tinyTicks.Count.ShouldBeGreaterThanOrEqualTo(2, "ticks of a 1e-6 signal read 2E-07, 4E-07..., not all 0");
        var tube = page.Locator("#assertions figure.fail svg");
        (await SvgTexts(tube.Locator("text"))).ShouldContain(t => t.StartsWith("tube around"), "the FollowsReference plot draws the reference and its tube");
        (await SvgTexts(tube.Locator("text"))).ShouldContain("valve stuck open", "the scenario's fault is marked on its assertion plots");
    }

    [Test]
    public async Task RunReport_Shadow_PairsMeasuredWithSimulatedAndShowsStatisticsFlagsAndF1()
    {
        var skab = Path.GetFullPath(Path.Combine(ExampleFmus.RepoRoot, "..", "shared", "data", "skab", "valve1", "0.csv"));
        if (!File.Exists(skab)) Assert.Ignore($"SKAB data not found at {skab}");
        var html = Path.Combine(_dir, "shadow.html");
        var csv = Path.Combine(_dir, "shadow.csv");

        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Pump"), "--replay", skab, "--replay-map", "Voltage[V]=voltage",
            "--shadow", "flowRate=Volume Flow RateRMS[l/min]", "--shadow-fit-rows", "400", "--shadow-label", "anomaly",
            "--set", "initialTemperature=79", "--step", "1", "--stop", "1000", "-o", csv, "--report", html);

        run.ExitCode.ShouldBe(0, run.ToString());
        var provenance = File.ReadAllText(csv + ".provenance.json");
        provenance.ShouldContain("\"shadow:shadow\"");
        provenance.ShouldContain("\"f1\"");
        var page = await Open(html, "shadow-report.png");
        (await page.Locator("#residuals td").AllInnerTextsAsync()).ShouldContain("Pump.flowRate", "shadow.Pump.flowRate.measured is the measurement of Pump.flowRate");
        var table = await page.Locator("section.table").AllInnerTextsAsync();
        table.ShouldContain(t => t.Contains("Shadow comparison 'shadow'") && t.Contains("F1") && t.Contains("RMSE") && t.Contains("flagged points"));
        var signals = await SvgTexts(page.Locator("#signals svg text"));
        signals.ShouldContain(t => t.StartsWith("band shadow: bias"), "the allowed band is drawn under the simulated flow");
        signals.ShouldContain("shadow.Pump.flowRate.measured");

        var png = Path.Combine(TestContext.CurrentContext.WorkDirectory, "shadow-plot.png");
        var plot = CosimProcess.Run(_dir, "plot", csv, "--signals", "Pump.flowRate", "-o", png);
        plot.ExitCode.ShouldBe(0, plot.ToString());
        plot.StdOut.ShouldContain("3 signals in 1 panels (l/min)", Case.Sensitive, "the flow, its measurement and its flag (as shading)");
        TestContext.AddTestAttachment(png, "cosim plot of a shadow run: measured over simulated, band, flagged intervals");
    }

    // SVG text has no innerText (not an HTML element): its text content, trimmed.
    private static async Task<List<string>> SvgTexts(ILocator texts) => (await texts.AllTextContentsAsync()).Select(t => t.Trim()).ToList();

    private static void ShouldBeSelfContained(string html)
    {
        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("<link", Case.Insensitive);
        html.ShouldNotContain("src=", Case.Insensitive);
        html.ShouldNotContain("@import", Case.Insensitive);
        html.ShouldNotContain("url(http", Case.Insensitive);
    }

    /// <summary>Opens <paramref name="html"/>; fails on a console error or page error; attaches a full-page screenshot.</summary>
    private async Task<IPage> Open(string html, string screenshot)
    {
        var page = await _browser!.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        page.RequestFailed += (_, r) => errors.Add("request failed: " + r.Url);
        var response = await page.GotoAsync(new Uri(html).AbsoluteUri);
        response.ShouldNotBeNull();
        response.Ok.ShouldBeTrue();
        var shot = Path.Combine(TestContext.CurrentContext.WorkDirectory, screenshot);
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        TestContext.AddTestAttachment(shot, "the report as headless Chromium shows it");
        errors.ShouldBeEmpty();
        return page;
    }
}
