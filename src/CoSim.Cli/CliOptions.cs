using System.CommandLine;
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

    /// <summary>A number as invariant text (round-trip).</summary>
    public static string Text(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Splits <c>NAME=VALUE</c>; throws a one-line error naming the option otherwise.</summary>
    public static (string Name, string Value) SplitAssignment(string option, string text, string form)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0) throw new InputException($"{option} '{text}': expected {form}");
        return (text[..eq].Trim(), text[(eq + 1)..]);
    }

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
