using System.Globalization;
using CoSim.Core.Assessment;

namespace CoSim.Scripting;

/// <summary>How verdicts read on the console and in test reports.</summary>
public static class AssertionText
{
    /// <summary><c>FAIL overshoot: Tank.level = 1.31 at t=42.1 s (bound 1.1): message</c>.</summary>
    public static string Describe(AssertionResult result)
    {
        var verdict = result.Verdict switch { Verdict.Pass => "pass", Verdict.Fail => "FAIL", _ => "not evaluated" };
        var where = result.Violation is { } v ? $": {result.Signal} = {N(v.Value)} at t={N(v.Time)} s (bound {N(v.Bound)})" : $" ({result.Signal})";
        return $"{verdict} {result.Name}{where}: {result.Message}";
    }

    /// <summary>A number as the summary shows it: up to 6 significant digits, invariant culture.</summary>
    public static string N(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
