using CoSim.Fmi.Description;

namespace CoSim.Fmi.Tests.Description;

public class Fmi3ReaderTests
{
    private static readonly ModelDescriptionReport Report = Samples.Parse(Samples.Fmi3);

    private static CoSim.Fmi.Description.ModelDescription Model => Report.Model.ShouldNotBeNull(Samples.Dump(Report));

    private static ModelVariable Variable(string name) => Model.FindVariable(name).ShouldNotBeNull(name);

    [Test]
    public void Parse_ValidFmi3Sample_HasNoDiagnosticsAndCanRun()
    {
        Report.Diagnostics.ShouldBeEmpty(Samples.Dump(Report));
        Report.CanRun.ShouldBeTrue();
    }

    [Test]
    public void Parse_Fmi3Header_UsesInstantiationToken()
    {
        var model = Model;
        model.Version.ShouldBe(FmiVersion.Fmi3);
        model.FmiVersionText.ShouldBe("3.0");
        model.ModelName.ShouldBe("Tank3");
        model.InstantiationToken.ShouldBe("{9d1e6c44-2b7a-4c1e-8f4d-0a6b5e3c2d10}");
        model.ModelVersion.ShouldBe("2.0");
        model.GenerationDateAndTime.ShouldBe("2024-05-17T08:30:00.250+02:00");
    }

    [TestCase("3.0-beta.2")]
    [TestCase("3.1")]
    public void Parse_Fmi3VersionVariants_AreReadAsFmi3(string version)
    {
        var report = Samples.Parse(Samples.Mutate(Samples.Fmi3, "fmiVersion=\"3.0\"", $"fmiVersion=\"{version}\""));
        report.Model.ShouldNotBeNull(Samples.Dump(report)).Version.ShouldBe(FmiVersion.Fmi3);
        report.Model.FmiVersionText.ShouldBe(version);
        report.Errors.ShouldBeEmpty(Samples.Dump(report));
    }

    [Test]
    public void Parse_Fmi3Interfaces_ReadsAllThreeWithTheirFlags()
    {
        var me = Model.ModelExchange.ShouldNotBeNull();
        me.ModelIdentifier.ShouldBe("Tank3");
        me.NeedsCompletedIntegratorStep.ShouldBeTrue();
        me.ProvidesDirectionalDerivatives.ShouldBeTrue();

        var cs = Model.CoSimulation.ShouldNotBeNull();
        cs.CanHandleVariableCommunicationStepSize.ShouldBeTrue();
        cs.HasEventMode.ShouldBeTrue();
        cs.ProvidesIntermediateUpdate.ShouldBeTrue();
        cs.CanReturnEarlyAfterIntermediateUpdate.ShouldBeTrue();
        cs.MightReturnEarlyFromDoStep.ShouldBeTrue();
        cs.FixedInternalStepSize.ShouldBe(0.001);
        cs.CanGetAndSetFmuState.ShouldBeTrue();
        cs.CanSerializeFmuState.ShouldBeTrue();
        cs.ProvidesAdjointDerivatives.ShouldBeTrue();
        cs.ProvidesDirectionalDerivatives.ShouldBeFalse();
        cs.Line.ShouldBe(Samples.LineOf(Samples.Fmi3, "<CoSimulation"));

        Model.ScheduledExecution.ShouldNotBeNull().ModelIdentifier.ShouldBe("Tank3SE");
    }

    [Test]
    public void Parse_Fmi3ModelExchangeWithoutFlag_DoesNotNeedCompletedIntegratorStep()
    {
        var xml = Samples.Mutate(Samples.Fmi3, " needsCompletedIntegratorStep=\"true\"", "");
        Samples.Parse(xml).Model.ShouldNotBeNull().ModelExchange.ShouldNotBeNull().NeedsCompletedIntegratorStep.ShouldBeFalse();
    }

    [Test]
    public void Parse_Fmi3Units_ReadsInverseDisplayUnits()
    {
        var seconds = Model.Units.Single(u => u.Name == "s");
        seconds.DisplayUnits.ShouldBe([new DisplayUnit("Hz", 1, 0, Inverse: true)]);
        Model.Units.Single(u => u.Name == "m").DisplayUnits.ShouldBe([new DisplayUnit("mm", 1000, 0, false)]);
    }

