using System.CommandLine;
using System.CommandLine.Parsing;
using CoSim.Runner;

namespace CoSim.Cli.Commands;

/// <summary>
/// The command-line options of <see cref="RunOverrides.Options"/> that a command's front ends accept, made
/// from that one list (names, help, choices), and read back into one <see cref="RunOverrides"/> record.
/// </summary>
internal sealed class OverrideOptions
{
    private readonly List<(RunOption Declared, Option Option, Func<ParseResult, object?> Value)> _options = [];

    /// <summary>The options any of <paramref name="frontEnds"/> accepts (<c>cosim run</c> takes a system or a script).</summary>
    public OverrideOptions(FrontEnds frontEnds)
    {
        foreach (var d in RunOverrides.AcceptedBy(frontEnds))
        {
            switch (d.Kind)
            {
                case RunOptionKind.Number:
                    Add(d, CliOptions.Number(d.Name, d.Help));
                    break;
                case RunOptionKind.Integer:
                    Add(d, CliOptions.Integer(d.Name, d.Help));
                    break;
                case RunOptionKind.Repeated:
                    Add(d, new Option<string[]>(d.Name, [.. d.Aliases]) { Description = d.Help, AllowMultipleArgumentsPerToken = false });
                    break;
                default:
                    var text = new Option<string?>(d.Name, [.. d.Aliases]) { Description = d.Help };
                    if (d.Choices != null) text.AcceptOnlyFromAmong([.. d.Choices]);
                    Add(d, text);
                    break;
            }
        }
    }

    private void Add<T>(RunOption declared, Option<T> option)
    {
        option.Hidden = declared.Hidden;
        _options.Add((declared, option, parse => parse.GetValue(option)));
    }

    public void AddTo(Command command)
    {
        foreach (var o in _options) command.Add(o.Option);
    }

    /// <summary>The overrides given on the command line.</summary>
    public RunOverrides Read(ParseResult parse)
    {
        var overrides = RunOverrides.None;
        foreach (var (declared, _, value) in _options)
            if (value(parse) is { } v && v is not string[] { Length: 0 }) overrides = declared.Apply(overrides, v);
        return overrides;
    }

    /// <summary>The names of the options given on the command line (any option of the command, not only these) that <paramref name="frontEnd"/> does not accept.</summary>
    public static List<string> NotAccepted(ParseResult parse, FrontEnds frontEnd, params string[] alsoAccepted)
    {
        var accepted = RunOverrides.AcceptedBy(frontEnd).Select(o => o.Name).Concat(alsoAccepted).ToHashSet();
        return parse.CommandResult.Children.OfType<OptionResult>()
            .Where(r => !r.Implicit && !accepted.Contains(r.Option.Name)).Select(r => r.Option.Name).Distinct().ToList();
    }

    /// <summary>The names <paramref name="frontEnd"/> accepts, for help texts and messages: "--start, --stop, ...".</summary>
    public static string Names(FrontEnds frontEnd) => string.Join(", ", RunOverrides.AcceptedBy(frontEnd).Where(o => !o.Hidden).Select(o => o.Name));
}
