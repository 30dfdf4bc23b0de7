using CoSim.Core;
using CoSim.Core.Assessment;
using CoSim.Engine.Execution;
using CoSim.Runner;

namespace CoSim.Scenarios;

/// <summary>How a scenario is run: where its results go, how sweep cases share the cores, where messages go.</summary>
/// <param name="Name">The scenario's name (the script's file name without extension): names the result files.</param>
/// <param name="BaseDirectory">The folder the script's relative paths resolve against (the script's folder).</param>
public sealed record ScenarioRunOptions(string Name, string BaseDirectory)
{
    /// <summary>The result file, overriding the script's <see cref="Scenario.Output"/>; null: the script's, else <c>NAME.csv</c> in the working folder.</summary>
    public string? Output { get; init; }

    /// <summary>Sweep cases run at once; null: one per core.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Where messages (event triggers, warnings) go; null: nowhere.</summary>
    public ILogSink? Log { get; init; }

    /// <summary>Called with the fraction done (0..1): of the run, or of the sweep's cases.</summary>
    public Action<double>? Progress { get; init; }

    /// <summary>The component factories; null: <see cref="PreparedRun.DefaultRegistry"/>.</summary>
    public ComponentRegistry? Registry { get; init; }

    /// <summary>The command line (program first) recorded in each result's provenance (<c>RESULT.provenance.json</c>); null: none written.</summary>
    public IReadOnlyList<string>? CommandLine { get; init; }

    /// <summary>A result's provenance whose recorded Kafka offsets the script's <see cref="Scenario.Kafka"/> sources read again, instead of the live stream.</summary>
    public string? KafkaReplay { get; init; }

    /// <summary>The script <c>#load</c>s other files (see <see cref="ScenarioContext.LoadsFiles"/>).</summary>
    public bool LoadsFiles { get; init; }

    /// <summary>The user's settings over the script's, applied to each run (a sweep's every case): e.g. another stop time, --set, a wall-clock budget.</summary>
    public RunOverrides Overrides { get; init; } = RunOverrides.None;
}

/// <summary>One case of a sweep: its values, verdicts, metrics and result file.</summary>
/// <param name="Number">The case's number (1-based, the order of the sweep's cases).</param>
/// <param name="Parameters">The case's values by name.</param>
public sealed record CaseOutcome(int Number, IReadOnlyDictionary<string, double> Parameters)
{
    /// <summary>The verdicts of the scenario's assertions in this case.</summary>
    public IReadOnlyList<AssertionResult> Assertions { get; init; } = [];

    /// <summary>The chosen metrics' values by name (NaN: the signal has no recorded value).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The case's result file (<c>NAME.case-N.csv</c>).</summary>
    public string? ResultPath { get; init; }

    /// <summary>Why the case did not run (<see cref="InputException"/>) or failed (<see cref="SimulationException"/>); null: it ran.</summary>
    public Exception? Failure { get; init; }

    /// <summary>How the run ended, when it ended without failure.</summary>
    public RunReport? Report { get; init; }

    /// <summary>What triggered when.</summary>
    public IReadOnlyList<TriggeredEvent> Events { get; init; } = [];

    /// <summary>Ran, and no assertion failed (not-evaluated ones do not fail a case).</summary>
    public bool Passed => Failure == null && Assertions.All(a => a.Verdict != Verdict.Fail);
}

/// <summary>
/// What running a scenario gave: the verdicts, the failure if any, the result file(s), the run's
/// report and event log, and for a sweep one <see cref="CaseOutcome"/> per case and the summary table.
/// </summary>
/// <param name="Name">The scenario's name.</param>
public sealed record ScenarioOutcome(string Name)
{
    /// <summary>The verdicts (for a sweep: every case's, in case order).</summary>
    public IReadOnlyList<AssertionResult> Assertions { get; init; } = [];

    /// <summary>
    /// Why the run did not happen (<see cref="InputException"/>: bad names, files, settings; exit 2) or
    /// failed (<see cref="SimulationException"/>, e.g. <see cref="ScenarioActionException"/>; exit 1); null: it ran.
    /// For a sweep: the first case's failure.
    /// </summary>
    public Exception? Failure { get; init; }

    /// <summary>The result file (for a sweep: null, see <see cref="ResultPaths"/>).</summary>
    public string? ResultPath { get; init; }

    /// <summary>Every result file written (one per sweep case).</summary>
    public IReadOnlyList<string> ResultPaths { get; init; } = [];

    /// <summary>The sweep's summary table (CSV), or null.</summary>
    public string? SummaryPath { get; init; }

    /// <summary>How the run ended and its statistics (null after a failure, and for a sweep).</summary>
    public RunReport? Report { get; init; }

    /// <summary>The time the run reached [s] (for a failed run: the last recorded point), or null if it never started.</summary>
    public double? End { get; init; }

    /// <summary>What triggered when (events, fault starts and ends).</summary>
    public IReadOnlyList<TriggeredEvent> Events { get; init; } = [];

    /// <summary>What the run's reporters said (live sources and sinks, replayed files, shadow comparisons), a line each (a plain run).</summary>
    public IReadOnlyList<string> Reports { get; init; } = [];

    /// <summary>The session's result of a plain run that was prepared (null for a sweep, and when the run could not be made): what a report shows.</summary>
    public RunResult? Run { get; init; }

    /// <summary>The chosen metrics' values by name (a plain run).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The sweep's cases, in order; empty for a plain run.</summary>
    public IReadOnlyList<CaseOutcome> Cases { get; init; } = [];

    /// <summary>Ran (every case), and no assertion failed. Not-evaluated assertions do not fail a scenario; a front end may be stricter.</summary>
    public bool Passed => Failure == null && Assertions.All(a => a.Verdict != Verdict.Fail) && Cases.All(c => c.Passed);
}
