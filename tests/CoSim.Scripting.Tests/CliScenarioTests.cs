using System.Diagnostics;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using CoSim.TestSupport;

namespace CoSim.Scripting.Tests;

/// <summary>The scenario commands through the real <c>cosim</c> in a child process, on the Tank FMU built from C.</summary>
public class CliScenarioTests
{
    private string _dir = null!;
    private string _cache = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("cosim-cli-scenario-").FullName;
        _cache = Path.Combine(_dir, "cache");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Tank => ExampleFmus.Path(2, "Tank").Replace("\\", "/");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>cosim with its own script cache, in the test folder.</summary>
    private CosimResult Cosim(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cosim.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["COSIM_CACHE"] = _cache;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"cosim {string.Join(' ', args)} did not finish within 3 minutes");
        }
        p.WaitForExit();
        return new CosimResult(p.ExitCode, stdout.Result, stderr.Result, p.ExitCode >= 128);
    }

    // Tank with the valve open: the level rises from 0.1 m (exactly 0.1 at t=0).
    private string Scenario(string assertion) => $"""
        var tank = Fmu("{Tank}");
        Set("Tank.valve", 1);
        Stop = 20;
        Step = 0.5;
        {assertion}
        """;

    /// <summary>Each case of a sweep run by <c>cosim run</c> has its provenance; a rerun of one case compares that case.</summary>
    [Test]
    public void Rerun_OneCaseOfASweep_Identical()
    {
        Write("sweep.csx", Scenario("SweepGrid((\"Tank.valve\", new[] { 0.5, 1.0 }));"));
        var run = Cosim("run", "sweep.csx", "-o", "s.csv");
        run.ExitCode.ShouldBe(0, run.ToString());

        var rerun = Cosim("rerun", "s.case-2.csv.provenance.json");

        rerun.ExitCode.ShouldBe(0, rerun.ToString());
        rerun.StdOut.ShouldContain($"identical: {Path.Combine(_dir, "s.case-2.csv")}");
    }

    /// <summary>A path in a <c>#load</c>ed file is relative to that file, as its own <c>#load</c> would be; the main script's stay relative to it.</summary>
    [Test]
    public void Run_LoadedFileInAnotherFolder_ItsPathsAreRelativeToIt()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "plant", "models"));
        File.Copy(ExampleFmus.Path(2, "Tank"), Path.Combine(_dir, "plant", "models", "Tank.fmu"));
        Write("plant/plant.csx", "var tank = Fmu(\"models/Tank.fmu\");\nSet(\"Tank.valve\", 1);\n");
        Write("cases/main.csx", "#load \"../plant/plant.csx\"\nStop = 2;\nStep = 0.5;\nOutput = \"main.csv\";\n");

        var r = Cosim("run", "cases/main.csx");

        r.ExitCode.ShouldBe(0, r.ToString());
        File.Exists(Path.Combine(_dir, "cases", "main.csv")).ShouldBeTrue("Output set in main.csx: beside it");
    }

    /// <summary>A sweep's summary table in the HTML report keeps a cell that holds a comma whole (the CSV quotes it).</summary>
    [Test]
    public void Test_SweepWithCommaInAnAssertionName_ReportTableKeepsItsColumns()
    {
        Write("sweep/comma.csx", Scenario("Assert.StaysWithin(tank[\"level\"], 0, 5).Named(\"level, bounded\");\nSweepGrid((\"Tank.valve\", new[] { 0.5, 1.0 }));"));

        var r = Cosim("test", "sweep", "--report", "out/report.html");

        r.ExitCode.ShouldBe(0, r.ToString());
        var html = File.ReadAllText(Path.Combine(_dir, "out/report.html"));
        html.ShouldContain("<th>level, bounded</th>");
        html.ShouldNotContain("<th> bounded</th>");
        html.ShouldContain("<td>0.5</td>");
    }

    /// <summary>The command line's stop time and --set win over the script's; an option a script run would ignore is refused.</summary>
    [Test]
    public void Run_ScriptWithOverrides_AppliedAndIgnoredOptionsRefused()
    {
        Write("over.csx", Scenario("Record(\"Tank.level\", \"Tank.valve\");"));

        var r = Cosim("run", "over.csx", "--stop", "3", "--set", "Tank.valve=0.25", "-o", "over.csv");

        r.ExitCode.ShouldBe(0, r.ToString());
        var csv = ResultCsv.Load(Path.Combine(_dir, "over.csv"));
        csv.Times[^1].ShouldBe(3, "--stop 3 over the script's Stop = 20");
        csv.Values("valve").ShouldAllBe(v => v == 0.25, "--set after the script's Set");
        File.ReadAllText(Path.Combine(_dir, "over.csv.provenance.json")).ShouldContain("\"--stop\"");

        var refused = Cosim("run", "over.csx", "--algorithm", "gauss-seidel", "--input", "t.csv");
        refused.ExitCode.ShouldBe(2, refused.ToString());
        refused.StdErr.ShouldContain("error: --algorithm, --input: not for a scenario script");

        var noKafka = Cosim("run", "over.csx", "--kafka-replay", "over.csv.provenance.json");
        noKafka.ExitCode.ShouldBe(2, noKafka.ToString());
        noKafka.StdErr.ShouldContain("but the script attaches no Kafka source");
    }

    [Test]
    public void Test_ScenarioSet_ExitCodesConsoleSummaryAndJUnitThatValidates()
    {
        Write("set/good.csx", Scenario("Assert.StaysWithin(tank[\"level\"], 0, 5);"));
        Write("set/bad-limit.csx", Scenario("Assert.StaysWithin(tank[\"level\"], 0, 0.2).Named(\"level limit\");"));
        Write("set/shared.csx", "// loaded by others: a helper, not a test\n");
        Write("set/uses-shared.csx", "#load \"shared.csx\"\n" + Scenario("Assert.StaysWithin(tank[\"level\"], 0, 5);"));

        var failing = Cosim("test", "set", "--junit", "out/results.xml", "--report", "out/report.html");

        failing.ExitCode.ShouldBe(1, failing.ToString());
        failing.StdOut.ShouldContain("PASS  good");
        failing.StdOut.ShouldContain("FAIL  bad-limit");
        // The failing assertion with its signal, the time of the first violation, the value and the bound.
        failing.StdOut.ShouldMatch(@"FAIL level limit: Tank\.level = 0\.2\d* at t=\d+(\.\d+)? s \(bound 0\.2\)");
        failing.StdOut.ShouldContain("3 scenarios, 3 test cases: 2 passed, 1 failed, 0 errors, 0 skipped");
        var junit = Validate(Path.Combine(_dir, "out/results.xml"));
        junit.Root!.Attribute("tests")!.Value.ShouldBe("3");
        junit.Root!.Attribute("failures")!.Value.ShouldBe("1");
        var failure = junit.Descendants("testcase").Single(c => c.Attribute("name")!.Value == "bad-limit").Element("failure")!;
        failure.Attribute("message")!.Value.ShouldContain("level limit: Tank.level = ");
        failure.Attribute("type")!.Value.ShouldBe("assertion");
        // The HTML report: every assertion with its verdict, and the failing one's signal plotted with the violation marked.
        var html = File.ReadAllText(Path.Combine(_dir, "out/report.html"));
        html.ShouldContain("Assertions: 2 of 3 passed");
        html.ShouldContain("bad-limit: level limit");
        html.ShouldContain("bad-limit: Tank.level");
        html.ShouldContain("<svg");
        html.ShouldContain("first violation");

        Write("set/broken.csx", "var tank = Fmu(\"x.fmu\");\nStop = undefinedStop;\n");
        var broken = Cosim("test", "set", "--junit", "out/results.xml");

        broken.ExitCode.ShouldBe(2, broken.ToString());
        broken.StdOut.ShouldContain($"{Path.Combine(_dir, "set", "broken.csx")}:2:8: error CS0103: The name 'undefinedStop' does not exist");
        var error = Validate(Path.Combine(_dir, "out/results.xml")).Descendants("testcase").Single(c => c.Attribute("name")!.Value == "broken").Element("error")!;
        error.Attribute("message")!.Value.ShouldContain("could not run: ");

        var filtered = Cosim("test", "set", "--filter", "go*");
        filtered.ExitCode.ShouldBe(0, filtered.ToString());
        filtered.StdOut.ShouldContain("1 scenarios, 1 test cases: 1 passed");
    }

    [Test]
    public void Run_InlinePluginComponent_SteppedInLockstepWithTheFmu()
    {
        // A C# component defined in the script itself (the plugin SDK's base class), beside the Tank FMU.
        var script = Write("inline.csx", $$"""
            class Gain : PluginComponent
            {
                private readonly RealVariable _u, _y;
                public Gain()
                {
                    DirectFeedthrough = true;
                    _u = Real("u", VariableRole.Input);
                    _y = Real("y", VariableRole.Output);
                }
                protected override void Step(double time, double step) => Evaluate(time + step);
                protected override void Evaluate(double time) => _y.Value = 2 * _u.Value;
            }
            Fmu("{{Tank}}");
            Component(new Gain { Name = "Gain" });
            Set("Gain.u", 3);
            Stop = 5;
            Step = 0.5;
            Record("Tank.level", "Gain.y");
            """);

        var result = Cosim("run", script, "-o", "inline.csv");

        result.ExitCode.ShouldBe(0, result.ToString());
        var csv = ResultCsv.Load(Path.Combine(_dir, "inline.csv"));
        csv.Times.Length.ShouldBe(11);
        csv.Columns.ShouldContain("Tank.level");
        foreach (var t in csv.Times) csv.At("Gain.y", t).ShouldBe(6);
    }

    [Test]
    public void JUnitSchema_ReportWithoutClassname_Rejected()
    {
        // The check can fail: a testcase without classname, and a timestamp with a time zone, are not the Ant format.
        var path = Write("bad.xml", """
            <testsuites><testsuite name="s" timestamp="2026-12-01T10:00:00Z" hostname="h" tests="1" failures="0" errors="0" time="1" package="p" id="0">
            <properties/><testcase name="c" time="1"/><system-out/><system-err/></testsuite></testsuites>
            """);

        var errors = SchemaErrors(path);

        errors.ShouldContain(e => e.Contains("classname"));
        errors.ShouldContain(e => e.Contains("timestamp"));
    }

    [Test]
    public void Run_ErrorInEventAction_ScriptLineAndExit1()
    {
        var script = Write("boom.csx", $"var tank = Fmu(\"{Tank}\");\nStop = 5;\nAt(2, () =>\n{{\n    throw new InvalidOperationException(\"valve jammed\");\n}});\n");

        var result = Cosim("run", "boom.csx", "-o", "boom.csv");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.StdErr.ShouldContain($"{script}:5: error: ");
        result.StdErr.ShouldContain("valve jammed");
        File.Exists(Path.Combine(_dir, "boom.csv")).ShouldBeTrue();
    }

    [Test]
    public void Run_ErrorWhileBuilding_ScriptLineAndExit2()
    {
        var script = Write("bad-name.csx", $"var tank = Fmu(\"{Tank}\");\n\nConnect(\"Tank\", \"Tank.valve\");\n");

        var result = Cosim("run", "bad-name.csx");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.StdErr.Trim().ShouldStartWith($"{script}:3: error: ");
    }

    [Test]
    public void Run_SecondRun_LoadedFromCacheAndSamePassingVerdicts()
    {
        Write("cached.csx", Scenario("Assert.Reaches(tank[\"level\"], 0.5, within: 20, tolerance: 0.05);"));

        var first = Cosim("run", "cached.csx", "--verbose");
        var second = Cosim("run", "cached.csx", "--verbose");

        first.ExitCode.ShouldBe(0, first.ToString());
        first.StdErr.ShouldContain("compiled in");
        second.ExitCode.ShouldBe(0, second.ToString());
        second.StdErr.ShouldContain("loaded from the cache");
        second.StdErr.ShouldNotContain("compiled in");
        second.StdOut.ShouldContain("PASSED: 1 of 1 assertions passed");
    }

    [Test]
    public void NewScenario_WritesScriptThatRunsAndRefusesToOverwrite()
    {
        var created = Cosim("new", "scenario", "commissioning");
        var again = Cosim("new", "scenario", "commissioning");
        var run = Cosim("run", "commissioning.csx");

        created.ExitCode.ShouldBe(0, created.ToString());
        File.ReadAllText(Path.Combine(_dir, "commissioning.csx")).ShouldContain("#load \"globals.csx\"");
        again.ExitCode.ShouldBe(2, again.ToString());
        again.StdErr.ShouldContain("already exists");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("PASSED: 3 of 3 assertions passed");
    }

    private static XDocument Validate(string path)
    {
        var errors = SchemaErrors(path);
        errors.ShouldBeEmpty(File.ReadAllText(path));
        return XDocument.Load(path);
    }

    private static List<string> SchemaErrors(string path)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema };
        settings.Schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "junit.xsd"));
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(path, settings);
        while (reader.Read()) { }
        return errors;
    }
}
