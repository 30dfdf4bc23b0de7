using CoSim.Core;

namespace CoSim.Engine.Algorithms;

/// <summary>What one <see cref="IMasterAlgorithm.Advance"/> achieved.</summary>
/// <param name="Reached">The communication point every component reached.</param>
/// <param name="TerminatedBy">The component that asked to end the simulation, or null.</param>
public readonly record struct AdvanceResult(SimTime Reached, string? TerminatedBy);

/// <summary>What a master algorithm works with, handed over once before the first step.</summary>
public sealed class AlgorithmContext
{
    internal AlgorithmContext(CoupledSystem system, LoopSolver loops, AlgorithmStatistics statistics, int threads, long baseSteps, bool profile)
    {
        Profile = profile;
        System = system;
        Loops = loops;
        Statistics = statistics;
        Threads = threads;
        BaseSteps = baseSteps;
    }

    /// <summary>The components with their buffers, connections, Gauss-Seidel order and algebraic loops.</summary>
    public CoupledSystem System { get; }

    /// <summary>Solves the system's algebraic loops at a communication point.</summary>
    public LoopSolver Loops { get; }

    /// <summary>Counters the algorithm adds to (rejected steps, coupling error).</summary>
    public AlgorithmStatistics Statistics { get; }

    /// <summary>Threads the algorithm may step components on (results must not depend on it).</summary>
    public int Threads { get; }

    /// <summary>Whether to measure the time spent inside each component's step (<see cref="CoupledComponent.StepTicks"/>).</summary>
    public bool Profile { get; }

    /// <summary>Number of base steps of the schedule (fixed-step algorithms: the last one may be shorter).</summary>
    public long BaseSteps { get; }
}

/// <summary>
/// A master algorithm: how the components of a coupled system advance from one communication
/// point to the next and exchange their values. The execution (<see cref="Execution.SystemExecution"/>)
/// owns everything else: instantiation, parameters, initialization (consistent initial values),
/// manipulators before and observers after each step, pacing, stop requests, failure and teardown.
/// Call order: <see cref="Check"/>, <see cref="Start"/> after initialization, then
/// <see cref="Advance"/> until the stop time, then <see cref="IDisposable.Dispose"/>.
/// On entry to <see cref="Advance"/> every component's published outputs hold its values at
/// <c>time</c>; on return they hold the values at the reached point, with algebraic loops solved.
/// </summary>
public interface IMasterAlgorithm : IDisposable
{
    /// <summary>Name for messages and the run summary, e.g. "jacobi".</summary>
    string Name { get; }

    /// <summary>
    /// Whether the communication points are the schedule's (<c>start + n*step</c>); false when the
    /// algorithm chooses its own steps (it is then given the stop time as the target).
    /// </summary>
    bool FixedStep { get; }

    /// <summary>Every reason this algorithm cannot run <paramref name="system"/> (e.g. a component that cannot save state for rollback).</summary>
    IEnumerable<string> Check(CoupledSystem system);

    /// <summary>Prepares to step (thread pool, buffers); called once after initialization.</summary>
    void Start(AlgorithmContext context);

    /// <summary>
    /// Advances every component from <paramref name="time"/>, the <paramref name="n"/>-th
    /// communication point, towards <paramref name="target"/>: fixed-step algorithms reach it,
    /// others may stop short of it. Throws <see cref="SimulationException"/> when a component fails.
    /// </summary>
    AdvanceResult Advance(long n, SimTime time, SimTime target);
}

/// <summary>Figures an algorithm adds to while it runs.</summary>
public sealed class AlgorithmStatistics
{
    /// <summary>Steps undone and retried because the coupling error exceeded the tolerance.</summary>
    public long Rejected;

    /// <summary>Steps undone and retried because a component declined them (Discard).</summary>
    public long Discarded;

    /// <summary>The largest coupling error of an accepted step (see <see cref="CoupledComponent.HeldInputChange"/>).</summary>
    public double MaxCouplingChange;

    /// <summary>Records the coupling error of an accepted step.</summary>
    public void TrackCoupling(double change)
    {
        if (change > MaxCouplingChange) MaxCouplingChange = change;
    }
}
