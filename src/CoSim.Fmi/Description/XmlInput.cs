using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CoSim.Fmi.Description;

/// <summary>
/// Loads untrusted XML safely: no DTD (so no entity expansion and no external entities), no
/// resolver, a cap on the document size and one on the nesting depth. Every failure becomes a
/// diagnostic with its line.
/// </summary>
internal static class XmlInput
{
    /// <summary>Largest document accepted, in characters. Real model descriptions with tens of thousands of variables stay far below.</summary>
    public const long DefaultMaxCharacters = 64L * 1024 * 1024;

    /// <summary>Deepest element nesting accepted; see <see cref="DepthLimitedXmlReader"/> for why there is a limit at all.</summary>
    public const int MaxDepth = 512;

    public static XDocument? Load(TextReader text, DiagnosticBag diagnostics, long maxCharacters) =>
        Load(() => XmlReader.Create(text, Settings(maxCharacters)), diagnostics);

    // The reader detects the encoding (BOM or XML declaration), e.g. the ISO-8859-1 some exporters write.
    public static XDocument? Load(Stream stream, DiagnosticBag diagnostics, long maxCharacters) =>
        Load(() => XmlReader.Create(stream, Settings(maxCharacters)), diagnostics);

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

    private static XDocument? Load(Func<XmlReader> open, DiagnosticBag diagnostics)
    {
        // Creating the reader already reads the first block, so it can fail too and belongs inside the try.
        DepthLimitedXmlReader? reader = null;
        try
        {
            reader = new DepthLimitedXmlReader(open(), MaxDepth);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            var line = e.LineNumber > 0 ? e.LineNumber : LineOf(reader);
            diagnostics.Error(line, "not well-formed XML: " + FirstSentence(e.Message));
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
        finally
        {
            reader?.Dispose();
        }
        return null;
    }

    /// <summary>Where a failure without a line happened: as far as reading got, and line 1 (the declaration) before that.</summary>
    private static int LineOf(DepthLimitedXmlReader? reader) => Math.Max(1, reader?.LastKnownLine ?? 0);

    // XmlException messages end with "Line x, position y." which the diagnostic already carries.
    private static string FirstSentence(string message)
    {
        var at = message.IndexOf(" Line ", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }
}
