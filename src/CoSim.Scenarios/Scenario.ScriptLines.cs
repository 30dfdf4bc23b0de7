using System.Diagnostics;
using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>Script lines in messages: which <c>file.csx:LINE</c> declared what, so that a problem found before the run names the line.</summary>
public partial class Scenario
{
    // What the script declared (as the start of the problem that names it, computed when a problem is
    // reported: a fault or assertion may be renamed after it was declared) and the script line that declared it.
    private readonly List<(Func<string> Subject, string Line)> _lines = [];

    /// <summary><c>file.csx:LINE</c> of the script code that called into the scenario, or null when no script is on the stack (a scenario built in C#).</summary>
    internal static string? CallerLine() => ScriptFrame() is { } frame && frame.GetFileLineNumber() > 0 ? $"{frame.GetFileName()}:{frame.GetFileLineNumber()}" : null;

    private void RememberLine(string subject)
    {
        if (CallerLine() is { } line) _lines.Add((() => subject, line));
    }

    /// <summary>A usage (the start of the problems about it) prefixed with the script line it was written on.</summary>
    private static string Usage(string usage) => CallerLine() is { } line ? $"{line}: {usage}" : usage;

    /// <summary>Remembers the script line of an assertion or metric (named when it is reported).</summary>
    internal void RememberLine(Func<string> subject)
    {
        if (CallerLine() is { } line) _lines.Add((subject, line));
    }

    /// <summary>
    /// <paramref name="error"/> (bad input found before the run) with <c>file.csx:LINE: </c> before each
    /// problem about something the script declared (a connection, a parameter, a fault, a recording pattern...).
    /// </summary>
    internal Exception Locate(Exception error)
    {
        if (error is not InputException || _lines.Count == 0) return error;
        var subjects = _lines.Select(l => (Subject: l.Subject(), l.Line)).ToList();
        var lines = error.Message.Split('\n').Select(text =>
        {
            var body = text.TrimStart();
            var at = subjects.FirstOrDefault(s => body.StartsWith(s.Subject, StringComparison.Ordinal));
            return at.Line == null ? text : $"{text[..(text.Length - body.Length)]}{at.Line}: {body}";
        });
        var located = string.Join("\n", lines);
        return located == error.Message ? error : new InputException(located, error);
    }
}
