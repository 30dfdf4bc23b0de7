using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;

namespace CoSim.Runner;

/// <summary>
/// One run, as every front end runs it (<c>cosim simulate</c>, <c>cosim run SYSTEM</c>, each run of a
/// scenario script or sweep case, <c>cosim test</c>): the front end fills the specification (with its
/// sources, sinks and observers attached) and one <see cref="RunOverrides"/> record, and gets back a
/// <see cref="RunResult"/> to print. The session applies the overrides, prepares the run
/// (<see cref="PreparedRun"/>: every problem at once), runs it under the caller's cancellation and the
/// wall-clock budget, writes the provenance beside the result, and gathers the summary (its reporters',
/// <see cref="IRunReporter"/>, included). Every run ends here.
/// </summary>
public sealed class RunSession(RunSpecification specification)
{
    /// <summary>What to run; the overrides are applied to it by <see cref="Run"/>.</summary>
    public RunSpecification Specification { get; } = specification;

    /// <summary>The user's settings over the specification's.</summary>
    public RunOverrides Overrides { get; init; } = RunOverrides.None;

    /// <summary>Write <c>NAME_out.csv</c> (<c>.parquet</c> with format parquet) when neither the overrides nor the specification name a result file.</summary>
    public bool DefaultOutput { get; init; }

    /// <summary>The component factories; null: <see cref="PreparedRun.DefaultRegistry"/>.</summary>
    public ComponentRegistry? Registry { get; init; }

    /// <summary>Where messages go.</summary>
    public ILogSink Log { get; init; } = NullLogSink.Instance;

    /// <summary>The command line (program first) recorded in the result's provenance; null: none written.</summary>
    public IReadOnlyList<string>? CommandLine { get; init; }

    /// <summary>Called every few steps with the fraction of the simulated interval done.</summary>
    public Action<double>? Progress { get; init; }

    /// <summary>Called once the run is prepared, before it starts, with the schedule in force (e.g. for a progress display).</summary>
    public Action<StepSchedule>? Prepared { get; init; }

    /// <summary>Stops the run after the current step (Ctrl+C: <see cref="ConsoleInterrupt"/>); the run then ends as stopped, not failed.</summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>
    /// Applies the overrides, prepares and runs. Throws <see cref="InputException"/> when the run cannot be
    /// made (listing every problem); a failure while running is in the result (<see cref="RunResult.Failure"/>),
    /// with the rows recorded up to it on disk and the provenance written.
    /// </summary>
    public RunResult Run()
    {
        var spec = Specification;
        var budget = Overrides.MaxWallTime is { } seconds ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : null;
        try
        {
            Overrides.ApplyTo(spec, spec.MainComponent ?? (spec.Components.Count == 1 ? spec.Components[0].Name : null));
            if (Overrides.Output != null) spec.Output = Overrides.Output;
            else if (spec.Output == null && DefaultOutput)
                spec.Output = spec.OutputFormat == "parquet" ? Path.ChangeExtension(RunDefaults.OutputPath(spec), ".parquet") : RunDefaults.OutputPath(spec);

            var checkpoints = Checkpoints.RunCheckpoints.Open(Overrides, spec, CommandLine);
            PreparedRun? prepared = null;
            try
            {
                prepared = PreparedRun.Prepare(spec, Registry ?? PreparedRun.DefaultRegistry(), Log, Progress,
                    checkpoints.Policy(() => prepared!), checkpoints.Resume);
                checkpoints.Attach(prepared);
            }
            catch
            {
                prepared?.Dispose();
                checkpoints.Abandon();
                throw;
            }
            using var run = prepared;
            foreach (var loop in run.Execution.AlgebraicLoops) Log.Log(LogLevel.Info, spec.Name, "algebraic loop: " + loop);
            Prepared?.Invoke(run.Schedule);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel, budget?.Token ?? CancellationToken.None);
            var started = DateTime.UtcNow;
            RunReport? report = null;
            Exception? failure = null;
            try
            {
                report = run.Run(stop.Token);
                failure = BudgetSpent(report, budget) ?? ReporterProblem(spec, report);
            }
            catch (Exception e)
            {
                failure = e;
            }
            checkpoints.Finish(failure == null, Log, spec.Name);
            // Also after a failure: the rows up to it are results too, and how they ended is part of them.
            if (CommandLine != null) Provenance.WriteFor(run, CommandLine, started, report, failure, Log);
            if (failure != null && failure is not (SimulationException or InputException)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            var result = RunResult.Of(run, report, failure);
            return report == null ? result : result with { Summary = [.. result.Summary, .. checkpoints.Summary(run)] };
        }
        finally
        {
            budget?.Dispose();
        }
    }

    // A run stopped by the spent budget (not by the caller) failed: it did not reach its stop time in the time given.
    private SimulationException? BudgetSpent(RunReport report, CancellationTokenSource? budget) =>
        report.Outcome == RunOutcome.Stopped && budget is { IsCancellationRequested: true } && !Cancel.IsCancellationRequested
            ? new SimulationException($"wall-clock budget of {Overrides.MaxWallTime!.Value.ToString("R", CultureInfo.InvariantCulture)} s (--max-wall-time) spent; " +
                                      $"the run was stopped at t = {report.EndTime.Seconds.ToString("R", CultureInfo.InvariantCulture)} s", operation: "run", time: report.EndTime)
            : null;

