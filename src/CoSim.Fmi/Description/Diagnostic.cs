namespace CoSim.Fmi.Description;

public enum Severity { Warning, Error }

/// <summary>One problem found in a model description: where (file:line) and what.</summary>
public sealed record Diagnostic(Severity Severity, string Message, string File, int Line)
{
    public override string ToString() =>
        $"{File}:{(Line > 0 ? Line.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")}: {(Severity == Severity.Error ? "error" : "warning")}: {Message}";
}

/// <summary>
/// Outcome of reading a model description: the model when it could be built (possibly with
/// warnings), and every problem found. <see cref="CanRun"/> is false when any error was found.
/// </summary>
public sealed record ModelDescriptionReport(ModelDescription? Model, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool CanRun => Model != null && Diagnostics.All(d => d.Severity != Severity.Error);
    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == Severity.Error);
    public IEnumerable<Diagnostic> Warnings => Diagnostics.Where(d => d.Severity == Severity.Warning);
}
