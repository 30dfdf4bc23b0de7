using System.Text;

namespace CoSim.Core;

/// <summary>
/// User text quoted in a one-line error message (a CSV cell, a column name, a parser's message quoting the input):
/// control characters are shown escaped (<c>\n</c>, <c>\t</c>, <c>\u0001</c>) so the message stays one line, and
/// text longer than <see cref="MaxLength"/> characters is clipped. Fuzzing found messages that a quoted newline split
/// (docs/security.md).
/// </summary>
public static class InputText
{
    /// <summary>Longest text shown before it is clipped with "...".</summary>
    public const int MaxLength = 80;

    /// <summary>The text as it may appear inside a one-line message, clipped after <paramref name="maxLength"/> characters.</summary>
    public static string OneLine(ReadOnlySpan<char> text, int maxLength = MaxLength)
    {
        var clipped = text.Length > maxLength;
        if (clipped) text = text[..maxLength];
        var plain = true;
        foreach (var c in text)
            if (char.IsControl(c)) plain = false;
        if (plain) return clipped ? string.Concat(text, "...") : text.ToString();
        var shown = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            shown.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return clipped ? shown.Append("...").ToString() : shown.ToString();
    }
}
