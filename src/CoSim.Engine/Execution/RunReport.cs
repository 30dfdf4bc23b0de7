using CoSim.Core;

namespace CoSim.Engine.Execution;

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>Reached the stop time.</summary>
    Completed,
    /// <summary>A component asked to terminate; results up to that time are kept.</summary>
    TerminatedByComponent,
    /// <summary>Stopped on request (Ctrl+C, a scenario); results up to that time are kept.</summary>
    Stopped,
}

/// <summary>Figures of a run, for the user and for benchmarks.</summary>
public sealed record RunStatistics
{
    /// <summary>Accepted communication steps.</summary>
    public long Steps { get; init; }
    /// <summary>Steps undone and retried because the coupling error exceeded the tolerance.</summary>
    public long RejectedSteps { get; init; }
    /// <summary>Steps undone and retried because a component declined them (Discard).</summary>
    public long DiscardedSteps { get; init; }
    public SimTime SmallestStep { get; init; }
    public SimTime LargestStep { get; init; }
    /// <summary>
    /// The largest coupling error of an accepted step: the change of a connected input between the value
    /// held over the step and its value at the step end, relative to 1 + |held value|.
    /// </summary>
    public double MaxCouplingChange { get; init; }
    /// <summary>Algebraic-loop solves, total iterations (function evaluations) and Newton fallbacks.</summary>
    public long LoopSolves { get; init; }
    public long LoopIterations { get; init; }
    public long NewtonFallbacks { get; init; }
    /// <summary>Real-time pacing: steps that finished after their wall-clock deadline, and by how much at most / in total.</summary>
    public long Overruns { get; init; }
    public TimeSpan MaxOverrun { get; init; }
    public TimeSpan TotalOverrun { get; init; }
    /// <summary>Wall time of the stepping loop (initialization excluded).</summary>
    public TimeSpan SteppingTime { get; init; }
    /// <summary>Time spent inside each component's step, by name (only with <see cref="SystemRunOptions.ProfileComponents"/>).</summary>
    public IReadOnlyDictionary<string, TimeSpan> ComponentStepTime { get; init; } = new Dictionary<string, TimeSpan>();
    /// <summary>Solver statistics of components that integrate themselves (model exchange), by name.</summary>
    public IReadOnlyDictionary<string, string> SolverStatistics { get; init; } = new Dictionary<string, string>();
}

/// <summary>How a run ended, with its statistics.</summary>
/// <param name="Outcome">Completed, terminated by a component, or stopped.</param>
/// <param name="EndTime">The last communication point reached.</param>
/// <param name="WallTime">Wall time of the whole run.</param>
/// <param name="Reason">Why it ended early, or null.</param>
/// <param name="Statistics">Steps, rejections, loops, pacing and timing figures.</param>
public sealed record RunReport(RunOutcome Outcome, SimTime EndTime, TimeSpan WallTime, string? Reason, RunStatistics Statistics);
