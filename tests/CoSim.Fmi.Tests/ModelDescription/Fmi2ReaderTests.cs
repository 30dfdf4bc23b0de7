using CoSim.Core;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Tests.Description;

public class Fmi2ReaderTests
{
    private static readonly ModelDescriptionReport Report = Samples.Parse(Samples.Fmi2);

    private static CoSim.Fmi.Description.ModelDescription Model => Report.Model.ShouldNotBeNull(Samples.Dump(Report));

    private static ModelVariable Variable(string name) => Model.FindVariable(name).ShouldNotBeNull(name);

    [Test]
    public void Parse_ValidFmi2Sample_HasNoDiagnosticsAndCanRun()
    {
        var report = Report;
        report.Diagnostics.ShouldBeEmpty(Samples.Dump(report));
        report.CanRun.ShouldBeTrue();
    }

    [Test]
    public void Parse_Fmi2Header_FillsModelAttributes()
    {
        var model = Model;
        model.Version.ShouldBe(FmiVersion.Fmi2);
        model.FmiVersionText.ShouldBe("2.0");
        model.ModelName.ShouldBe("Tank");
        model.InstantiationToken.ShouldBe("{5c3b7a2e-1d4f-4e1a-9a0b-3f2e1d0c9b8a}");
        model.Description.ShouldBe("Open water tank drained through a valve");
        model.Author.ShouldBe("CoSim tests");
        model.ModelVersion.ShouldBe("1.2");
        model.GenerationTool.ShouldBe("Handwritten");
        model.GenerationDateAndTime.ShouldBe("2024-05-17T08:30:00Z");
        model.VariableNamingConvention.ShouldBe("structured");
        model.NumberOfEventIndicators.ShouldBe(1);
        model.Line.ShouldBe(Samples.LineOf(Samples.Fmi2, "<fmiModelDescription"));
    }

    [Test]
    public void Parse_Fmi2Interfaces_ReadsCapabilityFlags()
    {
        var cs = Model.CoSimulation.ShouldNotBeNull();
        cs.ModelIdentifier.ShouldBe("Tank");
        cs.CanHandleVariableCommunicationStepSize.ShouldBeTrue();
        cs.CanGetAndSetFmuState.ShouldBeTrue();
        cs.MaxOutputDerivativeOrder.ShouldBe(1);
        cs.CanInterpolateInputs.ShouldBeFalse();
        cs.NeedsExecutionTool.ShouldBeFalse();
        cs.Line.ShouldBe(Samples.LineOf(Samples.Fmi2, "<CoSimulation"));

        var me = Model.ModelExchange.ShouldNotBeNull();
        me.ModelIdentifier.ShouldBe("TankME");
        me.CompletedIntegratorStepNotNeeded.ShouldBeTrue();
        me.NeedsCompletedIntegratorStep.ShouldBeFalse();
        me.ProvidesDirectionalDerivatives.ShouldBeTrue();
        me.CanGetAndSetFmuState.ShouldBeFalse();
        Model.ScheduledExecution.ShouldBeNull();
    }

    [Test]
    public void Parse_Fmi2CoSimulationFlagsOfFmi2Only_AreRead()
    {
        var xml = Samples.Mutate(Samples.Fmi2, "maxOutputDerivativeOrder=\"1\">",
            "maxOutputDerivativeOrder=\"1\" canRunAsynchronuously=\"true\" canNotUseMemoryManagementFunctions=\"1\" canBeInstantiatedOnlyOncePerProcess=\"true\" canSerializeFMUstate=\"true\" needsExecutionTool=\"true\" canInterpolateInputs=\"true\">");
        var cs = Samples.Parse(xml).Model.ShouldNotBeNull().CoSimulation.ShouldNotBeNull();
        cs.CanRunAsynchronuously.ShouldBeTrue();
        cs.CanNotUseMemoryManagementFunctions.ShouldBeTrue();
        cs.CanBeInstantiatedOnlyOncePerProcess.ShouldBeTrue();
        cs.CanSerializeFmuState.ShouldBeTrue();
        cs.NeedsExecutionTool.ShouldBeTrue();
        cs.CanInterpolateInputs.ShouldBeTrue();
    }

