using CoSim.Core;
using CoSim.Fmi.Native;
using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>An output -> input connection between two members of a <see cref="StronglyCoupledGroup"/>, by member and variable index.</summary>
/// <param name="FromMember">Index of the member whose output is read.</param>
/// <param name="FromVariable">The output's variable index in that member.</param>
/// <param name="ToMember">Index of the member whose input is set.</param>
/// <param name="ToVariable">The input's variable index in that member.</param>
/// <param name="Transform">Unit conversion (or other linear map) applied on the way; null: none.</param>
public sealed record InternalConnection(int FromMember, int FromVariable, int ToMember, int ToVariable, LinearTransform? Transform = null);

/// <summary>
/// Several FMUs' model-exchange interfaces integrated together by one integrator (CVODE BDF by
/// default): a "strongly coupled" subsystem, for stiff physics split across FMUs, where any
/// fixed-step co-simulation of the parts is inaccurate or unstable.
///
/// The continuous states of all members form one ODE. The connections between members are
/// algebraic equations evaluated inside every right-hand-side call: set time and states on every
/// member, then each connection in dependency order (an output read only after every input it
/// depends on directly has been set, from the members' model structure), then read derivatives.
/// Connections on an algebraic loop (direct feedthrough all the way round) are solved together by
/// Newton's method (difference-quotient Jacobian) in every evaluation.
/// Event indicators of all members are watched together; time events are the earliest of the
/// members' next event times; a step event of any member stops the integration. At every event all
/// members enter event mode and iterate together (discrete-state updates, connections re-propagated,
/// until no member needs another round and no connected value changed), then the integrator restarts.
///
/// To the rest of a system the group is one <see cref="IComponent"/> whose variables are the members'
/// variables named <c>Member.variable</c>; inputs connected inside the group become locals, the others stay inputs.
/// The Jacobian follows <see cref="SolverOptions.Jacobian"/>: by default directional derivatives when
/// every member offers them (<see cref="GroupJacobian"/>), else difference quotients, colored on the
/// sparsity the members' model structures give when that saves calls.
/// </summary>
public sealed class StronglyCoupledGroup : ModelExchangeStepping, IComponent
{
    private readonly FmuModelExchangeComponent[] _members;
    private readonly int[] _variableOffset;
    private readonly (int Member, int Variable)[] _variableOwner;
    private readonly Link[] _links; // internal connections in evaluation order
    private readonly GroupOdeSystem _ode;
    private LoopSolver? _loop; // set when the internal connections form an algebraic loop
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
        if (_members.Length == 0) throw new InputException($"strongly coupled group '{name}' has no member");
        var links = new List<Link>();
        foreach (var c in connections)
        {
            if (c.FromMember < 0 || c.FromMember >= _members.Length || c.ToMember < 0 || c.ToMember >= _members.Length)
                throw new InputException($"strongly coupled group '{name}': connection {c} names no member");
            var from = _members[c.FromMember];
            var to = _members[c.ToMember];
            links.Add(new Link(c, from.CreateAccessor([c.FromVariable]), to.CreateAccessor([c.ToVariable]),
                $"{from.Name}.{from.Variables[c.FromVariable].Name} -> {to.Name}.{to.Variables[c.ToVariable].Name}"));
        }
        _links = Order(links);

