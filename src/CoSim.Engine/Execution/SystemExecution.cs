using System.Diagnostics;
using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Algorithms;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Execution;

/// <summary>
/// The one execution lifecycle of every run, whether a single FMU (a system of one) or a system of
/// many; the master algorithm (<see cref="IMasterAlgorithm"/>) only moves the components from one
/// communication point to the next. Call order:
/// <code>
///   planning (<see cref="ExecutionPlan"/>): observers and manipulators register, once, the signals they
///                 read and the inputs they write; construction: validate the options and the algorithm
///   Instantiate all; parameters; EnterInitialization all (tolerance only when asked for);
///   manipulators.Initialize; propagate outputs -> inputs (and solve algebraic loops) until
///   consistent; ExitInitialization all; observers.Started(initial values)
///   per step: manipulators.StepCommencing(t); algorithm.Advance(t -> t+h); observers.StepComplete(t+h);
///             real-time pacing; stop on request or when a component asks to terminate
///   always: observers.Finished (flushing what they recorded); manipulators.Finished; Terminate the components that left initialization
/// </code>
/// Failure rules (the same for every run): a component's error stops the run with a
/// <see cref="SimulationException"/> naming component, operation and time; observers are finished
/// first so that every row recorded so far is on disk; components that left initialization are
/// terminated (FMI does not allow Terminate in initialization mode: one that failed there is only
/// freed), and the first failure is the one reported. A component that asks to terminate ends
/// the run at the point it reached, which is recorded. Input precedence: a connection supplies an
/// input's value, then a manipulator's override decides (see <see cref="CoupledComponent"/>).
/// </summary>
public sealed class SystemExecution
{
    private readonly SystemModel _model;
    private readonly SystemRunOptions _options;
    private readonly IManipulator[] _manipulators;
    private readonly IObserver[] _observers;
    private readonly CoupledSystem _system;
    private readonly IMasterAlgorithm _algorithm;
    private readonly LoopSolver _loops;
    private readonly StepValues _values;
    private readonly Writer _writer;
    private readonly CheckpointKeeper _checkpoints;
    private volatile bool _stopRequested;

    /// <summary>An execution of <paramref name="model"/> with these observers and manipulators, each attached here (once).</summary>
    public SystemExecution(SystemModel model, SystemRunOptions options, IReadOnlyList<IManipulator>? manipulators = null, IReadOnlyList<IObserver>? observers = null)
        : this(PlanOf(model, observers ?? [], manipulators ?? []), options)
    {
    }

    /// <summary>The execution of a <paramref name="plan"/> without problems: its observers and manipulators are not attached again.</summary>
    public SystemExecution(ExecutionPlan plan, SystemRunOptions options)
    {
        if (plan.Problems.Count > 0) throw new InputException(string.Join(Environment.NewLine, plan.Problems));
        _model = plan.Model;
        _options = options;
        _manipulators = plan.Manipulators.ToArray();
        _observers = plan.Observers.ToArray();
        var problems = options.Problems().ToList();
        if (problems.Count > 0) throw new InputException(string.Join(Environment.NewLine, problems));

        var setup = plan.Setup;
        _system = new CoupledSystem(_model, setup.Inputs.Distinct(), setup.Signals.Distinct());
        _algorithm = options.CreateAlgorithm();
        var algorithmProblems = _algorithm.Check(_system).ToList();
        if (algorithmProblems.Count > 0)
        {
            _algorithm.Dispose();
            throw new InputException(string.Join(Environment.NewLine, algorithmProblems));
        }
        _loops = new LoopSolver(options.Loops);
        _values = new StepValues(_system.Components.Select(c => c.Outputs).ToArray(),
            setup.Signals.Select(s => s.Component).ToArray(),
            setup.Signals.Select(s => _system.Components[s.Component].OutputSlot(s.Variable)).ToArray());
        _writer = new Writer(_system, setup.Inputs.Select(i => i.Component).ToArray(),
            setup.Inputs.Select(i => _system.Components[i.Component].InputSlot(i.Variable)).ToArray());
        _checkpoints = new CheckpointKeeper(_system, _algorithm, _observers, _manipulators);
        if (options.Checkpoints != null || options.Resume != null)
        {
            var refused = _checkpoints.Problems().ToList();
            if (refused.Count > 0)
            {
                _algorithm.Dispose();
                throw new InputException((options.Resume != null ? "cannot resume: " : "--checkpoint-every: ") + string.Join(Environment.NewLine, refused));
            }
        }
    }

