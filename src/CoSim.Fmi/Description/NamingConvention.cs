namespace CoSim.Fmi.Description;

/// <summary>
/// The variable naming conventions of the standard. The structured grammar (Modelica identifiers
/// with dots, array indices, quoted names and der(...)) is checked by a single left-to-right scan:
/// names come from untrusted files and can be megabytes long, so no backtracking regular expression.
/// </summary>
internal static class NamingConvention
{
    /// <summary>flat: any characters except carriage return, line feed and tab.</summary>
    public static bool IsFlat(string name) => name.Length > 0 && name.AsSpan().IndexOfAny('\r', '\n', '\t') < 0;

    /// <summary>structured: <c>identifier</c> or <c>der(identifier[,order])</c>.</summary>
    public static bool IsStructured(string name)
    {
        var at = 0;
        if (name.StartsWith("der(", StringComparison.Ordinal))
        {
            at = 4;
            if (!Identifier(name, ref at)) return false;
            if (at < name.Length && name[at] == ',')
            {
                at++;
                if (!UnsignedInteger(name, ref at)) return false;
            }
            return at == name.Length - 1 && name[at] == ')';
        }
        return Identifier(name, ref at) && at == name.Length;
    }

    // identifier = B-name [arrayIndices] {"." B-name [arrayIndices]}
    private static bool Identifier(string s, ref int at)
    {
        while (true)
        {
            if (!BName(s, ref at)) return false;
            if (at < s.Length && s[at] == '[' && !ArrayIndices(s, ref at)) return false;
            if (at < s.Length && s[at] == '.')
            {
                at++;
                continue;
            }
            return true;
        }
    }

    // B-name = nondigit {digit | nondigit} | Q-name
    private static bool BName(string s, ref int at)
    {
        if (at >= s.Length) return false;
        if (s[at] == '\'') return QName(s, ref at);
        if (!IsNonDigit(s[at])) return false;
        at++;
        while (at < s.Length && (IsNonDigit(s[at]) || char.IsAsciiDigit(s[at]))) at++;
        return true;
    }

    // Q-name = "'" (Q-char | escape) {Q-char | escape} "'"
    private static bool QName(string s, ref int at)
    {
        var start = ++at;
        while (at < s.Length && s[at] != '\'')
        {
            if (s[at] == '\\')
            {
                if (at + 1 >= s.Length || "'\"?\\abfnrtv".IndexOf(s[at + 1]) < 0) return false;
                at += 2;
            }
            else if (IsQChar(s[at])) at++;
            else return false;
        }
        if (at >= s.Length || at == start) return false;
        at++; // closing quote
        return true;
    }

    // arrayIndices = "[" unsignedInteger {"," unsignedInteger} "]"; a space after the comma is tolerated, as tools write it.
    private static bool ArrayIndices(string s, ref int at)
    {
        at++;
        while (true)
        {
            if (!UnsignedInteger(s, ref at)) return false;
            if (at >= s.Length) return false;
            if (s[at] == ']')
            {
                at++;
                return true;
            }
            if (s[at] != ',') return false;
            at++;
            if (at < s.Length && s[at] == ' ') at++;
        }
    }

    private static bool UnsignedInteger(string s, ref int at)
    {
        var start = at;
        while (at < s.Length && char.IsAsciiDigit(s[at])) at++;
        return at > start;
    }

    private static bool IsNonDigit(char c) => c == '_' || char.IsAsciiLetter(c);

    private static bool IsQChar(char c) => IsNonDigit(c) || char.IsAsciiDigit(c) || "!#$%&()*+,-./:;<>=?@[]^{}|~ ".Contains(c);
}
