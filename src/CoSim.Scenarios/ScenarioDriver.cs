using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Systems;

namespace CoSim.Scenarios;

/// <summary>An event or fault change during the run: what triggered, when.</summary>
/// <param name="Time">The communication point it happened at [s].</param>
/// <param name="Kind"><c>at</c>, <c>when</c>, <c>every</c>, <c>fault-start</c> or <c>fault-end</c>.</param>
/// <param name="Name">The event's or fault's name.</param>
public sealed record TriggeredEvent(double Time, string Kind, string Name)
{
    /// <summary>"t=12.5 s: when 'level high'".</summary>
    public override string ToString() => $"t={Time.ToString("R", CultureInfo.InvariantCulture)} s: {Kind} '{Name}'";
}

/// <summary>
/// Script code threw during the run (an event's action or condition, a fault's override function)
/// or while judging it (a custom assertion's predicate, a metric): a failed run (exit 1). The
/// original exception is the <see cref="Exception.InnerException"/>, with its stack, so a script
/// host can map it to the script's line.
/// </summary>
/// <param name="source">What ran the code, e.g. <c>event 'valve closes'</c> or <c>assertion 'level band'</c>.</param>
/// <param name="time">The communication point (for an assertion or metric: the run's end).</param>
/// <param name="inner">The script's exception.</param>
public sealed class ScenarioActionException(string source, SimTime time, Exception inner)
    : SimulationException($"{source}: {inner.Message}", null, "scenario code", time, inner)
{
    /// <summary>What ran the code that threw, e.g. <c>event 'valve closes'</c>.</summary>
    public string Origin { get; } = source;
}

/// <summary>
/// Runs a scenario's events and faults: one object that is both an observer (it keeps the values
/// that conditions and actions read, <see cref="Scenario.Value"/>) and a manipulator (actions'
/// <see cref="Scenario.Set(Signal, double)"/> and the faults' overrides). At a communication point
/// the engine calls observers (after the step) before manipulators (before the next step), so an
/// action at t reads the values at t and its writes act on the step from t.
/// What it observes: when the scenario has events, every numeric output of every component, plus
/// the signals <see cref="Scenario.Watch"/> names. What it writes: the faults' targets, and when the
/// scenario has events every input of every component plus the parameters <see cref="Scenario.Tunable"/> names.
/// </summary>
internal sealed class ScenarioDriver : IObserver, IManipulator
{
    private readonly Scenario _scenario;
    private readonly IReadOnlyList<Connection> _connections;
    private readonly ILogSink _log;
    private readonly Lock _gate = new();
    private readonly List<TriggeredEvent> _events = [];

    private readonly Dictionary<Signal, int> _observedIndex = [];
    private readonly List<SignalHandle> _observed = [];
    private double[] _values = [];
    private readonly List<string> _allVariables = [];

    private readonly Dictionary<VariableRef, InputHandle> _inputs = [];
    private readonly Dictionary<VariableRef, VariableRole> _roles = [];
    private readonly Dictionary<InputHandle, FaultChain> _chains = [];
    private readonly Dictionary<Fault, FaultState> _faults = new(ReferenceEqualityComparer.Instance);

    private InputWriter? _writer;
    private SimTime _now;
    private bool[] _atFired = [];
    private long[] _everyNext = [];
    private bool[] _whenBefore = [];

    public ScenarioDriver(Scenario scenario, IReadOnlyList<Connection> connections, ILogSink log)
    {
        _scenario = scenario;
        _connections = connections;
        _log = log;
    }

    /// <summary>What triggered so far, in order.</summary>
    public IReadOnlyList<TriggeredEvent> Events
    {
        get
        {
            lock (_gate) return _events.ToList();
        }
    }

    /// <summary>The current communication point.</summary>
    public SimTime Now => _now;

    private bool HasEvents => _scenario.AtEvents.Count + _scenario.EveryEvents.Count + _scenario.WhenEvents.Count > 0;

    // ---- observer ------------------------------------------------------------------------

