using CoSim.Core;
using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// Several FMUs' model-exchange interfaces integrated together by one integrator (CVODE BDF by
/// default): a "strongly coupled" subsystem, for stiff physics split across FMUs, where any
/// fixed-step co-simulation of the parts is inaccurate or unstable.
///
/// The continuous states of all members form one ODE (<see cref="GroupOdeSystem"/>). The connections
/// between members are algebraic equations evaluated inside every right-hand-side call
/// (<see cref="GroupConnections"/>: in dependency order, or by Newton's method on an algebraic loop).
/// Event indicators of all members are watched together; time events are the earliest of the
/// members' next event times; a step event of any member stops the integration. At every event all
/// members enter event mode and iterate together (<see cref="GroupEventIteration"/>), then the integrator restarts.
///
/// To the rest of a system the group is one <see cref="IComponent"/> whose variables are the members'
/// variables named <c>Member.variable</c> (<see cref="GroupVariables"/>); inputs connected inside the
/// group become locals, the others stay inputs.
/// The Jacobian follows <see cref="SolverOptions.Jacobian"/>: by default directional derivatives when
/// every member offers them (<see cref="GroupJacobian"/>), else difference quotients, colored on the
/// sparsity the members' model structures give when that saves calls.
/// </summary>
public sealed partial class StronglyCoupledGroup : ModelExchangeStepping, IComponent
{
    private readonly FmuModelExchangeComponent[] _members;
    private readonly GroupConnections _connections;
    private readonly GroupVariables _variables;
    private readonly GroupOdeSystem _ode;
    private double[] _x = [];
    private double? _tolerance;
    private bool _running, _terminated;

    /// <summary>
    /// Groups <paramref name="members"/> (made with their model-exchange interface, not yet
    /// instantiated; the group owns and disposes them) joined by <paramref name="connections"/>.
    /// Throws <see cref="InputException"/> on a bad connection.
    /// </summary>
    public StronglyCoupledGroup(string name, IReadOnlyList<FmuModelExchangeComponent> members, IReadOnlyList<InternalConnection> connections,
        SolverOptions? solver = null)
    {
        Name = name;
        _members = members.ToArray();
        Solver = solver ?? new SolverOptions();
        Solver.Validate();
        StopAtOutputs = Solver.StopAtOutputs;
        if (_members.Length == 0) throw new InputException($"strongly coupled group '{name}' has no member");
        _connections = new GroupConnections(name, _members, connections);
        _variables = new GroupVariables(_members, _connections);
        _ode = new GroupOdeSystem(_members, _connections, () => Propagate());
    }

    public override string Name { get; }
    public IReadOnlyList<ComponentVariable> Variables => _variables.Variables;
    /// <summary>Which group outputs depend directly on which group inputs, through the members and the internal connections.</summary>
    public ComponentStructure Structure => _variables.Structure;
    public IReadOnlyList<string> Warnings => _members.SelectMany(m => m.Warnings.Select(w => $"{m.Name}: {w}")).ToList();
    public string? KindDescription => $"strongly coupled group of {_members.Length} model-exchange FMUs ({string.Join(", ", _members.Select(m => m.Name))})";
    public ExperimentDefaults? Defaults => _members.Select(m => m.Defaults).FirstOrDefault(d => d != null);
    public bool CanSaveState => false;

    /// <summary>The integration settings.</summary>
    public SolverOptions Solver { get; }

    /// <summary>The members, in order.</summary>
    public IReadOnlyList<FmuModelExchangeComponent> Members => _members;

    /// <summary>Continuous states of all members together (known after <see cref="ExitInitialization"/>).</summary>
    public int StateCount => _ode.TotalStates;

    /// <summary>The integrator's work so far (steps, RHS evaluations, Jacobians), summed over restarts.</summary>
    public IntegratorStatistics IntegratorStatistics => Integrator?.Statistics ?? default;

    /// <summary>Integrator work and events so far.</summary>
    public ModelExchangeStatistics Statistics => StatisticsOf(Solver.Kind.ToString());

    public string? SolverStatistics => $"{Statistics} ({_ode.TotalStates} states of {_members.Length} FMUs, {IntegratorStatistics.JacobianEvaluations} Jacobians: {Jacobian})";

    /// <summary>How the integrator obtains the Jacobian (e.g. "colored differences (6 colors for 100 states)"); null before initialization.</summary>
    public string? Jacobian => Integrator?.Jacobian;

