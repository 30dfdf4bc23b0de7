using System.Xml.Linq;
using CoSim.Core.Xml;

namespace CoSim.Fmi.Description;

/// <summary>The model description's view of <see cref="SafeXml"/>: a refused document becomes a diagnostic with its line.</summary>
internal static class XmlInput
{
    /// <inheritdoc cref="SafeXml.DefaultMaxCharacters"/>
    public const long DefaultMaxCharacters = SafeXml.DefaultMaxCharacters;

    /// <inheritdoc cref="SafeXml.MaxDepth"/>
    public const int MaxDepth = SafeXml.MaxDepth;

    public static XDocument? Load(TextReader text, DiagnosticBag diagnostics, long maxCharacters) =>
        Report(SafeXml.Load(text, maxCharacters, out var error), error, diagnostics);

    public static XDocument? Load(Stream stream, DiagnosticBag diagnostics, long maxCharacters) =>
        Report(SafeXml.Load(stream, maxCharacters, out var error), error, diagnostics);

    /// <summary>Line of an XML node from the line info kept while loading; 0 when unknown.</summary>
    public static int LineOf(XObject node) => SafeXml.LineOf(node);

    private static XDocument? Report(XDocument? doc, XmlLoadError? error, DiagnosticBag diagnostics)
    {
        if (error != null) diagnostics.Error(error.Line, error.Message);
        return doc;
    }
}
