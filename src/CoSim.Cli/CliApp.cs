using System.CommandLine;
using CoSim.Cli.Commands;

namespace CoSim.Cli;

/// <summary>The cosim command tree; <c>cosim rerun</c> invokes it again, in process, with recorded arguments.</summary>
internal static class CliApp
{
    public static int Invoke(string[] args)
    {
        var root = new RootCommand(
            "CoSim: co-simulation of FMI 2.0/3.0 FMUs and C# components.\n" +
            "Exit codes: 0 success, 1 the simulation or model failed, 2 bad input (arguments, files).")
        {
            CliOptions.Verbose,
        };
        root.Add(InfoCommand.Create());
        root.Add(ValidateCommand.Create());
        root.Add(SimulateCommand.Create());
        root.Add(RunCommand.Create());
        root.Add(RerunCommand.Create());
        root.Add(ResumeCommand.Create());
        root.Add(SurrogateCommand.Create());
        root.Add(CalibrateCommand.Create());
        root.Add(PlotCommand.Create());
        root.Add(QueryCommand.Create());
        root.Add(TestCommand.Create());
        root.Add(NewCommand.Create());
        var parse = root.Parse(args);
        // Argument errors are bad input like any other: one line and exit 2, not the help text.
        if (parse.Errors.Count > 0) return CliOptions.ReportParseError(parse);
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
}
