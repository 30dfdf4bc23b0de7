using CoSim.Fmi.Description;

namespace CoSim.Fmi.Tests.Description;

/// <summary>The validator on models built in code, including what a file cannot express.</summary>
public class ModelDescriptionValidatorTests
{
    private static readonly ModelVariable Time = new()
    {
        Name = "time", ValueReference = 0, Type = VariableType.Float64,
        Causality = Causality.Independent, Variability = Variability.Continuous, Line = 10,
    };

    private static readonly ModelVariable Output = new()
    {
        Name = "y", ValueReference = 1, Type = VariableType.Float64,
        Causality = Causality.Output, Variability = Variability.Continuous, Line = 11,
    };

    private static CoSim.Fmi.Description.ModelDescription Model(FmiVersion version = FmiVersion.Fmi3, params ModelVariable[] extra) => new()
    {
        Version = version,
        FmiVersionText = version == FmiVersion.Fmi2 ? "2.0" : "3.0",
        ModelName = "M",
        InstantiationToken = "{token}",
        CoSimulation = new InterfaceInfo { ModelIdentifier = "M", Line = 3 },
        Variables = [Time, Output, .. extra],
        Structure = new ModelStructure
        {
            Outputs = [new Unknown(1, null, null, 20)],
            InitialUnknowns = [new Unknown(1, null, null, 21)],
        },
        Line = 1,
    };

