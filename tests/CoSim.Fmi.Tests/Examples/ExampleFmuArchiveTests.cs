using System.IO.Compression;
using System.Runtime.InteropServices;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.TestSupport;

namespace CoSim.Fmi.Tests.Examples;

/// <summary>
/// Every example FMU, as built from C by scripts/build-fmus, is a real FMI archive: standard
/// layout, a model description that parses, and a binary that exports the FMI functions of its version.
/// </summary>
public class ExampleFmuArchiveTests
{
    public static readonly string[] Runnable =
    [
        "Tank", "Pump", "PIController", "BouncingBall", "MassSpringDamper", "MsdMass1", "MsdMass2",
        "FaultError", "FaultCrash", "FaultDiscard", "NoState", "Robertson",
    ];

    private static IEnumerable<TestCaseData> AllRunnable() =>
        from m in Runnable from v in new[] { 2, 3 } select new TestCaseData(v, m).SetArgDisplayNames($"FMI{v}", m);

    private static readonly string[] Fmi2Common =
    [
        "fmi2GetTypesPlatform", "fmi2GetVersion", "fmi2SetDebugLogging", "fmi2Instantiate", "fmi2FreeInstance",
        "fmi2SetupExperiment", "fmi2EnterInitializationMode", "fmi2ExitInitializationMode", "fmi2Terminate", "fmi2Reset",
        "fmi2GetReal", "fmi2GetInteger", "fmi2GetBoolean", "fmi2GetString", "fmi2SetReal", "fmi2SetInteger", "fmi2SetBoolean", "fmi2SetString",
    ];
    private static readonly string[] Fmi2State = ["fmi2GetFMUstate", "fmi2SetFMUstate", "fmi2FreeFMUstate", "fmi2SerializedFMUstateSize", "fmi2SerializeFMUstate", "fmi2DeSerializeFMUstate"];
    private static readonly string[] Fmi2Cs = ["fmi2DoStep", "fmi2CancelStep", "fmi2GetStatus", "fmi2GetRealStatus", "fmi2GetIntegerStatus", "fmi2GetBooleanStatus", "fmi2GetStringStatus"];
    private static readonly string[] Fmi2Me =
    [
        "fmi2EnterEventMode", "fmi2NewDiscreteStates", "fmi2EnterContinuousTimeMode", "fmi2CompletedIntegratorStep", "fmi2SetTime",
        "fmi2SetContinuousStates", "fmi2GetDerivatives", "fmi2GetEventIndicators", "fmi2GetContinuousStates", "fmi2GetNominalsOfContinuousStates",
    ];
    private static readonly string[] Fmi3Common =
    [
        "fmi3GetVersion", "fmi3SetDebugLogging", "fmi3FreeInstance", "fmi3EnterInitializationMode", "fmi3ExitInitializationMode",
        "fmi3EnterEventMode", "fmi3Terminate", "fmi3Reset", "fmi3GetFloat64", "fmi3SetFloat64", "fmi3GetInt32", "fmi3SetInt32",
        "fmi3GetBoolean", "fmi3SetBoolean", "fmi3GetString", "fmi3SetString",
    ];
    private static readonly string[] Fmi3State = ["fmi3GetFMUState", "fmi3SetFMUState", "fmi3FreeFMUState", "fmi3SerializedFMUStateSize", "fmi3SerializeFMUState", "fmi3DeserializeFMUState"];
    private static readonly string[] Fmi3Cs = ["fmi3InstantiateCoSimulation", "fmi3DoStep", "fmi3EnterStepMode"];
    private static readonly string[] Fmi3Me =
    [
        "fmi3InstantiateModelExchange", "fmi3EnterContinuousTimeMode", "fmi3CompletedIntegratorStep", "fmi3SetTime", "fmi3SetContinuousStates",
        "fmi3GetContinuousStateDerivatives", "fmi3GetEventIndicators", "fmi3GetContinuousStates", "fmi3GetNominalsOfContinuousStates", "fmi3UpdateDiscreteStates",
    ];

    [TestCaseSource(nameof(AllRunnable))]
    public void Archive_ExampleFmu_HasStandardLayout(int version, string model)
    {
        using var zip = ZipFile.OpenRead(ExampleFmus.Path(version, model));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        names.ShouldContain("modelDescription.xml");
        var platform = version == 2 ? "linux64" : "x86_64-linux";
        names.ShouldContain($"binaries/{platform}/{model}.so");
        names.ShouldAllBe(n => !n.StartsWith('/') && !n.Contains(".."));
    }

    [TestCaseSource(nameof(AllRunnable))]
    public void ModelDescription_ExampleFmu_ParsesWithoutErrors(int version, string model)
    {
        var archive = FmuArchive.Open(ExampleFmus.Path(version, model));
        archive.Report.Errors.ShouldBeEmpty();
        var md = archive.Model;
        md.Version.ShouldBe(version == 2 ? FmiVersion.Fmi2 : FmiVersion.Fmi3);
        md.ModelName.ShouldBe(model);
        (md.CoSimulation ?? md.ModelExchange).ShouldNotBeNull();
        md.Variables.ShouldNotBeEmpty();
        md.DefaultExperiment.ShouldNotBeNull();
    }

    [TestCaseSource(nameof(AllRunnable))]
    public void Binary_ExampleFmu_ExportsTheFunctionsOfItsVersionAndInterfaces(int version, string model)
    {
        var archive = FmuArchive.Open(ExampleFmus.Path(version, model));
        var md = archive.Model;
        var expected = new List<string>(version == 2 ? Fmi2Common : Fmi3Common);
        if (md.CoSimulation != null) expected.AddRange(version == 2 ? Fmi2Cs : Fmi3Cs);
        if (md.ModelExchange != null) expected.AddRange(version == 2 ? Fmi2Me : Fmi3Me);
        var state = version == 2 ? Fmi2State : Fmi3State;
        var info = md.CoSimulation ?? md.ModelExchange!;
        var handle = NativeLibrary.Load(archive.BinaryPath(info.ModelIdentifier));
        try
        {
            var missing = expected.Where(f => !NativeLibrary.TryGetExport(handle, f, out _)).ToList();
            missing.ShouldBeEmpty();
            var stateExported = state.Select(f => NativeLibrary.TryGetExport(handle, f, out _)).ToList();
            if (model == "NoState")
            {
                info.CanGetAndSetFmuState.ShouldBeFalse();
                stateExported.ShouldAllBe(e => !e); // the point of this FMU: the functions are really absent
            }
            else
            {
                info.CanGetAndSetFmuState.ShouldBeTrue();
                stateExported.ShouldAllBe(e => e);
            }
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    public void ModelDescription_MalformedExample_ReportsErrorWithLine(int version)
    {
        var archive = FmuArchive.Open(ExampleFmus.Path(version, "Malformed"));
        archive.Report.CanRun.ShouldBeFalse();
        archive.Report.Errors.ShouldNotBeEmpty();
        archive.Report.Errors.First().Line.ShouldBeGreaterThan(0);
    }
}