    [Test]
    public void Parse_Fmi3TypeDefinitions_ReadsEveryKind()
    {
        var types = Model.TypeDefinitions;
        types.Select(t => (t.Name, t.Type)).ShouldBe([
            ("Height", VariableType.Float64),
            ("Count", VariableType.Int32),
            ("ValveMode", VariableType.Enumeration),
            ("SensorClock", VariableType.Clock),
        ]);
        types[0].Max.ShouldBe(10);
        types[1].Min.ShouldBe(0);
        types[2].Items.Select(i => (i.Name, i.Value)).ShouldBe([("closed", 1L), ("open", 2L), ("auto", 3L)]);
    }

    [Test]
    public void Parse_Fmi3Variables_ReadsElementTypes()
    {
        Model.Variables.Select(v => (v.Name, v.Type)).ShouldBe([
            ("time", VariableType.Float64),
            ("segments", VariableType.UInt64),
            ("segment.area", VariableType.Float64),
            ("inflow", VariableType.Float64),
            ("h", VariableType.Float64),
            ("der(h)", VariableType.Float64),
            ("valve.mode", VariableType.Enumeration),
            ("label", VariableType.String),
            ("calibration", VariableType.Binary),
            ("sensor.tick", VariableType.Clock),
            ("sensor.samples", VariableType.Int32),
            ("sensor.previousSamples", VariableType.Int32),
            ("gauge", VariableType.Float32),
            ("profile", VariableType.Float64),
            ("overflowMargin", VariableType.Float64),
        ]);
        Model.Variables.Select(v => v.ValueReference).ShouldBe(Enumerable.Range(0, 15).Select(i => (uint)i));
    }

    [Test]
    public void Parse_Fmi3ArrayWithStructuralDimension_ReadsDimensionsAndStartList()
    {
        var area = Variable("segment.area");
        area.IsArray.ShouldBeTrue();
        area.Dimensions.ShouldBe([new Dimension(Start: null, ValueReference: 1)]);
        area.Start.ShouldBe(["1.5", "2", "2.5"]);
        area.Variability.ShouldBe(Variability.Tunable);

        var segments = Variable("segments");
        segments.Causality.ShouldBe(Causality.StructuralParameter);
        segments.Start.ShouldBe(["3"]);
        segments.Min.ShouldBe(1);

        Variable("profile").Dimensions.ShouldBe([new Dimension(2, null), new Dimension(null, 1)]);
        Variable("h").IsArray.ShouldBeFalse();
    }

    [Test]
    public void Parse_Fmi3StringAndBinary_TakeStartFromStartElements()
    {
        Variable("label").Start.ShouldBe(["Tank A, north side"]);
        Variable("calibration").Start.ShouldBe(["0a1b2c"]);
    }

    [Test]
    public void Parse_Fmi3StringArray_KeepsOneStartPerElement()
    {
        var xml = Samples.Mutate(Samples.Fmi3, "<Start value=\"Tank A, north side\"/>",
            "<Dimension start=\"2\"/><Start value=\"first name\"/><Start value=\"second\"/>");
        var report = Samples.Parse(xml);
        report.Model.ShouldNotBeNull().FindVariable("label").ShouldNotBeNull().Start.ShouldBe(["first name", "second"]);
        report.Diagnostics.ShouldBeEmpty(Samples.Dump(report));
    }

    [Test]
    public void Parse_Fmi3Clock_ReadsClockAndClockedVariables()
    {
        var tick = Variable("sensor.tick");
        tick.Causality.ShouldBe(Causality.Input);
        tick.Variability.ShouldBe(Variability.Discrete);
        tick.DeclaredType.ShouldBe("SensorClock");
        tick.Start.ShouldBeNull();

        var samples = Variable("sensor.samples");
        samples.Clocks.ShouldBe([9u]); // value references, as the record documents
        samples.Variability.ShouldBe(Variability.Discrete);
        samples.Min.ShouldBe(0); // inherited from Count
    }

