using System.CommandLine;
using System.Globalization;
using CoSim.Core;
using CoSim.Core.Assessment;
using CoSim.Runner;
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

    public static int Run(ParseResult parse, string path, RunOverrides overrides, ILogSink log)
    {
        // An option the script run would ignore is refused rather than silently dropped.
        var ignored = OverrideOptions.NotAccepted(parse, FrontEnds.Script, CliOptions.Verbose.Name);
        if (ignored.Count > 0)
        {
            Console.Error.WriteLine($"error: {string.Join(", ", ignored)}: not for a scenario script (the script sets these, e.g. Algorithm = MasterAlgorithm.GaussSeidel; " +
                                    $"Record(...); Input(...)). With a script cosim run takes {OverrideOptions.Names(FrontEnds.Script)}");
            return CliOptions.BadInput;
        }
        if (overrides.Problems().FirstOrDefault() is { } problem) throw new InputException(problem); // a bad path fails before the script runs
        var host = ScenarioScripts.Host(log);
        if (Compile(host, path) is not { } script) return CliOptions.BadInput;

        using var interrupt = ConsoleInterrupt.Catch();
        var started = DateTime.Now;
        ScenarioOutcome outcome;
        var progress = ProgressBar.ForStandardError();
        try
        {
            var options = ScenarioScripts.Options(script) with
            {
                Log = log,
                CommandLine = RunDriver.CommandLine,
                Overrides = overrides,
                KafkaReplay = overrides.KafkaReplay is { } replay ? Path.GetFullPath(replay) : null,
                Progress = progress.Report, // of the run, or of a sweep's cases
            };
            outcome = progress.Run<ScenarioOutcome>(null, () => ScenarioRunner.Run(ScenarioScripts.Builder(script), options, interrupt.Token));
        }
        catch (Exception e) when (e is InputException || ScriptErrors.Locate(e) != null)
        {
            // The script threw while building the scenario (or named something that does not exist).
            Console.Error.WriteLine(ScriptErrors.Locate(e) == null ? "error: " + e.Message : ScriptErrors.Describe(e));
            return CliOptions.BadInput;
        }
        Print(outcome);
        if (overrides.Report is { } report) WriteReport(report, path, started, outcome, log);
        return ScenarioScripts.ExitCode(outcome);
    }

    /// <summary>
    /// --report for a script: a scenario with assertions or a sweep gets the test report (verdicts, asserted signals, the
    /// cases' table), one without the run's report (every recorded signal).
    /// </summary>
    private static void WriteReport(string path, string script, DateTime started, ScenarioOutcome outcome, ILogSink log)
    {
        if (outcome.Assertions.Count > 0 || outcome.Cases.Count > 0)
        {
            var seconds = (DateTime.Now - started).TotalSeconds;
            TestReportWriter.Write(path, new TestRunReport([ScenarioTests.Result(script, started, seconds, outcome)], started, seconds), log);
        }
        else if (outcome.Run is { } run) RunReportWriter.Write(path, run, log);
        else return; // the run could not be made: the error said why
        Console.WriteLine($"report -> {path}");
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
