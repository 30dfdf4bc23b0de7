using System.Xml.Linq;

namespace CoSim.Fmi.Description;

/// <summary>
/// Builds a <see cref="ModelDescription"/> from an FMI 2.0 <c>fmiModelDescription</c> element.
/// Indices in the file (derivative, model structure) are 1-based positions in ModelVariables and
/// become 0-based indices here. Reports what it cannot represent; everything else is left to the validator.
/// </summary>
internal sealed class Fmi2Reader(DiagnosticBag diagnostics)
{
    private static readonly IReadOnlySet<string> RootSections = new HashSet<string>(StringComparer.Ordinal)
    {
        "CoSimulation", "ModelExchange", "UnitDefinitions", "TypeDefinitions", "LogCategories",
        "DefaultExperiment", "ModelVariables", "ModelStructure",
    };

    private static readonly IReadOnlySet<string> StructureSections = new HashSet<string>(StringComparer.Ordinal)
    {
        "Outputs", "Derivatives", "InitialUnknowns",
    };

    private static readonly IReadOnlyDictionary<string, VariableType> TypeElements = new Dictionary<string, VariableType>(StringComparer.Ordinal)
    {
        ["Real"] = VariableType.Float64,
        ["Integer"] = VariableType.Int32,
        ["Boolean"] = VariableType.Boolean,
        ["String"] = VariableType.String,
        ["Enumeration"] = VariableType.Enumeration,
    };

    private readonly ParseNotes _notes = new();

    public (ModelDescription Model, ParseNotes Notes) Read(XElement root)
    {
        var attributes = new AttributeReader(root, diagnostics);
        var header = CommonElements.ReadHeader(attributes, "guid");
        var eventIndicators = attributes.Count("numberOfEventIndicators") ?? 0;
        attributes.ReportUnknown();

        var sections = CommonElements.Sections(root, RootSections, diagnostics);
        var types = ReadTypeDefinitions(sections.GetValueOrDefault("TypeDefinitions"));
        var variables = ReadVariables(sections.GetValueOrDefault("ModelVariables"), VariableDefaults.ByName(types), header.Line);
        var structure = ReadStructure(sections.GetValueOrDefault("ModelStructure"), variables.Count, header.Line);

        var model = new ModelDescription
        {
            Version = FmiVersion.Fmi2,
            FmiVersionText = header.FmiVersionText,
            ModelName = header.ModelName,
            InstantiationToken = header.InstantiationToken,
            Description = header.Description,
            Author = header.Author,
            ModelVersion = header.ModelVersion,
            GenerationTool = header.GenerationTool,
            GenerationDateAndTime = header.GenerationDateAndTime,
            VariableNamingConvention = header.VariableNamingConvention,
            NumberOfEventIndicators = eventIndicators,
            CoSimulation = sections.TryGetValue("CoSimulation", out var cs) ? ReadInterface(cs, coSimulation: true) : null,
            ModelExchange = sections.TryGetValue("ModelExchange", out var me) ? ReadInterface(me, coSimulation: false) : null,
            DefaultExperiment = CommonElements.ReadDefaultExperiment(sections.GetValueOrDefault("DefaultExperiment"), diagnostics),
            Units = CommonElements.ReadUnits(sections.GetValueOrDefault("UnitDefinitions"), diagnostics, fmi3: false),
            TypeDefinitions = types,
            LogCategories = CommonElements.ReadLogCategories(sections.GetValueOrDefault("LogCategories"), diagnostics),
            Variables = variables,
            Structure = structure,
            Line = header.Line,
        };
        return (model, _notes);
    }

    private InterfaceInfo ReadInterface(XElement element, bool coSimulation)
    {
        var a = new AttributeReader(element, diagnostics);
        var info = new InterfaceInfo
        {
            ModelIdentifier = a.Text("modelIdentifier") ?? "",
            NeedsExecutionTool = a.Boolean("needsExecutionTool", false),
            CanBeInstantiatedOnlyOncePerProcess = a.Boolean("canBeInstantiatedOnlyOncePerProcess", false),
            CanNotUseMemoryManagementFunctions = a.Boolean("canNotUseMemoryManagementFunctions", false),
            CanGetAndSetFmuState = a.Boolean("canGetAndSetFMUstate", false),
            CanSerializeFmuState = a.Boolean("canSerializeFMUstate", false),
            ProvidesDirectionalDerivatives = a.Boolean("providesDirectionalDerivative", false),
            Line = a.Line,
        };
        info = coSimulation
            ? info with
            {
                CanHandleVariableCommunicationStepSize = a.Boolean("canHandleVariableCommunicationStepSize", false),
                CanInterpolateInputs = a.Boolean("canInterpolateInputs", false),
                MaxOutputDerivativeOrder = a.Count("maxOutputDerivativeOrder") ?? 0,
                CanRunAsynchronuously = a.Boolean("canRunAsynchronuously", false),
            }
            : info with { CompletedIntegratorStepNotNeeded = a.Boolean("completedIntegratorStepNotNeeded", false) };
        a.ReportUnknown();
        foreach (var child in XmlElements.Children(element, diagnostics))
            if (child.Name.LocalName != "SourceFiles") XmlElements.Unknown(child, diagnostics);
        return info;
    }

