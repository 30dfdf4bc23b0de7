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
    public static int Execute(RunSpecification spec, ILogSink log)
    {
        using var progress = ProgressBar.ForStandardError();
        using var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), log, progress == null ? null : progress.Report);
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
                report = run.Run(cancel.Token);
            }
            catch (Exception e)
            {
                failure = e;
                throw;
            }
        }
        catch (SimulationException)
        {
            progress?.Clear();
            PrintSolverStatistics(run, Console.Error);
            PrintReports(spec, Console.Error);
            if (run.Recorder is { } r) Console.Error.WriteLine($"{r.Rows} rows recorded up to the failure are in {r.Path}");
            throw;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            // Also after a failure: the rows up to it are results too, and how they ended is part of them.
            if (spec.Output != null && IsRegularFile(spec.Output)) WriteProvenance(spec, run.Schedule, started, report, failure, log);
        }
        progress?.Clear();
        PrintSummary(run, report!);
        return CliOptions.Success;
    }

    /// <summary>The command line recorded in provenance (program first); <c>cosim rerun</c> sets the one it re-executes.</summary>
    public static IReadOnlyList<string> CommandLine { get; set; } = Environment.GetCommandLineArgs();

    // Output to a device (-o /dev/stdout, a pipe) has no folder to keep a provenance file beside.
    private static bool IsRegularFile(string path)
    {
        var full = Path.GetFullPath(path);
        return !full.StartsWith("/dev/", StringComparison.Ordinal) && !full.StartsWith("/proc/", StringComparison.Ordinal) && File.Exists(full);
    }

    private static void WriteProvenance(RunSpecification spec, StepSchedule schedule, DateTime started, RunReport? report, Exception? failure, ILogSink log)
    {
        try
        {
            Provenance.Of(spec, schedule, CommandLine, started, DateTime.UtcNow, report, failure).Write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Log(LogLevel.Warning, spec.Name, $"{Provenance.PathFor(spec.Output!)}: provenance not written: {e.Message}");
        }
    }

    private static void PrintSummary(PreparedRun run, RunReport report)
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var s = report.Statistics;
        var components = run.System.Components;
        var what = components.Count == 1
            ? $"{components[0].Name}{(components[0].Instance.KindDescription is { } k ? $" ({k})" : "")}"
            : $"{run.Specification.Name}: {components.Count} components, {run.Execution.AlgorithmName}";
        var rows = run.Recorder is { } r ? $"; {r.Rows} rows -> {r.Path}" : "";
        Console.WriteLine($"{what}: {s.Steps} steps to t={F(report.EndTime.Seconds)} s in {report.WallTime.TotalSeconds:0.###} s{rows}");
        PrintSolverStatistics(run, Console.Out);
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

    private static void PrintSolverStatistics(PreparedRun run, TextWriter to)
    {
        var single = run.System.Components.Count == 1;
        foreach (var c in run.System.Components)
            if (c.Instance.SolverStatistics is { } stats)
                to.WriteLine(single ? $"integrator: {stats}" : $"integrator {c.Name}: {stats}");
    }
}
