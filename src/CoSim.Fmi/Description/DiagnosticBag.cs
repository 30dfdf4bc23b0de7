namespace CoSim.Fmi.Description;

/// <summary>
/// Collects the diagnostics of one file. The number kept is capped: a hostile file with a million
/// bad elements must not turn into a million messages in memory. What is dropped is still counted,
/// and a dropped error still makes the report an error.
/// </summary>
internal sealed class DiagnosticBag(string file)
{
    /// <summary>Diagnostics kept before the rest are only counted.</summary>
    internal const int Limit = 2000;

    private readonly List<Diagnostic> _items = [];
    private int _droppedErrors;
    private int _droppedWarnings;

    public string File { get; } = file;

    public bool HasErrors { get; private set; }

    public void Error(int line, string message) => Add(Severity.Error, line, message);

    public void Warning(int line, string message) => Add(Severity.Warning, line, message);

    private void Add(Severity severity, int line, string message)
    {
        if (severity == Severity.Error) HasErrors = true;
        if (_items.Count >= Limit)
        {
            if (severity == Severity.Error) _droppedErrors++;
            else _droppedWarnings++;
            return;
        }
        _items.Add(new Diagnostic(severity, message, File, line));
    }

    /// <summary>The diagnostics ordered by line (stable, so same-line problems keep their discovery order).</summary>
    public IReadOnlyList<Diagnostic> ToList()
    {
        var list = _items.OrderBy(d => d.Line).ToList();
        if (_droppedErrors + _droppedWarnings > 0)
        {
            list.Add(new Diagnostic(
                _droppedErrors > 0 ? Severity.Error : Severity.Warning,
                $"{_droppedErrors} more error(s) and {_droppedWarnings} more warning(s) not listed (only the first {Limit} are kept)",
                File,
                0));
        }
        return list;
    }
}
