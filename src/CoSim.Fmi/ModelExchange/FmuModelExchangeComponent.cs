using System.Xml.Linq;
using CoSim.Core;
using CoSim.Core.Xml;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.Fmi.Native;
using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// An FMU's model-exchange interface (FMI 2.0 or 3.0) integrated by CoSim's own solver
/// (<see cref="SolverOptions"/>: CVODE, Dormand-Prince 5(4) or Euler) as an <see cref="IComponent"/>.
///
/// After initialization the component runs event iteration (new discrete states until stable) and
/// enters continuous-time mode. Each step (<see cref="ModelExchangeStepping.Step"/>, the loop it shares
/// with <see cref="StronglyCoupledGroup"/>) integrates to the communication point and stops on the way
/// at time, state and step events; each is handled by event mode, event iteration, continuous-time
/// mode, reading the (possibly re-initialized) states and restarting the integrator. A step or time event after which
/// nothing changed (no state re-initialized, no nominal changed, and derivatives and event
/// indicators at the event point bit-identical before and after, i.e. no discrete state that
/// matters changed) does not restart the integrator: it goes on with its step size and order, as an
/// FMU that asks for event mode after every step would otherwise reduce it to restarts from tiny
/// first steps. State and input events always restart (the right-hand side switches there; CVODE
/// has already stepped past a root).
/// </summary>
public sealed partial class FmuModelExchangeComponent : ModelExchangeStepping, IComponent, IContinuousStateAccess
{
    private readonly FmuBinding _fmu;
    private readonly ModelDescription _md;
    private readonly InterfaceInfo _me;
    private readonly IModelExchangeInstance _instance;
    private readonly IReadOnlyList<FmuVariable> _variables;
    private FmuOdeSystem? _system;
    private double[] _x = [];
    private double? _tolerance;
    private bool _running, _terminated;
    private bool _statesChanged, _nominalsChanged; // reported by the last event iteration
    private TrackingAccessor? _lastWriter; // the accessor that wrote inputs last (null: none, or another kind of write since)

    public FmuModelExchangeComponent(FmuArchive archive, string instanceName, ILogSink log, SolverOptions? solver = null, bool loggingOn = false)
    {
        _md = archive.Model;
        _me = _md.ModelExchange ?? throw new InputException($"{archive.SourcePath}: the FMU has no model-exchange interface");
        Solver = solver ?? new SolverOptions();
        Solver.Validate();
        StopAtOutputs = Solver.StopAtOutputs;
        Name = instanceName;
        LoggingOn = loggingOn;
        _fmu = FmuBinding.Open(archive, _me.ModelIdentifier, instanceName, log, coSimulation: false);
        _instance = _fmu.Instance;
        _variables = _fmu.VariableMap;
    }

    public override string Name { get; }
    public IReadOnlyList<ComponentVariable> Variables => _fmu.Variables;
    /// <summary>Output dependencies from the model structure and the unit definitions.</summary>
    public ComponentStructure Structure => _fmu.Structure;
    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _fmu.Warnings;
    /// <inheritdoc />
    public string? KindDescription => _fmu.Describe("model exchange");
    /// <inheritdoc />
    public ExperimentDefaults? Defaults => _fmu.Defaults;
    public ModelDescription ModelDescription => _md;
    public bool LoggingOn { get; }

    /// <summary>The integration settings this component was created with.</summary>
    public SolverOptions Solver { get; }

    /// <summary>Saving the state of a model-exchange component (FMU and integrator together) is not supported yet.</summary>
    public bool CanSaveState => false;

    /// <summary>The FMU's last log message (for reports).</summary>
    public string? LastLogMessage => _instance.Log.LastMessage;

    /// <summary>Number of continuous states of the FMU (known after <see cref="ExitInitialization"/>).</summary>
    public int StateCount => _system?.FmuStates ?? 0;

