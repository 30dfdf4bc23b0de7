using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Runner;

namespace CoSim.Cli.Commands;

/// <summary>
/// Runs a <see cref="RunSpecification"/> for a command and prints what happened: the one place
/// that owns the progress bar, Ctrl+C, the summary and the failure notes of every run command.
/// </summary>
internal static class RunDriver
{
    /// <summary>Prepares and runs <paramref name="spec"/>, prints the summary and writes provenance and, when asked, the HTML report to <paramref name="reportPath"/>.</summary>
    public static int Execute(RunSpecification spec, ILogSink log, string? reportPath = null)
    {
        var progress = ProgressBar.ForStandardError();
        using var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), log, progress.Report);
        foreach (var loop in run.Execution.AlgebraicLoops) log.Log(LogLevel.Info, spec.Name, "algebraic loop: " + loop);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var started = DateTime.UtcNow;
        RunReport? report = null;
        Exception? failure = null;
        try
        {
            try
            {
                report = progress.Run(run.Schedule, () => run.Run(cancel.Token));
            }
            catch (Exception e)
            {
                failure = e;
                throw;
            }
        }
        catch (SimulationException)
        {
            PrintSolverStatistics(run, Console.Error);
            PrintReports(spec, Console.Error);
            if (run.Recorder is { } r) Console.Error.WriteLine($"{r.Rows} rows recorded up to the failure are in {r.Path}");
            throw;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            // Also after a failure: the rows up to it are results too, and how they ended is part of them.
            Provenance.WriteFor(run, CommandLine, started, report, failure, log);
            if (reportPath != null) RunReportWriter.Write(reportPath, run, report, failure, log);
        }
        PrintSummary(run, report!);
        if (reportPath != null) Console.WriteLine($"report -> {reportPath}");
        progress.Finish(report!);
        return CliOptions.Success;
    }

    /// <summary>The command line recorded in provenance (program first); <c>cosim rerun</c> sets the one it re-executes.</summary>
    public static IReadOnlyList<string> CommandLine { get; set; } = Environment.GetCommandLineArgs();

    /// <summary>What ran, in a few words: the component (and its kind), or the system with its size and algorithm.</summary>
    public static string Describe(PreparedRun run)
    {
        var components = run.System.Components;
        return components.Count == 1
            ? $"{components[0].Name}{(components[0].Instance.KindDescription is { } k ? $" ({k})" : "")}"
            : $"{run.Specification.Name}: {components.Count} components, {run.Execution.AlgorithmName}";
    }

    private static void PrintSummary(PreparedRun run, RunReport report)
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var s = report.Statistics;
        var what = Describe(run);
        var rows = run.Recorder is { } r ? $"; {r.Rows} rows -> {r.Path}" : "";
        Console.WriteLine($"{what}: {s.Steps} steps to t={F(report.EndTime.Seconds)} s in {report.WallTime.TotalSeconds:0.###} s{rows}");
        PrintSolverStatistics(run, Console.Out);
        PrintTelemetry(run, Console.Out);
        if (run.Specification.Algorithm == MasterAlgorithm.VariableStep)
            Console.WriteLine($"steps: {s.RejectedSteps} rejected (coupling error), {s.DiscardedSteps} discarded by a component and retried; step {F(s.SmallestStep.Seconds)}..{F(s.LargestStep.Seconds)} s");
        if (s.LoopSolves > 0)
            Console.WriteLine($"algebraic loops: {run.Execution.AlgebraicLoops.Count}, {s.LoopSolves} solves, {s.LoopIterations} iterations, {s.NewtonFallbacks} Newton fallbacks");
        if (run.Specification.RealTimeFactor > 0)
            Console.WriteLine($"real time x{F(run.Specification.RealTimeFactor)}: {s.Overruns} overruns (max {s.MaxOverrun.TotalMilliseconds:0.###} ms, total {s.TotalOverrun.TotalMilliseconds:0.###} ms)");
        if (report.Outcome != RunOutcome.Completed) Console.WriteLine($"ended early: {report.Reason}");
        PrintReports(run.Specification, Console.Out);
    }

    // Live sources and sinks: message counts, outages.
    private static void PrintReports(RunSpecification spec, TextWriter to)
    {
        foreach (var line in Provenance.Reporters(spec).SelectMany(r => r.Summary())) to.WriteLine(line);
    }

    // The shadow comparison (residual statistics, flags, score); a replay reports as an IRunReporter (PrintReports).
    private static void PrintTelemetry(PreparedRun run, TextWriter to)
    {
        foreach (var c in run.System.Components)
            if (c.Instance is Telemetry.Shadow.ShadowComponent shadow)
                foreach (var line in shadow.Summary()) to.WriteLine(line);
    }

    private static void PrintSolverStatistics(PreparedRun run, TextWriter to)
    {
        var single = run.System.Components.Count == 1;
        foreach (var c in run.System.Components)
            if (c.Instance.SolverStatistics is { } stats)
                to.WriteLine(single ? $"integrator: {stats}" : $"integrator {c.Name}: {stats}");
    }
}