    private List<TypeDefinition> ReadTypeDefinitions(XElement? typeDefinitions)
    {
        var types = new List<TypeDefinition>();
        if (typeDefinitions is null) return types;
        foreach (var element in XmlElements.Children(typeDefinitions, diagnostics))
        {
            if (element.Name.LocalName != "SimpleType")
            {
                XmlElements.Unknown(element, diagnostics);
                continue;
            }
            var a = new AttributeReader(element, diagnostics);
            var name = a.Text("name") ?? "";
            a.Subject = "type " + ValueText.Quote(name);
            a.Accept("description");
            a.ReportUnknown();
            if (ReadSimpleType(element, name, a) is { } type) types.Add(type);
        }
        return types;
    }

    private TypeDefinition? ReadSimpleType(XElement simpleType, string name, AttributeReader owner)
    {
        TypeDefinition? type = null;
        foreach (var element in XmlElements.Children(simpleType, diagnostics))
        {
            if (!TypeElements.TryGetValue(element.Name.LocalName, out var kind))
            {
                XmlElements.Unknown(element, diagnostics);
                continue;
            }
            if (type is not null)
            {
                diagnostics.Error(XmlInput.LineOf(element), $"{owner.Subject} has more than one type element; <{element.Name.LocalName}> is ignored");
                continue;
            }
            var a = new AttributeReader(element, diagnostics) { Subject = owner.Subject };
            type = new TypeDefinition { Name = name, Type = kind, Line = owner.Line };
            switch (kind)
            {
                case VariableType.Float64:
                    a.Accept("relativeQuantity", "nominal", "unbounded");
                    type = type with
                    {
                        Quantity = a.Text("quantity"),
                        Unit = a.Text("unit"),
                        DisplayUnit = a.Text("displayUnit"),
                        Min = a.Double("min"),
                        Max = a.Double("max"),
                    };
                    break;
                case VariableType.Int32:
                    type = type with { Quantity = a.Text("quantity"), Min = a.Integer("min"), Max = a.Integer("max") };
                    break;
                case VariableType.Enumeration:
                    // min/max are not in FMI 2.0's Enumeration type, but harmless, so they are read rather than warned about.
                    type = type with
                    {
                        Quantity = a.Text("quantity"),
                        Min = a.Integer("min"),
                        Max = a.Integer("max"),
                        Items = CommonElements.ReadItems(element, diagnostics),
                    };
                    break;
            }
            a.ReportUnknown();
        }
        if (type is null)
            diagnostics.Error(owner.Line, $"{owner.Subject} has no type element (Real, Integer, Boolean, String or Enumeration)");
        return type;
    }

    private List<ModelVariable> ReadVariables(XElement? modelVariables, IReadOnlyDictionary<string, TypeDefinition> types, int rootLine)
    {
        var variables = new List<ModelVariable>();
        if (modelVariables is null)
        {
            diagnostics.Error(rootLine, "<ModelVariables> is missing");
            return variables;
        }
        var derivatives = new List<(int Variable, uint Index, AttributeReader Attributes)>();
        foreach (var element in XmlElements.Children(modelVariables, diagnostics))
        {
            if (element.Name.LocalName != "ScalarVariable")
            {
                XmlElements.Unknown(element, diagnostics);
                continue;
            }
            variables.Add(ReadVariable(element, variables.Count, types, derivatives));
        }

        // The derivative attribute is a 1-based index; it can point forward, so it is resolved once all are known.
        foreach (var (variable, index, attributes) in derivatives)
        {
            if (index >= 1 && index <= variables.Count)
                variables[variable] = variables[variable] with { DerivativeOf = (int)index - 1 };
            else
                diagnostics.Error(attributes.Line,
                    $"{attributes.Subject} is the derivative of variable {index}, which does not exist (indices are 1-based; there are {variables.Count} variables)");
        }
        return variables;
    }