    // A reporter that says the run did not do its job (e.g. a shadow comparison of no point) fails a run that otherwise completed.
    private static SimulationException? ReporterProblem(RunSpecification spec, RunReport report) =>
        report.Outcome == RunOutcome.Completed && Provenance.Reporters(spec).Select(r => r.RunProblem()).FirstOrDefault(p => p != null) is { } problem
            ? new SimulationException(problem)
            : null;
}

/// <summary>
/// How a session's run went, and what front ends print about it: <see cref="Summary"/> after a run that
/// ended, <see cref="FailureNotes"/> after a failure (before the error line).
/// </summary>
public sealed record RunResult
{
    /// <summary>The specification as run (overrides applied).</summary>
    public required RunSpecification Specification { get; init; }

    /// <summary>Start, stop and step in force.</summary>
    public required StepSchedule Schedule { get; init; }

    /// <summary>What ran, in a few words: the component (and its kind), or the system with its size and algorithm.</summary>
    public required string Description { get; init; }

    /// <summary>The components as the system has them (a strongly coupled group is one).</summary>
    public required IReadOnlyList<string> Components { get; init; }

    /// <summary>How the run ended and its statistics; null when it failed.</summary>
    public RunReport? Report { get; init; }

    /// <summary>Why the run failed (<see cref="SimulationException"/>, <see cref="InputException"/>); null: it ended.</summary>
    public Exception? Failure { get; init; }

    /// <summary>The result file and the rows in it (also after a failure), or null without one.</summary>
    public string? ResultPath { get; init; }

    public long Rows { get; init; }

    /// <summary>The summary lines of a run that ended: steps, integrators, loops, pacing, how it ended, and every reporter's lines.</summary>
    public IReadOnlyList<string> Summary { get; init; } = [];

    /// <summary>What a failed run still tells: integrators, reporters, and where its rows are.</summary>
    public IReadOnlyList<string> FailureNotes { get; init; } = [];

    /// <summary>The reporters' lines alone (live sources and sinks, replayed files, shadow comparisons).</summary>
    public IReadOnlyList<string> ReporterLines { get; init; } = [];

    internal static RunResult Of(PreparedRun run, RunReport? report, Exception? failure)
    {
        var components = run.System.Components;
        var description = components.Count == 1
            ? $"{components[0].Name}{(components[0].Instance.KindDescription is { } k ? $" ({k})" : "")}"
            : $"{run.Specification.Name}: {components.Count} components, {run.Execution.AlgorithmName}";
        var single = components.Count == 1;
        var solver = components.Where(c => c.Instance.SolverStatistics != null)
            .Select(c => single ? $"integrator: {c.Instance.SolverStatistics}" : $"integrator {c.Name}: {c.Instance.SolverStatistics}").ToList();
        var reporters = Provenance.Reporters(run.Specification).SelectMany(r => r.Summary()).ToList();
        var rows = run.Recorder?.Rows ?? 0;
        var path = run.Recorder?.Path;
        return new RunResult
        {
            Specification = run.Specification,
            Schedule = run.Schedule,
            Description = description,
            Components = components.Select(c => c.Name).ToList(),
            Report = failure == null ? report : null,
            Failure = failure,
            ResultPath = path,
            Rows = rows,
            ReporterLines = reporters,
            Summary = report == null ? [] : [.. SummaryLines(run, report, description, solver, path, rows), .. reporters],
            FailureNotes = [.. solver, .. reporters, .. RowsKept(path, rows)],
        };
    }

    private static IEnumerable<string> RowsKept(string? path, long rows)
    {
        if (path != null) yield return $"{rows} rows recorded up to the failure are in {path}";
    }

    private static IEnumerable<string> SummaryLines(PreparedRun run, RunReport report, string description, List<string> solver, string? path, long rows)
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var s = report.Statistics;
        yield return $"{description}: {s.Steps} steps to t={F(report.EndTime.Seconds)} s in {report.WallTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" +
                     (path != null ? $"; {rows} rows -> {path}" : "");
        foreach (var line in solver) yield return line;
        var spec = run.Specification;
        if (spec.Algorithm == MasterAlgorithm.VariableStep)
            yield return $"steps: {s.RejectedSteps} rejected (coupling error), {s.DiscardedSteps} discarded by a component and retried; step {F(s.SmallestStep.Seconds)}..{F(s.LargestStep.Seconds)} s";
        if (s.LoopSolves > 0)
            yield return $"algebraic loops: {run.Execution.AlgebraicLoops.Count}, {s.LoopSolves} solves, {s.LoopIterations} iterations, {s.NewtonFallbacks} Newton fallbacks";
        if (spec.RealTimeFactor > 0)
            yield return $"real time x{F(spec.RealTimeFactor)}: {s.Overruns} overruns (max {s.MaxOverrun.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms, " +
                         $"total {s.TotalOverrun.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms)";
        if (report.Outcome != RunOutcome.Completed) yield return $"ended early: {report.Reason}";
    }
}

/// <summary>Ctrl+C as a cancellation: while caught, the first Ctrl+C stops the run after its current step (results kept) instead of killing the process.</summary>
public sealed class ConsoleInterrupt : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ConsoleCancelEventHandler _handler;

    private ConsoleInterrupt()
    {
        _handler = (_, e) =>
        {
            e.Cancel = true;
            _source.Cancel();
        };
        Console.CancelKeyPress += _handler;
    }

    /// <summary>Catches Ctrl+C until disposed.</summary>
    public static ConsoleInterrupt Catch() => new();

    /// <summary>Cancelled by Ctrl+C.</summary>
    public CancellationToken Token => _source.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _source.Dispose();
    }
}
