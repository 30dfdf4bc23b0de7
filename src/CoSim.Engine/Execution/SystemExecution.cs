using System.Diagnostics;
using CoSim.Core;
using CoSim.Engine.Algorithms;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Execution;

/// <summary>
/// Runs a <see cref="SystemModel"/> with a master algorithm. Call order per run:
/// <code>
///   Instantiate all; parameters; EnterInitialization all; manipulators.Initialize;
///   propagate outputs -> inputs (and solve algebraic loops) until consistent; ExitInitialization all;
///   observers.Started
///   per step: manipulators.StepCommencing(t); transfer inputs; step units; publish outputs;
///             solve algebraic loops at t+h; observers.StepComplete(t+h); real-time pacing
///   observers.Finished (always); Terminate the initialized units
/// </code>
/// Connected inputs are set from their connections; manipulators act on unconnected inputs and
/// parameters. The system is validated first and every error reported at once. Results do not
/// depend on <see cref="SystemRunOptions.Threads"/>: each unit's step reads only values fixed
/// before the parallel section, and failures are reported in component order.
/// </summary>
public sealed class SystemExecution
{
    private readonly SystemModel _model;
    private readonly SystemRunOptions _options;
    private readonly IReadOnlyList<IManipulator> _manipulators;
    private readonly IReadOnlyList<IObserver> _observers;
    private readonly CoupledSystem _system;
    private readonly LoopSolver _loops;
    private StepWorkers? _workers;
    private readonly CoupledComponent[] _due;
    private readonly Exception?[] _failures;
    private int _dueCount;
    private SimTime _stepEnd;
    private volatile bool _stopRequested;

    public SystemExecution(SystemModel model, SystemRunOptions options, IReadOnlyList<IManipulator>? manipulators = null, IReadOnlyList<IObserver>? observers = null)
    {
        if (options.Threads < 1) throw new InputException($"threads must be at least 1 (got {options.Threads})");
        _model = model;
        _options = options;
        _manipulators = manipulators ?? [];
        _observers = observers ?? [];
        _system = new CoupledSystem(model);
        _loops = new LoopSolver(options.Loops);
        _due = new CoupledComponent[_system.Components.Length];
        _failures = new Exception?[_system.Components.Length];
        if (options.Algorithm == MasterAlgorithm.VariableStep)
        {
            var cannot = _system.Components.Where(c => !c.Unit.CanSaveState).Select(c => c.Name).ToList();
            if (cannot.Count > 0)
                throw new InputException($"the variable-step algorithm rolls steps back, which needs every unit to save and restore its state; these cannot: {string.Join(", ", cannot)}");
            if (_system.Components.Any(c => c.Multiple != 1))
                throw new InputException("multi-rate step multiples apply to the fixed-step algorithms (jacobi, gauss-seidel), not to variable step");
        }
    }

    /// <summary>The algebraic loops found in the system, each as its cycle of variables.</summary>
    public IReadOnlyList<string> AlgebraicLoops => _system.Loops.Select(l => l.Description).ToList();

    /// <summary>The order in which Gauss-Seidel steps the components.</summary>
    public IReadOnlyList<string> GaussSeidelOrder => _system.GaussSeidelOrder.Select(c => c.Name).ToList();

    /// <summary>Called after each step with the fraction done (0..1), for progress display.</summary>
    public Action<double>? Progress { get; init; }

    /// <summary>Asks the run to stop after the current step (thread-safe); the outcome is then <see cref="RunOutcome.Stopped"/>.</summary>
    public void RequestStop() => _stopRequested = true;

