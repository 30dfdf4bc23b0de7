using System.Xml.Linq;

namespace CoSim.Fmi.Description;

/// <summary>
/// Reads a modelDescription.xml (FMI 2.0 or 3.x) into a <see cref="ModelDescriptionReport"/>:
/// the model when it could be built, and every problem found, each with its XML line.
/// </summary>
/// <remarks>
/// Safe for hostile input: DTDs are refused (no entity expansion, no external entities), nothing
/// is resolved, the document is capped at 64 Mi characters, and bad content never throws — it
/// becomes an error diagnostic. The model is null only when the file is not XML, its root is not
/// <c>fmiModelDescription</c>, or its FMI version is not supported; otherwise it is returned even
/// with errors, so that a caller can show everything at once. <see cref="ModelDescriptionValidator"/>
/// runs as part of every read.
/// </remarks>
public static class ModelDescriptionReader
{
    /// <summary>Reads a model description from a stream; the encoding is taken from the XML declaration or BOM. The stream is not closed.</summary>
    /// <param name="xml">The XML bytes.</param>
    /// <param name="fileName">Name used in diagnostics, e.g. "Tank.fmu/modelDescription.xml".</param>
    public static ModelDescriptionReport Read(Stream xml, string fileName) =>
        Read(xml, fileName, XmlInput.DefaultMaxCharacters);

    /// <summary>Reads a model description file. A file that cannot be opened is reported, not thrown.</summary>
    public static ModelDescriptionReport ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var diagnostics = new DiagnosticBag(path);
            diagnostics.Error(0, "cannot open the file: " + e.Message);
            return new ModelDescriptionReport(null, diagnostics.ToList());
        }
        using (stream)
            return Read(stream, path);
    }

    /// <summary>Reads a model description held in a string.</summary>
    /// <param name="xmlText">The XML text.</param>
    /// <param name="fileName">Name used in diagnostics.</param>
    public static ModelDescriptionReport Parse(string xmlText, string fileName) =>
        Parse(xmlText, fileName, XmlInput.DefaultMaxCharacters);

    /// <summary>As <see cref="Read(Stream, string)"/> with another size cap (tests use a small one).</summary>
    internal static ModelDescriptionReport Read(Stream xml, string fileName, long maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(fileName);
        var diagnostics = new DiagnosticBag(fileName);
        return Interpret(XmlInput.Load(xml, diagnostics, maxCharacters), diagnostics);
    }

    /// <summary>As <see cref="Parse(string, string)"/> with another size cap (tests use a small one).</summary>
    internal static ModelDescriptionReport Parse(string xmlText, string fileName, long maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(xmlText);
        ArgumentNullException.ThrowIfNull(fileName);
        var diagnostics = new DiagnosticBag(fileName);
        using var text = new StringReader(xmlText);
        return Interpret(XmlInput.Load(text, diagnostics, maxCharacters), diagnostics);
    }

    private static ModelDescriptionReport Interpret(XDocument? document, DiagnosticBag diagnostics)
    {
        var model = document?.Root is { } root ? ReadRoot(root, diagnostics) : null;
        if (document is not null && document.Root is null) diagnostics.Error(0, "the document has no root element");
        return new ModelDescriptionReport(model, diagnostics.ToList());
    }

    private static ModelDescription? ReadRoot(XElement root, DiagnosticBag diagnostics)
    {
        var line = XmlInput.LineOf(root);
        if (root.Name != XName.Get("fmiModelDescription"))
        {
            diagnostics.Error(line, $"the root element must be <fmiModelDescription>, found <{ValueText.ShortName(root.Name.ToString())}>; is this a modelDescription.xml?");
            return null;
        }
        if (DetectVersion(root.Attribute("fmiVersion")?.Value, line, diagnostics) is not { } version) return null;

        var (model, notes) = version == FmiVersion.Fmi2
            ? new Fmi2Reader(diagnostics).Read(root)
            : new Fmi3Reader(diagnostics).Read(root);
        ModelDescriptionValidator.Validate(model, diagnostics, notes);
        return model;
    }

    /// <summary>"2.0" is FMI 2 (2.0.x revisions keep "2.0"); anything starting with "3." is FMI 3, including betas like "3.0-beta.2".</summary>
    private static FmiVersion? DetectVersion(string? text, int line, DiagnosticBag diagnostics)
    {
        const string supported = "CoSim reads FMI 2.0 and FMI 3.x model descriptions";
        var version = text?.Trim();
        switch (version)
        {
            case null:
                diagnostics.Error(line, $"<fmiModelDescription> has no 'fmiVersion' attribute; {supported}");
                return null;
            case "2.0":
                return FmiVersion.Fmi2;
            case not null when version.StartsWith("2.0.", StringComparison.Ordinal):
                diagnostics.Warning(line, $"fmiVersion {ValueText.Quote(text)} should be '2.0' (FMI 2.0.x revisions keep \"2.0\"); read as FMI 2.0");
                return FmiVersion.Fmi2;
            case not null when version.StartsWith("3.", StringComparison.Ordinal):
                return FmiVersion.Fmi3;
            case not null when version.StartsWith("1.", StringComparison.Ordinal):
                diagnostics.Error(line, $"fmiVersion {ValueText.Quote(text)}: FMI 1.0 is not supported; {supported}");
                return null;
            default:
                diagnostics.Error(line, $"fmiVersion {ValueText.Quote(text)} is not supported; {supported}");
                return null;
        }
    }
}
