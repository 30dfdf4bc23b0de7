using CoSim.Fmi.Description;

namespace CoSim.Fmi.Tests.Description;

/// <summary>
/// Every rule of the reader and validator: each case breaks one thing in a valid sample and expects
/// the diagnostic (severity, message, line). The valid samples themselves produce no diagnostic at
/// all (see the reader tests), which is the "does not fire on valid input" half of every rule; the
/// near misses below add the boundaries.
/// </summary>
public class ValidationRuleTests
{
    public sealed record Rule(string Name, int Sample, (string Find, string Replace)[] Edits, Severity Severity, string Message, string LineMarker)
    {
        public override string ToString() => Name;
    }

    private static Rule Error(string name, int sample, string find, string replace, string message, string lineMarker) =>
        new(name, sample, [(find, replace)], Severity.Error, message, lineMarker);

    private static Rule Warning(string name, int sample, string find, string replace, string message, string lineMarker) =>
        new(name, sample, [(find, replace)], Severity.Warning, message, lineMarker);

    private const string Root = "<fmiModelDescription";

    public static IEnumerable<Rule> Rules() =>
    [
        // Header and interfaces
        Error("ModelNameMissing", 2, "modelName=\"Tank\"", "", "no 'modelName'", Root),
        Error("ModelNameEmpty", 2, "modelName=\"Tank\"", "modelName=\" \"", "no 'modelName'", Root),
        Error("GuidMissing", 2, "guid=\"{5c3b7a2e-1d4f-4e1a-9a0b-3f2e1d0c9b8a}\"", "", "no 'guid'", Root),
        Error("InstantiationTokenMissing", 3, "instantiationToken=\"{9d1e6c44-2b7a-4c1e-8f4d-0a6b5e3c2d10}\"", "", "no 'instantiationToken'", Root),
        new("NeitherCoSimulationNorModelExchange", 2,
            [
                ("<ModelExchange modelIdentifier=\"TankME\" completedIntegratorStepNotNeeded=\"true\" providesDirectionalDerivative=\"true\"/>", ""),
                ("<CoSimulation modelIdentifier", "<CoSim modelIdentifier"),
                ("</CoSimulation>", "</CoSim>"),
            ],
            Severity.Error, "declares none of <CoSimulation>, <ModelExchange> and <ScheduledExecution>", Root),
        new("OnlyScheduledExecutionClockWithoutPriority", 3,
            [
                ("<ModelExchange modelIdentifier=\"Tank3\" needsCompletedIntegratorStep=\"true\" providesDirectionalDerivatives=\"true\"/>", ""),
                ("<CoSimulation modelIdentifier=\"Tank3\"", "<Unused modelIdentifier=\"Tank3\""),
                (" priority=\"0\"", ""),
            ],
            Severity.Error, "input clock 'sensor.tick' has no 'priority', which Scheduled Execution requires", "name=\"sensor.tick\""),
        Error("ModelIdentifierMissing", 2, "<CoSimulation modelIdentifier=\"Tank\" ", "<CoSimulation ", "<CoSimulation> has no 'modelIdentifier'", "<CoSimulation"),
        Error("ModelIdentifierWithPath", 2, "modelIdentifier=\"TankME\"", "modelIdentifier=\"../evil\"", "cannot name a library file", "<ModelExchange"),
        Error("ModelIdentifierWithBackslash", 3, "modelIdentifier=\"Tank3SE\"", "modelIdentifier=\"a\\b\"", "cannot name a library file", "<ScheduledExecution"),
        Warning("ModelIdentifierNotCIdentifier", 2, "modelIdentifier=\"TankME\"", "modelIdentifier=\"Tank-ME\"", "is not a C identifier", "<ModelExchange"),
        Error("CapabilityFlagNotBoolean", 2, "canHandleVariableCommunicationStepSize=\"true\"", "canHandleVariableCommunicationStepSize=\"yes\"", "must be true or false, found 'yes'", "<CoSimulation"),
        Error("FixedInternalStepSizeNotPositive", 3, "fixedInternalStepSize=\"0.001\"", "fixedInternalStepSize=\"-1\"", "fixedInternalStepSize must be a positive number", "<CoSimulation"),
        Error("MaxOutputDerivativeOrderNegative", 2, "maxOutputDerivativeOrder=\"1\"", "maxOutputDerivativeOrder=\"-1\"", "must be a non-negative integer", "<CoSimulation"),
        Error("NumberOfEventIndicatorsNegative", 2, "numberOfEventIndicators=\"1\"", "numberOfEventIndicators=\"-1\"", "must be a non-negative integer", "numberOfEventIndicators="),
        Warning("GenerationDateNotXmlDateTime", 2, "2024-05-17T08:30:00Z", "17.05.2024 08:30", "generationDateAndTime '17.05.2024 08:30' is not an XML date-time", Root),
        Warning("GenerationDateWithSpace", 3, "2024-05-17T08:30:00.250+02:00", "2024-05-17 08:30:00", "is not an XML date-time", Root),
        Warning("GenerationDateImpossible", 2, "2024-05-17T08:30:00Z", "2024-13-45T08:30:00Z", "is not an XML date-time", Root),
        Warning("NamingConventionUnknown", 2, "variableNamingConvention=\"structured\"", "variableNamingConvention=\"hierarchical\"", "neither 'flat' nor 'structured'", Root),
        Warning("ExperimentStopBeforeStart", 2, "stopTime=\"100\"", "stopTime=\"-1\"", "stopTime -1 is before startTime 0", "<DefaultExperiment"),
        Warning("ExperimentStepSizeZero", 2, "stepSize=\"0.01\"", "stepSize=\"0\"", "stepSize must be positive", "<DefaultExperiment"),
        Warning("ExperimentToleranceNegative", 3, "tolerance=\"1e-6\"", "tolerance=\"-1e-6\"", "tolerance must be positive", "<DefaultExperiment"),
        Error("ExperimentTimeNotANumber", 2, "startTime=\"0\"", "startTime=\"zero\"", "attribute 'startTime' of <DefaultExperiment> must be a number", "<DefaultExperiment"),
        Warning("SectionRepeated", 2, "<DefaultExperiment startTime=\"0\"", "<DefaultExperiment stopTime=\"5\"/>\n  <DefaultExperiment startTime=\"0\"", "<DefaultExperiment> appears more than once", "<DefaultExperiment startTime"),

        // Units and types
        Error("UnitDefinedTwice", 2, "<Unit name=\"degF\">", "<Unit name=\"s\" >", "unit 's' is defined twice", "<Unit name=\"s\" >"),
        Error("UnitWithoutName", 2, "<Unit name=\"degF\">", "<Unit>", "a <Unit> has no name", "<Unit>"),
        Warning("DisplayUnitDefinedTwice", 2, "<DisplayUnit name=\"cm\" factor=\"100\"/>", "<DisplayUnit name=\"cm\" factor=\"100\"/><DisplayUnit name=\"cm\" factor=\"100\"/>", "defines display unit 'cm' twice", "<Unit name=\"m\">"),
        Warning("InverseIsFmi3Only", 2, "<DisplayUnit name=\"cm\" factor=\"100\"/>", "<DisplayUnit name=\"cm\" factor=\"100\" inverse=\"true\"/>", "unknown attribute 'inverse'", "<DisplayUnit name=\"cm\""),
        Error("TypeDefinedTwice", 2, "<TypeDefinitions>", "<TypeDefinitions>\n    <SimpleType name=\"Height\" description=\"again\"><Real unit=\"m\"/></SimpleType>", "type 'Height' is defined twice", "<SimpleType name=\"Height\">"),
        Error("TypeWithoutTypeElement", 2, "<Real quantity=\"VolumeFlowRate\" unit=\"m3/s\" displayUnit=\"l/min\"/>", "", "type 'VolumeFlow' has no type element", "<SimpleType name=\"VolumeFlow\""),
        Error("EnumerationWithoutItems", 3, "<EnumerationType name=\"ValveMode\">", "<EnumerationType name=\"ValveMode\"/><EnumerationType name=\"Spare\">", "type 'ValveMode' has no items", "<EnumerationType name=\"ValveMode\"/>"),
        Error("EnumerationValueTwice", 2, "<Item name=\"open\" value=\"2\"/>", "<Item name=\"open\" value=\"1\"/>", "two items with value 1", "<SimpleType name=\"ValveMode\">"),
        Error("EnumerationNameTwice", 2, "<Item name=\"open\" value=\"2\"/>", "<Item name=\"closed\" value=\"2\"/>", "two items named 'closed'", "<SimpleType name=\"ValveMode\">"),
        Error("EnumerationItemWithoutValue", 2, "<Item name=\"open\" value=\"2\"/>", "<Item name=\"open\"/>", "enumeration item 'open' is missing the required attribute 'value'", "<Item name=\"open\"/>"),
        Warning("TypeUnitUndefined", 2, "<Real quantity=\"Length\" unit=\"m\" min=\"0\"/>", "<Real quantity=\"Length\" unit=\"km\" min=\"0\"/>", "type 'Height' has unit 'km', which <UnitDefinitions> does not define", "<SimpleType name=\"Height\">"),
        Warning("TypeMinGreaterThanMax", 3, "<Float64Type name=\"Height\" quantity=\"Length\" unit=\"m\" min=\"0\"", "<Float64Type name=\"Height\" quantity=\"Length\" unit=\"m\" min=\"20\"", "type 'Height' has min 20 greater than max 10", "<Float64Type name=\"Height\""),

        // Variable names and value references
        Error("VariableNameTwice", 2, "name=\"level\"", "name=\"h\"", "variable name 'h' is already used at line", "description=\"Alias of h\""),
        Error("VariableNameEmpty", 2, "name=\"level\"", "name=\"\"", "a variable has no name", "description=\"Alias of h\""),
        Error("VariableNameMissing", 2, "name=\"level\" ", "", "a variable has no name", "description=\"Alias of h\""),
        Error("AliasNameClashesWithVariable", 3, "<Alias name=\"gauge.reading\"", "<Alias name=\"h\"", "alias name 'h' is already used", "<Alias name=\"h\""),
        Warning("StructuredNameInvalid", 2, "name=\"spill.count\"", "name=\"spill count\"", "variable name 'spill count' does not follow the 'structured' naming convention", "name=\"spill count\""),
        Warning("StructuredNameStartsWithDigit", 3, "name=\"overflowMargin\"", "name=\"2ndMargin\"", "does not follow the 'structured' naming convention", "name=\"2ndMargin\""),
        Warning("AliasNameInvalid", 3, "<Alias name=\"gauge.reading\"", "<Alias name=\"gauge reading\"", "alias name 'gauge reading' does not follow", "<Alias name=\"gauge reading\""),
        Error("ValueReferenceMissing", 2, "name=\"capacity\" valueReference=\"8\"", "name=\"capacity\"", "variable 'capacity' is missing the required attribute 'valueReference'", "name=\"capacity\""),
        Error("ValueReferenceNotUnsigned", 2, "name=\"capacity\" valueReference=\"8\"", "name=\"capacity\" valueReference=\"-8\"", "attribute 'valueReference' of variable 'capacity' must be an unsigned 32-bit integer", "name=\"capacity\""),
        // The variable without a value reference comes first and must not capture references to value reference 0 ('time').
        Error("Fmi3ValueReferenceMissingBeforeItsNamesake", 3, "<ModelVariables>", "<ModelVariables>\n    <Float64 name=\"broken\"/>", "variable 'broken' is missing the required attribute 'valueReference'", "name=\"broken\""),
        Error("Fmi3ValueReferenceTwice", 3, "name=\"overflowMargin\" valueReference=\"14\"", "name=\"overflowMargin\" valueReference=\"13\"", "already used by 'profile'", "name=\"overflowMargin\""),

        // Causality, variability, initial
        Error("CausalityUnknown", 2, "name=\"inflow\" valueReference=\"4\" causality=\"input\"", "name=\"inflow\" valueReference=\"4\" causality=\"inlet\"", "attribute 'causality' of variable 'inflow' must be one of", "name=\"inflow\""),
        Error("StructuralParameterInFmi2", 2, "name=\"g\" valueReference=\"3\" causality=\"parameter\"", "name=\"g\" valueReference=\"3\" causality=\"structuralParameter\"", "must be one of parameter", "name=\"g\""),
        Error("ContinuousInteger", 2, "name=\"spill.count\" valueReference=\"1\" causality=\"output\" variability=\"discrete\"", "name=\"spill.count\" valueReference=\"1\" causality=\"output\" variability=\"continuous\"", "is continuous, but only Real variables can be", "name=\"spill.count\""),
        Error("ContinuousFmi3Integer", 3, "<Int32 name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\"/>", "<Int32 name=\"sensor.previousSamples\" valueReference=\"11\" variability=\"continuous\"/>", "only Float32 and Float64 variables can be", "name=\"sensor.previousSamples\""),
        Error("ParameterContinuous", 2, "name=\"area\" valueReference=\"1\" causality=\"parameter\" variability=\"fixed\"", "name=\"area\" valueReference=\"1\" causality=\"parameter\" variability=\"continuous\"", "causality 'parameter' with variability 'continuous' is not allowed; parameter variables must be fixed or tunable", "name=\"area\""),
        Error("CalculatedParameterDiscrete", 2, "causality=\"calculatedParameter\" variability=\"fixed\"", "causality=\"calculatedParameter\" variability=\"discrete\"", "calculatedParameter variables must be fixed or tunable", "name=\"capacity\""),
        Error("StructuralParameterConstant", 3, "causality=\"structuralParameter\" variability=\"fixed\"", "causality=\"structuralParameter\" variability=\"constant\"", "structuralParameter variables must be fixed or tunable", "name=\"segments\""),
        Error("InputFixed", 2, "name=\"inflow\" valueReference=\"4\" causality=\"input\"", "name=\"inflow\" valueReference=\"4\" causality=\"input\" variability=\"fixed\"", "a fixed or tunable input is a parameter", "name=\"inflow\""),
        Error("InputConstant", 3, "name=\"inflow\" valueReference=\"3\" causality=\"input\"", "name=\"inflow\" valueReference=\"3\" causality=\"input\" variability=\"constant\"", "inputs must be discrete or continuous", "name=\"inflow\""),
        Error("OutputTunable", 2, "name=\"outflow\" valueReference=\"7\" causality=\"output\"", "name=\"outflow\" valueReference=\"7\" causality=\"output\" variability=\"tunable\"", "a fixed or tunable output is a calculatedParameter", "name=\"outflow\""),
        Error("IndependentDiscrete", 2, "causality=\"independent\" variability=\"continuous\"", "causality=\"independent\" variability=\"discrete\"", "the independent variable must be continuous", "name=\"time\""),
        Warning("ParameterWithoutVariability", 2, "name=\"g\" valueReference=\"3\" causality=\"parameter\" variability=\"fixed\"", "name=\"g\" valueReference=\"3\" causality=\"parameter\"", "has no 'variability'; the standard's default is not allowed for causality 'parameter', so 'fixed' is assumed", "name=\"g\""),
        Error("ParameterInitialCalculated", 2, "name=\"g\" valueReference=\"3\" causality=\"parameter\" variability=\"fixed\"", "name=\"g\" valueReference=\"3\" causality=\"parameter\" variability=\"fixed\" initial=\"calculated\"", "initial=\"calculated\" is not allowed for causality 'parameter' with variability 'fixed' (allowed: exact)", "name=\"g\""),
        Error("CalculatedParameterInitialExact", 2, "causality=\"calculatedParameter\" variability=\"fixed\"", "causality=\"calculatedParameter\" variability=\"fixed\" initial=\"exact\"", "initial=\"exact\" is not allowed for causality 'calculatedParameter'", "name=\"capacity\""),
        Error("ConstantOutputInitialCalculated", 2, "name=\"spill.count\" valueReference=\"1\" causality=\"output\" variability=\"discrete\"", "name=\"spill.count\" valueReference=\"1\" causality=\"output\" variability=\"constant\" initial=\"calculated\"", "(allowed: exact)", "name=\"spill.count\""),
        Error("Fmi3InputInitialApprox", 3, "name=\"inflow\" valueReference=\"3\" causality=\"input\"", "name=\"inflow\" valueReference=\"3\" causality=\"input\" initial=\"approx\"", "initial=\"approx\" is not allowed for causality 'input'", "name=\"inflow\""),
        Warning("Fmi2InputWithInitial", 2, "name=\"inflow\" valueReference=\"4\" causality=\"input\"", "name=\"inflow\" valueReference=\"4\" causality=\"input\" initial=\"exact\"", "the standard defines no 'initial' for causality 'input' here; it is ignored", "name=\"inflow\""),
        Warning("IndependentWithInitial", 3, "causality=\"independent\" variability=\"continuous\"", "causality=\"independent\" variability=\"continuous\" initial=\"exact\"", "defines no 'initial' for causality 'independent'", "name=\"time\""),
        Error("InitialUnknownValue", 2, "name=\"h\" valueReference=\"5\" causality=\"output\" initial=\"exact\"", "name=\"h\" valueReference=\"5\" causality=\"output\" initial=\"guess\"", "attribute 'initial' of variable 'h' must be one of exact, approx, calculated", "name=\"h\""),

        // Start values
        Error("InputWithoutStart", 2, "<Real declaredType=\"VolumeFlow\" start=\"0\"/>", "<Real declaredType=\"VolumeFlow\"/>", "variable 'inflow' has no start value, but inputs need one", "name=\"inflow\""),
        Error("ParameterWithoutStart", 2, "<Real unit=\"m/s2\" start=\"9.81\"/>", "<Real unit=\"m/s2\"/>", "variable 'g' has no start value, but parameters need one", "name=\"g\""),
        Error("Fmi3StringParameterWithoutStart", 3, "<Start value=\"Tank A, north side\"/>", "", "variable 'label' has no start value", "name=\"label\""),
        Error("StructuralParameterWithoutStart", 3, "name=\"segments\" valueReference=\"1\" causality=\"structuralParameter\" variability=\"fixed\" start=\"3\"", "name=\"segments\" valueReference=\"1\" causality=\"structuralParameter\" variability=\"fixed\"", "variable 'segments' has no start value, but parameters need one", "name=\"segments\""),
        Error("ConstantWithoutStart", 2, "causality=\"calculatedParameter\" variability=\"fixed\"", "causality=\"local\" variability=\"constant\"", "variable 'capacity' has no start value, but constants need one", "name=\"capacity\""),
        Error("ExactOutputWithoutStart", 2, "<Real declaredType=\"Height\" start=\"1\" max=\"5\"/>", "<Real declaredType=\"Height\" max=\"5\"/>", "variable 'h' has no start value, but initial is exact", "name=\"h\""),
        Error("ApproxLocalWithoutStart", 3, "<Float64 name=\"overflowMargin\" valueReference=\"14\" unit=\"m\"/>", "<Float64 name=\"overflowMargin\" valueReference=\"14\" unit=\"m\" initial=\"approx\"/>", "but initial is approx", "name=\"overflowMargin\""),
        Warning("CalculatedOutputWithStart", 2, "<Real declaredType=\"VolumeFlow\"/>", "<Real declaredType=\"VolumeFlow\" start=\"1\"/>", "variable 'outflow' has a start value although initial is calculated; it is ignored", "name=\"outflow\""),
        Warning("IndependentWithStart", 2, "<Real unit=\"s\"/>", "<Real unit=\"s\" start=\"0\"/>", "variable 'time' has a start value although the independent variable", "name=\"time\""),
        Error("RealStartNotANumber", 2, "start=\"2.5\"", "start=\"2,5\"", "variable 'area' has start value '2,5', which is not a valid Real", "name=\"area\""),
        Error("EnumerationStartNotAnInteger", 2, "<Enumeration declaredType=\"ValveMode\" start=\"3\"/>", "<Enumeration declaredType=\"ValveMode\" start=\"three\"/>", "which is not a valid Enumeration", "name=\"valve.mode\""),
        Error("Fmi2IntegerStartOutOfRange", 2, "<Enumeration declaredType=\"ValveMode\" start=\"3\"/>", "<Enumeration declaredType=\"ValveMode\" start=\"3000000000\"/>", "which is not a valid Enumeration", "name=\"valve.mode\""),
        Error("BooleanStartInvalid", 3, "<Int32 name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\"/>", "<Boolean name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\" initial=\"exact\" start=\"yes\"/>", "start value 'yes', which is not a valid Boolean", "name=\"sensor.previousSamples\""),
        Error("UInt8StartOutOfRange", 3, "<Int32 name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\"/>", "<UInt8 name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\" initial=\"exact\" start=\"300\"/>", "start value '300', which is not a valid UInt8", "name=\"sensor.previousSamples\""),
        Error("Int8StartNegativeOutOfRange", 3, "<Int32 name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\"/>", "<Int8 name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\" initial=\"exact\" start=\"-129\"/>", "which is not a valid Int8", "name=\"sensor.previousSamples\""),
        Error("BinaryStartNotHex", 3, "<Start value=\"0a1b2c\"/>", "<Start value=\"0x1b\"/>", "start value '0x1b', which is not a valid Binary", "name=\"calibration\""),
        Error("StartElementWithoutValue", 3, "<Start value=\"0a1b2c\"/>", "<Start/>", "<Start> of variable 'calibration' is missing the required attribute 'value'", "<Start/>"),
        Error("ScalarWithTwoStartValues", 3, "unit=\"m3/s\" start=\"0\"", "unit=\"m3/s\" start=\"0 1\"", "variable 'inflow' is a scalar but has 2 start values", "name=\"inflow\""),
        Error("ArrayStartCountMismatch", 3, "start=\"1.5 2 2.5\"", "start=\"1.5 2\"", "variable 'segment.area' has 3 elements but 2 start values (give 1 or 3)", "name=\"segment.area\""),
        Error("EmptyStart", 3, "unit=\"m3/s\" start=\"0\"", "unit=\"m3/s\" start=\" \"", "variable 'inflow' has an empty start value", "name=\"inflow\""),
        Error("ArrayElementStartNotANumber", 3, "start=\"1.5 2 2.5\"", "start=\"1.5 two 2.5\"", "start value 'two', which is not a valid Float64", "name=\"segment.area\""),
        Warning("StartAboveMax", 2, "start=\"2.5\"", "start=\"200\"", "variable 'area' has start value '200' outside [0.1, 100]", "name=\"area\""),
        Warning("StartBelowInheritedMin", 2, "<Real declaredType=\"Height\" start=\"1\" max=\"5\"/>", "<Real declaredType=\"Height\" start=\"-1\" max=\"5\"/>", "variable 'h' has start value '-1' outside [0, 5]", "name=\"h\""),
        Warning("ArrayElementOutsideRange", 3, "unit=\"m2\" start=\"1.5 2 2.5\"", "unit=\"m2\" min=\"0\" start=\"1.5 -2 2.5\"", "start value '-2' outside [0, unbounded]", "name=\"segment.area\""),
        Warning("MinGreaterThanMax", 2, "start=\"2.5\" min=\"0.1\" max=\"100\"", "start=\"2.5\" min=\"1000\" max=\"100\"", "variable 'area' has min 1000 greater than max 100", "name=\"area\""),
        Warning("EnumerationStartNotAnItem", 3, "declaredType=\"ValveMode\" causality=\"parameter\" variability=\"tunable\" start=\"3\"", "declaredType=\"ValveMode\" causality=\"parameter\" variability=\"tunable\" start=\"7\"", "start value '7', which is no item of enumeration 'ValveMode'", "name=\"valve.mode\""),
        Warning("ClockWithStart", 3, "<Clock name=\"sensor.tick\" valueReference=\"9\" causality=\"input\" declaredType=\"SensorClock\"/>", "<Clock name=\"sensor.tick\" valueReference=\"9\" causality=\"input\" declaredType=\"SensorClock\" start=\"1\"/>", "unknown attribute 'start'", "name=\"sensor.tick\""),

        // Declared types and units
        Warning("DeclaredTypeUndefined", 2, "<Real declaredType=\"VolumeFlow\"/>", "<Real declaredType=\"Flow\"/>", "variable 'outflow' has declaredType 'Flow', which <TypeDefinitions> does not define", "name=\"outflow\""),
        Error("DeclaredTypeOfOtherKind", 2, "<Real declaredType=\"VolumeFlow\"/>", "<Real declaredType=\"ValveMode\"/>", "variable 'outflow' is Real but its declaredType 'ValveMode' is Enumeration", "name=\"outflow\""),
        Error("Fmi3DeclaredTypeOfOtherKind", 3, "causality=\"output\" declaredType=\"Count\"", "causality=\"output\" declaredType=\"Height\"", "variable 'sensor.samples' is Int32 but its declaredType 'Height' is Float64", "name=\"sensor.samples\""),
        Error("EnumerationWithoutDeclaredType", 2, "<Enumeration declaredType=\"ValveMode\" start=\"3\"/>", "<Enumeration start=\"3\"/>", "enumeration variable 'valve.mode' has no declaredType", "name=\"valve.mode\""),
        new("UnitDefinitionsLeftOut", 3, [("<UnitDefinitions>", "<!--"), ("</UnitDefinitions>", "-->")], Severity.Warning,
            "units are used ('m', 's', 'm2', 'm3/s', 'm/s') but the model has no <UnitDefinitions>", "<Float64Type name=\"Height\""),
        Warning("VariableUnitUndefined", 2, "<Real unit=\"m2\" start=\"2.5\"", "<Real unit=\"ft2\" start=\"2.5\"", "variable 'area' has unit 'ft2', which <UnitDefinitions> does not define", "name=\"area\""),
        Warning("VariableDisplayUnitUndefined", 2, "<Real unit=\"m2\" start=\"2.5\"", "<Real unit=\"m2\" displayUnit=\"cm2\" start=\"2.5\"", "displayUnit 'cm2', which unit 'm2' does not define", "name=\"area\""),
        Warning("DisplayUnitWithoutUnit", 2, "<Real unit=\"m3\"/>", "<Real displayUnit=\"l\"/>", "variable 'capacity' has displayUnit 'l' but no unit", "name=\"capacity\""),
        Warning("AliasDisplayUnitUndefined", 3, "description=\"Level shown on the gauge\" displayUnit=\"mm\"", "description=\"Level shown on the gauge\" displayUnit=\"km\"", "alias 'gauge.reading' has displayUnit 'km', which unit 'm' does not define", "<Alias name=\"gauge.reading\""),

        // Derivatives, independent variable, reinit
        Error("DerivativeOfNonFloat", 2, "<Real unit=\"m/s\" derivative=\"7\"/>", "<Real unit=\"m/s\" derivative=\"10\"/>", "variable 'der(h)' is the derivative of 'overflow', which is not a float variable", "name=\"der(h)\""),
        Error("DerivativeOfItself", 2, "<Real unit=\"m/s\" derivative=\"7\"/>", "<Real unit=\"m/s\" derivative=\"8\"/>", "variable 'der(h)' is declared as its own derivative", "name=\"der(h)\""),
        Error("DerivativeIndexOutOfRange", 2, "<Real unit=\"m/s\" derivative=\"7\"/>", "<Real unit=\"m/s\" derivative=\"99\"/>", "is the derivative of variable 99, which does not exist (indices are 1-based; there are 14 variables)", "derivative=\"99\""),
        Error("DerivativeIndexZero", 2, "<Real unit=\"m/s\" derivative=\"7\"/>", "<Real unit=\"m/s\" derivative=\"0\"/>", "is the derivative of variable 0, which does not exist", "derivative=\"0\""),
        Error("Fmi3DerivativeValueReferenceUnknown", 3, "unit=\"m/s\" derivative=\"4\"", "unit=\"m/s\" derivative=\"44\"", "variable 'der(h)' is the derivative of value reference 44, which no variable has", "name=\"der(h)\""),
        Error("Fmi3DerivativeOfInteger", 3, "unit=\"m/s\" derivative=\"4\"", "unit=\"m/s\" derivative=\"10\"", "is the derivative of 'sensor.samples', which is not a float variable", "name=\"der(h)\""),
        Error("IndependentNotReal", 2, "<Real unit=\"s\"/>", "<Integer/>", "independent variable 'time' must be a Real variable", "name=\"time\""),
        Error("TwoIndependentVariables", 2, "name=\"level\" valueReference=\"5\"", "name=\"level\" valueReference=\"5\" causality=\"independent\" variability=\"continuous\"", "is a second independent variable (the first is 'time'", "description=\"Alias of h\""),
        Warning("Fmi3WithoutIndependent", 3, "causality=\"independent\" variability=\"continuous\" unit=\"s\"", "unit=\"s\"", "no variable has causality 'independent'; FMI 3 requires exactly one", Root),
        Warning("ReinitOnNonState", 3, "<Float64 name=\"overflowMargin\" valueReference=\"14\" unit=\"m\"/>", "<Float64 name=\"overflowMargin\" valueReference=\"14\" unit=\"m\" reinit=\"true\"/>", "has reinit=\"true\" but is not a continuous state", "name=\"overflowMargin\""),

        // Clocks and dimensions
        Warning("ClockWithoutPriorityBesideCoSimulation", 3, " priority=\"0\"", "", "has no 'priority', which Scheduled Execution requires to order its model partitions; it is only needed for Scheduled Execution", "name=\"sensor.tick\""),
        Error("ClockWithoutIntervalVariability", 3, "intervalVariability=\"constant\" ", "", "clock 'sensor.tick' has no 'intervalVariability'", "name=\"sensor.tick\""),
        Error("ClockIntervalVariabilityUnknown", 3, "intervalVariability=\"constant\"", "intervalVariability=\"sometimes\"", "must be one of constant, fixed, calculated, tunable, changing, countdown, triggered", "<ClockType"),
        Error("ConstantClockWithoutInterval", 3, "intervalDecimal=\"0.1\" ", "", "clock 'sensor.tick' is constant but gives neither 'intervalDecimal' nor 'intervalCounter'", "name=\"sensor.tick\""),
        Error("ClockIntervalZero", 3, "intervalDecimal=\"0.1\"", "intervalDecimal=\"0\"", "clock 'sensor.tick' has intervalDecimal 0; an interval must be positive", "name=\"sensor.tick\""),
        Error("ClockShiftNegative", 3, "intervalDecimal=\"0.1\"", "intervalDecimal=\"0.1\" shiftDecimal=\"-0.5\"", "has shiftDecimal -0.5; a shift must be zero or positive", "name=\"sensor.tick\""),
        Error("ClockResolutionZero", 3, "intervalDecimal=\"0.1\"", "intervalCounter=\"1\" resolution=\"0\"", "has resolution 0; it must be positive", "name=\"sensor.tick\""),
        Error("ClockedByNonClock", 3, "clocks=\"9\" previous=\"11\"", "clocks=\"3\" previous=\"11\"", "lists value reference 3 as a clock, but 'inflow' is not a Clock", "name=\"sensor.samples\""),
        Error("ClockedByUnknownValueReference", 3, "valueReference=\"11\" clocks=\"9\"/>", "valueReference=\"11\" clocks=\"99\"/>", "lists clock value reference 99, which no variable has", "name=\"sensor.previousSamples\""),
        Error("ClockedContinuous", 3, "<Float64 name=\"overflowMargin\" valueReference=\"14\" unit=\"m\"/>", "<Float64 name=\"overflowMargin\" valueReference=\"14\" unit=\"m\" clocks=\"9\"/>", "clocked variables must be discrete or tunable", "name=\"overflowMargin\""),
        Error("ClockAsParameter", 3, "valueReference=\"9\" causality=\"input\" declaredType=\"SensorClock\"", "valueReference=\"9\" causality=\"parameter\" variability=\"tunable\" declaredType=\"SensorClock\"", "clock 'sensor.tick' has causality 'parameter'; clocks must be input, output or local", "name=\"sensor.tick\""),
        Error("ClockArray", 3, "<Clock name=\"sensor.tick\" valueReference=\"9\" causality=\"input\" declaredType=\"SensorClock\"/>", "<Clock name=\"sensor.tick\" valueReference=\"9\" causality=\"input\" declaredType=\"SensorClock\"><Dimension start=\"2\"/></Clock>", "clocks cannot be arrays", "name=\"sensor.tick\""),
        Error("DimensionWithStartAndValueReference", 3, "<Dimension start=\"2\"/>", "<Dimension start=\"2\" valueReference=\"1\"/>", "a <Dimension> of variable 'profile' must have exactly one of 'start' and 'valueReference'", "name=\"profile\""),
        Error("DimensionWithNeither", 3, "<Dimension start=\"2\"/>", "<Dimension/>", "must have exactly one of 'start' and 'valueReference'", "name=\"profile\""),
        Error("DimensionSizeZero", 3, "<Dimension start=\"2\"/>", "<Dimension start=\"0\"/>", "a <Dimension> of variable 'profile' has size 0", "name=\"profile\""),
        Error("DimensionReferenceUnknown", 3, "<Dimension start=\"2\"/>", "<Dimension valueReference=\"77\"/>", "refers to value reference 77, which no variable has", "name=\"profile\""),
        Error("DimensionReferenceNotUInt64", 3, "<UInt64 name=\"segments\"", "<Int32 name=\"segments\"", "the dimension size 'segments' of variable 'segment.area' is Int32; dimension sizes must be UInt64", "name=\"segment.area\""),
        Error("DimensionReferenceNotStructural", 3, "name=\"segments\" valueReference=\"1\" causality=\"structuralParameter\"", "name=\"segments\" valueReference=\"1\" causality=\"parameter\"", "is neither a structural parameter nor a constant", "name=\"segment.area\""),
        Error("DimensionReferenceStartsAtZero", 3, "variability=\"fixed\" start=\"3\" min=\"1\"", "variability=\"fixed\" start=\"0\" min=\"0\"", "the dimension size 'segments' of variable 'profile' starts at 0", "name=\"profile\""),
        Error("StructuralParameterArray", 3, "variability=\"fixed\" start=\"3\" min=\"1\"/>", "variability=\"fixed\" start=\"3\" min=\"1\"><Dimension start=\"1\"/></UInt64>", "structural parameter 'segments' has dimensions", "name=\"segments\""),
        Error("DimensionSizeNotANumber", 3, "<Dimension start=\"2\"/>", "<Dimension start=\"two\"/>", "attribute 'start' of <Dimension> of variable 'profile' must be an unsigned 64-bit integer", "<Dimension start=\"two\"/>"),

        // Variable elements
        Error("ScalarVariableWithoutType", 2, "<Real unit=\"m3\"/>", "", "variable 'capacity' has no type element", "name=\"capacity\""),
        Error("ScalarVariableWithTwoTypes", 2, "<Real unit=\"m3\"/>", "<Real unit=\"m3\"/>\n      <Integer />", "variable 'capacity' has more than one type element; <Integer> is ignored", "<Integer />"),
        new("ModelVariablesMissing", 2, [("<ModelVariables>", "<Variables>"), ("</ModelVariables>", "</Variables>")], Severity.Error, "<ModelVariables> is missing", Root),

        // Model structure
        Warning("OutputNotListed", 2, "<Unknown index=\"9\" dependencies=\"7\" dependenciesKind=\"dependent\"/>", "", "output 'outflow' is not listed in <ModelStructure><Outputs>", "name=\"outflow\""),
        Warning("Fmi3OutputNotListed", 3, "<Output valueReference=\"12\" dependencies=\"4\" dependenciesKind=\"constant\"/>", "", "output 'gauge' is not listed in an <Output> element", "name=\"gauge\""),
        Error("NonOutputListedAsOutput", 2, "<Unknown index=\"12\" dependencies=\"\"/>", "<Unknown index=\"12\" dependencies=\"\"/>\n      <Unknown index=\"6\" />", "<Outputs> lists variable 'inflow', whose causality is 'input', not 'output'", "<Unknown index=\"6\" />"),
        Error("StructureIndexOutOfRange", 2, "<Unknown index=\"12\"/>", "<Unknown index=\"99\"/>", "has index 99, which is no variable (indices are 1-based; there are 14 variables)", "<Unknown index=\"99\"/>"),
        Error("StructureIndexMissing", 2, "<Unknown index=\"12\"/>", "<Unknown/>", "is missing the required attribute 'index'", "<Unknown/>"),
        Error("Fmi3StructureValueReferenceUnknown", 3, "<Output valueReference=\"4\"/>", "<Output valueReference=\"40\"/>", "<Output> refers to value reference 40, which no variable has", "<Output valueReference=\"40\"/>"),
        Error("DependencyNotAVariable", 2, "<Unknown index=\"14\" dependencies=\"2\"/>", "<Unknown index=\"14\" dependencies=\"2 99\"/>", "lists dependency 99, which is not a variable index (1..14)", "<Unknown index=\"14\""),
        Error("Fmi3DependencyNotAValueReference", 3, "<Output valueReference=\"13\" dependencies=\"2 4\"/>", "<Output valueReference=\"13\" dependencies=\"2 42\"/>", "lists dependency 42, which is not the value reference of a variable", "<Output valueReference=\"13\""),
        Error("DependencyNotANumber", 2, "<Unknown index=\"14\" dependencies=\"2\"/>", "<Unknown index=\"14\" dependencies=\"2 x\"/>", "must be a list of unsigned 32-bit integers, found 'x'", "<Unknown index=\"14\""),
        Error("DerivativesListNonDerivative", 2, "<Unknown index=\"8\" dependencies=\"6 7\" dependenciesKind=\"fixed dependent\"/>", "<Unknown index=\"9\" dependencies=\"6 7\" dependenciesKind=\"fixed dependent\"/>", "<Derivatives> lists variable 'outflow', which has no 'derivative' attribute", "<Unknown index=\"9\" dependencies=\"6 7\""),
        Error("DependencyKindsCountMismatch", 2, "dependenciesKind=\"fixed dependent\"", "dependenciesKind=\"fixed\"", "has 2 dependencies but 1 dependency kinds", "dependenciesKind=\"fixed\""),
        Error("DependencyKindUnknown", 2, "dependenciesKind=\"dependent\"", "dependenciesKind=\"linear\"", "has dependency kind 'linear'; allowed are dependent, constant, fixed, tunable, discrete", "dependenciesKind=\"linear\""),
        Error("DependencyKindsWithoutDependencies", 3, "<Output valueReference=\"4\"/>", "<Output valueReference=\"4\" dependenciesKind=\"dependent\"/>", "has 'dependenciesKind' without 'dependencies'", "<Output valueReference=\"4\""),
        Warning("StructureEntryTwice", 2, "<Unknown index=\"12\"/>", "<Unknown index=\"12\"/>\n      <Unknown index=\"12\" />", "<InitialUnknowns> lists variable 'spill.count' more than once", "<Unknown index=\"12\" />"),
        Warning("InitialUnknownIsInput", 2, "<Unknown index=\"12\"/>", "<Unknown index=\"12\"/>\n      <Unknown index=\"6\" dependencies=\"\"/>", "lists variable 'inflow', which is known at initialization", "<Unknown index=\"6\" dependencies=\"\"/>"),
        Warning("InitialUnknownIsExact", 3, "<InitialUnknown valueReference=\"12\"/>", "<InitialUnknown valueReference=\"12\"/><InitialUnknown valueReference=\"4\"/>", "lists variable 'h', which is known at initialization (causality 'output', initial 'exact')", "<InitialUnknown valueReference=\"4\"/>"),
        Warning("CalculatedParameterNotInitialUnknown", 2, "<Unknown index=\"14\" dependencies=\"2\"/>", "", "variable 'capacity' (initial 'calculated') should be listed in <InitialUnknowns>", "name=\"capacity\""),
        Warning("StateDerivativeNotInitialUnknown", 3, "<InitialUnknown valueReference=\"5\" dependencies=\"3 4\"/>", "", "variable 'der(h)' (initial 'calculated') should be listed in an <InitialUnknown> element", "name=\"der(h)\""),
        new("InitialUnknownsLeftOut", 2, [("<InitialUnknowns>", "<!--"), ("</InitialUnknowns>", "-->")], Severity.Warning,
            "the model structure lists no initial unknowns, but 5 variable(s) are: 'der(h)', 'outflow', 'overflow', 'spill.count', 'capacity'", Root),
        Error("EventIndicatorNotFloat", 3, "<EventIndicator valueReference=\"14\"", "<EventIndicator valueReference=\"10\"", "event indicators must be Float32 or Float64", "<EventIndicator"),
        Warning("EventIndicatorIsParameter", 3, "<EventIndicator valueReference=\"14\"", "<EventIndicator valueReference=\"2\"", "event indicators should be local or output", "<EventIndicator"),
        Warning("ClockedStateNotClocked", 3, "<ClockedState valueReference=\"10\"/>", "<ClockedState valueReference=\"14\"/>", "<ClockedState> lists variable 'overflowMargin', which is not a clocked variable", "<ClockedState"),
        new("ModelStructureMissing", 3, [("<ModelStructure>", "<Structure>"), ("</ModelStructure>", "</Structure>")], Severity.Warning, "<ModelStructure> is missing (FMI 3.0 requires it)", Root),

        // Unknown content is a warning, never an error
        Warning("UnknownElementInModelVariables", 2, "<ModelVariables>", "<ModelVariables>\n    <Comment text=\"x\"/>", "unknown element <Comment> in <ModelVariables> is ignored", "<Comment"),
        Warning("UnknownRootElement", 3, "<LogCategories>", "<Extras/>\n  <LogCategories>", "unknown element <Extras> in <fmiModelDescription> is ignored", "<Extras/>"),
        Warning("UnknownAttributeOnTypeElement", 2, "<Real unit=\"m2\" start=\"2.5\"", "<Real unit=\"m2\" color=\"blue\" start=\"2.5\"", "unknown attribute 'color' on variable 'area' is ignored", "color=\"blue\""),
        Warning("NamespacedElementIsUnknown", 3, "<LogCategories>", "<x:Extras xmlns:x=\"urn:vendor\"/>\n  <LogCategories>", "unknown element <Extras>", "<x:Extras"),
        Warning("Fmi2VersionRevision", 2, "fmiVersion=\"2.0\"", "fmiVersion=\"2.0.1\"", "should be '2.0'", Root),
    ];