    public SystemRunReport Run(CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var schedule = _options.Schedule;
        var time = schedule.Start;
        var initialized = 0;
        Exception? failure = null;
        var pacer = new RealTimePacer(_options.RealTimeFactor);
        var stats = new Counters();
        var stepping = new Stopwatch();
        try
        {
            var components = _system.Components;
            foreach (var c in components) c.Unit.Instantiate();
            foreach (var p in _model.Parameters)
            {
                var comp = components.First(c => c.Name == p.Target.Component);
                try
                {
                    comp.Unit.SetFromText(comp.Component.FindVariable(p.Target.Variable), p.Value);
                }
                catch (InputException e)
                {
                    throw new InputException($"parameter {p.Target}: {e.Message}", e);
                }
            }
            foreach (var c in components)
            {
                c.Unit.EnterInitialization(schedule.Start, schedule.Stop, _options.UnitTolerance);
                initialized++;
            }
            foreach (var m in _manipulators) m.Initialize(time);
            Initialize(time);
            foreach (var c in components) c.Unit.ExitInitialization();
            foreach (var c in components) c.ReadOutputs(c.Outputs);
            foreach (var o in _observers) o.Started(time);

            var participants = Math.Min(_options.Threads, components.Length);
            if (participants > 1 && _options.Algorithm != MasterAlgorithm.GaussSeidel) _workers = new StepWorkers(participants, StepDue);
            pacer.Start(time);
            stepping.Start();
            var (outcome, reason) = _options.Algorithm == MasterAlgorithm.VariableStep
                ? RunVariable(ref time, pacer, stats, cancel)
                : RunFixed(ref time, pacer, stats, cancel);
            stepping.Stop();
            return new SystemRunReport(outcome, time, wall.Elapsed, reason, Statistics(stats, pacer, stepping.Elapsed));
        }
        catch (Exception e)
        {
            failure = e;
            if (e is SimulationException { Time: null } se) se.Time = time;
            throw;
        }
        finally
        {
            _workers?.Dispose();
            _workers = null;
            Exception? observerFailure = null;
            foreach (var o in _observers)
            {
                try { o.Finished(time, failure); }
                catch (Exception e) { observerFailure ??= e; }
            }
            for (var i = 0; i < initialized; i++)
            {
                try { _system.Components[i].Unit.Terminate(); }
                catch (Exception) when (failure != null) { /* the first failure is the one to report */ }
            }
            if (observerFailure != null && failure == null) throw observerFailure;
        }
    }

    /// <summary>Initial values: propagate outputs to inputs in Gauss-Seidel order (and solve loops) until nothing changes.</summary>
    private void Initialize(SimTime time)
    {
        var passes = _system.Components.Length + 1;
        for (var pass = 0; pass < passes; pass++)
        {
            var changed = false;
            foreach (var c in _system.GaussSeidelOrder)
            {
                var before = c.Inputs.ToArray();
                c.ComputeInputs();
                if (!before.AsSpan().SequenceEqual(c.Inputs)) changed = true;
                c.WriteInputs();
                c.ReadOutputs(c.Outputs);
            }
            foreach (var loop in _system.Loops) _loops.Solve(loop, time);
            if (!changed && pass > 0) break;
        }
    }

