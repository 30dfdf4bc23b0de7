using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Runner;

namespace CoSim.Cli.Commands;

/// <summary>
/// Runs a filled <see cref="RunSpecification"/> through a <see cref="RunSession"/> for <c>cosim simulate</c> and
/// <c>cosim run SYSTEM</c>, and prints what it returns: the progress bar, Ctrl+C, the summary and the failure notes.
/// </summary>
internal static class RunDriver
{
    /// <summary>Runs <paramref name="spec"/> with <paramref name="overrides"/>, prints the summary and writes, when asked, the HTML report.</summary>
    public static int Execute(RunSpecification spec, RunOverrides overrides, ILogSink log)
    {
        var progress = ProgressBar.ForStandardError();
        using var interrupt = ConsoleInterrupt.Catch();
        var session = new RunSession(spec)
        {
            Overrides = overrides,
            DefaultOutput = true,
            Log = log,
            CommandLine = CommandLine,
            Progress = progress.Report,
            Prepared = progress.Show,
            Cancel = interrupt.Token,
        };
        var result = progress.Run(null, session.Run);
        // Also after a failure: the report shows the rows up to it and how the run ended.
        if (overrides.Report is { } reportPath) RunReportWriter.Write(reportPath, result, log);
        if (result.Failure is SimulationException)
            foreach (var line in result.FailureNotes) Console.Error.WriteLine(line);
        if (result.Failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(result.Failure).Throw();
        foreach (var line in result.Summary) Console.WriteLine(line);
        if (overrides.Report is { } written) Console.WriteLine($"report -> {written}");
        progress.Finish(result.Report!);
        return CliOptions.Success;
    }

    /// <summary>The command line recorded in provenance (program first); <c>cosim rerun</c> sets the one it re-executes.</summary>
    public static IReadOnlyList<string> CommandLine { get; set; } = Environment.GetCommandLineArgs();
}
