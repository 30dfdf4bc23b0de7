using System.Text.RegularExpressions;
using CoSim.Core;

namespace CoSim.Scripting;

/// <summary>A <c>#load</c> or <c>#r</c> directive of a script file, with its place (1-based line and column).</summary>
public sealed record ScriptDirective(string File, int Line, int Column, string Kind, string Value)
{
    /// <summary>The path the directive names, relative paths resolved against the folder of the file holding it; null for a non-file reference (nuget:, an assembly name).</summary>
    public string? ResolvedPath =>
        Value.Contains('\0') ? null // no file has that name; the compiler reports the directive (GetFullPath would throw)
        : Value.Contains(':') && !Path.IsPathRooted(Value) ? null
        : Kind == "r" && !Value.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !Value.Contains('/') ? null
        : Path.GetFullPath(Value, Path.GetDirectoryName(File)!);

    /// <summary>A NuGet reference (<c>#r "nuget: Name, 1.0"</c>), which CoSim refuses: packages are never downloaded while a scenario runs.</summary>
    public bool IsNuGet => Value.TrimStart().StartsWith("nuget:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The place as compilers print it: <c>file:line:col</c>.</summary>
    public string Place => $"{File}:{Line}:{Column}";
}

/// <summary>
/// Finds the <c>#load</c> and <c>#r</c> directives of a script and, recursively, of the files it loads, without the
/// compiler: the cache key needs them before deciding whether to start Roslyn at all. A directive is a line that begins
/// with it (C# requires that); one inside a block comment is found too, which only adds a file to the key.
/// </summary>
public static partial class ScriptDirectives
{
    [GeneratedRegex("""^[ \t]*#(?<kind>load|r)[ \t]+"(?<value>[^"\r\n]*)"[ \t]*(//.*)?\r?$""", RegexOptions.Multiline)]
    private static partial Regex Directive();

    /// <summary>The directives of one file's text.</summary>
    public static IReadOnlyList<ScriptDirective> Parse(string file, string text)
    {
        var found = new List<ScriptDirective>();
        foreach (Match m in Directive().Matches(text))
        {
            var line = 1 + text.AsSpan(0, m.Index).Count('\n');
            var column = 1 + m.Value.IndexOf('#');
            found.Add(new ScriptDirective(file, line, column, m.Groups["kind"].Value, m.Groups["value"].Value));
        }
        return found;
    }

    /// <summary>
    /// The script and every file it loads (recursively, each once, in the order first met), with their texts, and
    /// every directive met on the way. A loaded file that does not exist is left to the compiler to report.
    /// </summary>
    public static (IReadOnlyList<(string Path, string Text)> Files, IReadOnlyList<ScriptDirective> Directives) Closure(string scriptPath)
    {
        var files = new List<(string, string)>();
        var directives = new List<ScriptDirective>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string path, ScriptDirective? from)
        {
            if (!seen.Add(path) || !File.Exists(path)) return;
            var text = ReadCapped(path, from);
            files.Add((path, text));
            foreach (var d in Parse(path, text))
            {
                directives.Add(d);
                if (d.Kind == "load" && d.ResolvedPath is { } loaded) Visit(loaded, d);
            }
        }
        Visit(Path.GetFullPath(scriptPath), null);
        return (files, directives);
    }

    /// <summary>Largest script file read: a <c>#load</c> of a device such as /dev/zero must not read forever.</summary>
    public const int MaxScriptBytes = 16 * 1024 * 1024;

    private static string ReadCapped(string path, ScriptDirective? from)
    {
        using var stream = File.OpenRead(path);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxScriptBytes)
                throw new InputException($"{(from != null ? from.Place + ": #load \"" + from.Value + "\"" : path)}: {path} is larger than {MaxScriptBytes / (1024 * 1024)} MiB: not a script");
        }
        buffer.Position = 0;
        using var reader = new StreamReader(buffer); // detects a byte order mark, as File.ReadAllText
        return reader.ReadToEnd();
    }
}
