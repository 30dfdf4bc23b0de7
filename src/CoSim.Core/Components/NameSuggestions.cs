namespace CoSim.Core;

/// <summary>"Did you mean" hints for misspelt names (variables, components), by substring and edit distance.</summary>
public static class NameSuggestions
{
    /// <summary>"; did you mean 'a', 'b'?" for the candidates close to <paramref name="name"/> (glob characters ignored), else "".</summary>
    public static string Suggest(string name, IEnumerable<string> candidates)
    {
        var key = name.Trim('*', '?').ToLowerInvariant();
        if (key.Length == 0) return "";
        var close = candidates
            .Where(n => n.Contains(key, StringComparison.OrdinalIgnoreCase) || key.Contains(n.ToLowerInvariant()) || Distance(n.ToLowerInvariant(), key) <= 2)
            .Distinct().Take(5).ToList();
        return close.Count == 0 ? "" : $"; did you mean {string.Join(", ", close.Select(c => $"'{c}'"))}?";
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
