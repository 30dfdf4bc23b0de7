using System.Xml.Linq;

namespace CoSim.Fmi.Description;

/// <summary>
/// Builds a <see cref="ModelDescription"/> from an FMI 3.0 <c>fmiModelDescription</c> element.
/// FMI 3 refers to variables by value reference (derivative, model structure, dependencies);
/// those become 0-based indices here. Dimension and clock references stay value references, as
/// the records define them.
/// </summary>
internal sealed class Fmi3Reader(DiagnosticBag diagnostics)
{
    private static readonly IReadOnlySet<string> RootSections = new HashSet<string>(StringComparer.Ordinal)
    {
        "ModelExchange", "CoSimulation", "ScheduledExecution", "UnitDefinitions", "TypeDefinitions",
        "LogCategories", "DefaultExperiment", "ModelVariables", "ModelStructure",
    };

    private static readonly IReadOnlyDictionary<string, VariableType> VariableElements = new Dictionary<string, VariableType>(StringComparer.Ordinal)
    {
        ["Float32"] = VariableType.Float32,
        ["Float64"] = VariableType.Float64,
        ["Int8"] = VariableType.Int8,
        ["UInt8"] = VariableType.UInt8,
        ["Int16"] = VariableType.Int16,
        ["UInt16"] = VariableType.UInt16,
        ["Int32"] = VariableType.Int32,
        ["UInt32"] = VariableType.UInt32,
        ["Int64"] = VariableType.Int64,
        ["UInt64"] = VariableType.UInt64,
        ["Boolean"] = VariableType.Boolean,
        ["String"] = VariableType.String,
        ["Binary"] = VariableType.Binary,
        ["Enumeration"] = VariableType.Enumeration,
        ["Clock"] = VariableType.Clock,
    };

    private readonly ParseNotes _notes = new();

    // The raw 'derivative' value references, resolved once every variable is known.
    private readonly List<(int Variable, uint ValueReference, AttributeReader Attributes)> _derivatives = [];

    public (ModelDescription Model, ParseNotes Notes) Read(XElement root)
    {
        var attributes = new AttributeReader(root, diagnostics);
        var header = CommonElements.ReadHeader(attributes, "instantiationToken");
        attributes.ReportUnknown();

        var sections = CommonElements.Sections(root, RootSections, diagnostics);
        var types = ReadTypeDefinitions(sections.GetValueOrDefault("TypeDefinitions"));
        var variables = ReadVariables(sections.GetValueOrDefault("ModelVariables"), VariableDefaults.ByName(types), header.Line);
        var byValueReference = IndexByValueReference(variables);
        ResolveDerivatives(variables, byValueReference);
        var structure = ReadStructure(sections.GetValueOrDefault("ModelStructure"), byValueReference, header.Line);

        var model = new ModelDescription
        {
            Version = FmiVersion.Fmi3,
            FmiVersionText = header.FmiVersionText,
            ModelName = header.ModelName,
            InstantiationToken = header.InstantiationToken,
            Description = header.Description,
            Author = header.Author,
            ModelVersion = header.ModelVersion,
            GenerationTool = header.GenerationTool,
            GenerationDateAndTime = header.GenerationDateAndTime,
            VariableNamingConvention = header.VariableNamingConvention,
            NumberOfEventIndicators = structure.EventIndicators.Count,
            ModelExchange = sections.TryGetValue("ModelExchange", out var me) ? ReadInterface(me, me.Name.LocalName) : null,
            CoSimulation = sections.TryGetValue("CoSimulation", out var cs) ? ReadInterface(cs, cs.Name.LocalName) : null,
            ScheduledExecution = sections.TryGetValue("ScheduledExecution", out var se) ? ReadInterface(se, se.Name.LocalName) : null,
            DefaultExperiment = CommonElements.ReadDefaultExperiment(sections.GetValueOrDefault("DefaultExperiment"), diagnostics),
            Units = CommonElements.ReadUnits(sections.GetValueOrDefault("UnitDefinitions"), diagnostics, fmi3: true),
            TypeDefinitions = types,
            LogCategories = CommonElements.ReadLogCategories(sections.GetValueOrDefault("LogCategories"), diagnostics),
            Variables = variables,
            Structure = structure,
            Line = header.Line,
        };
        return (model, _notes);
    }

