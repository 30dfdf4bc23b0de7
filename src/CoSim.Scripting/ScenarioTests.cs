using System.Diagnostics;
using System.Text.RegularExpressions;
using CoSim.Core;
using CoSim.Core.Assessment;
using CoSim.Scenarios;

namespace CoSim.Scripting;

/// <summary>The result of one test case: a scenario, or one case of a scenario's sweep.</summary>
public enum TestStatus
{
    /// <summary>It ran and every assertion passed (not-evaluated ones do not fail it).</summary>
    Passed,

    /// <summary>An assertion failed.</summary>
    Failed,

    /// <summary>The run failed (a component's error, an event's action threw), or the scenario could not run.</summary>
    Error,

    /// <summary>It ran but has no assertion to judge it.</summary>
    Skipped,
}

/// <summary>One test case (JUnit <c>testcase</c>): its name, outcome, the one-line reason and every verdict.</summary>
public sealed record TestCaseResult(string Name, TestStatus Status, double Seconds)
{
    /// <summary>Why it failed, errored or was skipped, in one line (the first failing assertion with signal, time, value and bound).</summary>
    public string? Message { get; init; }

    /// <summary>What kind of problem: <c>assertion</c>, or the exception's type.</summary>
    public string? Type { get; init; }

    /// <summary>Every verdict (and the event log), one per line.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];
}

/// <summary>One scenario script's test results (JUnit <c>testsuite</c>).</summary>
/// <param name="Script">The script's path as found.</param>
/// <param name="Name">The scenario's name (file name without extension).</param>
/// <param name="Started">When it started (local time).</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Cases">Its test cases: one, or one per sweep case.</param>
/// <param name="CouldNotRun">It could not be compiled, built or prepared (exit code 2).</param>
public sealed record ScenarioTestResult(string Script, string Name, DateTime Started, double Seconds, IReadOnlyList<TestCaseResult> Cases, bool CouldNotRun)
{
    /// <summary>Where its results went.</summary>
    public IReadOnlyList<string> ResultFiles { get; init; } = [];

    /// <summary>What the scenario's run gave (verdicts, events, result files); null when it could not run.</summary>
    public ScenarioOutcome? Outcome { get; init; }

    /// <summary>The sweep's summary table, if any.</summary>
    public string? SummaryFile { get; init; }
}

/// <summary>Everything <c>cosim test</c> ran.</summary>
public sealed record TestRunReport(IReadOnlyList<ScenarioTestResult> Scenarios, DateTime Started, double Seconds)
{
    /// <summary>Every test case.</summary>
    public IEnumerable<TestCaseResult> Cases => Scenarios.SelectMany(s => s.Cases);

    /// <summary>0 every case passed (or was skipped), 1 an assertion failed or a run failed, 2 a scenario could not run.</summary>
    public int ExitCode => Scenarios.Any(s => s.CouldNotRun) ? 2 : Cases.Any(c => c.Status is TestStatus.Failed or TestStatus.Error) ? 1 : 0;
}

/// <summary>Settings of a <c>cosim test</c> run.</summary>
/// <param name="ResultsDirectory">Where each scenario's result file goes (<c>NAME.csv</c>).</param>
public sealed record ScenarioTestOptions(string ResultsDirectory)
{
    /// <summary>Scenarios run at once (each sweep then gets a share of the cores).</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>Called once per scenario as it finishes (in finishing order, one at a time).</summary>
    public Action<ScenarioTestResult>? Finished { get; init; }

    /// <summary>Where messages go.</summary>
    public ILogSink Log { get; init; } = NullLogSink.Instance;

    /// <summary>The command line's settings over every scenario's (each run, each sweep case): e.g. a wall-clock budget.</summary>
    public Runner.RunOverrides Overrides { get; init; } = Runner.RunOverrides.None;
}

