using CoSim.Core;

namespace CoSim.Engine.Execution;

/// <summary>Figures of a system run, for the user and for benchmarks.</summary>
public sealed record SystemRunStatistics
{
    /// <summary>Accepted communication steps.</summary>
    public long Steps { get; init; }
    /// <summary>Steps undone and retried because the coupling error exceeded the tolerance.</summary>
    public long RejectedSteps { get; init; }
    /// <summary>Steps undone and retried because a unit declined them (Discard).</summary>
    public long DiscardedSteps { get; init; }
    public SimTime SmallestStep { get; init; }
    public SimTime LargestStep { get; init; }
    /// <summary>
    /// The largest coupling error of an accepted step: the change of a connected input between the value
    /// held over the step and its value at the step end, relative to 1 + |held value| (what
    /// <see cref="VariableStepOptions.Tolerance"/> bounds), over every algorithm.
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
    /// <summary>Time spent inside each unit's Step, by component name.</summary>
    public IReadOnlyDictionary<string, TimeSpan> UnitStepTime { get; init; } = new Dictionary<string, TimeSpan>();
}

/// <summary>How a system run ended, with its statistics.</summary>
public sealed record SystemRunReport(RunOutcome Outcome, SimTime EndTime, TimeSpan WallTime, string? Reason, SystemRunStatistics Statistics);
