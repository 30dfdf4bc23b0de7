using System.Text.RegularExpressions;
using CoSim.Core;
using CoSim.Engine.Systems;
using CoSim.Results;

namespace CoSim.Runner;

/// <summary>
/// Which signals a run records, from globs (<c>*</c>, <c>?</c>) on <c>Component.variable</c> names; in a
/// run of one component also on bare variable names, and its columns are then the bare names. No
/// glob: every numeric or Boolean output of every component.
/// </summary>
public static class SignalSelection
{
    /// <summary>The selected signals in component and variable order; a glob that matches nothing adds a problem (with suggestions).</summary>
    public static List<RecordedSignal> Select(SystemModel system, IReadOnlyList<string> globs, List<string> problems)
    {
        var single = system.Components.Count == 1;
        var all = system.Components
            .SelectMany(c => c.Unit.Variables.Select(v => (Ref: new VariableRef(c.Name, v.Name), Variable: v)))
            .ToList();
        string Column(VariableRef r) => single ? r.Variable : r.ToString();
        if (globs.Count == 0)
            return all.Where(a => a.Variable.Role == VariableRole.Output && Numeric(a.Variable)).Select(a => new RecordedSignal(a.Ref, Column(a.Ref))).ToList();

        var patterns = globs.Select(g => (Glob: g, Regex: new Regex("^" + Regex.Escape(g).Replace("\\*", ".*").Replace("\\?", ".") + "$"))).ToList();
        bool Matches(Regex r, VariableRef v) => r.IsMatch(v.ToString()) || (single && r.IsMatch(v.Variable));
        foreach (var p in patterns)
        {
            var matched = all.Where(a => Matches(p.Regex, a.Ref)).ToList();
            if (matched.Count == 0)
                problems.Add($"--record '{p.Glob}' matches no variable{Suggest(p.Glob, all.Select(a => Column(a.Ref)))}");
            else if (!matched.Any(a => Numeric(a.Variable)))
                problems.Add($"--record '{p.Glob}' matches only non-numeric variables ({string.Join(", ", matched.Take(5).Select(a => Column(a.Ref)))}); results hold numbers and Booleans");
        }
        return all.Where(a => Numeric(a.Variable) && patterns.Any(p => Matches(p.Regex, a.Ref))).Select(a => new RecordedSignal(a.Ref, Column(a.Ref))).ToList();
    }

    private static bool Numeric(UnitVariable v) => v.Kind is ValueKind.Real or ValueKind.Integer or ValueKind.Boolean;

    /// <summary>"; did you mean 'a', 'b'?" for names close to <paramref name="name"/>, else a pointer to <c>cosim info</c>.</summary>
    public static string Suggest(string name, IEnumerable<string> candidates)
    {
        var key = name.Trim('*', '?').ToLowerInvariant();
        var close = candidates
            .Where(n => n.Contains(key, StringComparison.OrdinalIgnoreCase) || key.Contains(n.ToLowerInvariant()) || Distance(n.ToLowerInvariant(), key) <= 2)
            .Distinct().Take(5).ToList();
        return close.Count == 0 ? " (see 'cosim info')" : $"; did you mean {string.Join(", ", close.Select(c => $"'{c}'"))}?";
    }

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