    private (RunOutcome, string?) RunFixed(ref SimTime time, RealTimePacer pacer, Counters stats, CancellationToken cancel)
    {
        var schedule = _options.Schedule;
        var total = schedule.StepCount;
        var gaussSeidel = _options.Algorithm == MasterAlgorithm.GaussSeidel;
        var order = gaussSeidel ? _system.GaussSeidelOrder : _system.Components;
        var intervalStart = new SimTime[order.Length];
        foreach (var c in order) intervalStart[c.Index] = time;
        for (long n = 0; n < total; n++)
        {
            if (cancel.IsCancellationRequested || _stopRequested) return (RunOutcome.Stopped, "stopped on request");
            foreach (var m in _manipulators) m.StepCommencing(time);
            var next = schedule.Point(n + 1);
            _stepEnd = next;
            string? terminatedBy = null;
            if (gaussSeidel)
            {
                var mean = _options.GaussSeidelHold == GaussSeidelHold.Mean;
                foreach (var c in order) c.BeginSweep();
                foreach (var c in order)
                {
                    if (n % c.Multiple == 0)
                    {
                        intervalStart[c.Index] = time;
                        if (mean) c.ComputeInputsMeanHold();
                        else c.ComputeInputs();
                        c.WriteInputs();
                        c.Hold();
                    }
                    if (!IsDue(c, n, total)) continue;
                    c.LastResult = StepTimed(c, intervalStart[c.Index], next);
                    terminatedBy ??= Check(c, next);
                    c.ReadOutputs(c.Outputs);
                    c.SteppedThisSweep = true;
                }
                // Outputs with feedthrough were read with the held (mean) inputs: publish them with the inputs at t+h.
                if (mean) RefreshFeedthrough(n, total);
            }
            else
            {
                _dueCount = 0;
                foreach (var c in order)
                {
                    if (n % c.Multiple == 0)
                    {
                        intervalStart[c.Index] = time;
                        c.ComputeInputs();
                        c.WriteInputs();
                        c.Hold();
                    }
                    if (IsDue(c, n, total)) _due[_dueCount++] = c;
                }
                StepDueUnits(intervalStart);
                for (var i = 0; i < _dueCount; i++) terminatedBy ??= Check(_due[i], next);
                for (var i = 0; i < _dueCount; i++) _due[i].Scratch.AsSpan().CopyTo(_due[i].Outputs);
                RefreshFeedthrough(n, total);
            }
            foreach (var loop in _system.Loops) _loops.Solve(loop, next);
            foreach (var c in order)
                if (IsDue(c, n, total)) stats.TrackCoupling(c.HeldInputChange(fromScratch: false));
            time = next;
            stats.Steps++;
            stats.Track(next - schedule.Point(n));
            foreach (var o in _observers) o.StepComplete(time);
            if (terminatedBy != null) return (RunOutcome.TerminatedByUnit, $"'{terminatedBy}' asked to terminate the simulation");
            pacer.Pace(time);
            Progress?.Invoke((double)(n + 1) / total);
        }
        return (RunOutcome.Completed, null);
    }

    /// <summary>
    /// After a parallel step, outputs with direct feedthrough (connected or only recorded) were read before
    /// their inputs moved to t+h: write the new inputs and read those outputs again, in the connection graph's order, so the
    /// values at the communication point are consistent (loops are then solved by the loop solver).
    /// Only units whose own (multi-rate) step ended at this point: the others still hold their inputs.
    /// </summary>
    private void RefreshFeedthrough(long n, long total)
    {
        foreach (var c in _system.GaussSeidelOrder)
        {
            if (!c.RefreshAfterStep || !IsDue(c, n, total)) continue;
            c.ComputeInputs();
            c.WriteInputs();
            c.ReadOutputs(c.Outputs);
        }
    }

    private static bool IsDue(CoupledComponent c, long n, long total) => c.Multiple == 1 || (n + 1) % c.Multiple == 0 || n + 1 == total;

    /// <summary>Step result check for fixed-step algorithms; returns the unit's name when it asked to terminate.</summary>
    private static string? Check(CoupledComponent c, SimTime end)
    {
        var r = c.LastResult;
        return r.Status switch
        {
            StepStatus.Completed => null,
            StepStatus.Terminated => c.Name,
            StepStatus.Discarded => throw new SimulationException(
                $"the unit discarded the step to {end.Seconds} s (it reached {r.ReachedTime.Seconds} s); a smaller --step may help, or --algorithm variable, which retries such steps smaller",
                c.Name, "doStep", end),
            _ => throw new SimulationException($"the unit returned early at {r.ReachedTime.Seconds} s, which fixed-step co-simulation does not support", c.Name, "doStep", end),
        };
    }

    private SimTime[] _intervalStart = [];

    /// <summary>Steps the units in <see cref="_due"/> in parallel; reports the first failure in component order.</summary>
    private void StepDueUnits(SimTime[] intervalStart)
    {
        _intervalStart = intervalStart;
        if (_workers == null || _dueCount == 1)
            for (var i = 0; i < _dueCount; i++) StepDue(i);
        else
            _workers.Run(_dueCount);
        for (var i = 0; i < _dueCount; i++)
        {
            if (_failures[i] is not { } e) continue;
            Array.Clear(_failures);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
        }
    }

    private void StepDue(int i)
    {
        var c = _due[i];
        try
        {
            c.LastResult = StepTimed(c, _intervalStart[c.Index], _stepEnd);
            if (c.LastResult.Status is StepStatus.Completed or StepStatus.Terminated) c.ReadOutputs(c.Scratch);
        }
        catch (Exception e)
        {
            _failures[i] = e;
        }
    }

