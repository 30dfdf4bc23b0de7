using System.CommandLine;
using System.Globalization;
using CoSim.Core;
using CoSim.Core.Assessment;
using CoSim.Scenarios;
using CoSim.Scripting;

namespace CoSim.Cli.Commands;

/// <summary>
/// <c>cosim run SCENARIO.csx</c>: compiles (or loads from the cache) a scenario script, runs it and prints the run's
/// summary, the event log, every assertion's verdict and, for a sweep, the cases' table.
/// Exit 0 passed, 1 an assertion failed or the run failed, 2 the scenario could not be built or run.
/// </summary>
internal static class ScenarioCommand
{
    /// <summary>Whether <c>cosim run</c>'s argument is a scenario script.</summary>
    public static bool IsScript(string path) => path.EndsWith(".csx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Events printed before the log is cut short (an Every event can trigger thousands of times).</summary>
    private const int EventsShown = 20;

    /// <summary>The options of <c>cosim run</c> that mean something for a script; the script sets everything else.</summary>
    private static readonly string[] ScriptOptions =
        ["--output", "--format", "--start", "--stop", "--step", "--tolerance", "--set", "--real-time", "--threads", "--kafka-replay", "--verbose"];

    public static int Run(ParseResult parse, string path, ILogSink log)
    {
        // An option the script run would ignore is refused rather than silently dropped.
        var ignored = parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>()
            .Where(r => !r.Implicit && !ScriptOptions.Contains(r.Option.Name)).Select(r => r.Option.Name).Distinct().ToList();
        if (ignored.Count > 0)
        {
            Console.Error.WriteLine($"error: {string.Join(", ", ignored)}: not for a scenario script (the script sets these, e.g. Algorithm = MasterAlgorithm.GaussSeidel; " +
                                    $"Record(...); Input(...)). With a script cosim run takes {string.Join(", ", ScriptOptions.Where(o => o != "--verbose"))}");
            return CliOptions.BadInput;
        }
        var output = parse.GetValue<string?>("--output");
        var format = parse.GetValue<string?>("--format");
        var host = ScenarioScripts.Host(log);
        if (Compile(host, path) is not { } script) return CliOptions.BadInput;

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        ScenarioOutcome outcome;
        var progress = ProgressBar.ForStandardError();
        try
        {
            var options = ScenarioScripts.Options(script) with
            {
                Output = output == null ? null : CliOptions.OutputFile(output),
                Format = format,
                Log = log,
                CommandLine = RunDriver.CommandLine,
                Adjust = spec => Override(parse, spec),
                KafkaReplay = parse.GetValue<string?>("--kafka-replay") is { } replay ? Path.GetFullPath(replay) : null,
                Progress = progress.Report, // of the run, or of a sweep's cases
            };
            outcome = progress.Run<ScenarioOutcome>(null, () => ScenarioRunner.Run(ScenarioScripts.Builder(script), options, cancel.Token));
        }
        catch (Exception e) when (e is InputException || ScriptErrors.Locate(e) != null)
        {
            // The script threw while building the scenario (or named something that does not exist).
            Console.Error.WriteLine(ScriptErrors.Locate(e) == null ? "error: " + e.Message : ScriptErrors.Describe(e));
            return CliOptions.BadInput;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        Print(outcome);
        return ScenarioScripts.ExitCode(outcome);
    }

    /// <summary>The command line's values over the script's: start, stop, step, tolerance, real-time factor, threads, --set.</summary>
    private static void Override(ParseResult parse, Engine.Specification.RunSpecification spec)
    {
        if (parse.GetValue<double?>("--start") is { } start) spec.Start = start;
        if (parse.GetValue<double?>("--stop") is { } stop) spec.Stop = stop;
        if (parse.GetValue<double?>("--step") is { } step) spec.Step = step;
        if (parse.GetValue<double?>("--tolerance") is { } tolerance) spec.Tolerance = tolerance;
        if (parse.GetValue<double?>("--real-time") is { } factor) spec.RealTimeFactor = factor;
        if (parse.GetValue<int?>("--threads") is { } threads) spec.Threads = threads;
        var single = spec.Components.Count == 1 ? spec.Components[0].Name : null;
        foreach (var s in parse.GetValue<string[]>("--set") ?? [])
        {
            var (name, value) = CliOptions.SplitAssignment("--set", s, "NAME=VALUE");
            spec.Parameters.Add(new Engine.Systems.ParameterValue(RunOptions.Target(spec, name, single), value));
        }
    }

    /// <summary>The compiled script, or null after printing every compile error (file:line:col: error CSxxxx: message).</summary>
    public static CompiledScript? Compile(ScriptHost host, string path)
    {
        try
        {
            return host.Load(path);
        }
        catch (ScriptCompilationException e)
        {
            foreach (var line in e.Errors) Console.Error.WriteLine(line);
            return null;
        }
    }

    private static void Print(ScenarioOutcome outcome)
    {
        if (outcome.Failure is InputException input && outcome.Cases.Count == 0)
        {
            Console.Error.WriteLine("error: " + input.Message);
            return;
        }
        if (outcome.Report is { } report)
            Console.WriteLine($"{outcome.Name}: {report.Statistics.Steps} steps to t={F(report.EndTime.Seconds)} s in {report.WallTime.TotalSeconds:0.###} s -> {outcome.ResultPath}" +
                              (report.Outcome == Engine.Execution.RunOutcome.Completed ? "" : $" (ended early: {report.Reason})"));
        foreach (var line in outcome.Reports) Console.WriteLine(line);
        if (outcome.Failure is { } failure && outcome.Cases.Count == 0)
        {
            Console.Error.WriteLine("error: " + ScriptErrors.Describe(failure));
            if (outcome.ResultPath != null) Console.Error.WriteLine($"results up to the failure (t={F(outcome.End ?? 0)} s) are in {outcome.ResultPath}");
        }
        foreach (var e in outcome.Events.Take(EventsShown)) Console.WriteLine("  event " + e);
        if (outcome.Events.Count > EventsShown) Console.WriteLine($"  ... {outcome.Events.Count - EventsShown} more events");
        foreach (var (name, value) in outcome.Metrics) Console.WriteLine($"  metric {name} = {AssertionText.N(value)}");
        if (outcome.Cases.Count > 0) PrintCases(outcome);
        else foreach (var a in outcome.Assertions) Console.WriteLine("  " + AssertionText.Describe(a));
        var failed = outcome.Assertions.Count(a => a.Verdict == Verdict.Fail);
        var notEvaluated = outcome.Assertions.Count(a => a.Verdict == Verdict.NotEvaluated);
        if (outcome.Assertions.Count > 0)
            Console.WriteLine(failed == 0
                ? $"PASSED: {outcome.Assertions.Count - notEvaluated} of {outcome.Assertions.Count} assertions passed" + (notEvaluated > 0 ? $", {notEvaluated} not evaluated" : "")
                : $"FAILED: {failed} of {outcome.Assertions.Count} assertions failed");
    }

    private static void PrintCases(ScenarioOutcome outcome)
    {
        var parameters = outcome.Cases[0].Parameters.Keys.ToList();
        var metrics = outcome.Cases.SelectMany(c => c.Metrics.Keys).Distinct().ToList();
        var rows = outcome.Cases.Select(c => new[] { c.Number.ToString(CultureInfo.InvariantCulture) }
            .Concat(parameters.Select(p => AssertionText.N(c.Parameters[p])))
            .Append(c.Failure != null ? "error" : c.Passed ? "pass" : "FAIL")
            .Concat(metrics.Select(m => c.Metrics.TryGetValue(m, out var v) ? AssertionText.N(v) : ""))
            .Append(c.Failure != null ? ScriptErrors.Describe(c.Failure)
                : string.Join("; ", c.Assertions.Where(a => a.Verdict == Verdict.Fail).Select(AssertionText.Describe)))
            .ToArray()).ToList();
        Table.Print(["case", .. parameters, "verdict", .. metrics, "failing"], rows);
        if (outcome.SummaryPath != null) Console.WriteLine($"summary table: {outcome.SummaryPath}");
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
