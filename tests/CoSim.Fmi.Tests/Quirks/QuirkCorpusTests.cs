using System.IO.Compression;
using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.CoSimulation;
using CoSim.Fmi.Description;
using CoSim.TestSupport;

namespace CoSim.Fmi.Tests.Quirks;

/// <summary>
/// The quirk corpus (fmus/quirks/make_quirks.py, built into build/fmus/quirks) read and run by
/// CoSim.Fmi: each archive behaves as its row in docs/compatibility.md says. The line a warning
/// names is checked against the archive's own modelDescription.xml.
/// </summary>
public class QuirkCorpusTests
{
    internal sealed class ListSink : ILogSink
    {
        public readonly List<(LogLevel Level, string Source, string Message)> Messages = [];
        public void Log(LogLevel level, string source, string message)
        {
            lock (Messages) Messages.Add((level, source, message));
        }
    }

    /// <summary>Path of a quirk archive; fails clearly when the corpus was not built.</summary>
    internal static string QuirkPath(int version, string quirk)
    {
        var path = Path.Combine(ExampleFmus.Folder, "quirks", $"fmi{version}", quirk + ".fmu");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Quirk FMU '{path}' is not built. Run scripts/build-fmus.", path);
        return path;
    }

    /// <summary>The 1-based line of the archive's modelDescription.xml that contains <paramref name="marker"/>.</summary>
    internal static int LineOf(int version, string quirk, string marker)
    {
        using var zip = ZipFile.OpenRead(QuirkPath(version, quirk));
        using var reader = new StreamReader(zip.GetEntry("modelDescription.xml")!.Open());
        var lines = reader.ReadToEnd().Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        index.ShouldBeGreaterThanOrEqualTo(0, $"'{marker}' is not in {quirk}'s model description");
        return index + 1;
    }

    private static ModelDescriptionReport Read(int version, string quirk)
    {
        using var zip = ZipFile.OpenRead(QuirkPath(version, quirk));
        using var stream = zip.GetEntry("modelDescription.xml")!.Open();
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return ModelDescriptionReader.Read(copy, "modelDescription.xml");
    }

    public sealed record Row(string Quirk, int Version, string Message, string LineMarker)
    {
        public override string ToString() => $"{Quirk} FMI {Version}";
    }

    // Quirk, FMI version, the warning, and text on the line the warning must name.
    public static IEnumerable<Row> WarningRows() =>
    [
        new("OutputsMissing", 2, "output 'x2' is not listed in <ModelStructure><Outputs>", "name=\"x2\""),
        new("OutputsMissing", 3, "output 'x2' is not listed in an <Output> element", "name=\"x2\""),
        new("NoInitialUnknowns", 2, "the model structure lists no initial unknowns, but 3 variable(s) are", "<fmiModelDescription"),
        new("NoInitialUnknowns", 3, "the model structure lists no initial unknowns, but 3 variable(s) are", "<fmiModelDescription"),
        new("DateNotIso", 2, "generationDateAndTime '17.05.2024 08:30:00' is not an XML date-time", "<fmiModelDescription"),
        new("DateNotIso", 3, "generationDateAndTime '17.05.2024 08:30:00' is not an XML date-time", "<fmiModelDescription"),
        new("DerDerNames", 2, "variable name 'der(der(h))' does not follow the 'structured' naming convention", "name=\"der(der(h))\""),
        new("DerDerNames", 3, "variable name 'der(der(h))' does not follow the 'structured' naming convention", "name=\"der(der(h))\""),
        new("UndefinedUnit", 2, "variable 'valve' has unit 'percent_open', which <UnitDefinitions> does not define", "name=\"valve\""),
        new("UndefinedUnit", 3, "variable 'valve' has unit 'percent_open', which <UnitDefinitions> does not define", "name=\"valve\""),
        new("UndefinedDeclaredType", 2, "variable 'level' has declaredType 'Modelica.SIunits.Height', which <TypeDefinitions> does not define", "name=\"level\""),
        new("UndefinedDeclaredType", 3, "variable 'level' has declaredType 'Modelica.SIunits.Height', which <TypeDefinitions> does not define", "name=\"level\""),
        new("StartOnCalculated", 2, "variable 'outflow' has a start value although initial is calculated; it is ignored", "name=\"outflow\""),
        new("StartOnCalculated", 3, "variable 'outflow' has a start value although initial is calculated; it is ignored", "name=\"outflow\""),
    ];

