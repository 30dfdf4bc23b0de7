using CoSim.Core;

namespace CoSim.Engine.Algorithms;

/// <summary>How Gauss-Seidel feeds a component the output of a provider that has already stepped.</summary>
public enum GaussSeidelHold
{
    /// <summary>The provider's value at the end of the step, the textbook scheme (default): a direct-feedthrough chain reproduces its source exactly.</summary>
    End,
    /// <summary>
    /// The mean of the provider's values at both ends of the step, for continuous inputs without
    /// direct feedthrough to an output of the consumer (others take the end value). More accurate
    /// on oscillating coupled systems (docs/algorithms.md), but no longer the textbook scheme.
    /// </summary>
    Mean,
}

/// <summary>
/// Fixed-step Gauss-Seidel: components step one after another in the order of the connection
/// graph (<see cref="CoupledSystem.GaussSeidelOrder"/>), each seeing the outputs its providers have
/// just computed for the end of this step; within a cycle, the first component sees the others'
/// outputs of the previous point. Algebraic loops are solved at the new point.
/// </summary>
public sealed class GaussSeidelAlgorithm(GaussSeidelHold hold = GaussSeidelHold.End) : IMasterAlgorithm, ICheckpointable
{
    private AlgorithmContext _context = null!;
    private CoupledComponent[] _order = [];

    /// <inheritdoc />
    public string Name => "gauss-seidel";

    /// <inheritdoc />
    public bool FixedStep => true;

    /// <summary>What a component holds for an input whose provider has already stepped.</summary>
    public GaussSeidelHold Hold => hold;

    /// <inheritdoc />
    public IEnumerable<string> Check(CoupledSystem system) => JacobiAlgorithm.RequireSingleRate(system, Name);

    /// <inheritdoc />
    public void Start(AlgorithmContext context)
    {
        _context = context;
        _order = context.System.GaussSeidelOrder;
    }

    /// <inheritdoc />
    public AdvanceResult Advance(long n, SimTime time, SimTime target)
    {
        var mean = hold == GaussSeidelHold.Mean;
        string? terminatedBy = null;
        if (mean)
            foreach (var c in _order) c.BeginSweep();
        foreach (var c in _order)
        {
            if (mean) c.ComputeInputsMeanHold(time);
            else c.ComputeInputs(time);
            c.WriteInputs();
            c.Hold();
            c.Step(time, target, _context.Profile);
            terminatedBy ??= Stepping.Check(c, time, target, "a smaller step may help, or the variable-step algorithm, which retries such steps smaller");
            c.EndSweepStep();
        }
        foreach (var loop in _context.System.Loops) _context.Loops.Solve(loop, target);
        foreach (var c in _order)
            if (c.Incoming.Length > 0) _context.Statistics.TrackCoupling(c.HeldInputChange(fromPending: false));
        return new AdvanceResult(terminatedBy == null ? target : Stepping.TerminationPoint(_order, target), terminatedBy);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Checkpoint: nothing beyond the components' buffers (the engine saves those); a sweep never spans two points.</summary>
    public void SaveCheckpoint(BinaryWriter writer, SimTime time) { }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time) { }
}