    [Test]
    public void Parse_Fmi3Derivative_ConvertsValueReferenceToIndex()
    {
        var xml = Samples.Mutate(Samples.Fmi3, "<Float64 name=\"der(h)\" valueReference=\"5\" unit=\"m/s\" derivative=\"4\"/>",
            "<Float64 name=\"der(h)\" valueReference=\"500\" unit=\"m/s\" derivative=\"4\"/>");
        xml = Samples.Mutate(xml, "<Float64 name=\"h\" valueReference=\"4\"", "<Float64 name=\"h\" valueReference=\"400\"");
        xml = xml.Replace("valueReference=\"4\"/>", "valueReference=\"400\"/>", StringComparison.Ordinal)
            .Replace("derivative=\"4\"", "derivative=\"400\"", StringComparison.Ordinal)
            .Replace("dependencies=\"4\"", "dependencies=\"400\"", StringComparison.Ordinal)
            .Replace("dependencies=\"2 4\"", "dependencies=\"2 400\"", StringComparison.Ordinal)
            .Replace("dependencies=\"3 4\"", "dependencies=\"3 400\"", StringComparison.Ordinal)
            .Replace("valueReference=\"5\"", "valueReference=\"500\"", StringComparison.Ordinal);
        var report = Samples.Parse(xml);
        var model = report.Model.ShouldNotBeNull();
        report.Diagnostics.ShouldBeEmpty(Samples.Dump(report));
        model.FindVariable("der(h)").ShouldNotBeNull().DerivativeOf.ShouldBe(4); // index of h, not its value reference 400
        model.Structure.ContinuousStateDerivatives.ShouldHaveSingleItem().Variable.ShouldBe(5);
        model.Structure.ContinuousStateDerivatives[0].Dependencies.ShouldBe([3, 4]);
    }

    [Test]
    public void Parse_Fmi3Aliases_AreKeptOnTheirVariable()
    {
        Variable("gauge").Aliases.ShouldBe([
            new VariableAlias("gauge.reading", "Level shown on the gauge", "mm", Samples.LineOf(Samples.Fmi3, "<Alias name=\"gauge.reading\"")),
        ]);
        Variable("gauge").DisplayUnit.ShouldBe("mm");
    }

    [Test]
    public void Parse_Fmi3DeclaredType_InheritsUnitAndBounds()
    {
        var level = Variable("h");
        level.Unit.ShouldBe("m");
        level.Quantity.ShouldBe("Length");
        (level.Min, level.Max).ShouldBe((0.0, 10.0));
        level.Reinit.ShouldBeTrue();
    }

    [Test]
    public void Parse_Fmi3ModelStructure_ConvertsValueReferencesToIndices()
    {
        var structure = Model.Structure;
        structure.Outputs.Select(u => u.Variable).ShouldBe([4, 10, 12, 13]);
        structure.Outputs[1].Dependencies.ShouldBe([9]);
        structure.Outputs[2].DependenciesKind.ShouldBe(["constant"]);
        structure.ContinuousStateDerivatives.ShouldHaveSingleItem().Variable.ShouldBe(5);
        structure.ClockedStates.ShouldHaveSingleItem().Variable.ShouldBe(10);
        structure.InitialUnknowns.Select(u => u.Variable).ShouldBe([5, 12, 13]);
        var indicator = structure.EventIndicators.ShouldHaveSingleItem();
        indicator.Variable.ShouldBe(14);
        indicator.Dependencies.ShouldBe([4]);
        indicator.Line.ShouldBe(Samples.LineOf(Samples.Fmi3, "<EventIndicator"));
        Model.NumberOfEventIndicators.ShouldBe(1);
        Model.NumberOfContinuousStates.ShouldBe(1);
    }

    [Test]
    public void Parse_Fmi3VariableWithoutValueReference_DoesNotCaptureReferencesToValueReferenceZero()
    {
        var xml = Samples.Mutate(Samples.Fmi3, "<ModelVariables>", "<ModelVariables>\n    <Float64 name=\"broken\"/>");
        xml = Samples.Mutate(xml, "<Output valueReference=\"4\"/>", "<Output valueReference=\"4\" dependencies=\"0\"/>");
        var report = Samples.Parse(xml);
        var model = report.Model.ShouldNotBeNull();
        model.Structure.Outputs[0].Dependencies.ShouldBe([1]); // 'time', now at index 1, not the placeholder at index 0
        report.Errors.ShouldHaveSingleItem(Samples.Dump(report)).Message.ShouldContain("'broken' is missing the required attribute 'valueReference'");
    }
}