    private InterfaceInfo ReadInterface(XElement element, string kind)
    {
        var a = new AttributeReader(element, diagnostics);
        a.Accept("providesPerElementDependencies");
        var info = new InterfaceInfo
        {
            ModelIdentifier = a.Text("modelIdentifier") ?? "",
            NeedsExecutionTool = a.Boolean("needsExecutionTool", false),
            CanBeInstantiatedOnlyOncePerProcess = a.Boolean("canBeInstantiatedOnlyOncePerProcess", false),
            CanGetAndSetFmuState = a.Boolean("canGetAndSetFMUState", false),
            CanSerializeFmuState = a.Boolean("canSerializeFMUState", false),
            ProvidesDirectionalDerivatives = a.Boolean("providesDirectionalDerivatives", false),
            ProvidesAdjointDerivatives = a.Boolean("providesAdjointDerivatives", false),
            Line = a.Line,
        };
        switch (kind)
        {
            case "ModelExchange":
                a.Accept("providesEvaluateDiscreteStates");
                info = info with { CompletedIntegratorStepNotNeeded = !a.Boolean("needsCompletedIntegratorStep", false) };
                break;
            case "CoSimulation":
                a.Accept("providesEvaluateDiscreteStates", "recommendedIntermediateInputSmoothness");
                info = info with
                {
                    CanHandleVariableCommunicationStepSize = a.Boolean("canHandleVariableCommunicationStepSize", false),
                    // Gone from FMI 3.0's final schema but written by early exporters; reading it costs nothing.
                    CanInterpolateInputs = a.Boolean("canInterpolateInputs", false),
                    MaxOutputDerivativeOrder = a.Count("maxOutputDerivativeOrder") ?? 0,
                    FixedInternalStepSize = a.Double("fixedInternalStepSize"),
                    ProvidesIntermediateUpdate = a.Boolean("providesIntermediateUpdate", false),
                    MightReturnEarlyFromDoStep = a.Boolean("mightReturnEarlyFromDoStep", false),
                    CanReturnEarlyAfterIntermediateUpdate = a.Boolean("canReturnEarlyAfterIntermediateUpdate", false),
                    HasEventMode = a.Boolean("hasEventMode", false),
                };
                break;
        }
        a.ReportUnknown();
        foreach (var child in XmlElements.Children(element, diagnostics)) XmlElements.Unknown(child, diagnostics);
        return info;
    }

    private List<TypeDefinition> ReadTypeDefinitions(XElement? typeDefinitions)
    {
        var types = new List<TypeDefinition>();
        if (typeDefinitions is null) return types;
        foreach (var element in XmlElements.Children(typeDefinitions, diagnostics))
        {
            var tag = element.Name.LocalName;
            if (!tag.EndsWith("Type", StringComparison.Ordinal) || !VariableElements.TryGetValue(tag[..^4], out var kind))
            {
                XmlElements.Unknown(element, diagnostics);
                continue;
            }
            var a = new AttributeReader(element, diagnostics);
            var name = a.Text("name") ?? "";
            a.Subject = "type " + ValueText.Quote(name);
            a.Accept("description");
            var type = new TypeDefinition { Name = name, Type = kind, Line = a.Line };
            if (VariableRules.IsFloat(kind))
            {
                a.Accept("relativeQuantity", "unbounded", "nominal");
                type = type with
                {
                    Quantity = a.Text("quantity"),
                    Unit = a.Text("unit"),
                    DisplayUnit = a.Text("displayUnit"),
                    Min = a.Double("min"),
                    Max = a.Double("max"),
                };
            }
            else if (IsInteger(kind) || kind == VariableType.Enumeration)
            {
                type = type with { Quantity = a.Text("quantity"), Min = a.Integer("min"), Max = a.Integer("max") };
            }
            else if (kind == VariableType.Binary)
            {
                a.Accept("mimeType", "maxSize");
            }
            else if (kind == VariableType.Clock)
            {
                type = type with { Clock = ClockAttributes.Read(a, null) };
            }
            a.ReportUnknown();
            if (kind == VariableType.Enumeration)
                type = type with { Items = CommonElements.ReadItems(element, diagnostics) };
            else
                foreach (var child in XmlElements.Children(element, diagnostics)) XmlElements.Unknown(child, diagnostics);
            types.Add(type);
        }
        return types;
    }

