using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using CoSim.Core;
using CoSim.Core.Assessment;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Runner;

namespace CoSim.Scenarios;

/// <summary>What a finished (or failed) run leaves for the assertions and metrics to judge.</summary>
internal sealed record RunRecord(TraceRecorder Traces, double Start, double End, bool Completed, IReadOnlyList<TriggeredEvent> Events);

/// <summary>
/// Runs scenarios: builds the scenario (the script runs), prepares the run through
/// <see cref="PreparedRun"/> (every bad name, file and setting reported at once), runs it with the
/// scenario's events and faults, and judges its assertions on the recorded signals, also after a
/// failed run (windows the run did not reach are not evaluated). A scenario with a sweep runs each
/// case as an independent run: the script is built again per case (fresh components, events and
/// fault state), the case's values applied, the cases in parallel on the local cores, each with its
/// own result file <c>NAME.case-N.csv</c>, and a summary table <c>NAME.summary.csv</c> beside them.
/// </summary>
public static partial class ScenarioRunner
{
    /// <summary>
    /// Runs the scenario <paramref name="build"/> makes. An exception thrown by <paramref name="build"/>
    /// (the script) propagates unchanged; failures of the run are in the outcome.
    /// </summary>
    public static ScenarioOutcome Run(Func<ScenarioContext, Scenario> build, ScenarioRunOptions options, CancellationToken cancel = default)
    {
        var log = options.Log ?? NullLogSink.Instance;
        var context = new ScenarioContext(options.Name, options.BaseDirectory, log) { KafkaReplay = options.KafkaReplay, LoadsFiles = options.LoadsFiles };
        var scenario = build(context);
        var output = OutputOf(scenario, options);
        if (scenario.Sweep is not { } sweep)
        {
            var single = RunOnce(scenario, output, options, options.Progress, threads: null, cancel);
            return new ScenarioOutcome(options.Name)
            {
                Assertions = single.Assertions,
                Failure = single.Failure,
                ResultPath = single.ResultPath,
                ResultPaths = single.Failure is InputException ? [] : [single.ResultPath!],
                Report = single.Report,
                End = single.End,
                Events = single.Events,
                Metrics = single.Metrics,
                Reports = single.Reports,
                Run = single.Run,
            };
        }

        // The first build only told us the cases: its components were never made, except those given as instances.
        DisposeInstances(scenario);
        // What-if branches: one run to the fork time, then every case from its checkpoint (null: each from the start).
        using var fork = scenario.ForkTime is { } at ? ForkPoint.Take(build, context, scenario, at, output, options, cancel) : null;
        var parallelism = Math.Max(1, options.Parallelism ?? Environment.ProcessorCount);
        var cases = new CaseOutcome[sweep.Cases.Count];
        var done = 0;
        try
        {
            // A cancelled sweep still visits every case: each stops at once and is reported as stopped.
            Parallel.For(0, cases.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i =>
            {
                var values = sweep.Cases[i];
                var caseScenario = build(context with { CaseParameters = values, CaseNumber = i + 1 });
                foreach (var (name, value) in values.Where(v => v.Key.Contains('.')))
                    caseScenario.Specification.Parameters.Add(new ParameterValue(VariableRef.Parse(name), value.ToString("R", CultureInfo.InvariantCulture)));
                var unused = values.Keys.Where(n => !n.Contains('.') && !caseScenario.CaseNamesRead.Contains(n)).ToList();
                // Cases share the cores: each steps its components on one thread.
                var result = unused.Count > 0
                    ? Unused(caseScenario, unused, CasePath(output, i + 1))
                    : RunOnce(caseScenario, CasePath(output, i + 1), options, null, parallelism > 1 ? 1 : null, cancel, fork?.BranchOverrides(options.Overrides));
                cases[i] = new CaseOutcome(i + 1, values)
                {
                    Assertions = result.Assertions,
                    Metrics = result.Metrics,
                    ResultPath = result.Failure is InputException ? null : result.ResultPath,
                    Failure = result.Failure,
                    Report = result.Report,
                    Events = result.Events,
                };
                options.Progress?.Invoke(Interlocked.Increment(ref done) / (double)cases.Length);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            // The script's own exception, as thrown (with its stack), for the host to map to a line.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        var summary = SummaryPath(output);
        WriteSummary(summary, sweep, cases);
        return new ScenarioOutcome(options.Name)
        {
            Assertions = cases.SelectMany(c => c.Assertions).ToList(),
            Failure = cases.Select(c => c.Failure).FirstOrDefault(f => f != null),
            ResultPaths = cases.Where(c => c.ResultPath != null).Select(c => c.ResultPath!).ToList(),
            SummaryPath = summary,
            Cases = cases,
        };
    }

    private sealed record Single(IReadOnlyList<AssertionResult> Assertions, IReadOnlyDictionary<string, double> Metrics, Exception? Failure,
        string ResultPath, RunReport? Report, double? End, IReadOnlyList<TriggeredEvent> Events)
    {
        public IReadOnlyList<string> Reports { get; init; } = [];
        public RunResult? Run { get; init; }
    }

    /// <summary>One run of the scenario (or of a sweep case) through a <see cref="RunSession"/>, with the scenario's driver and traces attached, then judged.</summary>
    private static Single RunOnce(Scenario scenario, string output, ScenarioRunOptions options, Action<double>? progress, int? threads, CancellationToken cancel,
        RunOverrides? overrides = null)
    {
        var log = options.Log ?? NullLogSink.Instance;
        var spec = scenario.Specification;
        spec.Output = output;
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        if (threads != null) spec.Threads ??= threads;
        if (options.KafkaReplay != null && !spec.Manipulators.OfType<Kafka.KafkaSource>().Any())
            throw new InputException($"a Kafka replay from {options.KafkaReplay} was asked for, but the script attaches no Kafka source (Kafka(\"config.json\"))");
        var driver = new ScenarioDriver(scenario, spec.Connections, log);
        var traces = new TraceRecorder(scenario.JudgedSignals());
        spec.Manipulators.Add(driver);
        spec.Observers.Add(driver);
        spec.Observers.Add(traces);

        var session = new RunSession(spec)
        {
            // The result file is the scenario's (or the case's); the front end writes the report.
            Overrides = (overrides ?? options.Overrides) with { Output = null, Report = null },
            Registry = options.Registry,
            Log = log,
            CommandLine = options.CommandLine,
            Progress = progress,
            Prepared = _ => scenario.Driver = driver,
            Cancel = cancel,
        };
        RunResult run;
        try
        {
            run = session.Run();
        }
        catch (Exception e) when (e is InputException or SimulationException)
        {
            // The session has disposed whatever it made, the script's own component instances included.
            return new Single([], new Dictionary<string, double>(), scenario.Locate(e), output, null, null, []);
        }
        finally
        {
            scenario.Driver = null;
        }
        var failure = run.Failure;
        var start = run.Schedule.Start.Seconds;
        var end = traces.End ?? start;
        var record = new RunRecord(traces, start, end, run.Report?.Outcome == RunOutcome.Completed, driver.Events);
        IReadOnlyList<AssertionResult> verdicts = [];
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
        try
        {
            (verdicts, metrics) = scenario.Judge(record);
        }
        catch (ScenarioActionException e)
        {
            failure ??= e;
        }
        return new Single(verdicts, metrics, failure, output, run.Report, traces.End, driver.Events) { Reports = run.ReporterLines, Run = run };
    }

    private static Single Unused(Scenario scenario, IReadOnlyList<string> names, string output)
    {
        DisposeInstances(scenario);
        var e = new InputException($"sweep parameter{(names.Count > 1 ? "s" : "")} {string.Join(", ", names.Select(n => $"'{n}'"))}: neither Component.variable nor read by the script with Case(\"{names[0]}\", fallback), so the case would not change");
        return new Single([], new Dictionary<string, double>(), e, output, null, null, []);
    }

    private static void DisposeInstances(Scenario scenario)
    {
        foreach (var c in scenario.Specification.Components.Where(c => c.Instance != null)) c.Instance!.Dispose();
    }

    private static string OutputOf(Scenario scenario, ScenarioRunOptions options) =>
        Path.GetFullPath(options.Output ?? options.Overrides.Output ?? scenario.OutputPath ?? options.Name + ".csv");

    /// <summary><c>dir/NAME.case-N.ext</c> for the output <c>dir/NAME.ext</c>.</summary>
    internal static string CasePath(string output, int number) =>
        Path.Combine(Path.GetDirectoryName(output) ?? "", $"{Path.GetFileNameWithoutExtension(output)}.case-{number}{Path.GetExtension(output)}");

    /// <summary><c>dir/NAME.summary.csv</c> for the output <c>dir/NAME.ext</c>.</summary>
    internal static string SummaryPath(string output) =>
        Path.Combine(Path.GetDirectoryName(output) ?? "", $"{Path.GetFileNameWithoutExtension(output)}.summary.csv");

    /// <summary>One row per case: number, parameters, passed, each assertion's verdict, each metric, the failure, the result file.</summary>
    private static void WriteSummary(string path, Sweep sweep, IReadOnlyList<CaseOutcome> cases)
    {
        var assertions = cases.SelectMany(c => c.Assertions.Select(a => a.Name)).Distinct().ToList();
        var metrics = cases.SelectMany(c => c.Metrics.Keys).Distinct().ToList();
        var text = new StringBuilder();
        Row(text, ["case", .. sweep.Names, "passed", .. assertions, .. metrics, "failure", "result"]);
        foreach (var c in cases)
            Row(text, [
                c.Number.ToString(CultureInfo.InvariantCulture),
                .. sweep.Names.Select(n => Number(c.Parameters[n])),
                c.Passed ? "true" : "false",
                .. assertions.Select(a => c.Assertions.FirstOrDefault(x => x.Name == a)?.Verdict switch
                {
                    Verdict.Pass => "pass",
                    Verdict.Fail => "fail",
                    Verdict.NotEvaluated => "not-evaluated",
                    _ => "",
                }),
                .. metrics.Select(m => c.Metrics.TryGetValue(m, out var v) ? Number(v) : ""),
                c.Failure == null ? "" : c.Failure is SimulationException se ? se.Describe() : c.Failure.Message,
                c.ResultPath == null ? "" : Path.GetFileName(c.ResultPath),
            ]);
        Directory.CreateDirectory(Path.GetDirectoryName(path) ?? ".");
        File.WriteAllText(path, text.ToString());
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder text, IEnumerable<string> cells)
    {
        text.AppendJoin(',', cells.Select(c => c.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + c.Replace("\"", "\"\"") + "\"" : c));
        text.Append('\n');
    }
}