    [Test]
    public void Parse_Fmi2UnitDefinitions_ReadsBaseAndDisplayUnits()
    {
        var units = Model.Units;
        units.Select(u => u.Name).ShouldBe(["s", "m", "m2", "m3", "m/s", "m/s2", "m3/s", "degF"]);
        var flow = units.Single(u => u.Name == "m3/s");
        flow.BaseUnit.ShouldBe(new BaseUnit(Kg: 0, M: 3, S: -1, A: 0, K: 0, Mol: 0, Cd: 0, Rad: 0, Factor: 1, Offset: 0));
        flow.DisplayUnits.ShouldBe([new DisplayUnit("l/min", 60000, 0, false)]);
        flow.Line.ShouldBe(Samples.LineOf(Samples.Fmi2, "<Unit name=\"m3/s\">"));
        var fahrenheit = units.Single(u => u.Name == "degF").BaseUnit.ShouldNotBeNull();
        fahrenheit.K.ShouldBe(1);
        fahrenheit.Factor.ShouldBe(5.0 / 9.0, 1e-15);
        fahrenheit.Offset.ShouldBe(255.3722222222222, 1e-12);
    }

    [Test]
    public void Parse_Fmi2TypeDefinitions_ReadsSimpleTypesAndEnumerationItems()
    {
        var types = Model.TypeDefinitions;
        types.Select(t => t.Name).ShouldBe(["Height", "VolumeFlow", "ValveMode"]);
        types[0].ShouldBe(new TypeDefinition { Name = "Height", Type = VariableType.Float64, Quantity = "Length", Unit = "m", Min = 0, Line = Samples.LineOf(Samples.Fmi2, "<SimpleType name=\"Height\">") });
        types[1].Unit.ShouldBe("m3/s");
        types[1].DisplayUnit.ShouldBe("l/min");
        types[2].Type.ShouldBe(VariableType.Enumeration);
        types[2].Items.ShouldBe([
            new EnumerationItem("closed", 1, "Valve shut"),
            new EnumerationItem("open", 2, null),
            new EnumerationItem("auto", 3, "Level controlled"),
        ]);
    }

    [Test]
    public void Parse_Fmi2LogCategoriesAndExperiment_AreRead()
    {
        Model.LogCategories.ShouldBe([new LogCategory("logEvents", "Log events"), new LogCategory("logStatusError", null)]);
        var experiment = Model.DefaultExperiment.ShouldNotBeNull();
        (experiment.StartTime, experiment.StopTime, experiment.Tolerance, experiment.StepSize).ShouldBe((0.0, 100.0, 1e-6, 0.01));
        experiment.Line.ShouldBe(Samples.LineOf(Samples.Fmi2, "<DefaultExperiment"));
    }

    [Test]
    public void Parse_Fmi2ModelVariables_KeepsFileOrder()
    {
        Model.Variables.Select(v => v.Name).ShouldBe([
            "time", "area", "valve.area", "g", "valve.mode", "inflow", "h", "der(h)",
            "outflow", "overflow", "label", "spill.count", "level", "capacity",
        ]);
    }

    [Test]
    public void Parse_Fmi2Parameter_ReadsAllAttributes()
    {
        var area = Variable("area");
        area.Start.ShouldBe(["2.5"]);
        (area with { Start = null }).ShouldBe(new ModelVariable
        {
            Name = "area",
            ValueReference = 1,
            Type = VariableType.Float64,
            Causality = Causality.Parameter,
            Variability = Variability.Fixed,
            Description = "Cross-section of the tank",
            Unit = "m2",
            Min = 0.1,
            Max = 100,
            Line = Samples.LineOf(Samples.Fmi2, "name=\"area\""),
        });
    }

    [Test]
    public void Parse_Fmi2Defaults_ApplyCausalityLocalAndVariabilityByType()
    {
        var derivative = Variable("der(h)");
        derivative.Causality.ShouldBe(Causality.Local);
        derivative.Variability.ShouldBe(Variability.Continuous);
        derivative.Initial.ShouldBe(Initial.Unspecified);
        VariableRules.EffectiveInitial(derivative).ShouldBe(Initial.Calculated);
        derivative.Start.ShouldBeNull();
        derivative.CanHandleMultipleSetPerTimeInstant.ShouldBeTrue();

        var input = Variable("inflow");
        input.Variability.ShouldBe(Variability.Continuous);
        VariableRules.EffectiveInitial(input).ShouldBe(Initial.Exact);
    }

