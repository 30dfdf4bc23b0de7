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
        // The independent variable (an FMU's `time`) is the result's first column, never a signal.
        var all = system.Components
            .SelectMany(c => c.Instance.Variables.Where(v => v.Role != VariableRole.Independent).Select(v => (Ref: new VariableRef(c.Name, v.Name), Variable: v)))
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
                problems.Add($"recording pattern '{p.Glob}' matches no variable {(single ? $"of '{system.Components[0].Name}'" : "(names are Component.variable)")}" +
                             (NameSuggestions.Suggest(p.Glob, all.Select(a => Column(a.Ref))) is { Length: > 0 } hint ? hint : " (see 'cosim info')"));
            else if (!matched.Any(a => Numeric(a.Variable)))
                problems.Add($"recording pattern '{p.Glob}' matches only non-numeric variables ({string.Join(", ", matched.Take(5).Select(a => Column(a.Ref)))}); results hold numbers and Booleans");
        }
        return all.Where(a => Numeric(a.Variable) && patterns.Any(p => Matches(p.Regex, a.Ref))).Select(a => new RecordedSignal(a.Ref, Column(a.Ref))).ToList();
    }

    private static bool Numeric(ComponentVariable v) => v.Kind is ValueKind.Real or ValueKind.Integer or ValueKind.Boolean;
}
