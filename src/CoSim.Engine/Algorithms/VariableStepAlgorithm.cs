using CoSim.Core;

namespace CoSim.Engine.Algorithms;

/// <summary>Step-size control of <see cref="VariableStepAlgorithm"/>.</summary>
public sealed record VariableStepOptions
{
    /// <summary>
    /// Tolerance on the coupling error of one step: the largest change of a connected input between the
    /// value held over the step and its value at the step end (with outputs of direct feedthrough
    /// re-read for the end inputs), relative to 1 + |held value|. A step with error above it is
    /// rolled back and retried smaller. Default 1e-3.
    /// </summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Smallest step [s]; a step that must shrink below it fails the run. Default 1 µs.</summary>
    public double MinStep { get; init; } = 1e-6;

    /// <summary>Largest step [s]; default: the whole interval / 10.</summary>
    public double? MaxStep { get; init; }

    /// <summary>First step [s]; default: the schedule's step.</summary>
    public double? InitialStep { get; init; }

    /// <summary>Largest growth factor of the step after an accepted step.</summary>
    public double MaxGrowth { get; init; } = 1.5;

    /// <summary>Smallest factor by which a step shrinks, after an accepted or a rejected step.</summary>
    public double MinShrink { get; init; } = 0.2;

    /// <summary>Safety factor of the step controller: the next step aims at this fraction of the tolerance.</summary>
    public double Safety { get; init; } = 0.8;

    /// <summary>Every problem with these settings.</summary>
    public IEnumerable<string> Problems()
    {
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance)) yield return $"variable step: coupling tolerance {Tolerance} must be a positive number";
        if (!(MinStep > 0) || !double.IsFinite(MinStep)) yield return $"variable step: minimum step {MinStep} must be a positive number";
        if (MaxStep is { } max && (!(max > 0) || !double.IsFinite(max) || max < MinStep)) yield return $"variable step: maximum step {max} must be a positive number not below the minimum step {MinStep}";
        if (InitialStep is { } h && (!(h > 0) || !double.IsFinite(h))) yield return $"variable step: initial step {h} must be a positive number";
    }
}

/// <summary>
/// Jacobi with step-size control and rollback: before each step every component's state is saved; a
/// step whose coupling error exceeds the tolerance, or that a component discards, is undone and
/// retried smaller; after an accepted step the next step grows or shrinks with the error. Needs
/// every component to save and restore its state, and single-rate components.
/// </summary>
public sealed class VariableStepAlgorithm(VariableStepOptions options, SimTime firstStep, SimTime span) : IMasterAlgorithm, ICheckpointable
{
    private AlgorithmContext _context = null!;
    private CoupledComponent[] _components = [];
    private SavedStates _states = new([]);
    private ParallelStep _stepper = null!;
    private SimTime[] _from = [];
    private SimTime _h, _minStep, _maxStep;

    /// <inheritdoc />
    public string Name => "variable";

    /// <inheritdoc />
    public bool FixedStep => false;

    /// <inheritdoc />
    public IEnumerable<string> Check(CoupledSystem system)
    {
        var cannot = system.Components.Where(c => !c.Instance.CanSaveState).Select(c => c.Name).ToList();
        if (cannot.Count > 0)
            yield return $"the variable-step algorithm rolls steps back, which needs every component to save and restore its state; these cannot: {string.Join(", ", cannot)}";
        foreach (var p in JacobiAlgorithm.RequireSingleRate(system, Name)) yield return p;
        foreach (var p in options.Problems()) yield return p;
    }

    /// <inheritdoc />
    public void Start(AlgorithmContext context)
    {
        _context = context;
        _components = context.System.Components;
        _from = new SimTime[_components.Length];
        _states = new SavedStates(new IComponentState?[_components.Length]);
        _minStep = SimTime.FromSeconds(options.MinStep);
        _maxStep = options.MaxStep is { } m ? SimTime.FromSeconds(m) : new SimTime(Math.Max(1, span.Ticks / 10));
        _h = SimTime.Min(options.InitialStep is { } h0 ? SimTime.FromSeconds(h0) : firstStep, _maxStep);
        _stepper = new ParallelStep(_components.Length, context.Threads, context.Profile);
    }

