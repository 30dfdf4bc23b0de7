using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using CoSim.Core;

namespace CoSim.Cli;

/// <summary>Options shared by every command, and the one place that turns failures into messages and exit codes.</summary>
internal static class CliOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show FMU log messages of every level and stack traces of internal errors.",
        Recursive = true,
    };

    /// <summary>An option taking a finite number (invariant culture); anything else is a parse error naming the option and the text.</summary>
    public static Option<double?> Number(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
            r.AddError($"{name} '{text}': not a finite number");
            return null;
        },
    };

    /// <summary>An option taking a whole number; anything else is a parse error naming the option and the text.</summary>
    public static Option<int?> Integer(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
            r.AddError($"{name} '{text}': not a whole number");
            return null;
        },
    };

    /// <summary>
    /// Reports the first parse error (unknown option, missing argument, bad value) as one line with a
    /// pointer to the command's help, and returns <see cref="BadInput"/>.
    /// </summary>
    public static int ReportParseError(ParseResult parse)
    {
        // Some messages (e.g. the allowed values of an option) span lines: keep the promise of one line.
        // An unknown word explains more than what is then missing (e.g. 'cosim frobnicate': no command given).
        var message = parse.UnmatchedTokens.Count > 0
            ? $"unknown command, option or argument '{parse.UnmatchedTokens[0]}'"
            : string.Join(" ", parse.Errors[0].Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var command = parse.CommandResult.Command is RootCommand ? "cosim" : "cosim " + parse.CommandResult.Command.Name;
        Console.Error.WriteLine($"error: {message} (see '{command} --help')");
        return BadInput;
    }

    /// <summary>
    /// Checks a result file path before anything runs: a folder, or a file in a folder that does not
    /// exist, is bad input named by the option, not an access error from deep inside the writer.
    /// </summary>
    public static string OutputFile(string path, string option = "--output", string example = "out.csv") =>
        Runner.RunOverrides.OutputProblem(path, option, example) is { } problem ? throw new InputException(problem) : path;

    /// <summary>A number as invariant text (round-trip).</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Splits <c>NAME=VALUE</c>; throws a one-line error naming the option otherwise.</summary>
    public static (string Name, string Value) SplitAssignment(string option, string text, string form) => Runner.RunOverrides.Assignment(option, text, form);

    public const int Success = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    /// <summary>
    /// Runs a command body: user errors become one clear line on stderr and an exit code; only an
    /// unexpected exception (a CoSim bug) shows a stack trace, and only with --verbose.
    /// </summary>
    public static int Run(ParseResult parse, Func<ILogSink, int> body)
    {
        var verbose = parse.GetValue(Verbose);
        var log = new ConsoleLogSink(verbose ? LogLevel.Debug : LogLevel.Warning);
        try
        {
            return body(log);
        }
        catch (InputException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return BadInput;
        }
        catch (SimulationException e)
        {
            Console.Error.WriteLine("error: " + e.Describe());
            return Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return BadInput;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("internal error: " + e.Message + (verbose ? Environment.NewLine + e : " (run with --verbose for details)"));
            return Failed;
        }
    }
}