    [Test]
    public void Parse_Fmi2IntegerWithoutVariability_DefaultsToDiscrete()
    {
        var xml = Samples.Mutate(Samples.Fmi2, "name=\"spill.count\" valueReference=\"1\" causality=\"output\" variability=\"discrete\"", "name=\"spill.count\" valueReference=\"1\" causality=\"output\"");
        var report = Samples.Parse(xml);
        report.Model.ShouldNotBeNull().FindVariable("spill.count").ShouldNotBeNull().Variability.ShouldBe(Variability.Discrete);
        report.Diagnostics.ShouldBeEmpty(Samples.Dump(report));
    }

    [Test]
    public void Parse_Fmi2DeclaredType_InheritsUnitDisplayUnitQuantityAndBounds()
    {
        var inflow = Variable("inflow");
        inflow.DeclaredType.ShouldBe("VolumeFlow");
        inflow.Unit.ShouldBe("m3/s");
        inflow.DisplayUnit.ShouldBe("l/min");
        inflow.Quantity.ShouldBe("VolumeFlowRate");

        var level = Variable("h");
        level.Unit.ShouldBe("m");
        level.Min.ShouldBe(0); // from the type
        level.Max.ShouldBe(5); // own attribute
        level.Initial.ShouldBe(Initial.Exact);
        level.Start.ShouldBe(["1"]);
    }

    [Test]
    public void Parse_Fmi2OwnUnit_WinsOverDeclaredType()
    {
        var xml = Samples.Mutate(Samples.Fmi2, "<Real declaredType=\"VolumeFlow\" start=\"0\"/>", "<Real declaredType=\"VolumeFlow\" unit=\"m3\" start=\"0\"/>");
        Samples.Parse(xml).Model.ShouldNotBeNull().FindVariable("inflow").ShouldNotBeNull().Unit.ShouldBe("m3");
    }

    [Test]
    public void Parse_Fmi2Derivative_ConvertsOneBasedIndexToZeroBased()
    {
        Variable("der(h)").DerivativeOf.ShouldBe(6); // derivative="7" is h, the 7th variable
        Model.Variables[6].Name.ShouldBe("h");
        Variable("h").DerivativeOf.ShouldBeNull();
    }

    [Test]
    public void Parse_Fmi2OtherTypes_MapToUnifiedTypes()
    {
        Variable("valve.mode").Type.ShouldBe(VariableType.Enumeration);
        Variable("valve.mode").DeclaredType.ShouldBe("ValveMode");
        Variable("valve.mode").Start.ShouldBe(["3"]);
        Variable("overflow").Type.ShouldBe(VariableType.Boolean);
        Variable("spill.count").Type.ShouldBe(VariableType.Int32);
        Variable("label").Type.ShouldBe(VariableType.String);
        Variable("label").Start.ShouldBe(["Tank A, north side"]); // FMI 2 strings are never split into lists
        Variable("capacity").Causality.ShouldBe(Causality.CalculatedParameter);
        Variable("time").Causality.ShouldBe(Causality.Independent);
    }

    [Test]
    public void Parse_Fmi2Aliases_ShareTheValueReference()
    {
        Variable("level").ValueReference.ShouldBe(Variable("h").ValueReference);
        Variable("level").Aliases.ShouldBeEmpty();
    }

    [Test]
    public void Parse_Fmi2ModelStructure_ConvertsIndicesToZeroBased()
    {
        var structure = Model.Structure;
        structure.Outputs.Select(u => u.Variable).ShouldBe([6, 8, 9, 11]);
        structure.Outputs[0].Dependencies.ShouldBeNull(); // absent: depends on all
        structure.Outputs[1].Dependencies.ShouldBe([6]);
        structure.Outputs[1].DependenciesKind.ShouldBe(["dependent"]);
        structure.Outputs[3].Dependencies.ShouldBe([]); // present but empty: depends on none
        structure.Outputs[2].Line.ShouldBe(Samples.LineOf(Samples.Fmi2, "<Outputs>") + 3);

        var derivative = structure.ContinuousStateDerivatives.ShouldHaveSingleItem();
        derivative.Variable.ShouldBe(7);
        derivative.Dependencies.ShouldBe([5, 6]);
        derivative.DependenciesKind.ShouldBe(["fixed", "dependent"]);

        structure.InitialUnknowns.Select(u => u.Variable).ShouldBe([7, 8, 9, 11, 13]);
        structure.InitialUnknowns[4].Dependencies.ShouldBe([1]);
        structure.ClockedStates.ShouldBeEmpty();
        structure.EventIndicators.ShouldBeEmpty();
        Model.NumberOfContinuousStates.ShouldBe(1);
    }
}