    /// <summary>Number of event indicators of the FMU (known after <see cref="ExitInitialization"/>).</summary>
    public int EventIndicatorCount => _system?.EventIndicatorCount ?? 0;

    /// <summary>The time the component has reached.</summary>
    public SimTime Time => SimTime.FromSeconds(CurrentTime);

    /// <summary>
    /// Raised at every event, before it is handled: the FMU is still at the time and states where the
    /// integrator stopped, so its variables can be read (e.g. to log or check event times).
    /// </summary>
    public event Action<ModelExchangeEvent>? EventOccurring;

    /// <summary>Integrator work and events so far.</summary>
    /// <inheritdoc />
    public string? SolverStatistics => Integrator?.Jacobian is { } jacobian ? $"{Statistics}; Jacobian: {jacobian}" : Statistics.ToString();

    public ModelExchangeStatistics Statistics => StatisticsOf(Solver.Kind.ToString());

    /// <summary>Directional-derivative calls the Jacobians made so far (0 when CVODE never used them).</summary>
    public long DirectionalDerivativeCalls => _system?.DirectionalDerivativeCalls ?? 0;

    /// <summary>Instantiates with the FMU's logging set up by <see cref="FmuLogging.Configure"/>.</summary>
    public void Instantiate()
    {
        _instance.InstantiateModelExchange(visible: false, loggingOn: true);
        FmuLogging.Configure(_instance, _md, LoggingOn);
    }

    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        _tolerance = tolerance ?? _md.DefaultExperiment?.Tolerance;
        CurrentTime = start.Seconds;
        StopTime = stop?.Seconds ?? double.PositiveInfinity;
        _instance.EnterInitialization(start.Seconds, stop?.Seconds, _tolerance); // the tolerance CoSim's integrator works to
        Initialized = true;
    }

    public void ExitInitialization()
    {
        _instance.ExitInitialization(); // model exchange: now in event mode
        var queried = _instance.QueryDimensions();
        var (states, indicators) = queried ?? Dimensions();
        // FMI 2 cannot ask the binary how many event indicators it has: a probe with the declared count lets a
        // binary that checks it say so (an error naming fmi2GetEventIndicators), instead of losing its state events.
        if (queried == null && indicators == 0) _instance.GetEventIndicators([]);
        _system = new FmuOdeSystem(_instance, states, indicators, _me.NeedsCompletedIntegratorStep,
            GroupJacobian.Create([_instance], [Partials], [states], []));
        _x = new double[_system.StateCount];
        IterateEvents();
        InputsChanged = false;
        if (TerminateRequested) return;
        _instance.EnterContinuousTimeMode();
        _system.ReadNominals();
        Integrator = CoSim.Solvers.Solver.Create(_system, Solver, _tolerance);
        Restart();
        _running = true;
    }

    /// <summary>The FMU instance, for a <see cref="StronglyCoupledGroup"/> that integrates it together with others.</summary>
    internal IModelExchangeInstance Instance => _instance;

    /// <summary>What the model structure says of the FMU's partial derivatives (null: array variables).</summary>
    internal MemberPartials? Partials => MemberPartials.From(_md, _me, _instance);

    /// <summary>The value reference of variable <paramref name="variable"/> (an index into <see cref="Variables"/>).</summary>
    internal uint ValueReferenceOf(int variable) => _variables[variable].ValueReference;

    /// <summary>Whether the FMU wants fmi*CompletedIntegratorStep after every accepted step.</summary>
    internal bool NeedsCompletedIntegratorStep => _me.NeedsCompletedIntegratorStep;

    /// <summary>The tolerance of the FMU's default experiment, if any.</summary>
    internal double? ExperimentTolerance => _md.DefaultExperiment?.Tolerance;

    /// <summary>States and event indicators after initialization: asked of the instance (FMI 3) or from the model description.</summary>
    internal (int States, int EventIndicators) QueryDimensions() => _instance.QueryDimensions() ?? Dimensions();

    /// <summary>States and event indicators from the model description (FMI 2; the instance cannot be asked).</summary>
    private (int States, int EventIndicators) Dimensions()
    {
        int states = _md.NumberOfContinuousStates, indicators = _md.NumberOfEventIndicators;
        if (states > 0 || indicators > 0) return (states, indicators);
        // A model description without a filled model structure: count from the XML itself.
        var path = Path.Combine(_fmu.Archive.Folder, "modelDescription.xml");
        if (!File.Exists(path)) return (0, 0);
        var root = SafeXml.LoadFile(path, _fmu.Archive.SourcePath + "!/modelDescription.xml").Root; // hardened like every XML read
        var derivatives = root?.Element("ModelStructure")?.Element("Derivatives")?.Elements("Unknown").Count() ?? 0;
        var declared = (string?)root?.Attribute("numberOfEventIndicators");
        return (derivatives, int.TryParse(declared, out var n) ? n : 0);
    }

    /// <summary>
    /// Event iteration: new discrete states until the FMU needs no more (or asks to terminate); whether
    /// any round re-initialized states or changed nominals is left in _statesChanged / _nominalsChanged.
    /// </summary>
    private void IterateEvents()
    {
        _statesChanged = _nominalsChanged = false;
        for (var round = 0; ; round++)
        {
            if (round >= MaxEventsPerInstant)
                throw new SimulationException($"event iteration did not converge after {MaxEventsPerInstant} rounds", Name,
                    _md.Version == FmiVersion.Fmi2 ? "fmi2NewDiscreteStates" : "fmi3UpdateDiscreteStates", SimTime.FromSeconds(CurrentTime));
            EventIterations++;
            var update = _instance.UpdateDiscreteStates();
            _statesChanged |= update.StatesChanged;
            _nominalsChanged |= update.NominalsChanged;
            if (update.TerminateSimulation)
            {
                TerminateRequested = true;
                return;
            }
            if (update.DiscreteStatesNeedUpdate) continue;
            NextEventTime = update.NextEventTime;
            return;
        }
    }

    /// <summary>Reads the states after event mode and restarts the integrator from them.</summary>
    private void Restart()
    {
        _system!.ReadStates(_x);
        Integrator!.Reset(CurrentTime, _x);
    }

    /// <inheritdoc />
    private protected override string Subject => "the model";

    /// <inheritdoc />
    private protected override void MoveTo(double time, ReadOnlySpan<double> states) => _system!.Apply(time, states);

    /// <summary>Event mode at the current time: enter, iterate, and back to continuous time (unless terminating).</summary>
    private protected override void HandleEvent(ModelExchangeEventKind kind)
    {
        EventOccurring?.Invoke(new ModelExchangeEvent(CurrentTime, kind));
        var system = _system!;
        var integrator = Integrator!;
        // Only where the integrator stands exactly at the event point (a completed step, a stop time)
        // may it go on; a state event was detected past the root and the old mode integrated there.
        var mayContinue = kind is ModelExchangeEventKind.Step or ModelExchangeEventKind.Time;
        // Always evaluated at the event point, also for state events: some exporters (MapleSim) latch their relations
        // in fmi2GetEventIndicators and iterate on the values of the last call, which the integrator's root
        // finding may have made at a trial point before the crossing (docs/model-exchange.md, "Events").
        system.CaptureRightHandSide(CurrentTime, integrator.State);
        _instance.EnterEventMode();
        IterateEvents();
        system.Forget();
        if (TerminateRequested) return;
        _instance.EnterContinuousTimeMode();
        system.ReadNominals();
        if (mayContinue && !_statesChanged && !_nominalsChanged && system.RightHandSideUnchanged(CurrentTime, integrator.State))
            return;
        Restarts++;
        Restart();
    }

    /// <summary>The continuous states' names: the variables the model structure's derivatives differentiate, in its order.</summary>
    public IReadOnlyList<string> ContinuousStateNames => _stateNames ??= _md.Structure.ContinuousStateDerivatives
        .Select((d, i) => _md.Variables[d.Variable].DerivativeOf is { } state ? _md.Variables[state].Name : $"state{i + 1}").ToList();

    private IReadOnlyList<string>? _stateNames;

    /// <summary>Reads the FMU's continuous states (fmi*GetContinuousStates) where the integrator stands.</summary>
    public void GetContinuousStates(Span<double> states)
    {
        if (!_running) throw new InvalidOperationException("continuous states are read between steps, after ExitInitialization");
        _system!.ReadStates(_x);
        _x.AsSpan(0, states.Length).CopyTo(states);
    }

    /// <summary>
    /// Sets the FMU's continuous states (fmi*SetContinuousStates) at the current time and restarts the
    /// integrator from them: a set state is a discontinuity of the trajectory (counted as a restart).
    /// </summary>
    public void SetContinuousStates(ReadOnlySpan<double> states)
    {
        if (!_running) throw new InvalidOperationException("continuous states are set between steps, after ExitInitialization");
        if (states.Length != _system!.FmuStates)
            throw new ArgumentException($"{Name} has {_system.FmuStates} continuous states, not {states.Length}", nameof(states));
        states.CopyTo(_x);
        _system.Forget();
        _system.Apply(CurrentTime, _x);
        Restarts++;
        Integrator!.Reset(CurrentTime, _x);
    }

    public void Terminate()
    {
        if (!Initialized || _terminated) return;
        _terminated = true;
        _instance.Terminate();
    }

    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) =>
        new TrackingAccessor(new FmuAccessor(_instance, _variables, variables), this);

    public void SetFromText(int variable, string text)
    {
        FmuTextValues.Set(_instance, _md, _variables, variable, text);
        _lastWriter = null;
        MarkInputsChanged();
    }

    public string GetAsText(int variable) => FmuTextValues.Get(_instance, _variables, variable);

    public IComponentState SaveState() =>
        throw new SimulationException("saving the state of a model-exchange component is not supported", Name, "SaveState");

    public void RestoreState(IComponentState state) =>
        throw new SimulationException("restoring the state of a model-exchange component is not supported", Name, "RestoreState");

    private void MarkInputsChanged()
    {
        if (_running) InputsChanged = true;
    }

    /// <summary>
    /// An input event only where a value changed: the same accessor writing the values it wrote last (a held input,
    /// written again at every communication point) leaves the right-hand side as it was, and the integrator goes on.
    /// </summary>
    private void InputsWritten(TrackingAccessor writer, bool sameAsBefore)
    {
        var unchanged = sameAsBefore && ReferenceEquals(writer, _lastWriter);
        _lastWriter = writer;
        if (!unchanged) MarkInputsChanged();
    }

    public void Dispose()
    {
        try
        {
            Integrator?.Dispose();
            Integrator = null;
        }
        finally
        {
            _fmu.Dispose();
        }
    }

    /// <summary>Passes reads and writes through; a write during the run that changes a value marks an input event for the next step.</summary>
    private sealed class TrackingAccessor(IValueAccessor inner, FmuModelExchangeComponent owner) : IValueAccessor
    {
        private readonly double[] _written = new double[inner.Variables.Count];
        private bool _wroteBefore;

        public IReadOnlyList<int> Variables => inner.Variables;
        public void Read(Span<double> values) => inner.Read(values);

        public void Write(ReadOnlySpan<double> values)
        {
            inner.Write(values);
            // Bitwise: -0.0 and 0.0 may differ to the FMU, and a NaN written twice is the same input.
            var same = _wroteBefore && values.Length == _written.Length &&
                       System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_written.AsSpan()));
            if (values.Length == _written.Length) values.CopyTo(_written);
            _wroteBefore = values.Length == _written.Length;
            owner.InputsWritten(this, same);
        }
    }
}