/// <summary>
/// <c>cosim test</c>'s engine: finds scenario scripts, runs each as a test (a scenario with assertions is a test
/// case; with a sweep, each case is one), and reports verdicts per case.
/// </summary>
public static class ScenarioTests
{
    /// <summary>
    /// The scripts under <paramref name="paths"/> (files, or folders searched recursively for <c>*.csx</c>), sorted, without
    /// those another found script <c>#load</c>s (shared helpers are not scenarios), whose name matches <paramref name="filter"/>
    /// (a glob with <c>*</c>/<c>?</c>, else a case-insensitive substring). Throws <see cref="InputException"/> for a path that does not exist.
    /// </summary>
    public static IReadOnlyList<string> Discover(IEnumerable<string> paths, string? filter = null)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var p in paths)
        {
            if (File.Exists(p)) found.Add(Path.GetFullPath(p));
            else if (Directory.Exists(p))
                foreach (var f in Directory.EnumerateFiles(p, "*.csx", SearchOption.AllDirectories)) found.Add(Path.GetFullPath(f));
            else throw new InputException($"{p}: no such file or folder");
        }
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in found)
            foreach (var d in ScriptDirectives.Parse(f, File.ReadAllText(f)))
                if (d.Kind == "load" && d.ResolvedPath is { } l) loaded.Add(l);
        return found.Where(f => !loaded.Contains(f) && Matches(Path.GetFileNameWithoutExtension(f), filter)).ToList();
    }

    private static bool Matches(string name, string? filter)
    {
        if (string.IsNullOrEmpty(filter)) return true;
        if (filter.IndexOfAny(['*', '?']) < 0) return name.Contains(filter, StringComparison.OrdinalIgnoreCase);
        var pattern = "^" + Regex.Escape(filter).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        return Regex.IsMatch(name, pattern, RegexOptions.IgnoreCase);
    }

    /// <summary>Runs every script (in parallel when asked) and gathers the results in the scripts' order.</summary>
    public static TestRunReport Run(IReadOnlyList<string> scripts, ScriptHost host, ScenarioTestOptions options, CancellationToken cancel = default)
    {
        var started = DateTime.Now;
        var watch = Stopwatch.StartNew();
        var results = new ScenarioTestResult[scripts.Count];
        var gate = new Lock();
        var parallel = Math.Max(1, options.Parallel);
        System.Threading.Tasks.Parallel.For(0, scripts.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancel }, i =>
        {
            results[i] = RunOne(scripts[i], host, options, Math.Max(1, Environment.ProcessorCount / parallel), cancel);
            lock (gate) options.Finished?.Invoke(results[i]);
        });
        return new TestRunReport(results, started, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Runs one scenario script as a test; never throws for a problem of the script or the run.</summary>
    public static ScenarioTestResult RunOne(string script, ScriptHost host, ScenarioTestOptions options, int sweepParallelism, CancellationToken cancel = default)
    {
        var name = Path.GetFileNameWithoutExtension(script);
        var started = DateTime.Now;
        var watch = Stopwatch.StartNew();
        ScenarioTestResult NotRun(Exception e, IReadOnlyList<string> details) =>
            new(script, name, started, watch.Elapsed.TotalSeconds,
                [new TestCaseResult(name, TestStatus.Error, watch.Elapsed.TotalSeconds)
                {
                    Message = "could not run: " + details[0], Type = e.GetType().Name, Details = details,
                }], CouldNotRun: true);

        CompiledScript compiled;
        try
        {
            compiled = host.Load(script);
        }
        catch (ScriptCompilationException e)
        {
            return NotRun(e, e.Errors);
        }
        catch (InputException e)
        {
            return NotRun(e, [e.Message]);
        }

        ScenarioOutcome outcome;
        try
        {
            var runOptions = ScenarioScripts.Options(compiled) with
            {
                Output = Path.Combine(Path.GetFullPath(options.ResultsDirectory), name + ".csv"),
                Parallelism = sweepParallelism,
                Log = options.Log,
                Overrides = options.Overrides,
            };
            outcome = ScenarioRunner.Run(ScenarioScripts.Builder(compiled), runOptions, cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The script threw while building the scenario.
            return NotRun(e, [ScriptErrors.Describe(e)]);
        }
        if (outcome.Failure is InputException input && outcome.Cases.Count == 0) return NotRun(input, [input.Message]);
        return Result(script, started, watch.Elapsed.TotalSeconds, outcome);
    }

    /// <summary>The test result of a scenario that ran (<paramref name="outcome"/>): one test case, or one per sweep case.</summary>
    public static ScenarioTestResult Result(string script, DateTime started, double seconds, ScenarioOutcome outcome)
    {
        var name = outcome.Name;
        var cases = outcome.Cases.Count == 0
            ? [Case(name, outcome.Assertions, outcome.Failure, outcome.Events, seconds)]
            : outcome.Cases.Select(c => Case(
                $"{name} case {c.Number} ({string.Join(", ", c.Parameters.Select(p => $"{p.Key}={AssertionText.N(p.Value)}"))})",
                c.Assertions, c.Failure, c.Events, seconds / outcome.Cases.Count)).ToList();
        return new ScenarioTestResult(script, name, started, seconds, cases,
            CouldNotRun: outcome.Cases.Any(c => c.Failure is InputException))
        {
            ResultFiles = outcome.ResultPaths,
            SummaryFile = outcome.SummaryPath,
            Outcome = outcome,
        };
    }

    private static TestCaseResult Case(string name, IReadOnlyList<AssertionResult> verdicts, Exception? failure, IReadOnlyList<TriggeredEvent> events, double seconds)
    {
        var details = verdicts.Select(AssertionText.Describe).Concat(events.Select(e => "event " + e)).ToList();
        if (failure != null)
            return new TestCaseResult(name, TestStatus.Error, seconds)
            {
                Message = (failure is InputException ? "could not run: " : "run failed: ") + ScriptErrors.Describe(failure),
                Type = failure.GetType().Name,
                Details = details,
            };
        if (verdicts.FirstOrDefault(v => v.Verdict == Verdict.Fail) is { } failed)
            return new TestCaseResult(name, TestStatus.Failed, seconds)
            {
                Message = AssertionText.Describe(failed) + (verdicts.Count(v => v.Verdict == Verdict.Fail) is > 1 and var n ? $" (and {n - 1} more)" : ""),
                Type = "assertion",
                Details = details,
            };
        if (verdicts.Count == 0)
            return new TestCaseResult(name, TestStatus.Skipped, seconds) { Message = "no assertions", Details = details };
        return new TestCaseResult(name, TestStatus.Passed, seconds) { Details = details };
    }
}