        var connectedInputs = connections.Select(c => (c.ToMember, c.ToVariable)).ToHashSet();
        var variables = new List<ComponentVariable>();
        var owners = new List<(int, int)>();
        _variableOffset = new int[_members.Length];
        var units = new Dictionary<string, BaseUnit>();
        for (var m = 0; m < _members.Length; m++)
        {
            _variableOffset[m] = variables.Count;
            foreach (var v in _members[m].Variables)
            {
                var role = v.Role == VariableRole.Input && connectedInputs.Contains((m, v.Index)) ? VariableRole.Local : v.Role;
                variables.Add(v with { Index = variables.Count, Name = $"{_members[m].Name}.{v.Name}", Role = role });
                owners.Add((m, v.Index));
            }
            foreach (var (unit, definition) in _members[m].Structure.UnitDefinitions) units.TryAdd(unit, definition);
        }
        Variables = variables;
        _variableOwner = owners.ToArray();
        Structure = new ComponentStructure(Dependencies(), units);
        _ode = new GroupOdeSystem(this);
    }

    public override string Name { get; }
    public IReadOnlyList<ComponentVariable> Variables { get; }
    /// <summary>Which group outputs depend directly on which group inputs, through the members and the internal connections.</summary>
    public ComponentStructure Structure { get; }
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
    public IReadOnlyList<string> LoopConnections { get; private set; } = [];

    /// <summary>Newton iterations spent on the algebraic loop so far.</summary>
    public long LoopIterations => _loop?.Iterations ?? 0;

    /// <summary>Index of member <paramref name="member"/>'s variable <paramref name="variable"/> among the group's variables.</summary>
    public int VariableIndex(int member, int variable) => _variableOffset[member] + variable;

    public void Instantiate()
    {
        foreach (var m in _members) m.Instantiate();
    }

    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        _tolerance = tolerance ?? _members.Select(m => m.ExperimentTolerance).Where(t => t != null).Min();
        CurrentTime = start.Seconds;
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
    private protected override void MoveTo(double time, ReadOnlySpan<double> states) => _ode.Evaluate(time, states);

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

    /// <summary>
    /// Event iteration across members: each round updates every member's discrete states and
    /// re-propagates the connections; it ends when no member asks for another round and no
    /// connected value changed (a member's new output is then seen by the members it feeds).
    /// </summary>
    private void IterateEvents()
    {
        for (var round = 0; ; round++)
        {
            if (round >= FmuModelExchangeComponent.MaxEventsPerInstant)
                throw new SimulationException($"event iteration across the group did not converge after {round} rounds", Name,
                    "event iteration", SimTime.FromSeconds(CurrentTime));
            var again = false;
            double? next = null;
            foreach (var m in _members)
            {
                EventIterations++;
                var update = m.Instance.UpdateDiscreteStates();
                if (update.TerminateSimulation)
                {
                    TerminateRequested = true;
                    return;
                }
                again |= update.DiscreteStatesNeedUpdate;
                if (update.NextEventTime is { } t) next = next is { } n ? Math.Min(n, t) : t;
            }
            again |= Propagate();
            if (again) continue;
            NextEventTime = next;
            return;
        }
    }

    private void Restart()
    {
        _ode.ReadStates(_x);
        Integrator!.Reset(CurrentTime, _x);
    }

    /// <summary>Sets every connected input from its output, in dependency order; true when any value changed.</summary>
    private bool Propagate()
    {
        if (_loop != null) return SolveLoop();
        Span<double> value = stackalloc double[1];
        var changed = false;
        foreach (var link in _links)
        {
            link.From.Read(value);
            var v = link.Connection.Transform is { } tr ? tr.Apply(value[0]) : value[0];
            if (v.Equals(link.Last)) continue; // an unchanged input is not set again (bit-identical)
            link.Last = v;
            value[0] = v;
            link.To.Write(value);
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// The connected values u of an algebraic loop: Newton's method on r(u) = g(u) - u, where g writes
    /// u to the connected inputs and reads the transformed outputs; a difference-quotient Jacobian,
    /// started from the last solution. True when any value changed.
    /// </summary>
    private bool SolveLoop()
    {
        var loop = _loop!;
        var n = _links.Length;
        var u = loop.U;
        for (var i = 0; i < n; i++) u[i] = double.IsNaN(_links[i].Last) ? ReadLink(i) : _links[i].Last;
        for (var iteration = 0; ; iteration++)
        {
            LoopResidual(u, loop.R);
            var norm = 0.0;
            var scale = 1.0;
            for (var i = 0; i < n; i++)
            {
                norm = Math.Max(norm, Math.Abs(loop.R[i]));
                scale = Math.Max(scale, Math.Abs(u[i]));
            }
            if (norm <= 1e-13 * scale) break;
            if (iteration >= LoopSolver.MaxIterations || !double.IsFinite(norm))
                throw new SimulationException($"the algebraic loop {string.Join(", ", LoopConnections)} did not converge (residual {norm:G3} after {iteration} Newton iterations)",
                    Name, "algebraic loop", SimTime.FromSeconds(CurrentTime));
            loop.Iterations++;
            for (var j = 0; j < n; j++)
            {
                var du = 1e-7 * Math.Max(1.0, Math.Abs(u[j]));
                var keep = u[j];
                u[j] = keep + du;
                LoopResidual(u, loop.R2);
                u[j] = keep;
                for (var i = 0; i < n; i++) loop.J[i * n + j] = (loop.R2[i] - loop.R[i]) / du;
            }
            if (!loop.Solve()) // J δ = -R, δ into R
                throw new SimulationException($"the algebraic loop {string.Join(", ", LoopConnections)} has a singular Jacobian", Name, "algebraic loop",
                    SimTime.FromSeconds(CurrentTime));
            for (var i = 0; i < n; i++) u[i] += loop.R[i];
        }
        var changed = false;
        for (var i = 0; i < n; i++)
        {
            changed |= !u[i].Equals(_links[i].Last);
            _links[i].Last = u[i];
        }
        return changed;
    }

    /// <summary>Writes <paramref name="u"/> to the connected inputs and returns g(u) - u.</summary>
    private void LoopResidual(double[] u, double[] r)
    {
        Span<double> value = stackalloc double[1];
        for (var i = 0; i < _links.Length; i++)
        {
            value[0] = u[i];
            _links[i].To.Write(value);
        }
        for (var i = 0; i < _links.Length; i++) r[i] = ReadLink(i) - u[i];
    }

    private double ReadLink(int i)
    {
        Span<double> value = stackalloc double[1];
        _links[i].From.Read(value);
        return _links[i].Connection.Transform is { } tr ? tr.Apply(value[0]) : value[0];
    }

    /// <summary>Orders the links so that each output is read after the inputs it depends on are set; refuses algebraic loops.</summary>
    private Link[] Order(List<Link> links)
    {
        // link b must come after link a when a sets an input of b's source member that b's output depends on.
        var after = links.Select(_ => new List<int>()).ToArray();
        var pending = new int[links.Count];
        for (var b = 0; b < links.Count; b++)
        for (var a = 0; a < links.Count; a++)
        {
            var cb = links[b].Connection;
            var ca = links[a].Connection;
            if (ca.ToMember != cb.FromMember || !_members[cb.FromMember].Structure.DependsOn(cb.FromVariable, ca.ToVariable)) continue;
            after[a].Add(b);
            pending[b]++;
        }
        var order = new List<Link>();
        var ready = new Queue<int>(Enumerable.Range(0, links.Count).Where(i => pending[i] == 0));
        while (ready.Count > 0)
        {
            var i = ready.Dequeue();
            order.Add(links[i]);
            foreach (var j in after[i])
                if (--pending[j] == 0) ready.Enqueue(j);
        }
        if (order.Count == links.Count) return order.ToArray();
        // An algebraic loop (direct feedthrough all the way round): every connected value is an unknown of Newton's method.
        LoopConnections = links.Where(l => !order.Contains(l)).Select(l => l.Text).ToList();
        _loop = new LoopSolver(links.Count);
        return links.ToArray();
    }

    /// <summary>Group output -> group inputs it depends on directly, following feedthrough through internal connections.</summary>
    private Dictionary<int, IReadOnlyList<int>> Dependencies()
    {
        var result = new Dictionary<int, IReadOnlyList<int>>();
        for (var m = 0; m < _members.Length; m++)
            foreach (var v in _members[m].Variables.Where(v => v.Role == VariableRole.Output))
            {
                var inputs = new HashSet<int>();
                var seen = new HashSet<(int, int)>();
                Collect(m, v.Index, inputs, seen);
                result[VariableIndex(m, v.Index)] = inputs.ToList();
            }
        return result;

        void Collect(int member, int output, HashSet<int> inputs, HashSet<(int, int)> seen)
        {
            if (!seen.Add((member, output))) return;
            foreach (var input in _members[member].Variables.Where(x => x.Role == VariableRole.Input))
            {
                if (!_members[member].Structure.DependsOn(output, input.Index)) continue;
                var feeding = _links.Where(l => l.Connection.ToMember == member && l.Connection.ToVariable == input.Index).ToList();
                if (feeding.Count == 0) inputs.Add(VariableIndex(member, input.Index));
                foreach (var l in feeding) Collect(l.Connection.FromMember, l.Connection.FromVariable, inputs, seen);
            }
        }
    }

    public void Terminate()
    {
        if (!Initialized || _terminated) return;
        _terminated = true;
        foreach (var m in _members) m.Terminate();
    }

    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new GroupAccessor(this, variables);

    public void SetFromText(int variable, string text)
    {
        var (m, v) = _variableOwner[variable];
        _members[m].SetFromText(v, text);
        MarkInputsChanged();
    }

    public string GetAsText(int variable)
    {
        var (m, v) = _variableOwner[variable];
        return _members[m].GetAsText(v);
    }

    public IComponentState SaveState() =>
        throw new SimulationException("saving the state of a strongly coupled group is not supported", Name, "SaveState");

    public void RestoreState(IComponentState state) =>
        throw new SimulationException("restoring the state of a strongly coupled group is not supported", Name, "RestoreState");

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

    /// <summary>Work arrays of Newton's method on an algebraic loop of n connected values.</summary>
    private sealed class LoopSolver(int n)
    {
        public const int MaxIterations = 50;
        public readonly double[] U = new double[n], R = new double[n], R2 = new double[n], J = new double[n * n];
        public long Iterations;

        /// <summary>Solves J δ = -R by Gaussian elimination with partial pivoting; δ replaces R. False when J is singular.</summary>
        public bool Solve()
        {
            for (var i = 0; i < n; i++) R[i] = -R[i];
            for (var k = 0; k < n; k++)
            {
                var p = k;
                for (var i = k + 1; i < n; i++)
                    if (Math.Abs(J[i * n + k]) > Math.Abs(J[p * n + k])) p = i;
                if (J[p * n + k] == 0 || !double.IsFinite(J[p * n + k])) return false;
                if (p != k)
                {
                    for (var j = 0; j < n; j++) (J[k * n + j], J[p * n + j]) = (J[p * n + j], J[k * n + j]);
                    (R[k], R[p]) = (R[p], R[k]);
                }
                for (var i = k + 1; i < n; i++)
                {
                    var f = J[i * n + k] / J[k * n + k];
                    if (f == 0) continue;
                    for (var j = k; j < n; j++) J[i * n + j] -= f * J[k * n + j];
                    R[i] -= f * R[k];
                }
            }
            for (var i = n - 1; i >= 0; i--)
            {
                var sum = R[i];
                for (var j = i + 1; j < n; j++) sum -= J[i * n + j] * R[j];
                R[i] = sum / J[i * n + i];
            }
            return true;
        }
    }

    private sealed class Link(InternalConnection connection, IValueAccessor from, IValueAccessor to, string text)
    {
        public InternalConnection Connection { get; } = connection;
        public IValueAccessor From { get; } = from;
        public IValueAccessor To { get; } = to;
        public string Text { get; } = text;
        public double Last = double.NaN;
    }

    /// <summary>Reads and writes group variables through one accessor per member; a write during the run is an input event.</summary>
    private sealed class GroupAccessor : IValueAccessor
    {
        private readonly StronglyCoupledGroup _group;
        private readonly (IValueAccessor Accessor, int[] Positions)[] _parts;
        private readonly double[] _buffer;

        public GroupAccessor(StronglyCoupledGroup group, IReadOnlyList<int> variables)
        {
            _group = group;
            Variables = variables.ToArray();
            _parts = variables.Select((v, position) => (group._variableOwner[v], position))
                .GroupBy(x => x.Item1.Member)
                .Select(g => (group._members[g.Key].CreateAccessor(g.Select(x => x.Item1.Variable).ToList()), g.Select(x => x.position).ToArray()))
                .ToArray();
            _buffer = new double[variables.Count];
        }

        public IReadOnlyList<int> Variables { get; }

        public void Read(Span<double> values)
        {
            foreach (var (accessor, positions) in _parts)
            {
                var part = _buffer.AsSpan(0, positions.Length);
                accessor.Read(part);
                for (var i = 0; i < positions.Length; i++) values[positions[i]] = part[i];
            }
        }

        public void Write(ReadOnlySpan<double> values)
        {
            foreach (var (accessor, positions) in _parts)
            {
                var part = _buffer.AsSpan(0, positions.Length);
                for (var i = 0; i < positions.Length; i++) part[i] = values[positions[i]];
                accessor.Write(part);
            }
            _group.MarkInputsChanged();
        }
    }

    /// <summary>
    /// All members' continuous states as one <see cref="IOdeSystem"/>: each evaluation sets time and
    /// states on every member and propagates the internal connections (skipped when time and states
    /// equal the last ones), then reads derivatives or event indicators, member by member.
    /// </summary>
    private sealed class GroupOdeSystem(StronglyCoupledGroup group) : IOdeSystem
    {
        private int[] _stateOffset = [], _states = [], _indicatorOffset = [], _indicators = [];
        private double[] _lastX = [], _nominals = [];
        private double _lastT = double.NaN;
        private GroupJacobian? _jacobian;

        public int TotalStates { get; private set; }
        public int StateCount { get; private set; } = 1;
        public int EventIndicatorCount { get; private set; }
        public bool NeedsCompletedStep { get; private set; }

        /// <summary>Reads every member's dimensions (after initialization).</summary>
        public void Dimension()
        {
            var members = group._members;
            _states = new int[members.Length];
            _indicators = new int[members.Length];
            _stateOffset = new int[members.Length];
            _indicatorOffset = new int[members.Length];
            for (var m = 0; m < members.Length; m++)
            {
                (_states[m], _indicators[m]) = members[m].QueryDimensions();
                _stateOffset[m] = TotalStates;
                _indicatorOffset[m] = EventIndicatorCount;
                TotalStates += _states[m];
                EventIndicatorCount += _indicators[m];
            }
            StateCount = Math.Max(1, TotalStates); // a dummy state with derivative 0 lets the integrator step time
            NeedsCompletedStep = members.Any(m => m.NeedsCompletedIntegratorStep);
            _jacobian = GroupJacobian.Create(members.Select(m => m.Instance).ToList(), members.Select(m => m.Partials).ToList(), _states,
                group._links.Select(l => new JacobianLink(l.Connection.FromMember, members[l.Connection.FromMember].ValueReferenceOf(l.Connection.FromVariable),
                    l.Connection.ToMember, members[l.Connection.ToMember].ValueReferenceOf(l.Connection.ToVariable), l.Connection.Transform?.Factor ?? 1)).ToList(),
                directional: group._loop == null); // seeds cannot be carried round an algebraic loop
            _lastX = new double[StateCount];
            _nominals = new double[StateCount];
            _nominals.AsSpan().Fill(1.0);
            Forget();
        }

        public void ReadStates(Span<double> x)
        {
            x.Clear();
            for (var m = 0; m < _states.Length; m++)
                if (_states[m] > 0) group._members[m].Instance.GetContinuousStates(x.Slice(_stateOffset[m], _states[m]));
            Forget();
        }

        public void ReadNominals()
        {
            for (var m = 0; m < _states.Length; m++)
                if (_states[m] > 0) group._members[m].Instance.GetNominalsOfContinuousStates(_nominals.AsSpan(_stateOffset[m], _states[m]));
        }

        public void Forget()
        {
            _lastT = double.NaN;
            _lastX.AsSpan().Fill(double.NaN);
        }

        /// <summary>Sets (t, x) on every member and propagates the connections, unless (t, x) is the point set last.</summary>
        public void Evaluate(double t, ReadOnlySpan<double> x)
        {
            var timeChanged = t != _lastT;
            if (!timeChanged && x.SequenceEqual(_lastX)) return;
            var members = group._members;
            for (var m = 0; m < members.Length; m++)
            {
                var instance = members[m].Instance;
                if (timeChanged) instance.SetTime(t);
                // Only members whose states changed are set (a difference-quotient column perturbs one state).
                if (_states[m] > 0 && !x.Slice(_stateOffset[m], _states[m]).SequenceEqual(_lastX.AsSpan(_stateOffset[m], _states[m])))
                    instance.SetContinuousStates(x.Slice(_stateOffset[m], _states[m]));
            }
            group.Propagate();
            _lastT = t;
            x.CopyTo(_lastX);
        }

        public void Derivatives(double t, ReadOnlySpan<double> x, Span<double> dx)
        {
            Evaluate(t, x);
            if (TotalStates == 0) dx[0] = 0;
            for (var m = 0; m < _states.Length; m++)
                if (_states[m] > 0) group._members[m].Instance.GetDerivatives(dx.Slice(_stateOffset[m], _states[m]));
        }

        public void EventIndicators(double t, ReadOnlySpan<double> x, Span<double> g)
        {
            Evaluate(t, x);
            for (var m = 0; m < _indicators.Length; m++)
                if (_indicators[m] > 0) group._members[m].Instance.GetEventIndicators(g.Slice(_indicatorOffset[m], _indicators[m]));
            for (var i = 0; i < g.Length; i++)
                if (g[i] == 0) g[i] = FmuOdeSystem.ZeroIndicator; // z = 0 is in the z <= 0 domain (see FmuOdeSystem)
        }

        public void Nominals(Span<double> nominals) => _nominals.CopyTo(nominals);

        public long DirectionalDerivativeCalls => _jacobian?.Calls ?? 0;

        public IReadOnlyList<int[]>? JacobianSparsity => _jacobian?.Sparsity;

        public bool ProvidesJacobian => _jacobian?.Directional == true;

        public void Jacobian(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> fx, Span<double> jacobian)
        {
            Evaluate(t, x);
            _jacobian!.Compute(jacobian);
        }

        public StepAction CompletedStep(double t, ReadOnlySpan<double> x)
        {
            Evaluate(t, x);
            var action = StepAction.Continue;
            foreach (var m in group._members.Where(m => m.NeedsCompletedIntegratorStep))
            {
                var (enterEventMode, terminate) = m.Instance.CompletedIntegratorStep(noSetFmuStatePriorToCurrentPoint: true);
                if (terminate) return StepAction.Terminate;
                if (enterEventMode) action = StepAction.EnterEventMode;
            }
            return action;
        }
    }
}