    public void Attach(IObservationSetup setup)
    {
        _observedIndex.Clear();
        _observed.Clear();
        _allVariables.Clear();
        var problems = new List<string>();
        foreach (var c in setup.Components)
            foreach (var v in setup.VariablesOf(c))
            {
                _allVariables.Add($"{c}.{v.Name}");
                if (HasEvents && v.Role == VariableRole.Output && Numeric(v.Kind)) Observe(setup, new Signal(c, v.Name));
            }
        foreach (var (signal, usage) in _scenario.Watched)
            if (Resolve(setup.Components, setup.VariablesOf, signal, usage, problems) != null) Observe(setup, signal);
        _values = new double[_observed.Count];
        if (problems.Count > 0) throw new InputException(string.Join(Environment.NewLine + "  ", problems.Distinct()));
    }

    private void Observe(IObservationSetup setup, Signal signal)
    {
        if (_observedIndex.ContainsKey(signal)) return;
        _observedIndex[signal] = _observed.Count;
        _observed.Add(setup.Observe(signal.Ref));
    }

    public void Started(SimTime start, StepValues values) => Cache(start, values);

    public void StepComplete(SimTime time, StepValues values) => Cache(time, values);

    public void Finished(SimTime end, Exception? failure) { }

    private void Cache(SimTime time, StepValues values)
    {
        _now = time;
        for (var i = 0; i < _observed.Count; i++) _values[i] = values[_observed[i]];
    }

    /// <summary>The value of an observed signal at the current communication point.</summary>
    public double Value(Signal signal)
    {
        if (_observedIndex.TryGetValue(signal, out var i)) return _values[i];
        var known = _allVariables.Contains(signal.ToString());
        throw new InputException(known
            ? $"Value(\"{signal}\"): not observed; events observe every output, so for another variable add Watch(\"{signal}\") to the scenario"
            : $"Value(\"{signal}\"): no such signal" + NameSuggestions.Suggest(signal.ToString(), _allVariables));
    }

    // ---- manipulator ---------------------------------------------------------------------

    public void Attach(IManipulationSetup setup)
    {
        _inputs.Clear();
        _roles.Clear();
        _chains.Clear();
        var problems = new List<string>();
        foreach (var c in setup.Components)
            foreach (var v in setup.VariablesOf(c))
                _roles[new VariableRef(c, v.Name)] = v.Role;
        foreach (var fault in _scenario.Faults)
        {
            var v = Resolve(setup.Components, setup.VariablesOf, fault.Target, $"fault '{fault.Name}'", problems);
            if (v == null) continue;
            if (v.Role == VariableRole.Output)
            {
                var consumers = _connections.Where(c => c.From == fault.Target.Ref).Select(c => c.To).ToList();
                if (consumers.Count == 0) problems.Add($"fault '{fault.Name}': output {fault.Target} feeds no input, so the fault would change nothing (a fault on an output acts on the inputs it feeds)");
                foreach (var input in consumers) Register(setup, input);
            }
            else if (v.Role == VariableRole.Input) Register(setup, fault.Target.Ref);
            else problems.Add($"fault '{fault.Name}': {fault.Target} is a {v.Role.ToString().ToLowerInvariant()} variable; faults act on inputs and outputs");
        }
        if (HasEvents)
            foreach (var c in setup.Components)
                foreach (var v in setup.VariablesOf(c).Where(v => v.Role == VariableRole.Input && Numeric(v.Kind)))
                    Register(setup, new VariableRef(c, v.Name));
        foreach (var (signal, usage) in _scenario.TunableParameters)
        {
            var v = Resolve(setup.Components, setup.VariablesOf, signal, usage, problems);
            if (v == null) continue;
            if (Scenario.TunableRefusal(usage, signal, v) is { } refusal) problems.Add(refusal);
            else if (v.Role is VariableRole.Parameter or VariableRole.Input) Register(setup, signal.Ref);
            else problems.Add($"{usage}: {signal} is not a parameter");
        }
        if (problems.Count > 0) throw new InputException(string.Join(Environment.NewLine + "  ", problems.Distinct()));
    }

    private void Register(IManipulationSetup setup, VariableRef input)
    {
        if (!_inputs.ContainsKey(input)) _inputs[input] = setup.Input(input);
    }

