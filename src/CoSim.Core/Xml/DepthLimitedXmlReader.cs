using System.Xml;

namespace CoSim.Core.Xml;

/// <summary>
/// Passes an <see cref="XmlReader"/> through unchanged but refuses elements nested deeper than a
/// limit. Needed because building an <c>XDocument</c> costs time quadratic in the nesting depth
/// (each added element walks its ancestors): 100 000 nested elements take minutes, a hang for all
/// practical purposes. Real model descriptions nest about ten levels deep.
/// </summary>
internal sealed class DepthLimitedXmlReader(XmlReader inner, int maxDepth) : XmlReader, IXmlLineInfo
{
    /// <summary>
    /// The line reached by the last successful read, past any white space read. The inner reader
    /// resets its position to 0 once it failed, and some failures (a DTD, the size cap) carry no
    /// line; this is the best location left for them.
    /// </summary>
    public int LastKnownLine { get; private set; }

    public override bool Read()
    {
        if (!inner.Read()) return false;
        var info = (IXmlLineInfo)this;
        LastKnownLine = info.LineNumber;
        if (inner.NodeType is XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            LastKnownLine += inner.Value.AsSpan().Count('\n');
        if (inner.NodeType == XmlNodeType.Element && inner.Depth >= maxDepth)
            throw new XmlException($"elements are nested more than {maxDepth} levels deep", null, info.LineNumber, info.LinePosition);
        return true;
    }

    public override int AttributeCount => inner.AttributeCount;

    public override string BaseURI => inner.BaseURI;

    public override int Depth => inner.Depth;

    public override bool EOF => inner.EOF;

    public override bool IsEmptyElement => inner.IsEmptyElement;

    public override string LocalName => inner.LocalName;

    public override string NamespaceURI => inner.NamespaceURI;

    public override XmlNameTable NameTable => inner.NameTable;

    public override XmlNodeType NodeType => inner.NodeType;

    public override string Prefix => inner.Prefix;

    public override ReadState ReadState => inner.ReadState;

    public override string Value => inner.Value;

    public override string GetAttribute(int i) => inner.GetAttribute(i);

    public override string? GetAttribute(string name) => inner.GetAttribute(name);

    public override string? GetAttribute(string name, string? namespaceURI) => inner.GetAttribute(name, namespaceURI);

    public override string? LookupNamespace(string prefix) => inner.LookupNamespace(prefix);

    public override bool MoveToAttribute(string name) => inner.MoveToAttribute(name);

    public override bool MoveToAttribute(string name, string? ns) => inner.MoveToAttribute(name, ns);

    public override bool MoveToElement() => inner.MoveToElement();

    public override bool MoveToFirstAttribute() => inner.MoveToFirstAttribute();

    public override bool MoveToNextAttribute() => inner.MoveToNextAttribute();

    public override bool ReadAttributeValue() => inner.ReadAttributeValue();

    public override void ResolveEntity() => inner.ResolveEntity();

    bool IXmlLineInfo.HasLineInfo() => inner is IXmlLineInfo info && info.HasLineInfo();

    int IXmlLineInfo.LineNumber => inner is IXmlLineInfo info ? info.LineNumber : 0;

    int IXmlLineInfo.LinePosition => inner is IXmlLineInfo info ? info.LinePosition : 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
