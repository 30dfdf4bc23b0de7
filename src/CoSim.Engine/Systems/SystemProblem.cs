namespace CoSim.Engine.Systems;

/// <summary>How much a problem matters; a <see cref="Detail"/> is one item of a summarized warning, for <c>--verbose</c>.</summary>
public enum ProblemSeverity { Warning, Error, Detail }

/// <summary>One finding of <see cref="SystemModel.Validate"/>: what is wrong and where.</summary>
public sealed record SystemProblem(ProblemSeverity Severity, string Message)
{
    public override string ToString() => $"{(Severity == ProblemSeverity.Error ? "error" : "warning")}: {Message}";
}

/// <summary>All problems found in a system; <see cref="ThrowIfErrors"/> reports every error at once.</summary>
public sealed record SystemValidation(IReadOnlyList<SystemProblem> Problems)
{
    public IEnumerable<SystemProblem> Errors => Problems.Where(p => p.Severity == ProblemSeverity.Error);
    public IEnumerable<SystemProblem> Warnings => Problems.Where(p => p.Severity == ProblemSeverity.Warning);
    /// <summary>The items a summarized warning stands for (e.g. each unconnected input), worth showing with <c>--verbose</c>.</summary>
    public IEnumerable<SystemProblem> Details => Problems.Where(p => p.Severity == ProblemSeverity.Detail);
    public bool IsValid => !Errors.Any();

    /// <summary>Throws an <see cref="Core.InputException"/> listing every error (one per line).</summary>
    public void ThrowIfErrors()
    {
        var errors = Errors.ToList();
        if (errors.Count == 0) return;
        throw new Core.InputException($"the system has {errors.Count} error(s):" + Environment.NewLine +
                                      string.Join(Environment.NewLine, errors.Select(e => "  " + e.Message)));
    }
}
