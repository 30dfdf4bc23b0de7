using CoSim.Core;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Tests.Description;

/// <summary>
/// Hand-written model descriptions of a water tank: valid per the standard, so that every test
/// can break exactly one thing and expect exactly that to be reported.
/// </summary>
internal static class Samples
{
    /// <summary>
    /// FMI 2.0. ScalarVariable indices (1-based): 1 time, 2 area, 3 valve.area, 4 g, 5 valve.mode,
    /// 6 inflow, 7 h, 8 der(h), 9 outflow, 10 overflow, 11 label, 12 spill.count, 13 level (alias of h), 14 capacity.
    /// </summary>
    public const string Fmi2 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <fmiModelDescription
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          fmiVersion="2.0"
          modelName="Tank"
          guid="{5c3b7a2e-1d4f-4e1a-9a0b-3f2e1d0c9b8a}"
          description="Open water tank drained through a valve"
          author="CoSim tests"
          version="1.2"
          generationTool="Handwritten"
          generationDateAndTime="2024-05-17T08:30:00Z"
          variableNamingConvention="structured"
          numberOfEventIndicators="1">
          <CoSimulation modelIdentifier="Tank" canHandleVariableCommunicationStepSize="true" canGetAndSetFMUstate="true" maxOutputDerivativeOrder="1">
            <SourceFiles>
              <File name="tank.c"/>
            </SourceFiles>
          </CoSimulation>
          <ModelExchange modelIdentifier="TankME" completedIntegratorStepNotNeeded="true" providesDirectionalDerivative="true"/>
          <UnitDefinitions>
            <Unit name="s">
              <BaseUnit s="1"/>
            </Unit>
            <Unit name="m">
              <BaseUnit m="1"/>
              <DisplayUnit name="cm" factor="100"/>
            </Unit>
            <Unit name="m2">
              <BaseUnit m="2"/>
            </Unit>
            <Unit name="m3">
              <BaseUnit m="3"/>
            </Unit>
            <Unit name="m/s">
              <BaseUnit m="1" s="-1"/>
            </Unit>
            <Unit name="m/s2">
              <BaseUnit m="1" s="-2"/>
            </Unit>
            <Unit name="m3/s">
              <BaseUnit m="3" s="-1"/>
              <DisplayUnit name="l/min" factor="60000"/>
            </Unit>
            <Unit name="degF">
              <BaseUnit K="1" factor="0.5555555555555556" offset="255.3722222222222"/>
            </Unit>
          </UnitDefinitions>
          <TypeDefinitions>
            <SimpleType name="Height">
              <Real quantity="Length" unit="m" min="0"/>
            </SimpleType>
            <SimpleType name="VolumeFlow" description="Volume flow rate">
              <Real quantity="VolumeFlowRate" unit="m3/s" displayUnit="l/min"/>
            </SimpleType>
            <SimpleType name="ValveMode">
              <Enumeration>
                <Item name="closed" value="1" description="Valve shut"/>
                <Item name="open" value="2"/>
                <Item name="auto" value="3" description="Level controlled"/>
              </Enumeration>
            </SimpleType>
          </TypeDefinitions>
          <LogCategories>
            <Category name="logEvents" description="Log events"/>
            <Category name="logStatusError"/>
          </LogCategories>
          <DefaultExperiment startTime="0" stopTime="100" tolerance="1e-6" stepSize="0.01"/>
          <VendorAnnotations>
            <Tool name="Handwritten">
              <Anything goes="here"/>
            </Tool>
          </VendorAnnotations>
          <ModelVariables>
            <ScalarVariable name="time" valueReference="0" causality="independent" variability="continuous">
              <Real unit="s"/>
            </ScalarVariable>
            <ScalarVariable name="area" valueReference="1" causality="parameter" variability="fixed" description="Cross-section of the tank">
              <Real unit="m2" start="2.5" min="0.1" max="100"/>
            </ScalarVariable>
            <ScalarVariable name="valve.area" valueReference="2" causality="parameter" variability="tunable">
              <Real unit="m2" start="0.01" min="0"/>
            </ScalarVariable>
            <ScalarVariable name="g" valueReference="3" causality="parameter" variability="fixed">
              <Real unit="m/s2" start="9.81"/>
            </ScalarVariable>
            <ScalarVariable name="valve.mode" valueReference="0" causality="parameter" variability="tunable">
              <Enumeration declaredType="ValveMode" start="3"/>
            </ScalarVariable>
            <ScalarVariable name="inflow" valueReference="4" causality="input">
              <Real declaredType="VolumeFlow" start="0"/>
            </ScalarVariable>
            <ScalarVariable name="h" valueReference="5" causality="output" initial="exact" description="Water level">
              <Real declaredType="Height" start="1" max="5"/>
              <Annotations>
                <Tool name="Handwritten"/>
              </Annotations>
            </ScalarVariable>
            <ScalarVariable name="der(h)" valueReference="6">
              <Real unit="m/s" derivative="7"/>
            </ScalarVariable>
            <ScalarVariable name="outflow" valueReference="7" causality="output">
              <Real declaredType="VolumeFlow"/>
            </ScalarVariable>
            <ScalarVariable name="overflow" valueReference="0" causality="output" variability="discrete">
              <Boolean/>
            </ScalarVariable>
            <ScalarVariable name="label" valueReference="0" causality="parameter" variability="fixed">
              <String start="Tank A, north side"/>
            </ScalarVariable>
            <ScalarVariable name="spill.count" valueReference="1" causality="output" variability="discrete">
              <Integer/>
            </ScalarVariable>
            <ScalarVariable name="level" valueReference="5" description="Alias of h">
              <Real declaredType="Height"/>
            </ScalarVariable>
            <ScalarVariable name="capacity" valueReference="8" causality="calculatedParameter" variability="fixed">
              <Real unit="m3"/>
            </ScalarVariable>
          </ModelVariables>
          <ModelStructure>
            <Outputs>
              <Unknown index="7"/>
              <Unknown index="9" dependencies="7" dependenciesKind="dependent"/>
              <Unknown index="10" dependencies="7"/>
              <Unknown index="12" dependencies=""/>
            </Outputs>
            <Derivatives>
              <Unknown index="8" dependencies="6 7" dependenciesKind="fixed dependent"/>
            </Derivatives>
            <InitialUnknowns>
              <Unknown index="8" dependencies="6 7"/>
              <Unknown index="9" dependencies="7"/>
              <Unknown index="10" dependencies="7"/>
              <Unknown index="12"/>
              <Unknown index="14" dependencies="2"/>
            </InitialUnknowns>
          </ModelStructure>
        </fmiModelDescription>
        """;

    /// <summary>
    /// FMI 3.0. Variable indices (0-based) equal value references: 0 time, 1 segments, 2 segment.area,
    /// 3 inflow, 4 h, 5 der(h), 6 valve.mode, 7 label, 8 calibration, 9 sensor.tick, 10 sensor.samples,
    /// 11 sensor.previousSamples, 12 gauge, 13 profile, 14 overflowMargin.
    /// </summary>
    public const string Fmi3 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <fmiModelDescription
          fmiVersion="3.0"
          modelName="Tank3"
          instantiationToken="{9d1e6c44-2b7a-4c1e-8f4d-0a6b5e3c2d10}"
          description="Segmented water tank with a sampled level sensor"
          author="CoSim tests"
          version="2.0"
          copyright="none"
          license="BSD-2-Clause"
          generationTool="Handwritten"
          generationDateAndTime="2024-05-17T08:30:00.250+02:00"
          variableNamingConvention="structured">
          <ModelExchange modelIdentifier="Tank3" needsCompletedIntegratorStep="true" providesDirectionalDerivatives="true"/>
          <CoSimulation modelIdentifier="Tank3" canHandleVariableCommunicationStepSize="true" hasEventMode="true" providesIntermediateUpdate="true" canReturnEarlyAfterIntermediateUpdate="true" mightReturnEarlyFromDoStep="true" fixedInternalStepSize="0.001" canGetAndSetFMUState="true" canSerializeFMUState="true" providesAdjointDerivatives="true"/>
          <ScheduledExecution modelIdentifier="Tank3SE"/>
          <UnitDefinitions>
            <Unit name="s">
              <BaseUnit s="1"/>
              <DisplayUnit name="Hz" inverse="true"/>
            </Unit>
            <Unit name="m">
              <BaseUnit m="1"/>
              <DisplayUnit name="mm" factor="1000"/>
            </Unit>
            <Unit name="m2">
              <BaseUnit m="2"/>
            </Unit>
            <Unit name="m/s">
              <BaseUnit m="1" s="-1"/>
            </Unit>
            <Unit name="m3/s">
              <BaseUnit m="3" s="-1"/>
            </Unit>
          </UnitDefinitions>
          <TypeDefinitions>
            <Float64Type name="Height" quantity="Length" unit="m" min="0" max="10"/>
            <Int32Type name="Count" min="0"/>
            <EnumerationType name="ValveMode">
              <Item name="closed" value="1"/>
              <Item name="open" value="2"/>
              <Item name="auto" value="3" description="Level controlled"/>
            </EnumerationType>
            <ClockType name="SensorClock" intervalVariability="constant" intervalDecimal="0.1" priority="0"/>
          </TypeDefinitions>
          <LogCategories>
            <Category name="logEvents" description="Log events"/>
          </LogCategories>
          <DefaultExperiment startTime="0" stopTime="50" tolerance="1e-6" stepSize="0.01"/>
          <ModelVariables>
            <Float64 name="time" valueReference="0" causality="independent" variability="continuous" unit="s"/>
            <UInt64 name="segments" valueReference="1" causality="structuralParameter" variability="fixed" start="3" min="1"/>
            <Float64 name="segment.area" valueReference="2" causality="parameter" variability="tunable" unit="m2" start="1.5 2 2.5">
              <Dimension valueReference="1"/>
            </Float64>
            <Float64 name="inflow" valueReference="3" causality="input" unit="m3/s" start="0"/>
            <Float64 name="h" valueReference="4" causality="output" declaredType="Height" initial="exact" start="1" reinit="true"/>
            <Float64 name="der(h)" valueReference="5" unit="m/s" derivative="4"/>
            <Enumeration name="valve.mode" valueReference="6" declaredType="ValveMode" causality="parameter" variability="tunable" start="3"/>
            <String name="label" valueReference="7" causality="parameter" variability="fixed">
              <Start value="Tank A, north side"/>
            </String>
            <Binary name="calibration" valueReference="8" causality="parameter" variability="fixed" mimeType="application/octet-stream">
              <Start value="0a1b2c"/>
            </Binary>
            <Clock name="sensor.tick" valueReference="9" causality="input" declaredType="SensorClock"/>
            <Int32 name="sensor.samples" valueReference="10" causality="output" declaredType="Count" clocks="9" previous="11"/>
            <Int32 name="sensor.previousSamples" valueReference="11" clocks="9"/>
            <Float32 name="gauge" valueReference="12" causality="output" unit="m" displayUnit="mm">
              <Alias name="gauge.reading" description="Level shown on the gauge" displayUnit="mm"/>
            </Float32>
            <Float64 name="profile" valueReference="13" causality="output" unit="m">
              <Dimension start="2"/>
              <Dimension valueReference="1"/>
            </Float64>
            <Float64 name="overflowMargin" valueReference="14" unit="m"/>
          </ModelVariables>
          <ModelStructure>
            <Output valueReference="4"/>
            <Output valueReference="10" dependencies="9"/>
            <Output valueReference="12" dependencies="4" dependenciesKind="constant"/>
            <Output valueReference="13" dependencies="2 4"/>
            <ContinuousStateDerivative valueReference="5" dependencies="3 4" dependenciesKind="constant dependent"/>
            <ClockedState valueReference="10"/>
            <InitialUnknown valueReference="5" dependencies="3 4"/>
            <InitialUnknown valueReference="12"/>
            <InitialUnknown valueReference="13"/>
            <EventIndicator valueReference="14" dependencies="4"/>
          </ModelStructure>
        </fmiModelDescription>
        """;

    public static string Text(int version) => version switch
    {
        2 => Fmi2,
        3 => Fmi3,
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    /// <summary>Replaces text that occurs exactly once, so that a mutation cannot silently miss.</summary>
    public static string Mutate(string xml, string find, string replacement)
    {
        Occurrences(xml, find).ShouldBe(1, $"'{find}' must occur exactly once in the sample");
        return xml.Replace(find, replacement, StringComparison.Ordinal);
    }

    /// <summary>1-based line of the only line containing <paramref name="marker"/>.</summary>
    public static int LineOf(string xml, string marker)
    {
        Occurrences(xml, marker).ShouldBe(1, $"line marker '{marker}' must occur exactly once");
        var at = xml.IndexOf(marker, StringComparison.Ordinal);
        return xml.AsSpan(0, at).Count('\n') + 1;
    }

    public static ModelDescriptionReport Parse(string xml) => ModelDescriptionReader.Parse(xml, "modelDescription.xml");

    /// <summary>Every diagnostic on its own line, for assertion messages.</summary>
    public static string Dump(ModelDescriptionReport report) =>
        report.Diagnostics.Count == 0 ? "(no diagnostics)" : string.Join(Environment.NewLine, report.Diagnostics);

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