    /// <summary>The one planning pass for a system and its observers and manipulators (observers first, as they are called).</summary>
    public static ExecutionPlan PlanOf(SystemModel model, IEnumerable<IObserver> observers, IEnumerable<IManipulator> manipulators)
    {
        var plan = new ExecutionPlan(model);
        foreach (var o in observers) plan.Observe(o);
        foreach (var m in manipulators) plan.Manipulate(m);
        return plan;
    }

    /// <summary>The algebraic loops found in the system, each as its cycle of variables.</summary>
    public IReadOnlyList<string> AlgebraicLoops => _system.Loops.Select(l => l.Description).ToList();

    /// <summary>The order in which Gauss-Seidel steps the components.</summary>
    public IReadOnlyList<string> GaussSeidelOrder => _system.GaussSeidelOrder.Select(c => c.Name).ToList();

    /// <summary>The master algorithm's name.</summary>
    public string AlgorithmName => _algorithm.Name;

    /// <summary>Called every few steps with the fraction done (0..1), for progress display.</summary>
    public Action<double>? Progress { get; init; }

    /// <summary>How long restoring <see cref="SystemRunOptions.Resume"/> took (every component, the engine, the attachments); null when not resumed.</summary>
    public TimeSpan? RestoreTime { get; private set; }

    /// <summary>Asks the run to stop after the current step (thread-safe); the outcome is then <see cref="RunOutcome.Stopped"/>.</summary>
    public void RequestStop() => _stopRequested = true;

    public RunReport Run(CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var schedule = _options.Schedule;
        var time = schedule.Start;
        var initialized = 0; // components that left initialization mode: only those may be terminated
        Exception? failure = null;
        var pacer = new RealTimePacer(_options.RealTimeFactor);
        var stats = new AlgorithmStatistics();
        var steps = new StepCounter();
        var stepping = new Stopwatch();
        var components = _system.Components;
        try
        {
            foreach (var c in components) c.Instance.Instantiate();
            SetParameters();
            foreach (var c in components) c.Instance.EnterInitialization(schedule.Start, schedule.Stop, _options.ComponentTolerance);
            foreach (var c in components) c.ReadStartInputs();
            foreach (var m in _manipulators) m.Initialize(time, _writer);
            InitialValues(time);
            foreach (var c in components)
            {
                c.Instance.ExitInitialization();
                initialized++;
            }
            foreach (var c in components) c.ReadOutputs();
            foreach (var o in _observers) o.Started(time, _values);

            _algorithm.Start(new AlgorithmContext(_system, _loops, stats, _options.Threads, schedule.StepCount, _options.ProfileComponents));
            var first = 0L;
            if (_options.Resume is { } resume)
            {
                var restoring = Stopwatch.GetTimestamp();
                _checkpoints.Restore(resume, r => ReadCounters(r, stats, steps));
                RestoreTime = Stopwatch.GetElapsedTime(restoring);
                time = resume.Time;
                first = resume.StepIndex;
            }
            pacer.Start(time);
            stepping.Start();
            var (outcome, reason) = StepThrough(ref time, first, pacer, stats, steps, cancel);
            stepping.Stop();
            return new RunReport(outcome, time, wall.Elapsed, reason, Statistics(stats, steps, pacer, stepping.Elapsed));
        }
        catch (Exception e)
        {
            failure = e;
            if (e is SimulationException { Time: null } se) se.Time = time;
            throw;
        }
        finally
        {
            _algorithm.Dispose();
            // Finish observers first: whatever was recorded reaches the disk even if terminate fails.
            Exception? observerFailure = null;
            foreach (var o in _observers)
            {
                try { o.Finished(time, failure); }
                catch (Exception e) { observerFailure ??= e; }
            }
            // Then the manipulators (a live source stops reading and commits what was applied).
            foreach (var m in _manipulators)
            {
                try { m.Finished(time, failure); }
                catch (Exception e) { observerFailure ??= e; }
            }
            for (var i = 0; i < initialized; i++)
            {
                try { components[i].Instance.Terminate(); }
                catch (Exception) when (failure != null) { /* the first failure is the one to report */ }
            }
            if (observerFailure != null && failure == null) throw observerFailure;
        }
    }

