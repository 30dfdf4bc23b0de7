using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// Checks the signals a scenario names (watched, faulted, tunable, judged) against the system before the run: an
/// unknown component or variable is a problem with "did you mean" hints, collected so that every one is reported at once.
/// </summary>
internal static class SignalNames
{
    /// <summary>The variable <paramref name="signal"/> names; null after adding a problem (prefixed by <paramref name="usage"/>) when it does not exist.</summary>
    public static ComponentVariable? Resolve(IReadOnlyList<string> components, Func<string, IReadOnlyList<ComponentVariable>> variablesOf, Signal signal, string usage, List<string> problems)
    {
        if (!components.Contains(signal.Component))
        {
            problems.Add($"{usage}: unknown component '{signal.Component}' in '{signal}'" + NameSuggestions.Suggest(signal.Component, components));
            return null;
        }
        var vars = variablesOf(signal.Component);
        var v = vars.FirstOrDefault(x => x.Name == signal.Variable);
        if (v == null) problems.Add($"{usage}: component '{signal.Component}' has no variable '{signal.Variable}'" + NameSuggestions.Suggest(signal.Variable, vars.Select(x => x.Name)));
        return v;
    }

    /// <summary>Whether values of <paramref name="kind"/> are numbers a scenario can read, judge or write (Boolean as 0/1).</summary>
    public static bool Numeric(ValueKind kind) => kind is ValueKind.Real or ValueKind.Integer or ValueKind.Boolean;

    /// <summary>Throws one <see cref="InputException"/> listing every distinct problem, one a line, when there are any.</summary>
    public static void ThrowIfAny(List<string> problems)
    {
        if (problems.Count > 0) throw new InputException(string.Join(Environment.NewLine + "  ", problems.Distinct()));
    }
}
