using CoSim.Core;

namespace CoSim.Engine.Algorithms;

/// <summary>
/// Steps a batch of components over one communication step: each from its own start time (multi-rate
/// components may have started earlier) to a common end, in parallel on a <see cref="StepWorkers"/> pool
/// when there is more than one thread. A component that completed (or asked to terminate) has its outputs
/// read as pending (<see cref="CoupledComponent.ReadPendingOutputs"/>), to be published once all have stepped.
/// Every component steps even when another fails; the pool (<see cref="StepWorkers"/>) then throws the failure
/// of the first in batch order, so results and errors do not depend on the thread count. Used by the Jacobi,
/// multi-rate and variable-step algorithms.
/// </summary>
internal sealed class ParallelStep : IDisposable
{
    private readonly StepWorkers _workers;
    private readonly bool _profile;
    private CoupledComponent[] _batch = [];
    private SimTime[] _from = [];
    private SimTime _to;

    /// <summary>A stepper for batches of up to <paramref name="capacity"/> components.</summary>
    public ParallelStep(int capacity, int threads, bool profile)
    {
        _profile = profile;
        _workers = new StepWorkers(Math.Max(1, Math.Min(threads, capacity)), StepOne);
    }

    /// <summary>Steps <c>batch[0..count)</c>, each from <c>from[component.Index]</c> to <paramref name="to"/>.</summary>
    public void Run(CoupledComponent[] batch, int count, SimTime[] from, SimTime to)
    {
        _batch = batch;
        _from = from;
        _to = to;
        _workers.Run(count);
    }

    private void StepOne(int i)
    {
        var c = _batch[i];
        if (c.Step(_from[c.Index], _to, _profile).Status is StepStatus.Completed or StepStatus.Terminated) c.ReadPendingOutputs();
    }

    public void Dispose() => _workers.Dispose();
}