    private ModelVariable ReadVariable(
        XElement element,
        int index,
        IReadOnlyDictionary<string, TypeDefinition> types,
        List<(int, uint, AttributeReader)> derivatives)
    {
        var a = new AttributeReader(element, diagnostics);
        var name = a.Text("name") ?? "";
        a.Subject = "variable " + ValueText.Quote(name);
        var valueReference = a.RequiredUInt32("valueReference");
        if (valueReference is null) _notes.MissingValueReference.Add(index);
        var description = a.Text("description");
        var causality = a.Choice("causality", Names.Fmi2Causalities) ?? Causality.Local;
        var variability = a.Choice("variability", Names.Variabilities);
        var initial = a.Choice("initial", Names.Initials) ?? Initial.Unspecified;
        var multipleSet = a.Boolean("canHandleMultipleSetPerTimeInstant", true);
        a.ReportUnknown();

        var typeElement = FindTypeElement(element, a);
        var type = typeElement is null ? VariableType.Float64 : TypeElements[typeElement.Name.LocalName];
        if (typeElement is null)
        {
            diagnostics.Error(a.Line, $"{a.Subject} has no type element (Real, Integer, Boolean, String or Enumeration)");
            _notes.MissingType.Add(index);
        }

        var variable = new ModelVariable
        {
            Name = name,
            ValueReference = valueReference ?? 0,
            Type = type,
            Causality = causality,
            Variability = VariableDefaults.Resolve(variability, causality, type, a, diagnostics),
            Initial = initial,
            Description = description,
            CanHandleMultipleSetPerTimeInstant = multipleSet,
            Line = a.Line,
        };
        if (typeElement is not null)
            variable = ReadTypeAttributes(typeElement, variable, a.Subject, index, derivatives);
        return VariableDefaults.Inherit(variable, types);
    }

    private XElement? FindTypeElement(XElement variable, AttributeReader owner)
    {
        XElement? found = null;
        foreach (var child in XmlElements.Children(variable, diagnostics))
        {
            if (!TypeElements.ContainsKey(child.Name.LocalName)) XmlElements.Unknown(child, diagnostics);
            else if (found is null) found = child;
            else diagnostics.Error(XmlInput.LineOf(child), $"{owner.Subject} has more than one type element; <{child.Name.LocalName}> is ignored");
        }
        return found;
    }

    private ModelVariable ReadTypeAttributes(
        XElement element,
        ModelVariable variable,
        string subject,
        int index,
        List<(int, uint, AttributeReader)> derivatives)
    {
        var a = new AttributeReader(element, diagnostics) { Subject = subject };
        // A String start may contain spaces: FMI 2 start values are never lists.
        var start = a.Text("start");
        variable = variable with { DeclaredType = a.Text("declaredType"), Start = start is null ? null : [start] };
        switch (variable.Type)
        {
            case VariableType.Float64:
                a.Accept("relativeQuantity", "unbounded");
                variable = variable with
                {
                    Quantity = a.Text("quantity"),
                    Unit = a.Text("unit"),
                    DisplayUnit = a.Text("displayUnit"),
                    Min = a.Double("min"),
                    Max = a.Double("max"),
                    Nominal = a.Double("nominal"),
                    Reinit = a.Boolean("reinit", false),
                };
                if (a.UInt32("derivative") is { } derivative) derivatives.Add((index, derivative, a));
                break;
            case VariableType.Int32 or VariableType.Enumeration:
                variable = variable with { Quantity = a.Text("quantity"), Min = a.Integer("min"), Max = a.Integer("max") };
                break;
        }
        a.ReportUnknown();
        return variable;
    }

    private ModelStructure ReadStructure(XElement? element, int variableCount, int rootLine)
    {
        if (element is null)
        {
            diagnostics.Warning(rootLine, "<ModelStructure> is missing (FMI 2.0 requires it)");
            return new ModelStructure();
        }
        var sections = CommonElements.Sections(element, StructureSections, diagnostics);
        return new ModelStructure
        {
            Outputs = ReadUnknowns(sections.GetValueOrDefault("Outputs"), variableCount),
            ContinuousStateDerivatives = ReadUnknowns(sections.GetValueOrDefault("Derivatives"), variableCount),
            InitialUnknowns = ReadUnknowns(sections.GetValueOrDefault("InitialUnknowns"), variableCount),
        };
    }

    private List<Unknown> ReadUnknowns(XElement? list, int variableCount)
    {
        var unknowns = new List<Unknown>();
        if (list is null) return unknowns;
        int? Resolve(uint index) => index >= 1 && index <= variableCount ? (int)index - 1 : null;
        foreach (var element in XmlElements.Children(list, diagnostics))
        {
            if (element.Name.LocalName != "Unknown")
            {
                XmlElements.Unknown(element, diagnostics);
                continue;
            }
            var a = new AttributeReader(element, diagnostics) { Subject = $"<Unknown> in <{list.Name.LocalName}>" };
            var index = a.RequiredUInt32("index");
            var dependencies = a.UInt32List("dependencies");
            var kinds = a.Text("dependenciesKind");
            a.ReportUnknown();
            if (index is null) continue;
            if (Resolve(index.Value) is not { } variable)
            {
                diagnostics.Error(a.Line, $"{a.Subject} has index {index}, which is no variable (indices are 1-based; there are {variableCount} variables)");
                continue;
            }
            var (resolved, resolvedKinds) = CommonElements.ResolveDependencies(
                dependencies, kinds, Resolve, $"a variable index (1..{variableCount})", a, diagnostics);
            unknowns.Add(new Unknown(variable, resolved, resolvedKinds, a.Line));
        }
        return unknowns;
    }
}
