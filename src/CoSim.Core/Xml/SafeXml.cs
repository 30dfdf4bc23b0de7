using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CoSim.Core.Xml;

/// <summary>Why an XML document could not be loaded, with the line where reading stopped (1 when unknown).</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Message">What was wrong, without the line (the caller places it).</param>
public sealed record XmlLoadError(int Line, string Message);

/// <summary>
/// Loads untrusted XML safely, for every XML reader of CoSim (model descriptions, SSP files): no
/// DTD (so no entity expansion and no external entities), no resolver, a cap on the document size
/// and one on the nesting depth, line information kept. A failure is returned, never thrown.
/// </summary>
public static class SafeXml
{
    /// <summary>Largest document accepted by default, in characters. Real files with tens of thousands of variables stay far below.</summary>
    public const long DefaultMaxCharacters = 64L * 1024 * 1024;

    /// <summary>Deepest element nesting accepted; see <see cref="DepthLimitedXmlReader"/> for why there is a limit at all.</summary>
    public const int MaxDepth = 512;

    /// <summary>Loads from text; returns null and <paramref name="error"/> when the document is refused.</summary>
    public static XDocument? Load(TextReader text, long maxCharacters, out XmlLoadError? error) =>
        Load(() => XmlReader.Create(text, Settings(maxCharacters)), out error);

    /// <summary>Loads from bytes; the reader detects the encoding (BOM or XML declaration), e.g. the ISO-8859-1 some exporters write.</summary>
    public static XDocument? Load(Stream stream, long maxCharacters, out XmlLoadError? error) =>
        Load(() => XmlReader.Create(stream, Settings(maxCharacters)), out error);

    /// <summary>Loads a file; a failure (including a missing file) becomes an <see cref="InputException"/> naming <c>file:line</c>.</summary>
    public static XDocument LoadFile(string path, string? display = null)
    {
        display ??= path;
        XDocument? doc;
        XmlLoadError? error;
        try
        {
            using var stream = File.OpenRead(path);
            doc = Load(stream, DefaultMaxCharacters, out error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{display}: cannot read: {e.Message}", e);
        }
        return doc ?? throw new InputException($"{display}:{error!.Line}: {error.Message}");
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

    private static XDocument? Load(Func<XmlReader> open, out XmlLoadError? error)
    {
        // Creating the reader already reads the first block, so it can fail too and belongs inside the try.
        DepthLimitedXmlReader? reader = null;
        error = null;
        try
        {
            reader = new DepthLimitedXmlReader(open(), MaxDepth);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            error = new XmlLoadError(e.LineNumber > 0 ? e.LineNumber : LineOf(reader), "not well-formed XML: " + FirstSentence(e.Message));
        }
        catch (DecoderFallbackException e)
        {
            error = new XmlLoadError(LineOf(reader), "the bytes do not match the declared encoding: " + e.Message);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or IOException)
        {
            // e.g. an encoding name the runtime does not know, or a failing stream.
            error = new XmlLoadError(LineOf(reader), "cannot read the XML: " + InputText.OneLine(e.Message, int.MaxValue)); // .NET's own messages can hold line breaks
        }
        finally
        {
            reader?.Dispose();
        }
        return null;
    }

    /// <summary>Where a failure without a line happened: as far as reading got, and line 1 (the declaration) before that.</summary>
    private static int LineOf(DepthLimitedXmlReader? reader) => Math.Max(1, reader?.LastKnownLine ?? 0);

    // XmlException messages end with "Line x, position y." which the error already carries.
    private static string FirstSentence(string message)
    {
        var at = message.IndexOf(" Line ", StringComparison.Ordinal);
        // XmlException quotes the offending character as it is, a newline too: keep the message one line.
        return InputText.OneLine(at > 0 ? message[..at] : message, int.MaxValue); // not clipped: it is the parser's own text
    }
}