    private static StepResult StepTimed(CoupledComponent c, SimTime from, SimTime to)
    {
        var start = Stopwatch.GetTimestamp();
        var result = c.Unit.Step(from, to - from);
        c.StepTicks += Stopwatch.GetTimestamp() - start;
        return result;
    }

    private (RunOutcome, string?) RunVariable(ref SimTime time, RealTimePacer pacer, Counters stats, CancellationToken cancel)
    {
        var vs = _options.VariableStep;
        var schedule = _options.Schedule;
        var components = _system.Components;
        var minStep = SimTime.FromSeconds(vs.MinStep);
        var maxStep = vs.MaxStep is { } m ? SimTime.FromSeconds(m) : new SimTime(Math.Max(1, (schedule.Stop - schedule.Start).Ticks / 10));
        var h = SimTime.Min(schedule.Step, maxStep);
        var intervalStart = new SimTime[components.Length];
        var states = new IUnitState?[components.Length];
        _dueCount = components.Length;
        components.CopyTo(_due, 0);
        try
        {
            while (time < schedule.Stop)
            {
                if (cancel.IsCancellationRequested || _stopRequested) return (RunOutcome.Stopped, "stopped on request");
                // Make the outputs at t consistent with the inputs at t (outputs with direct feedthrough were
                // read after the last step, before their inputs moved): the error estimate then measures
                // only how the coupling signals move over the new step.
                foreach (var c in components)
                {
                    c.ComputeInputs();
                    c.WriteInputs();
                }
                foreach (var c in components) c.ReadOutputs(c.Outputs);
                for (var i = 0; i < components.Length; i++)
                {
                    states[i]?.Dispose();
                    states[i] = components[i].Unit.SaveState();
                    intervalStart[i] = time;
                }
                while (true)
                {
                    var remaining = schedule.Stop - time;
                    if (h > remaining) h = remaining;
                    // Avoid leaving a sliver at the end smaller than the minimum step.
                    else if (remaining - h < minStep) h = remaining;
                    var next = time + h;
                    _stepEnd = next;
                    foreach (var mp in _manipulators) mp.StepCommencing(time);
                    foreach (var c in components)
                    {
                        c.ComputeInputs();
                        c.WriteInputs();
                        c.Hold();
                    }
                    StepDueUnits(intervalStart);
                    var discardedBy = components.FirstOrDefault(c => c.LastResult.Status == StepStatus.Discarded);
                    var error = 0.0;
                    if (discardedBy == null)
                    {
                        ConsistentEnd();
                        error = CouplingError(components) / vs.Tolerance;
                    }
                    if (discardedBy == null && error <= 1)
                    {
                        var terminatedBy = components.FirstOrDefault(c => c.LastResult.Status == StepStatus.Terminated);
                        foreach (var c in components)
                            if (c.LastResult.Status == StepStatus.EarlyReturn)
                                throw new SimulationException($"the unit returned early at {c.LastResult.ReachedTime.Seconds} s, which the variable-step algorithm does not support", c.Name, "doStep", next);
                        foreach (var c in components) c.Scratch.AsSpan().CopyTo(c.Outputs);
                        foreach (var loop in _system.Loops) _loops.Solve(loop, next);
                        time = next;
                        stats.Steps++;
                        stats.Track(h);
                        stats.TrackCoupling(error * vs.Tolerance);
                        foreach (var o in _observers) o.StepComplete(time);
                        if (terminatedBy != null) return (RunOutcome.TerminatedByUnit, $"'{terminatedBy.Name}' asked to terminate the simulation");
                        pacer.Pace(time);
                        Progress?.Invoke((time - schedule.Start).Ticks / (double)(schedule.Stop - schedule.Start).Ticks);
                        h = SimTime.Min(maxStep, new SimTime(Math.Max(minStep.Ticks, (long)(h.Ticks * StepFactor(error, vs, accepted: true)))));
                        break;
                    }
                    // Undo the step and retry smaller.
                    if (discardedBy != null) stats.Discarded++;
                    else stats.Rejected++;
                    for (var i = 0; i < components.Length; i++) components[i].Unit.RestoreState(states[i]!);
                    var shrink = discardedBy != null ? 0.5 : StepFactor(error, vs, accepted: false);
                    var smaller = new SimTime((long)(h.Ticks * shrink));
                    if (smaller < minStep)
                        throw new SimulationException(
                            discardedBy != null
                                ? $"'{discardedBy.Name}' discarded the step even at {h.Seconds} s; the minimum step is {minStep.Seconds} s"
                                : $"the coupling error stays above the tolerance {vs.Tolerance} even at the minimum step {minStep.Seconds} s",
                            discardedBy?.Name, "variable step", time);
                    h = smaller;
                }
            }
            return (RunOutcome.Completed, null);
        }
        finally
        {
            foreach (var s in states) s?.Dispose();
        }
    }