    /// <summary>Directional-derivative calls the Jacobians made so far.</summary>
    public long DirectionalDerivativeCalls => _ode.DirectionalDerivativeCalls;

    /// <summary>The internal connections on an algebraic loop (solved by Newton's method in every evaluation); empty when none.</summary>
    public IReadOnlyList<string> LoopConnections => _connections.LoopConnections;

    /// <summary>Newton iterations spent on the algebraic loop so far.</summary>
    public long LoopIterations => _connections.LoopIterations;

    /// <summary>Index of member <paramref name="member"/>'s variable <paramref name="variable"/> among the group's variables.</summary>
    public int VariableIndex(int member, int variable) => _variables.Index(member, variable);

    public void Instantiate()
    {
        foreach (var m in _members) m.Instantiate();
    }

    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        _tolerance = tolerance ?? _members.Select(m => m.ExperimentTolerance).Where(t => t != null).Min();
        CurrentTime = start.Seconds;
        StopTime = stop?.Seconds ?? double.PositiveInfinity;
        foreach (var m in _members) m.EnterInitialization(start, stop, _tolerance);
        Initialized = true;
    }

    public void ExitInitialization()
    {
        Propagate(); // initial values of the connected inputs
        foreach (var m in _members) m.Instance.ExitInitialization(); // model exchange: now in event mode
        _ode.Dimension();
        _x = new double[_ode.StateCount];
        IterateEvents();
        InputsChanged = false;
        if (TerminateRequested) return;
        foreach (var m in _members) m.Instance.EnterContinuousTimeMode();
        _ode.ReadNominals();
        Integrator = CoSim.Solvers.Solver.Create(_ode, Solver, _tolerance);
        Restart();
        _running = true;
    }

    /// <inheritdoc />
    private protected override string Subject => "the group";

    /// <summary>Members' outputs at the point reached.</summary>
    private protected override void MoveTo(double time, ReadOnlySpan<double> states) => _ode.Apply(time, states);

    /// <summary>Every member enters event mode, they iterate together, and the integrator restarts (whatever the kind of event).</summary>
    private protected override void HandleEvent(ModelExchangeEventKind kind)
    {
        foreach (var m in _members) m.Instance.EnterEventMode();
        IterateEvents();
        _ode.Forget();
        if (TerminateRequested) return;
        foreach (var m in _members) m.Instance.EnterContinuousTimeMode();
        _ode.ReadNominals();
        Restarts++;
        Restart();
    }

    private void IterateEvents()
    {
        var outcome = GroupEventIteration.Run(_members, () => Propagate(), Name, CurrentTime, ref EventIterations);
        if (outcome.Terminate) TerminateRequested = true;
        else NextEventTime = outcome.NextEventTime;
    }

    private void Restart()
    {
        _ode.ReadStates(_x);
        Integrator!.Reset(CurrentTime, _x);
    }

    /// <summary>Sets every connected input from its output; true when any value changed.</summary>
    private bool Propagate() => _connections.Propagate(CurrentTime);

    public void Terminate()
    {
        if (!Initialized || _terminated) return;
        _terminated = true;
        foreach (var m in _members) m.Terminate();
    }

    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new GroupAccessor(_members, _variables, variables, MarkInputsChanged);

    public void SetFromText(int variable, string text)
    {
        var (m, v) = _variables.Owner(variable);
        _members[m].SetFromText(v, text);
        MarkInputsChanged();
    }

    public string GetAsText(int variable)
    {
        var (m, v) = _variables.Owner(variable);
        return _members[m].GetAsText(v);
    }

    public IComponentState SaveState() =>
        throw new SimulationException("saving the state of a strongly coupled group is not supported", Name, "SaveState");

    public void RestoreState(IComponentState state) =>
        throw new SimulationException("restoring the state of a strongly coupled group is not supported", Name, "RestoreState");

    /// <summary>A write to a member during the run is an input event at the next step's start.</summary>
    private void MarkInputsChanged()
    {
        if (_running)
        {
            InputsChanged = true;
            _ode.Forget();
        }
    }

    public void Dispose()
    {
        List<Exception>? errors = null;
        try
        {
            Integrator?.Dispose();
            Integrator = null;
        }
        finally
        {
            foreach (var m in _members)
            {
                try
                {
                    m.Dispose();
                }
                catch (Exception e)
                {
                    (errors ??= []).Add(e);
                }
            }
        }
        if (errors != null) throw new AggregateException(errors);
    }
}
