using System.Globalization;
using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// The scenario's faults during a run: each one's <see cref="FaultWindow"/>, its start and end in the event log
/// (at the first communication point at or after each), an action's <see cref="Fault.Start"/> and
/// <see cref="Fault.Stop"/>, and the overrides that apply the faults: one chain per faulted input, its faults in
/// declaration order, each fault with its own effect per input (stateful effects keep their state per input).
/// </summary>
internal sealed class FaultSchedule(Scenario scenario, EventLog events, ILogSink log)
{
    private readonly Dictionary<Fault, FaultState> _faults = new(ReferenceEqualityComparer.Instance);

    /// <summary>Sets every fault's window for a run from <paramref name="start"/> and installs the overrides on the inputs <paramref name="inputs"/> names.</summary>
    public void Initialize(SimTime start, ScenarioInputs inputs, InputWriter writer)
    {
        _faults.Clear();
        var chains = new Dictionary<InputHandle, FaultChain>();
        foreach (var fault in scenario.Faults)
        {
            var state = _faults[fault] = new FaultState(fault, FaultWindow.Scheduled(fault, start));
            foreach (var handle in inputs.TargetsOf(fault))
            {
                if (!chains.TryGetValue(handle, out var chain)) chains[handle] = chain = new FaultChain();
                var effect = fault.CreateEffect();
                state.Effects.Add(effect);
                chain.Add(state, effect);
            }
        }
        foreach (var (handle, chain) in chains) writer.Override(handle, chain);
    }

    /// <summary>Logs the faults that started or ended by <paramref name="time"/>.</summary>
    public void Update(SimTime time)
    {
        foreach (var state in _faults.Values) LogChanges(state, time);
    }

    /// <summary>An action's <see cref="Fault.Start"/> at <paramref name="time"/>: the fault's window starts over from then.</summary>
    public void Start(Fault fault, SimTime time)
    {
        var s = State(fault);
        s.Window = FaultWindow.StartingAt(fault, time);
        s.StartLogged = s.EndLogged = false;
        if (s.Window.IsEmpty)
            log.Log(LogLevel.Warning, "scenario", $"t={time.Seconds.ToString("R", CultureInfo.InvariantCulture)} s: fault '{fault.Name}' started after its end (Until {fault.EndTime!.Value.ToString("R", CultureInfo.InvariantCulture)} s): it has no effect");
        LogChanges(s, time);
    }

    /// <summary>An action's <see cref="Fault.Stop"/> at <paramref name="time"/>: the fault ends then (unless it ended before).</summary>
    public void Stop(Fault fault, SimTime time)
    {
        var s = State(fault);
        s.Window = s.Window.StoppedAt(time);
        LogChanges(s, time);
    }

    /// <summary>Checkpoint: every fault's window, what was logged of it and its effects' memory, in the scenario's order.</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(scenario.Faults.Count);
        foreach (var fault in scenario.Faults)
        {
            var s = State(fault);
            w.Write(s.Window.Start);
            w.Write(s.Window.End);
            w.Write(s.StartLogged);
            w.Write(s.EndLogged);
            w.Write(s.Effects.Count);
            foreach (var e in s.Effects) e.Save(w);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote (after <see cref="Initialize"/>: the overrides are installed then).</summary>
    public void Restore(BinaryReader r)
    {
        var n = r.ReadInt32();
        if (n != scenario.Faults.Count) throw new InputException($"checkpoint: the scenario had {n} faults, it has {scenario.Faults.Count}");
        foreach (var fault in scenario.Faults)
        {
            var s = State(fault);
            s.Window = new FaultWindow(r.ReadInt64(), r.ReadInt64());
            s.StartLogged = r.ReadBoolean();
            s.EndLogged = r.ReadBoolean();
            var effects = r.ReadInt32();
            if (effects != s.Effects.Count) throw new InputException($"checkpoint: fault '{fault.Name}' had {effects} targets, it has {s.Effects.Count}");
            foreach (var e in s.Effects) e.Restore(r);
        }
    }

    private FaultState State(Fault fault) => _faults.TryGetValue(fault, out var s)
        ? s
        : throw new InvalidOperationException($"fault '{fault.Name}' belongs to another scenario or run");

    private void LogChanges(FaultState s, SimTime time)
    {
        if (!s.StartLogged && s.Window.HasStarted && !s.Window.IsEmpty && time.Ticks >= s.Window.Start)
        {
            s.StartLogged = true;
            events.Record(time, "fault-start", s.Fault.Name);
        }
        if (s.StartLogged && !s.EndLogged && time.Ticks >= s.Window.End)
        {
            s.EndLogged = true;
            events.Record(time, "fault-end", s.Fault.Name);
        }
    }

    /// <summary>A fault's window during the run and whether its start and end are in the log.</summary>
    private sealed class FaultState(Fault fault, FaultWindow window)
    {
        public Fault Fault { get; } = fault;
        public FaultWindow Window = window;
        public bool StartLogged;
        public bool EndLogged;
        public List<FaultEffect> Effects { get; } = [];
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
                v = effect.Apply(time, v, state.Window.Contains(time), new SimTime(state.Window.Start));
            return v;
        }
    }
}