    /// <summary>
    /// The step-size factor after a step with coupling error <paramref name="error"/> (1 = the tolerance):
    /// <c>safety * (1/error)^(1/(p+1))</c>, clamped to [MinShrink, MaxGrowth] (below 1 after a rejection).
    /// Inputs are held constant over a step, so the input change the error measures grows like h (p + 1 = 1).
    /// </summary>
    private static double StepFactor(double error, VariableStepOptions vs, bool accepted)
    {
        const double exponent = 1.0; // 1/(p+1) with p = 0: zero-order hold of the inputs
        var factor = error > 0 ? vs.Safety * Math.Pow(1 / error, exponent) : vs.MaxGrowth;
        if (double.IsNaN(factor)) factor = vs.MinShrink;
        return Math.Clamp(factor, vs.MinShrink, accepted ? vs.MaxGrowth : Math.Min(vs.MaxGrowth, 0.9));
    }

    /// <summary>
    /// Makes the outputs read after a parallel step (<see cref="CoupledComponent.Scratch"/>) consistent:
    /// outputs with direct feedthrough were read while their inputs still held the values of the step start,
    /// so write the inputs at the step end and read them again, in the connection graph's order.
    /// </summary>
    private void ConsistentEnd()
    {
        foreach (var c in _system.GaussSeidelOrder)
        {
            if (!c.RefreshAfterStep) continue;
            c.ComputeInputsFromScratch();
            c.WriteInputs();
            c.ReadOutputs(c.Scratch);
        }
    }

    /// <summary>
    /// The coupling error of a variable step: the largest relative change, between the value held over the
    /// step and the value at its (consistent) end, of any connected input.
    /// </summary>
    private static double CouplingError(CoupledComponent[] components)
    {
        var worst = 0.0;
        foreach (var c in components) worst = Math.Max(worst, c.HeldInputChange(fromScratch: true));
        return worst;
    }

    private SystemRunStatistics Statistics(Counters s, RealTimePacer pacer, TimeSpan stepping) => new()
    {
        Steps = s.Steps,
        RejectedSteps = s.Rejected,
        DiscardedSteps = s.Discarded,
        SmallestStep = s.Smallest ?? SimTime.Zero,
        LargestStep = s.Largest ?? SimTime.Zero,
        MaxCouplingChange = s.MaxCouplingChange,
        LoopSolves = _loops.Solves,
        LoopIterations = _loops.Iterations,
        NewtonFallbacks = _loops.NewtonSolves,
        Overruns = pacer.Overruns,
        MaxOverrun = pacer.MaxOverrun,
        TotalOverrun = pacer.TotalOverrun,
        SteppingTime = stepping,
        UnitStepTime = _system.Components.ToDictionary(c => c.Name, c => Stopwatch.GetElapsedTime(0, c.StepTicks)),
    };

    private sealed class Counters
    {
        public long Steps, Rejected, Discarded;
        public SimTime? Smallest, Largest;
        public double MaxCouplingChange;

        public void TrackCoupling(double change) => MaxCouplingChange = Math.Max(MaxCouplingChange, change);

        public void Track(SimTime h)
        {
            if (Smallest == null || h < Smallest) Smallest = h;
            if (Largest == null || h > Largest) Largest = h;
        }
    }
}
