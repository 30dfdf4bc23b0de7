using System.Globalization;

namespace CoSim.Fmi.Description;

/// <summary>Rules on the model as a whole: required names, interfaces, header attributes, the default experiment.</summary>
internal static class HeaderValidator
{
    public static void Check(ValidationContext context)
    {
        var model = context.Model;
        if (string.IsNullOrWhiteSpace(model.ModelName))
            context.Error(model.Line, "<fmiModelDescription> has no 'modelName' (required)");
        if (string.IsNullOrWhiteSpace(model.InstantiationToken))
            context.Error(model.Line, $"<fmiModelDescription> has no '{(context.IsFmi2 ? "guid" : "instantiationToken")}' (required: the FMU checks it when instantiated)");

        if (model.CoSimulation is null && model.ModelExchange is null && model.ScheduledExecution is null)
            context.Error(model.Line, "the model declares none of <CoSimulation>, <ModelExchange> and <ScheduledExecution>, so it cannot be run");
        CheckInterface(context, model.CoSimulation, "CoSimulation");
        CheckInterface(context, model.ModelExchange, "ModelExchange");
        CheckInterface(context, model.ScheduledExecution, "ScheduledExecution");

        if (model.NumberOfEventIndicators < 0)
            context.Error(model.Line, $"numberOfEventIndicators is negative ({model.NumberOfEventIndicators})");
        if (model.GenerationDateAndTime is { } stamp && !IsXsDateTime(stamp))
            context.Warning(model.Line, $"generationDateAndTime {ValueText.Quote(stamp)} is not an XML date-time like 2024-05-17T08:30:00Z");
        if (model.VariableNamingConvention is { } convention && convention is not ("flat" or "structured"))
            context.Warning(model.Line, $"variableNamingConvention {ValueText.Quote(convention)} is neither 'flat' nor 'structured'; names are treated as flat");
        CheckExperiment(context, model.DefaultExperiment);
    }

    private static void CheckInterface(ValidationContext context, InterfaceInfo? info, string tag)
    {
        if (info is null) return;
        var identifier = info.ModelIdentifier;
        if (string.IsNullOrEmpty(identifier))
        {
            context.Error(info.Line, $"<{tag}> has no 'modelIdentifier' (required: it names the binary)");
        }
        else if (!IsSafeFileName(identifier))
        {
            // The identifier becomes binaries/<platform>/<modelIdentifier>.so: a path in it could escape the FMU folder.
            context.Error(info.Line, $"<{tag}> modelIdentifier {ValueText.Quote(identifier)} cannot name a library file (path separators, control characters, '.' and '..' are not allowed)");
        }
        else if (!IsCIdentifier(identifier))
        {
            context.Warning(info.Line, $"<{tag}> modelIdentifier {ValueText.Quote(identifier)} is not a C identifier, as the standard requires");
        }
        if (info.MaxOutputDerivativeOrder < 0)
            context.Error(info.Line, $"<{tag}> maxOutputDerivativeOrder is negative");
        if (info.FixedInternalStepSize is { } step && !(step > 0 && double.IsFinite(step)))
            context.Error(info.Line, $"<{tag}> fixedInternalStepSize must be a positive number, found {step.ToString(CultureInfo.InvariantCulture)}");
    }

    private static void CheckExperiment(ValidationContext context, DefaultExperiment? experiment)
    {
        if (experiment is null) return;
        var line = experiment.Line;
        if (experiment is { StartTime: { } start, StopTime: { } stop } && stop < start)
            context.Warning(line, $"<DefaultExperiment> stopTime {ValueText.Number(stop)} is before startTime {ValueText.Number(start)}");
        if (experiment.StepSize is { } step && !(step > 0))
            context.Warning(line, $"<DefaultExperiment> stepSize must be positive, found {ValueText.Number(step)}");
        if (experiment.Tolerance is { } tolerance && !(tolerance > 0))
            context.Warning(line, $"<DefaultExperiment> tolerance must be positive, found {ValueText.Number(tolerance)}");
    }

    private static bool IsSafeFileName(string name)
    {
        if (name is "." or "..") return false;
        foreach (var c in name)
            if (c is '/' or '\\' or ':' || char.IsControl(c)) return false;
        return true;
    }

    private static bool IsCIdentifier(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0])) return false;
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        return true;
    }

    /// <summary>xs:dateTime: YYYY-MM-DDThh:mm:ss, optional fraction, optional Z or ±hh:mm.</summary>
    internal static bool IsXsDateTime(string text)
    {
        var value = text.Trim();
        if (value.Length is < 19 or > 48) return false;
        if (!DateTime.TryParseExact(value[..19], "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return false;
        var rest = value.AsSpan(19);
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits])) digits++;
            if (digits == 1) return false;
            rest = rest[digits..];
        }
        if (rest.IsEmpty || rest is "Z") return true;
        return rest.Length == 6
            && rest[0] is '+' or '-'
            && rest[3] == ':'
            && int.TryParse(rest[1..3], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) && hours <= 14
            && int.TryParse(rest[4..6], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes <= 59;
    }
}