    public void Initialize(SimTime start, InputWriter inputs)
    {
        _now = start;
        _faults.Clear();
        foreach (var f in _scenario.Faults)
        {
            var from = f.StartsOnDemand ? long.MaxValue : f.StartTime is { } s ? SimTime.FromSeconds(s).Ticks : start.Ticks;
            _faults[f] = new FaultState(f, from, End(f, from));
        }
        foreach (var fault in _scenario.Faults)
        {
            var targets = _roles.GetValueOrDefault(fault.Target.Ref) == VariableRole.Output
                ? _connections.Where(c => c.From == fault.Target.Ref).Select(c => c.To)
                : [fault.Target.Ref];
            foreach (var input in targets)
            {
                var handle = _inputs[input];
                if (!_chains.TryGetValue(handle, out var chain)) _chains[handle] = chain = new FaultChain();
                chain.Add(_faults[fault], fault.CreateEffect());
            }
        }
        foreach (var (handle, chain) in _chains) inputs.Override(handle, chain);
        _atFired = new bool[_scenario.AtEvents.Count];
        _whenBefore = new bool[_scenario.WhenEvents.Count];
        _everyNext = _scenario.EveryEvents.Select(e => (e.First is { } first ? SimTime.FromSeconds(first) : start).Ticks).ToArray();
    }

    private static long End(Fault f, long from)
    {
        var end = f.EndTime is { } e ? SimTime.FromSeconds(e).Ticks : long.MaxValue;
        if (f.Duration is { } d && from != long.MaxValue) end = Math.Min(end, from + SimTime.FromSeconds(d).Ticks);
        return end;
    }

    public void StepCommencing(SimTime time, InputWriter inputs)
    {
        _now = time;
        _writer = inputs;
        try
        {
            foreach (var state in _faults.Values) LogFaultChanges(state, time);
            for (var i = 0; i < _atFired.Length; i++)
            {
                var e = _scenario.AtEvents[i];
                if (_atFired[i] || time.Ticks < e.Time.Ticks) continue;
                _atFired[i] = true;
                Fire("at", e.Name, e.Action);
            }
            for (var i = 0; i < _everyNext.Length; i++)
            {
                var e = _scenario.EveryEvents[i];
                if (time.Ticks < _everyNext[i]) continue;
                while (_everyNext[i] <= time.Ticks) _everyNext[i] += e.Period.Ticks;
                Fire("every", e.Name, e.Action);
            }
            for (var i = 0; i < _whenBefore.Length; i++)
            {
                var e = _scenario.WhenEvents[i];
                bool now;
                try
                {
                    now = e.Condition();
                }
                catch (Exception ex)
                {
                    throw new ScenarioActionException($"event '{e.Name}'", time, ex);
                }
                var rising = now && !_whenBefore[i];
                _whenBefore[i] = now;
                if (rising) Fire("when", e.Name, e.Action);
            }
        }
        finally
        {
            _writer = null;
        }
    }

