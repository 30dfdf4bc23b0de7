using CoSim.Engine.Algorithms;

namespace CoSim.Engine.Execution;

/// <summary>The master algorithms the engine has; each is one class in <c>Algorithms/</c>.</summary>
public enum MasterAlgorithm
{
    /// <summary><see cref="JacobiAlgorithm"/>: fixed step, every component from the previous point's outputs, in parallel.</summary>
    Jacobi,
    /// <summary><see cref="GaussSeidelAlgorithm"/>: fixed step, components one after another in the connection graph's order.</summary>
    GaussSeidel,
    /// <summary><see cref="MultiRateAlgorithm"/>: Jacobi where each component steps at its own multiple of the base step.</summary>
    MultiRate,
    /// <summary><see cref="VariableStepAlgorithm"/>: Jacobi with step-size control and rollback.</summary>
    VariableStep,
}

/// <summary>Everything a <see cref="SystemExecution"/> needs besides the system itself.</summary>
public sealed record SystemRunOptions
{
    /// <summary>Start, stop and the base step (for <see cref="MasterAlgorithm.VariableStep"/>, the first step).</summary>
    public required StepSchedule Schedule { get; init; }

    /// <summary>The master algorithm; default Jacobi.</summary>
    public MasterAlgorithm Algorithm { get; init; } = MasterAlgorithm.Jacobi;

    /// <summary>Gauss-Seidel: what a component holds for an input whose provider already stepped (default: its end value, the textbook scheme).</summary>
    public GaussSeidelHold GaussSeidelHold { get; init; } = GaussSeidelHold.End;

    /// <summary>Step-size control of the variable-step algorithm.</summary>
    public VariableStepOptions VariableStep { get; init; } = new();

    /// <summary>Threads stepping components in parallel (Jacobi, multi-rate, variable step); results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Pacing: 1 = wall clock, 2 = twice as fast, 0 = as fast as possible.</summary>
    public double RealTimeFactor { get; init; }

    /// <summary>
    /// Relative tolerance handed to the components at initialization, only when the user asked for
    /// one: some exporters' co-simulation solvers misbehave when given a tolerance they did not
    /// choose. Model-exchange components integrate with their default experiment's tolerance when this is null.
    /// </summary>
    public double? ComponentTolerance { get; init; }

    /// <summary>Algebraic-loop solver settings.</summary>
    public LoopSolverOptions Loops { get; init; } = new();

    /// <summary>Measure the time spent inside each component's step (<see cref="RunStatistics.ComponentStepTime"/>); costs two clock reads a step.</summary>
    public bool ProfileComponents { get; init; }

    /// <summary>Save a <see cref="SystemCheckpoint"/> every so often (null: never). Every part of the run must then be able to save its state: the run refuses to start otherwise, naming each part that cannot.</summary>
    public CheckpointPolicy? Checkpoints { get; init; }

    /// <summary>Continue from this checkpoint of a run of the same specification instead of from the start (after the usual initialization).</summary>
    public SystemCheckpoint? Resume { get; init; }

    /// <summary>Every problem with these options, all at once.</summary>
    public IEnumerable<string> Problems() => SettingProblems(Threads, RealTimeFactor, ComponentTolerance);

    /// <summary>The checks of the run settings, shared with <see cref="Specification.RunSpecification.Problems"/>.</summary>
    public static IEnumerable<string> SettingProblems(int? threads, double realTimeFactor, double? tolerance)
    {
        if (threads is < 1) yield return $"threads must be at least 1 (got {threads})";
        if (realTimeFactor < 0 || !double.IsFinite(realTimeFactor)) yield return $"real-time factor {realTimeFactor} must be 0 (as fast as possible) or positive";
        if (tolerance is { } tol && (!(tol > 0) || !double.IsFinite(tol))) yield return $"tolerance {tol} must be a positive number";
    }

    /// <summary>A new instance of the chosen algorithm.</summary>
    public IMasterAlgorithm CreateAlgorithm() => Algorithm switch
    {
        MasterAlgorithm.GaussSeidel => new GaussSeidelAlgorithm(GaussSeidelHold),
        MasterAlgorithm.MultiRate => new MultiRateAlgorithm(),
        MasterAlgorithm.VariableStep => new VariableStepAlgorithm(VariableStep, Schedule.Step, Schedule.Stop - Schedule.Start),
        _ => new JacobiAlgorithm(),
    };
}