    /// <summary>
    /// The stepping loop, apart from set-up and clean-up so that its state lives in registers: for a
    /// single FMU it is the hot path whose overhead over a plain C loop the benchmark measures.
    /// </summary>
    private (RunOutcome, string?) StepThrough(ref SimTime timeOut, long first, RealTimePacer pacer, AlgorithmStatistics stats, StepCounter steps, CancellationToken cancel)
    {
        var schedule = _options.Schedule;
        var algorithm = _algorithm;
        var manipulators = _manipulators;
        var observers = _observers;
        var values = _values;
        var writer = _writer;
        var progress = Progress;
        var fixedStep = algorithm.FixedStep;
        var span = (double)(schedule.Stop - schedule.Start).Ticks;
        var progressEvery = Math.Max(1, schedule.StepCount / 200);
        var time = timeOut;
        var checkpoints = _options.Checkpoints;
        var nextCheckpoint = checkpoints == null ? SimTime.FromSeconds(SimTime.MaxSeconds) : NextCheckpoint(time, checkpoints.Every);
        try
        {
            for (long n = first; time < schedule.Stop; n++)
            {
                if (cancel.IsCancellationRequested || _stopRequested) return (RunOutcome.Stopped, "stopped on request");
                for (var i = 0; i < manipulators.Length; i++) manipulators[i].StepCommencing(time, writer);
                var target = fixedStep ? schedule.Point(n + 1) : schedule.Stop;
                var result = algorithm.Advance(n, time, target);
                steps.Track(result.Reached - time);
                time = result.Reached;
                for (var i = 0; i < observers.Length; i++) observers[i].StepComplete(time, values);
                if (result.TerminatedBy != null) return (RunOutcome.TerminatedByComponent, $"'{result.TerminatedBy}' asked to terminate the simulation");
                if (time >= nextCheckpoint && time < schedule.Stop)
                {
                    var at = time;
                    var stepIndex = n + 1;
                    checkpoints!.Save(_checkpoints.Capture(at, stepIndex, w => WriteCounters(w, stats, steps)));
                    nextCheckpoint = NextCheckpoint(time, checkpoints.Every);
                }
                pacer.Pace(time);
                if (progress != null && n % progressEvery == 0) progress((time - schedule.Start).Ticks / span);
            }
            return (RunOutcome.Completed, null);
        }
        finally
        {
            timeOut = time;
        }
    }

    /// <summary>The first multiple of <paramref name="every"/> after the start that lies after <paramref name="time"/>.</summary>
    private SimTime NextCheckpoint(SimTime time, SimTime every)
    {
        var start = _options.Schedule.Start;
        var k = (time - start).Ticks / every.Ticks + 1;
        return start + every * k;
    }

    private void WriteCounters(BinaryWriter w, AlgorithmStatistics stats, StepCounter steps)
    {
        w.Write(steps.Steps);
        w.Write(steps.SmallestTicks);
        w.Write(steps.LargestTicks);
        w.Write(stats.Rejected);
        w.Write(stats.Discarded);
        w.Write(stats.MaxCouplingChange);
        w.Write(_loops.Solves);
        w.Write(_loops.Iterations);
        w.Write(_loops.NewtonSolves);
    }