    private List<ModelVariable> ReadVariables(XElement? modelVariables, IReadOnlyDictionary<string, TypeDefinition> types, int rootLine)
    {
        var variables = new List<ModelVariable>();
        if (modelVariables is null)
        {
            diagnostics.Error(rootLine, "<ModelVariables> is missing");
            return variables;
        }
        foreach (var element in XmlElements.Children(modelVariables, diagnostics))
        {
            if (VariableElements.TryGetValue(element.Name.LocalName, out var type))
                variables.Add(ReadVariable(element, type, variables.Count, types));
            else
                XmlElements.Unknown(element, diagnostics);
        }
        return variables;
    }

    private ModelVariable ReadVariable(XElement element, VariableType type, int index, IReadOnlyDictionary<string, TypeDefinition> types)
    {
        var a = new AttributeReader(element, diagnostics);
        var name = a.Text("name") ?? "";
        a.Subject = "variable " + ValueText.Quote(name);
        var valueReference = a.RequiredUInt32("valueReference");
        if (valueReference is null) _notes.MissingValueReference.Add(index);
        var causality = a.Choice("causality", Names.Fmi3Causalities) ?? Causality.Local;
        a.Accept("intermediateUpdate", "previous");

        var variable = new ModelVariable
        {
            Name = name,
            ValueReference = valueReference ?? 0,
            Type = type,
            Causality = causality,
            Variability = VariableDefaults.Resolve(a.Choice("variability", Names.Variabilities), causality, type, a, diagnostics),
            // Clocks have no 'initial' (nor start); for them it stays unknown if written.
            Initial = type == VariableType.Clock ? Initial.Unspecified : a.Choice("initial", Names.Initials) ?? Initial.Unspecified,
            Description = a.Text("description"),
            DeclaredType = a.Text("declaredType"),
            CanHandleMultipleSetPerTimeInstant = a.Boolean("canHandleMultipleSetPerTimeInstant", true),
            Clocks = a.UInt32List("clocks") ?? [],
            Line = a.Line,
        };
        variable = ReadTypeSpecificAttributes(a, variable, index, types);
        a.ReportUnknown();
        variable = ReadChildren(element, variable, a.Subject);
        return VariableDefaults.Inherit(variable, types);
    }

    private ModelVariable ReadTypeSpecificAttributes(AttributeReader a, ModelVariable variable, int index, IReadOnlyDictionary<string, TypeDefinition> types)
    {
        var type = variable.Type;
        if (VariableRules.IsFloat(type))
        {
            a.Accept("relativeQuantity", "unbounded");
            if (a.UInt32("derivative") is { } derivative) _derivatives.Add((index, derivative, a));
            return variable with
            {
                Quantity = a.Text("quantity"),
                Unit = a.Text("unit"),
                DisplayUnit = a.Text("displayUnit"),
                Min = a.Double("min"),
                Max = a.Double("max"),
                Nominal = a.Double("nominal"),
                Reinit = a.Boolean("reinit", false),
                Start = StartList(a),
            };
        }
        if (IsInteger(type) || type == VariableType.Enumeration)
            return variable with { Quantity = a.Text("quantity"), Min = a.Integer("min"), Max = a.Integer("max"), Start = StartList(a) };
        switch (type)
        {
            case VariableType.Boolean:
                return variable with { Start = StartList(a) };
            case VariableType.Binary:
                a.Accept("mimeType", "maxSize");
                return variable;
            case VariableType.Clock:
                // A ClockType's attributes are the defaults of the variable's own.
                var declared = variable.DeclaredType is { } name && types.TryGetValue(name, out var t) ? t.Clock : null;
                return variable with { Clock = ClockAttributes.Read(a, declared) };
            default:
                return variable; // String: its start values are <Start> children
        }
    }

    /// <summary>The start attribute as a list: one value for a scalar, several (space-separated) for an array.</summary>
    private static List<string>? StartList(AttributeReader a) =>
        a.Text("start") is { } text ? [.. ValueText.SplitList(text)] : null;

