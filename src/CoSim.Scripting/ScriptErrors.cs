using System.Diagnostics;
using System.Reflection;
using CoSim.Core;

namespace CoSim.Scripting;

/// <summary>A script's compile errors, each as <c>file:line:col: error CSxxxx: message</c> in the user's own file; bad input (exit 2).</summary>
public sealed class ScriptCompilationException(IReadOnlyList<string> errors)
    : InputException(string.Join(Environment.NewLine, errors))
{
    /// <summary>Every error, one line each, in source order.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>Where a script's code was when it threw: the script file and the 1-based line.</summary>
public sealed record ScriptLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>Maps exceptions thrown by script code to the script line that threw them.</summary>
public static class ScriptErrors
{
    /// <summary>
    /// The script line closest to where <paramref name="error"/> was thrown: the first frame in a <c>.csx</c> file of the
    /// first exception in the chain (outer to inner, aggregate and invocation wrappers included) that passed through script
    /// code. Null when no script code was on the stack (e.g. an FMU failed).
    /// </summary>
    public static ScriptLocation? Locate(Exception error)
    {
        foreach (var e in Chain(error))
            foreach (var frame in new StackTrace(e, fNeedFileInfo: true).GetFrames())
                if (frame.GetFileName() is { } file && file.EndsWith(".csx", StringComparison.OrdinalIgnoreCase) && frame.GetFileLineNumber() > 0)
                    return new ScriptLocation(file, frame.GetFileLineNumber(), frame.GetFileColumnNumber());
        return null;
    }

    /// <summary>
    /// One line for the user: <c>script.csx:12: error: message</c> when script code threw (the message of the exception
    /// that passed through it, after the outer one's place), else the message alone.
    /// </summary>
    public static string Describe(Exception error)
    {
        var outer = Unwrap(error);
        var message = outer is SimulationException s ? s.Describe() : outer.Message;
        if (Locate(outer) is not { } at) return message;
        foreach (var e in Chain(outer).Skip(1))
            if (!message.Contains(e.Message, StringComparison.Ordinal)) message += ": " + e.Message;
        return $"{at}: error: {message}";
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } i }) e = i;
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        return e;
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e != null; e = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e.InnerException)
            yield return e;
    }
}
