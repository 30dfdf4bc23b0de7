using System.Xml.Linq;

namespace CoSim.Fmi.Description;

/// <summary>
/// Reads the attributes of one element with diagnostics: a bad value is reported with the
/// element's line and replaced by the default, never thrown. It remembers which attributes were
/// asked for, so that whatever the file carries beyond them can be reported as unknown (a warning:
/// exporters add their own attributes, and that must not stop a run).
/// </summary>
internal sealed class AttributeReader
{
    private readonly XElement _element;
    private readonly DiagnosticBag _diagnostics;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public AttributeReader(XElement element, DiagnosticBag diagnostics)
    {
        _element = element;
        _diagnostics = diagnostics;
        Line = XmlInput.LineOf(element);
        Subject = "<" + element.Name.LocalName + ">";
    }

    public int Line { get; }

    /// <summary>How messages name the element, e.g. "variable 'h'"; the tag by default.</summary>
    public string Subject { get; set; }

    /// <summary>The raw value, or null when absent.</summary>
    public string? Text(string name)
    {
        _known.Add(name);
        return _element.Attribute(name)?.Value;
    }

    /// <summary>Declares attributes that the standard defines but CoSim does not use.</summary>
    public void Accept(params ReadOnlySpan<string> names)
    {
        foreach (var name in names) _known.Add(name);
    }

    public bool Boolean(string name, bool defaultValue)
    {
        var text = Text(name);
        if (text is null) return defaultValue;
        if (ValueText.TryParseBoolean(text, out var value)) return value;
        Invalid(name, text, "true or false");
        return defaultValue;
    }

    public double? Double(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (ValueText.TryParseDouble(text, out var value)) return value;
        Invalid(name, text, "a number");
        return null;
    }

    public int? Int32(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (ValueText.TryParseInt64(text, out var value) && value is >= int.MinValue and <= int.MaxValue) return (int)value;
        Invalid(name, text, "a 32-bit integer");
        return null;
    }

    /// <summary>
    /// An integer bound (min/max of integer and enumeration types) kept as double, the record's type;
    /// 64-bit values beyond 2^53 lose precision, which range checks tolerate.
    /// </summary>
    public double? Integer(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (ValueText.TryParseInt64(text, out var signed)) return signed;
        if (ValueText.TryParseUInt64(text, out var unsigned)) return unsigned;
        Invalid(name, text, "an integer");
        return null;
    }

    /// <summary>An xs:unsignedInt kept as int (counts and orders); values above int.MaxValue are reported.</summary>
    public int? Count(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (ValueText.TryParseUInt64(text, out var value) && value <= int.MaxValue) return (int)value;
        Invalid(name, text, "a non-negative integer");
        return null;
    }

    public uint? UInt32(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (ValueText.TryParseUInt64(text, out var value) && value <= uint.MaxValue) return (uint)value;
        Invalid(name, text, "an unsigned 32-bit integer");
        return null;
    }

    public ulong? UInt64(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        if (ValueText.TryParseUInt64(text, out var value)) return value;
        Invalid(name, text, "an unsigned 64-bit integer");
        return null;
    }

    /// <summary>An attribute that must be present; reported as an error when absent.</summary>
    public uint? RequiredUInt32(string name)
    {
        if (_element.Attribute(name) is null)
        {
            _known.Add(name);
            Missing(name);
            return null;
        }
        return UInt32(name);
    }

    /// <summary>A list of xs:unsignedInt; null when absent, empty when present but empty.</summary>
    public IReadOnlyList<uint>? UInt32List(string name)
    {
        var text = Text(name);
        if (text is null) return null;
        var items = ValueText.SplitList(text);
        var values = new List<uint>(items.Length);
        foreach (var item in items)
        {
            if (ValueText.TryParseUInt64(item, out var value) && value <= uint.MaxValue) values.Add((uint)value);
            else Invalid(name, item, "a list of unsigned 32-bit integers");
        }
        return values;
    }

    /// <summary>One of a fixed set of names (case-sensitive, as in the schema); null when absent or invalid.</summary>
    public T? Choice<T>(string name, IReadOnlyDictionary<string, T> choices) where T : struct
    {
        var text = Text(name);
        if (text is null) return null;
        if (choices.TryGetValue(text.Trim(), out var value)) return value;
        Invalid(name, text, "one of " + string.Join(", ", choices.Keys));
        return null;
    }

    public void Missing(string name) =>
        _diagnostics.Error(Line, $"{Subject} is missing the required attribute '{name}'");

    /// <summary>Warns about every attribute that was neither read nor accepted. Namespaced attributes (xmlns, xsi:...) are ignored.</summary>
    public void ReportUnknown()
    {
        foreach (var attribute in _element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration || attribute.Name.Namespace != XNamespace.None) continue;
            if (_known.Contains(attribute.Name.LocalName)) continue;
            _diagnostics.Warning(XmlInput.LineOf(attribute), $"unknown attribute '{ValueText.ShortName(attribute.Name.LocalName)}' on {Subject} is ignored");
        }
    }

    // Attributes carry their own line: elements written over several lines point at the bad attribute.
    private void Invalid(string name, string text, string expected) =>
        _diagnostics.Error(LineOf(name), $"attribute '{name}' of {Subject} must be {expected}, found {ValueText.Quote(text)}");

    private int LineOf(string name) => _element.Attribute(name) is { } attribute ? XmlInput.LineOf(attribute) : Line;

}