    /// <summary>Dimensions, aliases and the &lt;Start&gt; elements of String and Binary variables.</summary>
    private ModelVariable ReadChildren(XElement element, ModelVariable variable, string subject)
    {
        var dimensions = new List<Dimension>();
        var aliases = new List<VariableAlias>();
        List<string>? starts = null;
        var startsAllowed = variable.Type is VariableType.String or VariableType.Binary;
        foreach (var child in XmlElements.Children(element, diagnostics))
        {
            var a = new AttributeReader(child, diagnostics) { Subject = $"<{child.Name.LocalName}> of {subject}" };
            switch (child.Name.LocalName)
            {
                case "Dimension":
                    dimensions.Add(new Dimension(a.UInt64("start"), a.UInt32("valueReference")));
                    break;
                case "Alias":
                    aliases.Add(new VariableAlias(a.Text("name") ?? "", a.Text("description"), a.Text("displayUnit"), a.Line));
                    break;
                case "Start" when startsAllowed:
                    if (a.Text("value") is { } value) (starts ??= []).Add(value);
                    else a.Missing("value");
                    break;
                default:
                    XmlElements.Unknown(child, diagnostics);
                    continue;
            }
            a.ReportUnknown();
        }
        return variable with
        {
            Dimensions = dimensions,
            Aliases = aliases,
            Start = startsAllowed ? starts : variable.Start,
        };
    }

    /// <summary>
    /// First variable for each value reference; duplicates are the validator's to report. Variables
    /// whose value reference was missing hold a placeholder and must not capture references.
    /// </summary>
    private Dictionary<uint, int> IndexByValueReference(List<ModelVariable> variables)
    {
        var map = new Dictionary<uint, int>();
        for (var i = 0; i < variables.Count; i++)
            if (!_notes.MissingValueReference.Contains(i)) map.TryAdd(variables[i].ValueReference, i);
        return map;
    }

    private void ResolveDerivatives(List<ModelVariable> variables, Dictionary<uint, int> byValueReference)
    {
        foreach (var (variable, valueReference, attributes) in _derivatives)
        {
            if (byValueReference.TryGetValue(valueReference, out var state))
                variables[variable] = variables[variable] with { DerivativeOf = state };
            else
                diagnostics.Error(attributes.Line, $"{attributes.Subject} is the derivative of value reference {valueReference}, which no variable has");
        }
    }

    private ModelStructure ReadStructure(XElement? element, Dictionary<uint, int> byValueReference, int rootLine)
    {
        if (element is null)
        {
            diagnostics.Warning(rootLine, "<ModelStructure> is missing (FMI 3.0 requires it)");
            return new ModelStructure();
        }
        var lists = new Dictionary<string, List<Unknown>>(StringComparer.Ordinal)
        {
            ["Output"] = [],
            ["ContinuousStateDerivative"] = [],
            ["ClockedState"] = [],
            ["InitialUnknown"] = [],
            ["EventIndicator"] = [],
        };
        int? Resolve(uint valueReference) => byValueReference.TryGetValue(valueReference, out var index) ? index : null;
        foreach (var child in XmlElements.Children(element, diagnostics))
        {
            if (!lists.TryGetValue(child.Name.LocalName, out var list))
            {
                XmlElements.Unknown(child, diagnostics);
                continue;
            }
            var a = new AttributeReader(child, diagnostics);
            var valueReference = a.RequiredUInt32("valueReference");
            var dependencies = a.UInt32List("dependencies");
            var kinds = a.Text("dependenciesKind");
            a.ReportUnknown();
            if (valueReference is null) continue;
            if (Resolve(valueReference.Value) is not { } variable)
            {
                diagnostics.Error(a.Line, $"{a.Subject} refers to value reference {valueReference}, which no variable has");
                continue;
            }
            var (resolved, resolvedKinds) = CommonElements.ResolveDependencies(
                dependencies, kinds, Resolve, "the value reference of a variable", a, diagnostics);
            list.Add(new Unknown(variable, resolved, resolvedKinds, a.Line));
        }
        return new ModelStructure
        {
            Outputs = lists["Output"],
            ContinuousStateDerivatives = lists["ContinuousStateDerivative"],
            ClockedStates = lists["ClockedState"],
            InitialUnknowns = lists["InitialUnknown"],
            EventIndicators = lists["EventIndicator"],
        };
    }

    private static bool IsInteger(VariableType type) => type is
        VariableType.Int8 or VariableType.UInt8 or VariableType.Int16 or VariableType.UInt16 or
        VariableType.Int32 or VariableType.UInt32 or VariableType.Int64 or VariableType.UInt64;
}
