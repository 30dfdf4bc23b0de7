using System.Globalization;

namespace CoSim.Fmi.Description;

/// <summary>
/// Lexical rules of the XML Schema types used by FMI (xs:double, xs:boolean, xs:hexBinary, integer
/// types), shared by the readers and the validator, plus quoting of untrusted text for messages.
/// </summary>
internal static class ValueText
{
    private const int MaxQuotedLength = 60;

    /// <summary>
    /// Quotes a value for a message, shortened: attribute values come from untrusted files and may be
    /// megabytes long, which must not be copied into every diagnostic.
    /// </summary>
    public static string Quote(string? value) => value is null ? "(none)" : "'" + Shorten(value) + "'";

    /// <summary>An XML name for a message, shortened the same way (names have no length limit in XML).</summary>
    public static string ShortName(string name) => Shorten(name);

    private static string Shorten(string value)
    {
        if (value.Length <= MaxQuotedLength) return value;
        var cut = MaxQuotedLength - 3;
        if (char.IsHighSurrogate(value[cut - 1])) cut--; // never split a surrogate pair
        return value[..cut] + "... (" + value.Length.ToString(CultureInfo.InvariantCulture) + " characters)";
    }

    /// <summary>A number for a message, round-trippable and culture-independent.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Splits an XML list value (xs:list: items separated by white space).</summary>
    public static string[] SplitList(string value) =>
        value.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>xs:double, including the schema's INF, -INF and NaN spellings.</summary>
    public static bool TryParseDouble(string text, out double value)
    {
        var trimmed = text.Trim();
        switch (trimmed)
        {
            case "INF" or "+INF":
                value = double.PositiveInfinity;
                return true;
            case "-INF":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
        }
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseInt64(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseUInt64(string text, out ulong value) =>
        ulong.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>xs:boolean: true, false, 1 or 0.</summary>
    public static bool TryParseBoolean(string text, out bool value)
    {
        switch (text.Trim())
        {
            case "true" or "1":
                value = true;
                return true;
            case "false" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>xs:hexBinary: an even number of hexadecimal digits.</summary>
    public static bool IsHexBinary(string text)
    {
        if (text.Length % 2 != 0) return false;
        foreach (var c in text)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }
}
