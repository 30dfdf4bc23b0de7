using CoSim.Engine.Algorithms;

namespace CoSim.Engine.Execution;

/// <summary>The master algorithm of a system run.</summary>
public enum MasterAlgorithm
{
    /// <summary>Fixed step; every unit steps from the outputs of the previous communication point, all in parallel.</summary>
    Jacobi,
    /// <summary>Fixed step; units step one after another in the order of the connection graph, each seeing this step's outputs of its providers.</summary>
    GaussSeidel,
    /// <summary>Jacobi with step-size control: a step whose coupling error exceeds the tolerance, or that a unit discards, is rolled back and retried smaller.</summary>
    VariableStep,
}

/// <summary>Step-size control of <see cref="MasterAlgorithm.VariableStep"/>.</summary>
public sealed record VariableStepOptions
{
    /// <summary>
    /// Tolerance on the coupling error of one step: the largest change of a connected input between the
    /// value held over the step and its value at the step end (with outputs of direct feedthrough
    /// re-read for the end inputs), relative to 1 + |held value|. A step with error above it is
    /// rolled back and retried smaller. Default 1e-3.
    /// </summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Smallest step; a step that must shrink below it fails the run. Default 1 µs.</summary>
    public double MinStep { get; init; } = 1e-6;

    /// <summary>Largest step; default: the whole interval / 10.</summary>
    public double? MaxStep { get; init; }

    /// <summary>Largest growth factor of the step after an accepted step.</summary>
    public double MaxGrowth { get; init; } = 1.5;

    /// <summary>Smallest factor by which a step shrinks, after an accepted or a rejected step.</summary>
    public double MinShrink { get; init; } = 0.2;

    /// <summary>Safety factor of the step controller: the next step aims at this fraction of the tolerance.</summary>
    public double Safety { get; init; } = 0.8;
}

/// <summary>How Gauss-Seidel feeds a unit the output of a provider that has already stepped.</summary>
public enum GaussSeidelHold
{
    /// <summary>The provider's value at the end of the step (the textbook scheme; the default).</summary>
    End,
    /// <summary>
    /// The mean of the provider's values at both ends of the step, for inputs without direct feedthrough
    /// to any output of the consumer (others take the end value).
    /// </summary>
    Mean,
}

/// <summary>Everything a <see cref="SystemExecution"/> needs besides the system itself.</summary>

public sealed record SystemRunOptions
{
    /// <summary>Start, stop and the base step (for <see cref="MasterAlgorithm.VariableStep"/>, the first step).</summary>
    public required StepSchedule Schedule { get; init; }

    public MasterAlgorithm Algorithm { get; init; } = MasterAlgorithm.Jacobi;

    /// <summary>
    /// Gauss-Seidel: what a unit holds over its step for an input whose provider has already stepped.
    /// <see cref="GaussSeidelHold.End"/> (default, the textbook scheme) the provider's value at t+h, so a
    /// direct-feedthrough chain reproduces its source exactly. <see cref="GaussSeidelHold.Mean"/> holds the
    /// mean of the values at t and t+h, but only for continuous inputs that feed through to no output of
    /// the consumer (a feedthrough output would otherwise show the mean, not the value at t+h); discrete
    /// inputs and feedthrough inputs always take t+h. See docs/algorithms.md for the trade-off.
    /// </summary>
    public GaussSeidelHold GaussSeidelHold { get; init; } = GaussSeidelHold.End;

    /// <summary>Threads stepping units in parallel (Jacobi and variable step); results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Pacing: 1 = wall clock, 2 = twice as fast, 0 = as fast as possible.</summary>
    public double RealTimeFactor { get; init; }

    /// <summary>
    /// Relative tolerance handed to the units at initialization (fmi2SetupExperiment /
    /// fmi3EnterInitializationMode), only when the user asked for one: null (default) passes none, so a
    /// co-simulation FMU uses its own setting (some exporters' solvers misbehave when given one).
    /// Model-exchange units integrate with this tolerance, else their default experiment's.
    /// </summary>
    public double? UnitTolerance { get; init; }

    public VariableStepOptions VariableStep { get; init; } = new();

    public LoopSolverOptions Loops { get; init; } = new();
}