    [TestCaseSource(nameof(WarningRows))]
    public void Read_QuirkArchive_RunsWithOneWarningOnTheRightLine(Row row)
    {
        var report = Read(row.Version, row.Quirk);
        report.CanRun.ShouldBeTrue(string.Join("\n", report.Diagnostics));
        var matching = report.Warnings.Where(d => d.Message.Contains(row.Message, StringComparison.Ordinal)).ToList();
        matching.Count.ShouldBe(1, string.Join("\n", report.Diagnostics));
        matching[0].Line.ShouldBe(LineOf(row.Version, row.Quirk, row.LineMarker));
    }

    [TestCase(2, "OutputsMissing", "MsdMass2")]
    [TestCase(3, "OutputsMissing", "MsdMass2")]
    [TestCase(2, "StartOnCalculated", "Tank")]
    [TestCase(3, "UndefinedDeclaredType", "Tank")]
    public void Read_QuirkArchive_OnlyTheQuirkDiffersFromTheOriginal(int version, string quirk, string original)
    {
        // The originals are clean, so every diagnostic of the quirk archive comes from the quirk.
        FmuArchive.Open(ExampleFmus.Path(version, original)).Report.Diagnostics.ShouldBeEmpty();
        Read(version, quirk).Diagnostics.Count.ShouldBe(1);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Open_FixedStepSizeQuirk_ReadsTheFlagWithoutDiagnostics(int version)
    {
        var report = Read(version, "FixedStepSize");
        report.Diagnostics.ShouldBeEmpty();
        report.Model!.CoSimulation!.CanHandleVariableCommunicationStepSize.ShouldBeFalse();
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Step_FixedStepSizeWithShorterFinalStep_WarnsOnceNamingTheLineAndDoesTheStep(int version)
    {
        var log = new ListSink();
        using var unit = new FmuCoSimulationComponent(FmuArchive.Open(QuirkPath(version, "FixedStepSize")), "tank", log);
        unit.Instantiate();
        unit.EnterInitialization(SimTime.Zero, null, null);
        unit.ExitInitialization();
        var h = SimTime.FromSeconds(0.1);
        var t = SimTime.Zero;
        for (var i = 0; i < 10; i++, t += h) unit.Step(t, h).Status.ShouldBe(StepStatus.Completed);
        log.Messages.ShouldBeEmpty();
        var last = SimTime.FromSeconds(0.05);
        unit.Step(t, last).ShouldBe(StepResult.Completed(SimTime.FromSeconds(1.05)));
        unit.Step(t + last, SimTime.FromSeconds(0.1)); // a second change is not reported again
        var warning = log.Messages.ShouldHaveSingleItem();
        warning.Level.ShouldBe(LogLevel.Warning);
        warning.Message.ShouldStartWith($"modelDescription.xml:{LineOf(version, "FixedStepSize", "<CoSimulation")}: the FMU declares canHandleVariableCommunicationStepSize=\"false\"");
        warning.Message.ShouldContain("is 0.05 s instead of 0.1 s");
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Step_WarningEveryStep_CountsInsteadOfFloodingTheLog(int version)
    {
        var log = new ListSink();
        const int steps = 200;
        var unit = new FmuCoSimulationComponent(FmuArchive.Open(QuirkPath(version, "WarningEveryStep")), "warner", log);
        try
        {
            unit.Instantiate();
            unit.EnterInitialization(SimTime.Zero, null, null);
            unit.ExitInitialization();
            var h = SimTime.FromSeconds(0.01);
            var t = SimTime.Zero;
            for (var i = 0; i < steps; i++, t += h) unit.Step(t, h).Status.ShouldBe(StepStatus.Completed);
            var x = new double[1];
            unit.CreateAccessor([unit.Variables.Single(v => v.Name == "x").Index]).Read(x);
            x[0].ShouldBe(2.0, 1e-12); // the steps were done: x = t
            unit.Terminate();
        }
        finally
        {
            unit.Dispose();
        }
        var fn = version == 2 ? "fmi2DoStep" : "fmi3DoStep";
        var texts = log.Messages.Select(m => m.Message).ToList();
        texts.Count.ShouldBe(4, string.Join("\n", texts)); // not one per step
        texts.ShouldContain("logStatusWarning: QuirkWarning: step from t=0 with h=0.01 done with reduced accuracy");
        texts.ShouldContain($"{fn} returned Warning at t=0; the run goes on (further Warning returns are counted)");
        texts.ShouldContain($"{fn} returned Warning {steps} times in all");
        texts.ShouldContain($"{steps - 1} more warning(s) like \"logStatusWarning: QuirkWarning: step from t=0 with h=0.01 done with reduced accuracy\" were not shown");
        log.Messages.ShouldAllBe(m => m.Level == LogLevel.Warning);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Step_NullOrEmptyLogCategory_MessagesArriveWithoutPrefix(int version)
    {
        var log = new ListSink();
        using var unit = new FmuCoSimulationComponent(FmuArchive.Open(QuirkPath(version, "NullLogCategory")), "logger", log, loggingOn: true);
        unit.Instantiate();
        unit.EnterInitialization(SimTime.Zero, null, null);
        unit.ExitInitialization();
        var h = SimTime.FromSeconds(0.1);
        var t = SimTime.Zero;
        for (var i = 0; i < 4; i++, t += h) unit.Step(t, h).Status.ShouldBe(StepStatus.Completed);
        log.Messages.Select(m => m.Message).ShouldBe(
        [
            "QuirkLogCategory: step 0 at t=0", // empty category
            "QuirkLogCategory: step 1 at t=0.1", // NULL category
            "QuirkLogCategory: step 2 at t=0.2",
            "QuirkLogCategory: step 3 at t=0.3",
        ]);
        log.Messages.ShouldAllBe(m => m.Level == LogLevel.Info && m.Source == "logger");
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Create_MissingLibrary_NamesTheLibraryInOneLine(int version)
    {
        var archive = FmuArchive.Open(QuirkPath(version, "MissingLibrary"));
        var e = Should.Throw<InputException>(() => new FmuCoSimulationComponent(archive, "nostate", NullLogSink.Instance));
        e.Message.ShouldNotContain("\n");
        e.Message.ShouldContain("NoState.so: binary needs libcosimquirk_missing.so.3, which is not installed (loader: ");
    }

    [Test]
    public void Explain_LoaderMessages_NameTheMissingLibraryOrQuoteTheLoader()
    {
        Native.FmuLibrary.Explain("/x/binaries/linux64/M.so", "libgfortran.so.3: cannot open shared object file: No such file or directory")
            .ShouldStartWith("binary needs libgfortran.so.3, which is not installed");
        // The binary itself missing is not a missing dependency.
        Native.FmuLibrary.Explain("/x/M.so", "/x/M.so: cannot open shared object file: No such file or directory")
            .ShouldBe("the FMU's binary could not be loaded: /x/M.so: cannot open shared object file: No such file or directory");
        Native.FmuLibrary.Explain("/x/M.so", "/x/M.so: undefined symbol: dgesv_")
            .ShouldBe("the FMU's binary could not be loaded: /x/M.so: undefined symbol: dgesv_");
    }
}
