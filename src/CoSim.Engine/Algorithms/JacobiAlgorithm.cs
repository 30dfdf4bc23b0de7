using CoSim.Core;

namespace CoSim.Engine.Algorithms;

/// <summary>
/// Fixed-step Jacobi: every component steps from the outputs of the previous communication point,
/// all in parallel on a worker pool. Results do not depend on the thread count: each step reads
/// only values fixed before the parallel section, and failures are reported in component order.
/// After the step, outputs with direct feedthrough are refreshed with the inputs at the new point
/// and algebraic loops are solved there.
/// </summary>
public class JacobiAlgorithm : IMasterAlgorithm, ICheckpointable
{
    private AlgorithmContext _context = null!;
    private CoupledComponent[] _components = [];
    private CoupledComponent[] _due = [];
    private SimTime[] _intervalStart = [];
    private int _dueCount;
    private ParallelStep _stepper = null!;
    private long _n;
    private Func<CoupledComponent, bool> _isDue = null!;
    private AlgebraicLoop[] _loops = [];
    private LoopSolver _loopSolver = null!;
    private CoupledComponent? _alone;
    private bool _profile;

    /// <inheritdoc />
    public virtual string Name => "jacobi";

    /// <inheritdoc />
    public bool FixedStep => true;

    /// <inheritdoc />
    public virtual IEnumerable<string> Check(CoupledSystem system) => RequireSingleRate(system, Name);

    /// <summary>Problems for a single-rate algorithm: components with a step multiple other than 1.</summary>
    internal static IEnumerable<string> RequireSingleRate(CoupledSystem system, string algorithm) =>
        system.Components.Where(c => c.Multiple != 1).Select(c =>
            $"component '{c.Name}' steps every {c.Multiple} base steps; step multiples need the multi-rate algorithm, not {algorithm}");

    /// <inheritdoc />
    public void Start(AlgorithmContext context)
    {
        _context = context;
        _components = context.System.Components;
        _due = new CoupledComponent[_components.Length];
        _intervalStart = new SimTime[_components.Length];
        _isDue = c => IsDue(c, _n, _context.BaseSteps);
        _loops = context.System.Loops;
        _loopSolver = context.Loops;
        _profile = context.Profile;
        // A component alone and uncoupled (what 'cosim simulate' runs) needs none of the exchange: the hot path.
        _alone = _components is [{ Multiple: 1, Incoming.Length: 0 } only] && _loops.Length == 0 ? only : null;
        _stepper = new ParallelStep(_components.Length, context.Threads, _profile);
    }

    /// <summary>Checkpoint: where each component's current (multi-rate) interval started.</summary>
    public void SaveCheckpoint(BinaryWriter writer, SimTime time)
    {
        writer.Write(_intervalStart.Length);
        foreach (var t in _intervalStart) writer.Write(t.Ticks);
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        var n = reader.ReadInt32();
        if (n != _intervalStart.Length) throw new InputException($"checkpoint: {n} components in the algorithm's state, the run has {_intervalStart.Length}");
        for (var i = 0; i < n; i++) _intervalStart[i] = new SimTime(reader.ReadInt64());
    }

    /// <inheritdoc />
    public AdvanceResult Advance(long n, SimTime time, SimTime target)
    {
        if (_alone is { } alone) return AdvanceAlone(alone, time, target);
        var total = _context.BaseSteps;
        _n = n;
        _dueCount = 0;
        foreach (var c in _components)
        {
            if (c.Multiple == 1 || n % c.Multiple == 0)
            {
                _intervalStart[c.Index] = time;
                c.ComputeInputs(time);
                c.WriteInputs();
                c.Hold();
            }
            if (IsDue(c, n, total)) _due[_dueCount++] = c;
        }
        _stepper.Run(_due, _dueCount, _intervalStart, target);
        string? terminatedBy = null;
        for (var i = 0; i < _dueCount; i++) terminatedBy ??= Stepping.Check(_due[i], _intervalStart[_due[i].Index], target, RetryHint);
        for (var i = 0; i < _dueCount; i++) _due[i].PublishPendingOutputs();
        Stepping.RefreshFeedthrough(_context.System, target, _isDue);
        foreach (var loop in _loops) _loopSolver.Solve(loop, target);
        for (var i = 0; i < _dueCount; i++)
            if (_due[i].Incoming.Length > 0) _context.Statistics.TrackCoupling(_due[i].HeldInputChange(fromPending: false));
        return new AdvanceResult(terminatedBy == null ? target : Stepping.TerminationPoint(_due.AsSpan(0, _dueCount), target), terminatedBy);
    }

    /// <summary>The same step for a component alone in its system: inputs (set by manipulators), step, outputs.</summary>
    private AdvanceResult AdvanceAlone(CoupledComponent c, SimTime time, SimTime target)
    {
        if (c.Inputs.Length > 0)
        {
            c.ComputeInputs(time);
            c.WriteInputs();
        }
        var result = c.Step(time, target, _profile);
        var terminatedBy = result.Status == StepStatus.Completed ? null : Stepping.Check(c, time, target, RetryHint);
        c.ReadOutputs();
        return new AdvanceResult(terminatedBy == null ? target : Stepping.TerminationPoint([c], target), terminatedBy);
    }

    /// <summary>What a user can do about a discarded step.</summary>
    protected virtual string RetryHint => "a smaller step may help, or the variable-step algorithm, which retries such steps smaller";

    /// <summary>Whether a component ends a step at point n + 1 (every point for single-rate components; the final point for all).</summary>
    private static bool IsDue(CoupledComponent c, long n, long total) => c.Multiple == 1 || (n + 1) % c.Multiple == 0 || n + 1 == total;

    /// <inheritdoc />
    public void Dispose()
    {
        _stepper?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Multi-rate Jacobi: each component steps every <see cref="Systems.SystemComponent.StepMultiple"/>
/// base steps, holding its inputs (sample and hold) over its own step; the others see its outputs
/// of its last completed step. Every component ends a step at the stop time.
/// </summary>
public sealed class MultiRateAlgorithm : JacobiAlgorithm
{
    /// <inheritdoc />
    public override string Name => "multi-rate";

    /// <inheritdoc />
    public override IEnumerable<string> Check(CoupledSystem system) => [];
}