    [TestCase(FmiVersion.Fmi2)]
    [TestCase(FmiVersion.Fmi3)]
    public void Validate_MinimalValidModel_ReturnsNoDiagnostics(FmiVersion version)
    {
        ModelDescriptionValidator.Validate(Model(version), "m.xml").ShouldBeEmpty();
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Validate_ParsedValidSample_ReturnsNoDiagnostics(int sample)
    {
        var model = Samples.Parse(Samples.Text(sample)).Model.ShouldNotBeNull();
        ModelDescriptionValidator.Validate(model, "m.xml").ShouldBeEmpty();
    }

    [Test]
    public void Validate_SeveralProblems_ReportsAllOrderedByLineWithTheFileName()
    {
        var model = Model() with
        {
            ModelName = "",
            Variables =
            [
                Time,
                Output with { Line = 30 },
                Output with { Name = "p", ValueReference = 2, Causality = Causality.Parameter, Variability = Variability.Fixed, Line = 25 },
                Output with { ValueReference = 3, Causality = Causality.Local, Line = 28 },
            ],
        };

        var diagnostics = ModelDescriptionValidator.Validate(model, "model/modelDescription.xml");

        diagnostics.Select(d => (d.Line, d.Severity)).ShouldBe([
            (1, Severity.Error),   // no modelName
            (25, Severity.Error),  // parameter without start
            (28, Severity.Error),  // name 'y' used twice
        ], Dump(diagnostics));
        diagnostics[2].Message.ShouldBe("variable name 'y' is already used at line 30; names must be unique");
        diagnostics.ShouldAllBe(d => d.File == "model/modelDescription.xml");
        diagnostics[0].ToString().ShouldBe("model/modelDescription.xml:1: error: <fmiModelDescription> has no 'modelName' (required)");
    }

    [Test]
    public void Validate_StructureIndexOutOfRange_IsAnError()
    {
        var model = Model() with { Structure = Model().Structure with { ContinuousStateDerivatives = [new Unknown(7, null, null, 22)] } };
        ShouldReport(model, Severity.Error, 22, "<ContinuousStateDerivative> refers to variable index 7, which does not exist");
    }

    [Test]
    public void Validate_DependencyIndexOutOfRange_IsAnError()
    {
        var model = Model() with { Structure = Model().Structure with { Outputs = [new Unknown(1, [0, 9], null, 20)] } };
        ShouldReport(model, Severity.Error, 20, "depends on variable index 9, which does not exist");
    }

    [Test]
    public void Validate_DerivativeIndexOutOfRange_IsAnError()
    {
        var model = Model(FmiVersion.Fmi3, Output with { Name = "der(x)", ValueReference = 5, Causality = Causality.Local, DerivativeOf = 42, Line = 12 });
        ShouldReport(model, Severity.Error, 12, "is the derivative of variable index 42, which does not exist");
    }

    [Test]
    public void Validate_ClockWithStart_IsAWarning()
    {
        var clock = new ModelVariable
        {
            Name = "tick", ValueReference = 5, Type = VariableType.Clock, Causality = Causality.Input,
            Variability = Variability.Discrete, Start = ["1"], Line = 13,
        };
        ShouldReport(Model(FmiVersion.Fmi3, clock), Severity.Warning, 13, "clock 'tick' has a start value; clocks have none");
    }

    [Test]
    public void Validate_Fmi2ModelWithFmi3OnlyFeatures_ReportsEach()
    {
        var byte8 = new ModelVariable
        {
            Name = "b", ValueReference = 5, Type = VariableType.UInt8, Causality = Causality.StructuralParameter,
            Variability = Variability.Fixed, Start = ["1"], Line = 14,
        };
        var array = Output with { Name = "a", ValueReference = 6, Causality = Causality.Local, Dimensions = [new Dimension(3, null)], Line = 15 };
        var diagnostics = ModelDescriptionValidator.Validate(Model(FmiVersion.Fmi2, byte8, array), "m.xml");
        diagnostics.ShouldContain(d => d.Line == 14 && d.Message.Contains("has type UInt8, which FMI 2 does not have"), Dump(diagnostics));
        diagnostics.ShouldContain(d => d.Line == 14 && d.Message.Contains("is a structural parameter, which FMI 2 does not have"), Dump(diagnostics));
        diagnostics.ShouldContain(d => d.Line == 15 && d.Message.Contains("has array dimensions, which FMI 2 does not have"), Dump(diagnostics));
    }

    [Test]
    public void Validate_Fmi2DuplicateValueReferences_AreAliasesNotErrors()
    {
        var alias = Output with { Name = "y2", Causality = Causality.Local, Line = 12 };
        ModelDescriptionValidator.Validate(Model(FmiVersion.Fmi2, alias), "m.xml").ShouldBeEmpty();
        ShouldReport(Model(FmiVersion.Fmi3, alias), Severity.Error, 12, "has value reference 1, already used by 'y' at line 11");
    }

    [Test]
    public void Validate_NegativeCounts_AreErrors()
    {
        var model = Model() with
        {
            NumberOfEventIndicators = -1,
            CoSimulation = new InterfaceInfo { ModelIdentifier = "M", MaxOutputDerivativeOrder = -2, Line = 3 },
        };
        ShouldReport(model, Severity.Error, 1, "numberOfEventIndicators is negative (-1)");
        ShouldReport(model, Severity.Error, 3, "<CoSimulation> maxOutputDerivativeOrder is negative");
    }

    [Test]
    public void Validate_InterfaceWithEmptyIdentifier_IsAnError()
    {
        var model = Model() with { ModelExchange = new InterfaceInfo { ModelIdentifier = "", Line = 4 } };
        ShouldReport(model, Severity.Error, 4, "<ModelExchange> has no 'modelIdentifier'");
    }

    [Test]
    public void Validate_OutputListedTwiceAndMissingElsewhere_ReportsBoth()
    {
        var second = Output with { Name = "z", ValueReference = 2, Line = 12 };
        var model = Model(FmiVersion.Fmi3, second) with
        {
            Structure = new ModelStructure
            {
                Outputs = [new Unknown(1, null, null, 20), new Unknown(1, null, null, 21)],
                InitialUnknowns = [new Unknown(1, null, null, 22), new Unknown(2, null, null, 23)],
            },
        };
        ShouldReport(model, Severity.Warning, 21, "<Output> lists variable 'y' more than once");
        ShouldReport(model, Severity.Warning, 12, "output 'z' is not listed");
    }

    private static void ShouldReport(CoSim.Fmi.Description.ModelDescription model, Severity severity, int line, string message)
    {
        var diagnostics = ModelDescriptionValidator.Validate(model, "m.xml");
        diagnostics.ShouldContain(d => d.Severity == severity && d.Line == line && d.Message.Contains(message, StringComparison.Ordinal), Dump(diagnostics));
    }

    private static string Dump(IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.Count == 0 ? "(no diagnostics)" : string.Join(Environment.NewLine, diagnostics);
}