    [TestCaseSource(nameof(Rules))]
    public void Parse_BrokenSample_ReportsTheRuleAtItsLine(Rule rule)
    {
        var xml = Samples.Text(rule.Sample);
        foreach (var (find, replace) in rule.Edits) xml = Samples.Mutate(xml, find, replace);
        var line = Samples.LineOf(xml, rule.LineMarker);

        var report = Samples.Parse(xml);

        report.Model.ShouldNotBeNull(Samples.Dump(report));
        report.Diagnostics.ShouldContain(
            d => d.Severity == rule.Severity && d.Line == line && d.Message.Contains(rule.Message, StringComparison.Ordinal),
            $"expected {rule.Severity} at line {line} containing \"{rule.Message}\"; got:{Environment.NewLine}{Samples.Dump(report)}");
        report.CanRun.ShouldBe(report.Errors.Any() == false);
        if (rule.Severity == Severity.Warning && report.Errors.Any() == false) report.CanRun.ShouldBeTrue();
    }

    public sealed record NearMiss(string Name, int Sample, string Find, string Replace)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<NearMiss> NearMisses() =>
    [
        new("StartEqualToMax", 2, "start=\"2.5\"", "start=\"100\""),
        new("StartEqualToMin", 2, "start=\"2.5\"", "start=\"0.1\""),
        new("ArraySingleStartForAllElements", 3, "start=\"1.5 2 2.5\"", "start=\"2\""),
        new("FlatConventionAllowsSpaces", 2, "variableNamingConvention=\"structured\"", "variableNamingConvention=\"flat\"\n  xmlns:z=\"urn:z\""),
        new("StructuredNameWithIndicesAndQuotes", 2, "name=\"spill.count\"", "name=\"pipe[3, 4].'T #1'.count\""),
        new("StructuredNameWithEscapedQuote", 2, "name=\"spill.count\"", "name=\"'it\\'s'\""),
        new("StructuredSecondDerivative", 2, "name=\"der(h)\"", "name=\"der(tank.h,2)\""),
        new("DateWithoutZone", 2, "2024-05-17T08:30:00Z", "2024-05-17T08:30:00"),
        new("DateWithFraction", 2, "2024-05-17T08:30:00Z", "2024-05-17T08:30:00.5Z"),
        new("ParameterWithExplicitExactInitial", 2, "name=\"g\" valueReference=\"3\" causality=\"parameter\" variability=\"fixed\"", "name=\"g\" valueReference=\"3\" causality=\"parameter\" variability=\"fixed\" initial=\"exact\""),
        new("OutputApproxWithStart", 2, "causality=\"output\">\n      <Real declaredType=\"VolumeFlow\"/>", "causality=\"output\" initial=\"approx\">\n      <Real declaredType=\"VolumeFlow\" start=\"1\"/>"),
        // Appended, so that the 1-based indices of the model structure stay valid.
        new("Fmi2AliasesShareValueReference", 2, "</ModelVariables>", "  <ScalarVariable name=\"height\" valueReference=\"5\"><Real declaredType=\"Height\"/></ScalarVariable>\n  </ModelVariables>"),
        new("Fmi3AnnotationsAnywhere", 3, "<Float64 name=\"overflowMargin\" valueReference=\"14\" unit=\"m\"/>", "<Float64 name=\"overflowMargin\" valueReference=\"14\" unit=\"m\"><Annotations><Annotation type=\"x\"><y/></Annotation></Annotations></Float64>"),
        new("Fmi3RootAnnotations", 3, "<ModelVariables>", "<Annotations><Annotation type=\"com.example\"/></Annotations>\n  <ModelVariables>"),
        new("XsiAttributesAreNotUnknown", 3, "fmiVersion=\"3.0\"", "fmiVersion=\"3.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"fmi3ModelDescription.xsd\""),
        new("IntegerStartWithinRange", 3, "<Int32 name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\"/>", "<Int8 name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\" initial=\"exact\" start=\"-128\"/>"),
        new("FloatSpecialValues", 3, "start=\"1.5 2 2.5\"", "start=\"INF 2 NaN\""),
        new("BooleanNumericStart", 3, "<Int32 name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\"/>", "<Boolean name=\"sensor.previousSamples\" valueReference=\"11\" clocks=\"9\" initial=\"exact\" start=\"1\"/>"),
        new("TunableOutputIsCalculatedParameter", 2, "causality=\"calculatedParameter\" variability=\"fixed\"", "causality=\"calculatedParameter\" variability=\"tunable\""),
        new("OnlyScheduledExecution", 3, "<ModelExchange modelIdentifier=\"Tank3\" needsCompletedIntegratorStep=\"true\" providesDirectionalDerivatives=\"true\"/>", ""),
        new("ClockIntervalAsCounter", 3, "intervalDecimal=\"0.1\"", "intervalCounter=\"1\" resolution=\"10\""),
        new("ClockOwnAttributesOverType", 3, "declaredType=\"SensorClock\"/>", "declaredType=\"SensorClock\" intervalVariability=\"fixed\" priority=\"3\"/>"),
        new("DimensionFromConstant", 3, "causality=\"structuralParameter\" variability=\"fixed\" start=\"3\" min=\"1\"", "variability=\"constant\" start=\"3\""),
    ];

    [TestCaseSource(nameof(NearMisses))]
    public void Parse_ValidVariantOfSample_HasNoDiagnostics(NearMiss nearMiss)
    {
        var xml = Samples.Mutate(Samples.Text(nearMiss.Sample), nearMiss.Find, nearMiss.Replace);
        var report = Samples.Parse(xml);
        report.Diagnostics.ShouldBeEmpty(Samples.Dump(report));
    }
}
