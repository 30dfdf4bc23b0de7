using System.Runtime.ExceptionServices;
using CoSim.Core;

namespace CoSim.Engine.Algorithms;

/// <summary>
/// Steps a batch of components over one communication step: each from its own start time (multi-rate
/// components may have started earlier) to a common end, in parallel on a <see cref="StepWorkers"/> pool
/// when there is more than one thread. A component that completed (or asked to terminate) has its outputs
/// read into <see cref="CoupledComponent.Scratch"/>, to be published once all have stepped. Every component
/// steps even when another fails; the failure of the first in batch order is then thrown, so results and
/// errors do not depend on the thread count. Used by the Jacobi, multi-rate and variable-step algorithms.
/// </summary>
internal sealed class ParallelStep : IDisposable
{
    private readonly StepWorkers? _workers;
    private readonly Exception?[] _failures;
    private readonly bool _profile;
    private CoupledComponent[] _batch = [];
    private SimTime[] _from = [];
    private SimTime _to;

    /// <summary>A stepper for batches of up to <paramref name="capacity"/> components.</summary>
    public ParallelStep(int capacity, int threads, bool profile)
    {
        _failures = new Exception?[capacity];
        _profile = profile;
        var participants = Math.Min(threads, capacity);
        if (participants > 1) _workers = new StepWorkers(participants, StepOne);
    }

    /// <summary>Steps <c>batch[0..count)</c>, each from <c>from[component.Index]</c> to <paramref name="to"/>.</summary>
    public void Run(CoupledComponent[] batch, int count, SimTime[] from, SimTime to)
    {
        _batch = batch;
        _from = from;
        _to = to;
        if (_workers == null || count == 1)
            for (var i = 0; i < count; i++) StepOne(i);
        else
            _workers.Run(count);
        for (var i = 0; i < count; i++)
        {
            if (_failures[i] is not { } e) continue;
            Array.Clear(_failures);
            ExceptionDispatchInfo.Capture(e).Throw();
        }
    }

    private void StepOne(int i)
    {
        var c = _batch[i];
        try
        {
            c.LastResult = Stepping.Step(c, _from[c.Index], _to, _profile);
            if (c.LastResult.Status is StepStatus.Completed or StepStatus.Terminated) c.ReadOutputs(c.Scratch);
        }
        catch (Exception e)
        {
            _failures[i] = e;
        }
    }

    public void Dispose() => _workers?.Dispose();
}
