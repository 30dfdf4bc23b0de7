using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CoSim.Fmi.Description;

/// <summary>
/// Loads untrusted XML safely: no DTD (so no entity expansion and no external entities), no
/// resolver, and a cap on the document size. Every failure becomes a diagnostic with its line.
/// </summary>
internal static class XmlInput
{
    /// <summary>Largest document accepted, in characters. Real model descriptions with tens of thousands of variables stay far below.</summary>
    public const long DefaultMaxCharacters = 64L * 1024 * 1024;

    public static XDocument? Load(TextReader text, DiagnosticBag diagnostics, long maxCharacters)
    {
        using var reader = XmlReader.Create(text, Settings(maxCharacters));
        return Load(reader, diagnostics);
    }

    public static XDocument? Load(Stream stream, DiagnosticBag diagnostics, long maxCharacters)
    {
        // The reader detects the encoding (BOM or XML declaration), e.g. the ISO-8859-1 some exporters write.
        using var reader = XmlReader.Create(stream, Settings(maxCharacters));
        return Load(reader, diagnostics);
    }

    /// <summary>Line of an XML node from the line info kept while loading; 0 when unknown.</summary>
    public static int LineOf(XObject node) =>
        node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    private static XmlReaderSettings Settings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        // Without a DTD no entity can be declared; this is a second fence should that ever change.
        MaxCharactersFromEntities = 1024 * 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    private static XDocument? Load(XmlReader reader, DiagnosticBag diagnostics)
    {
        try
        {
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            diagnostics.Error(e.LineNumber, "not well-formed XML: " + FirstSentence(e.Message));
        }
        catch (DecoderFallbackException e)
        {
            diagnostics.Error(LineOf(reader), "the bytes do not match the declared encoding: " + e.Message);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or IOException)
        {
            // e.g. an encoding name the runtime does not know, or a failing stream.
            diagnostics.Error(LineOf(reader), "cannot read the XML: " + e.Message);
        }
        return null;
    }

    private static int LineOf(XmlReader reader) => reader is IXmlLineInfo info ? info.LineNumber : 0;

    // XmlException messages end with "Line x, position y." which the diagnostic already carries.
    private static string FirstSentence(string message)
    {
        var at = message.IndexOf(" Line ", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }
}