    private void Fire(string kind, string name, Action action)
    {
        Record(kind, name, kind == "every" ? LogLevel.Debug : LogLevel.Info);
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not ScenarioActionException)
        {
            throw new ScenarioActionException($"event '{name}'", _now, ex);
        }
    }

    private void Record(string kind, string name, LogLevel level = LogLevel.Info)
    {
        var e = new TriggeredEvent(_now.Seconds, kind, name);
        lock (_gate) _events.Add(e);
        _log.Log(level, "scenario", e.ToString());
    }

    private void LogFaultChanges(FaultState s, SimTime time)
    {
        if (!s.StartLogged && time.Ticks >= s.From && s.From != long.MaxValue)
        {
            s.StartLogged = true;
            Record("fault-start", s.Fault.Name);
        }
        if (s.StartLogged && !s.EndLogged && time.Ticks >= s.To)
        {
            s.EndLogged = true;
            Record("fault-end", s.Fault.Name);
        }
    }

    /// <summary>Starts a fault at the current point (an action's <see cref="Fault.Start"/>).</summary>
    public void StartFault(Fault fault)
    {
        var s = State(fault);
        s.From = _now.Ticks;
        s.To = fault.Duration is { } d ? _now.Ticks + SimTime.FromSeconds(d).Ticks : fault.EndTime is { } e && SimTime.FromSeconds(e).Ticks > _now.Ticks ? SimTime.FromSeconds(e).Ticks : long.MaxValue;
        s.StartLogged = s.EndLogged = false;
        LogFaultChanges(s, _now);
    }

    /// <summary>Ends a fault at the current point (an action's <see cref="Fault.Stop"/>).</summary>
    public void StopFault(Fault fault)
    {
        var s = State(fault);
        s.To = Math.Min(s.To, _now.Ticks);
        LogFaultChanges(s, _now);
    }

    private FaultState State(Fault fault) => _faults.TryGetValue(fault, out var s)
        ? s
        : throw new InvalidOperationException($"fault '{fault.Name}' belongs to another scenario or run");

    /// <summary>An action's write to an input or tunable parameter; it acts on the step from the current point.</summary>
    public void Write(Signal signal, double value)
    {
        var writer = _writer ?? throw new InvalidOperationException($"Set(\"{signal}\", ...) during the run works only in an event's action (At, When, Every)");
        var r = signal.Ref;
        if (_inputs.TryGetValue(r, out var handle) && !_connections.Any(c => c.To == r))
        {
            writer.Set(handle, value);
            return;
        }
        if (_connections.FirstOrDefault(c => c.To == r) is { } conn)
            throw new InvalidOperationException($"Set(\"{signal}\"): the input is connected ({conn}) and the connection's value wins; override it with a fault instead, e.g. StuckAt(\"{signal}\", value)");
        if (_roles.TryGetValue(r, out var role))
            throw new InvalidOperationException(role == VariableRole.Parameter
                ? $"Set(\"{signal}\") during the run: declare the parameter with Tunable(\"{signal}\") in the scenario (only tunable parameters can change during a run)"
                : $"Set(\"{signal}\"): it is a {role.ToString().ToLowerInvariant()} variable; only inputs and tunable parameters can be set during a run");
        throw new InvalidOperationException($"Set(\"{signal}\"): no such signal" + NameSuggestions.Suggest(signal.ToString(), _roles.Keys.Select(k => k.ToString())));
    }

    /// <summary>Checks a signal name against the system; adds a problem with suggestions and returns null when it does not exist.</summary>
    internal static ComponentVariable? Resolve(IReadOnlyList<string> components, Func<string, IReadOnlyList<ComponentVariable>> variablesOf, Signal signal, string usage, List<string> problems)
    {
        if (!components.Contains(signal.Component))
        {
            problems.Add($"{usage}: unknown component '{signal.Component}' in '{signal}'" + NameSuggestions.Suggest(signal.Component, components));
            return null;
        }
        var vars = variablesOf(signal.Component);
        var v = vars.FirstOrDefault(x => x.Name == signal.Variable);
        if (v == null) problems.Add($"{usage}: component '{signal.Component}' has no variable '{signal.Variable}'" + NameSuggestions.Suggest(signal.Variable, vars.Select(x => x.Name)));
        return v;
    }

    internal static bool Numeric(ValueKind kind) => kind is ValueKind.Real or ValueKind.Integer or ValueKind.Boolean;

    /// <summary>A fault's window during the run (ticks; MaxValue: not started / no end).</summary>
    private sealed class FaultState(Fault fault, long from, long to)
    {
        public Fault Fault { get; } = fault;
        public long From = from;
        public long To = to;
        public bool StartLogged;
        public bool EndLogged;
        public bool Active(SimTime t) => t.Ticks >= From && t.Ticks < To;
    }

    /// <summary>The faults on one input, applied in the order the scenario declared them.</summary>
    private sealed class FaultChain : IInputOverride
    {
        private readonly List<(FaultState State, FaultEffect Effect)> _faults = [];

        public void Add(FaultState state, FaultEffect effect) => _faults.Add((state, effect));

        public double Apply(SimTime time, double incoming)
        {
            var v = incoming;
            foreach (var (state, effect) in _faults)
                v = effect.Apply(time, v, state.Active(time), new SimTime(state.From));
            return v;
        }
    }
}
