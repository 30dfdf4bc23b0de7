using System.IO.Compression;
using CoSim.Core;
using CoSim.Engine.Systems;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// The quirk corpus (build/fmus/quirks, made by fmus/quirks/make_quirks.py) through the real
/// `cosim` command: each archive behaves as its row in docs/compatibility.md says.
/// </summary>
public class QuirkTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-e2e-quirks-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private static string Quirk(int version, string quirk)
    {
        var path = Path.Combine(ExampleFmus.Folder, "quirks", $"fmi{version}", quirk + ".fmu");
        if (!File.Exists(path)) throw new FileNotFoundException($"Quirk FMU '{path}' is not built. Run scripts/build-fmus.", path);
        return path;
    }

    private static int LineOf(string fmu, string marker)
    {
        using var zip = ZipFile.OpenRead(fmu);
        using var reader = new StreamReader(zip.GetEntry("modelDescription.xml")!.Open());
        var lines = reader.ReadToEnd().Split('\n');
        return Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal)) + 1;
    }

    private (CosimResult Run, ResultCsv? Result) Simulate(string fmu, string name, params string[] extra)
    {
        var output = Path.Combine(_dir, name + ".csv");
        var run = CosimProcess.Run(_dir, ["simulate", fmu, "--output", output, .. extra]);
        return (run, File.Exists(output) ? ResultCsv.Load(output) : null);
    }

    // Quirk, version, original model, text of the warning, text on the line it must name.
    [TestCase("OutputsMissing", 2, "MsdMass2", "output 'x2' is not listed", "name=\"x2\"")]
    [TestCase("OutputsMissing", 3, "MsdMass2", "output 'x2' is not listed", "name=\"x2\"")]
    [TestCase("NoInitialUnknowns", 2, "Tank", "lists no initial unknowns", "<fmiModelDescription")]
    [TestCase("NoInitialUnknowns", 3, "Tank", "lists no initial unknowns", "<fmiModelDescription")]
    [TestCase("DateNotIso", 2, "Tank", "generationDateAndTime '17.05.2024 08:30:00' is not an XML date-time", "<fmiModelDescription")]
    [TestCase("DateNotIso", 3, "Tank", "generationDateAndTime '17.05.2024 08:30:00' is not an XML date-time", "<fmiModelDescription")]
    [TestCase("DerDerNames", 2, "BouncingBall", "'der(der(h))' does not follow the 'structured' naming convention", "name=\"der(der(h))\"")]
    [TestCase("DerDerNames", 3, "BouncingBall", "'der(der(h))' does not follow the 'structured' naming convention", "name=\"der(der(h))\"")]
    [TestCase("UndefinedUnit", 2, "Tank", "unit 'percent_open', which <UnitDefinitions> does not define", "name=\"valve\"")]
    [TestCase("UndefinedUnit", 3, "Tank", "unit 'percent_open', which <UnitDefinitions> does not define", "name=\"valve\"")]
    [TestCase("UndefinedDeclaredType", 2, "Tank", "declaredType 'Modelica.SIunits.Height', which <TypeDefinitions> does not define", "name=\"level\"")]
    [TestCase("UndefinedDeclaredType", 3, "Tank", "declaredType 'Modelica.SIunits.Height', which <TypeDefinitions> does not define", "name=\"level\"")]
    [TestCase("StartOnCalculated", 2, "Tank", "'outflow' has a start value although initial is calculated", "name=\"outflow\"")]
    [TestCase("StartOnCalculated", 3, "Tank", "'outflow' has a start value although initial is calculated", "name=\"outflow\"")]
    public void ValidateAndSimulate_ModelDescriptionQuirk_WarnsWithLineAndRunsLikeTheOriginal(string quirk, int version, string original, string warning, string marker)
    {
        var fmu = Quirk(version, quirk);
        var validate = CosimProcess.Run(_dir, "validate", fmu);
        validate.ExitCode.ShouldBe(0, validate.ToString());
        validate.StdOut.ShouldContain($"modelDescription.xml:{LineOf(fmu, marker)}: warning: ", Case.Sensitive, validate.ToString());
        validate.StdOut.ShouldContain(warning, Case.Sensitive, validate.ToString());
        validate.StdOut.ShouldContain("can run (1 warning)");

        // The quirk changes nothing a run depends on: same numbers as the original, bit for bit.
        var (run, result) = Simulate(fmu, "quirk", "--stop", "2", "--step", "0.01");
        run.ExitCode.ShouldBe(0, run.ToString());
        var (_, reference) = Simulate(ExampleFmus.Path(version, original), "original", "--stop", "2", "--step", "0.01");
        result!.Columns.ShouldBe(reference!.Columns);
        result.Rows.Count.ShouldBe(201);
        for (var i = 0; i < result.Rows.Count; i++) result.Rows[i].ShouldBe(reference.Rows[i]);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Create_OutputMissingFromModelStructure_DependsOnEveryInput(int version)
    {
        // In the original, x2 is a state: no direct feedthrough from x1 or v1. Without its entry
        // CoSim must assume it depends on both, so that ordering and loop detection stay safe.
        using var original = FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(version, "MsdMass2")), "m2", NullLogSink.Instance);
        using var quirk = FmuComponents.Create(FmuArchive.Open(Quirk(version, "OutputsMissing")), "m2", NullLogSink.Instance);
        foreach (var component in new[] { original, quirk })
        {
            int Index(string name) => component.Variables.Single(v => v.Name == name).Index;
            var expected = ReferenceEquals(component, quirk);
            component.Structure.DependsOn(Index("x2"), Index("x1")).ShouldBe(expected);
            component.Structure.DependsOn(Index("x2"), Index("v1")).ShouldBe(expected);
            component.Structure.DependsOn(Index("F"), Index("x1")).ShouldBeTrue();
            component.Structure.DependsOn(Index("v2"), Index("x1")).ShouldBeFalse();
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_FixedStepSizeWithShorterFinalStep_WarnsOnceAndEndsAtStop(int version)
    {
        var (run, result) = Simulate(Quirk(version, "FixedStepSize"), "quirk", "--stop", "1.05", "--step", "0.1");
        run.ExitCode.ShouldBe(0, run.ToString());
        var line = LineOf(Quirk(version, "FixedStepSize"), "<CoSimulation");
        run.StdErr.Split('\n').Count(l => l.Contains("canHandleVariableCommunicationStepSize", StringComparison.Ordinal)).ShouldBe(1, run.ToString());
        run.StdErr.ShouldContain($"modelDescription.xml:{line}: the FMU declares canHandleVariableCommunicationStepSize=\"false\", but the step from t=1 s is 0.05 s instead of 0.1 s");
        result!.Times[^1].ShouldBe(1.05);
        // The final short step is a real step: the level matches the original FMU stepped the same way.
        var (_, reference) = Simulate(ExampleFmus.Path(version, "Tank"), "original", "--stop", "1.05", "--step", "0.1");
        result.Rows[^1].ShouldBe(reference!.Rows[^1]);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_DoStepReturnsWarningEveryStep_RunsAndSaysItOnceWithACount(int version)
    {
        var (run, result) = Simulate(Quirk(version, "WarningEveryStep"), "warner", "--stop", "10", "--step", "0.001");
        run.ExitCode.ShouldBe(0, run.ToString());
        var fn = version == 2 ? "fmi2DoStep" : "fmi3DoStep";
        var warnings = run.StdErr.Split('\n').Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ToList();
        warnings.Count.ShouldBeLessThanOrEqualTo(4, run.ToString());
        run.StdErr.ShouldContain($"{fn} returned Warning 10000 times in all");
        run.StdErr.ShouldContain("9999 more warning(s) like");
        result!.Times[^1].ShouldBe(10);
        result.Values("x")[^1].ShouldBe(10, 1e-9); // x = t: every step was done
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_LogCategoryNullOrEmpty_PrintsTheMessagesAndRuns(int version)
    {
        var (run, result) = Simulate(Quirk(version, "NullLogCategory"), "logger", "--stop", "0.3", "--step", "0.1", "--log-fmu", "--verbose");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdErr.ShouldContain("QuirkLogCategory: step 1 at t=0.1"); // NULL category
        run.StdErr.ShouldContain("QuirkLogCategory: step 2 at t=0.2"); // empty category
        result!.Values("x").ShouldBe([0, 0.1, 0.2, 0.3], 1e-12);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Validate_BinaryNeedsAMissingLibrary_CannotRunNamingTheLibrary(int version)
    {
        var run = CosimProcess.Run(_dir, "validate", Quirk(version, "MissingLibrary"));
        run.ExitCode.ShouldBe(1, run.ToString());
        run.StdOut.ShouldContain("binary needs libcosimquirk_missing.so.3, which is not installed");
        run.StdOut.ShouldContain("cannot run");
    }

    [TestCase(2, "simulate")]
    [TestCase(3, "simulate")]
    [TestCase(2, "run")]
    public void Command_BinaryNeedsAMissingLibrary_FirstLineNamesIt(int version, string command)
    {
        var fmu = Quirk(version, "MissingLibrary");
        string target = fmu;
        if (command == "run")
        {
            // A one-component system (SSP folder) around the same FMU.
            var folder = Path.Combine(_dir, "system");
            Directory.CreateDirectory(Path.Combine(folder, "resources"));
            File.Copy(fmu, Path.Combine(folder, "resources", "NoState.fmu"));
            File.WriteAllText(Path.Combine(folder, "SystemStructure.ssd"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <ssd:SystemStructureDescription xmlns:ssd="http://ssp-standard.org/SSP1/SystemStructureDescription" version="1.0" name="Missing">
                  <ssd:System name="Root">
                    <ssd:Elements>
                      <ssd:Component name="NoState" source="resources/NoState.fmu" type="application/x-fmu-sharedlibrary"/>
                    </ssd:Elements>
                  </ssd:System>
                </ssd:SystemStructureDescription>
                """);
            target = folder;
        }
        var run = CosimProcess.Run(_dir, command, target, "--stop", "0.1", "--output", Path.Combine(_dir, "out.csv"));
        run.ExitCode.ShouldBe(2, run.ToString());
        // simulate: the first line; run: the SSP's problem list names the component and the .ssd line.
        var line = command == "simulate" ? run.StdErr.Split('\n')[0] : run.StdErr.Split('\n').Single(l => l.Contains("SystemStructure.ssd:5: component 'NoState': ", StringComparison.Ordinal));
        line.ShouldContain("NoState.so: binary needs libcosimquirk_missing.so.3, which is not installed", Case.Sensitive, run.ToString());
        run.StdErr.ShouldNotContain("   at ");
    }

    [Test]
    public void Simulate_ModelExchangeFmi3EventIndicatorMissingFromXml_UsesTheBinarysCountAndBounces()
    {
        // FMI 3 asks the binary (fmi3GetNumberOfEventIndicators): the impact is still found.
        var (run, result) = Simulate(Quirk(3, "EventIndicatorsMissing"), "ball", "--interface", "me", "--stop", "1", "--step", "0.01");
        run.ExitCode.ShouldBe(0, run.ToString());
        var (_, reference) = Simulate(ExampleFmus.Path(3, "BouncingBall"), "original", "--interface", "me", "--stop", "1", "--step", "0.01");
        result!.Values("h").Min().ShouldBeGreaterThan(-1e-6); // never through the floor
        for (var i = 0; i < result.Rows.Count; i++) result.Rows[i].ShouldBe(reference!.Rows[i]);
    }

    [Test]
    public void Simulate_ModelExchangeFmi2EventIndicatorCountWrong_FailsNamingTheFunctionAndCount()
    {
        // FMI 2 has no way to ask the binary: its own check rejects the XML's count, and CoSim says so.
        var (run, _) = Simulate(Quirk(2, "EventIndicatorsMissing"), "ball", "--interface", "me", "--stop", "1", "--step", "0.01");
        run.ExitCode.ShouldBe(1, run.ToString());
        var first = run.StdErr.Split('\n')[0];
        first.ShouldContain("fmi2GetEventIndicators", Case.Sensitive, run.ToString());
        first.ShouldContain("number of event indicators: got 0, the model has 1", Case.Sensitive, run.ToString());
    }
}