    private void ReadCounters(BinaryReader r, AlgorithmStatistics stats, StepCounter steps)
    {
        steps.Steps = r.ReadInt64();
        steps.SmallestTicks = r.ReadInt64();
        steps.LargestTicks = r.ReadInt64();
        stats.Rejected = r.ReadInt64();
        stats.Discarded = r.ReadInt64();
        stats.MaxCouplingChange = r.ReadDouble();
        _loops.Solves = r.ReadInt64();
        _loops.Iterations = r.ReadInt64();
        _loops.NewtonSolves = r.ReadInt64();
    }

    private void SetParameters()
    {
        foreach (var p in _model.Parameters)
        {
            var comp = _system.Components.First(c => c.Name == p.Target.Component);
            try
            {
                comp.Instance.SetFromText(comp.Component.FindVariable(p.Target.Variable), p.Value);
            }
            catch (InputException e)
            {
                throw new InputException($"parameter {p.Target}: {e.Message}", e);
            }
        }
    }

    /// <summary>Initial values: propagate outputs to inputs in Gauss-Seidel order (and solve loops) until nothing changes.</summary>
    private void InitialValues(SimTime time)
    {
        var passes = _system.Components.Length + 1;
        for (var pass = 0; pass < passes; pass++)
        {
            var changed = false;
            foreach (var c in _system.GaussSeidelOrder)
            {
                var before = c.Inputs.ToArray();
                c.ComputeInputs(time);
                if (!before.AsSpan().SequenceEqual(c.Inputs)) changed = true;
                c.WriteInputs();
                c.ReadOutputs();
            }
            foreach (var loop in _system.Loops) _loops.Solve(loop, time);
            if (!changed && pass > 0) break;
        }
    }

    private RunStatistics Statistics(AlgorithmStatistics s, StepCounter steps, RealTimePacer pacer, TimeSpan stepping) => new()
    {
        Steps = steps.Steps,
        RejectedSteps = s.Rejected,
        DiscardedSteps = s.Discarded,
        SmallestStep = steps.Smallest ?? SimTime.Zero,
        LargestStep = steps.Largest ?? SimTime.Zero,
        MaxCouplingChange = s.MaxCouplingChange,
        LoopSolves = _loops.Solves,
        LoopIterations = _loops.Iterations,
        NewtonFallbacks = _loops.NewtonSolves,
        Overruns = pacer.Overruns,
        MaxOverrun = pacer.MaxOverrun,
        TotalOverrun = pacer.TotalOverrun,
        SteppingTime = stepping,
        ComponentStepTime = _options.ProfileComponents
            ? _system.Components.ToDictionary(c => c.Name, c => Stopwatch.GetElapsedTime(0, c.StepTicks))
            : new Dictionary<string, TimeSpan>(),
        SolverStatistics = _system.Components.Where(c => c.Instance.SolverStatistics != null).ToDictionary(c => c.Name, c => c.Instance.SolverStatistics!),
    };

    private sealed class StepCounter
    {
        public long Steps;
        public long SmallestTicks = long.MaxValue, LargestTicks = long.MinValue;

        public SimTime? Smallest => Steps == 0 ? null : new SimTime(SmallestTicks);
        public SimTime? Largest => Steps == 0 ? null : new SimTime(LargestTicks);

        public void Track(SimTime h)
        {
            Steps++;
            if (h.Ticks < SmallestTicks) SmallestTicks = h.Ticks;
            if (h.Ticks > LargestTicks) LargestTicks = h.Ticks;
        }
    }

    /// <summary>The manipulators' <see cref="InputWriter"/>: values go into the components' managed-input buffers.</summary>
    private sealed class Writer(CoupledSystem system, int[] componentOf, int[] slotOf) : InputWriter
    {
        public override void Set(InputHandle input, double value) =>
            system.Components[componentOf[input.Id]].SetBase(slotOf[input.Id], value);

        public override void Override(InputHandle input, IInputOverride? inputOverride) =>
            system.Components[componentOf[input.Id]].SetOverride(slotOf[input.Id], inputOverride);
    }
}