    /// <inheritdoc />
    public AdvanceResult Advance(long n, SimTime time, SimTime target)
    {
        var stats = _context.Statistics;
        // Make the outputs at t consistent with the inputs at t (outputs with direct feedthrough were
        // read after the last step, before their inputs moved): the error estimate then measures
        // only how the coupling signals move over the new step.
        foreach (var c in _components)
        {
            c.ComputeInputs(time);
            c.WriteInputs();
        }
        foreach (var c in _components) c.ReadOutputs();
        _states.SaveAll(_components);
        while (true)
        {
            var remaining = target - time;
            var h = _h > remaining ? remaining
                : remaining - _h < _minStep ? remaining // leave no sliver smaller than the minimum step
                : _h;
            var next = time + h;
            Array.Fill(_from, time);
            foreach (var c in _components)
            {
                c.ComputeInputs(time);
                c.WriteInputs();
                c.Hold();
            }
            _stepper.Run(_components, _components.Length, _from, next);
            var discardedBy = _components.FirstOrDefault(c => c.LastResult.Status == StepStatus.Discarded);
            var error = 0.0;
            if (discardedBy == null)
            {
                ConsistentEnd(next);
                error = CouplingError() / options.Tolerance;
            }
            if (discardedBy == null && error <= 1)
            {
                string? terminatedBy = null;
                foreach (var c in _components)
                    terminatedBy ??= Stepping.Check(c, time, next, "");
                foreach (var c in _components) c.PublishPendingOutputs();
                foreach (var loop in _context.System.Loops) _context.Loops.Solve(loop, next);
                stats.TrackCoupling(error * options.Tolerance);
                _h = SimTime.Min(_maxStep, new SimTime(Math.Max(_minStep.Ticks, (long)(h.Ticks * StepFactor(error, accepted: true)))));
                return new AdvanceResult(terminatedBy == null ? next : Stepping.TerminationPoint(_components, next), terminatedBy);
            }
            // Undo the step and retry smaller.
            if (discardedBy != null) stats.Discarded++;
            else stats.Rejected++;
            _states.RestoreAll(_components);
            var shrink = discardedBy != null ? 0.5 : StepFactor(error, accepted: false);
            var smaller = new SimTime((long)(h.Ticks * shrink));
            if (smaller < _minStep)
                throw new SimulationException(
                    discardedBy != null
                        ? $"'{discardedBy.Name}' discarded the step even at {h.Seconds} s; the minimum step is {_minStep.Seconds} s"
                        : $"the coupling error stays above the tolerance {options.Tolerance} even at the minimum step {_minStep.Seconds} s",
                    discardedBy?.Name, "variable step", time);
            _h = smaller;
        }
    }

    /// <summary>
    /// The step-size factor after a step with coupling error <paramref name="error"/> (1 = the tolerance):
    /// <c>safety * (1/error)^(1/(p+1))</c>, clamped to [MinShrink, MaxGrowth] (below 1 after a rejection).
    /// Inputs are held constant over a step, so the input change the error measures grows like h (p + 1 = 1).
    /// </summary>
    private double StepFactor(double error, bool accepted)
    {
        const double exponent = 1.0; // 1/(p+1) with p = 0: zero-order hold of the inputs
        var factor = error > 0 ? options.Safety * Math.Pow(1 / error, exponent) : options.MaxGrowth;
        if (double.IsNaN(factor)) factor = options.MinShrink;
        return Math.Clamp(factor, options.MinShrink, accepted ? options.MaxGrowth : Math.Min(options.MaxGrowth, 0.9));
    }

    /// <summary>
    /// Makes the outputs read after the parallel step (<see cref="CoupledComponent.PendingOutputs"/>) consistent:
    /// outputs with direct feedthrough were read while their inputs still held the values of the step start,
    /// so write the inputs at the step end and read them again, in the connection graph's order.
    /// </summary>
    private void ConsistentEnd(SimTime time)
    {
        foreach (var c in _context.System.GaussSeidelOrder)
        {
            if (!c.RefreshAfterStep) continue;
            c.ComputeInputsFromPending(time);
            c.WriteInputs();
            c.ReadPendingOutputs();
        }
    }

    /// <summary>The largest relative change of any connected input between its held value and its value at the (consistent) step end.</summary>
    private double CouplingError()
    {
        var worst = 0.0;
        foreach (var c in _components) worst = Math.Max(worst, c.HeldInputChange(fromPending: true));
        return worst;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stepper?.Dispose();
        _states.Dispose();
    }

    /// <summary>Checkpoint: the step size the controller chose for the next step.</summary>
    public void SaveCheckpoint(BinaryWriter writer, SimTime time) => writer.Write(_h.Ticks);

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time) => _h = new SimTime(reader.ReadInt64());

    /// <summary>The saved states of every component at the start of the current step.</summary>
    private sealed class SavedStates(IComponentState?[] states) : IDisposable
    {
        public void SaveAll(CoupledComponent[] components)
        {
            for (var i = 0; i < components.Length; i++)
            {
                states[i]?.Dispose();
                states[i] = components[i].Instance.SaveState();
            }
        }

        public void RestoreAll(CoupledComponent[] components)
        {
            for (var i = 0; i < components.Length; i++) components[i].Instance.RestoreState(states[i]!);
        }

        public void Dispose()
        {
            foreach (var s in states) s?.Dispose();
            Array.Clear(states);
        }
    }
}
