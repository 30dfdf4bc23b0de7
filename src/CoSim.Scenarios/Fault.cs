using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// A fault on a signal, applied through the engine's input overrides (after the connection's value,
/// see the engine's input precedence). A fault on an input changes what that input receives; a
/// fault on an output changes what every input it feeds receives (what consumers see, like a failed
/// sensor: the output itself, as recorded, stays true). A fault is active from the run's start
/// unless <see cref="From"/> or <see cref="OnDemand"/> says otherwise, until <see cref="Until"/>
/// or for <see cref="For"/>, whichever ends first; an event's action may <see cref="Start"/> and
/// <see cref="Stop"/> it (<see cref="FaultWindow"/> has the one formula for every case).
/// Its start and end go into the scenario's event log under its <see cref="Name"/>.
/// </summary>
public abstract class Fault
{
    private Scenario? _scenario;

    private protected Fault(Signal target, string kind)
    {
        Target = target;
        Kind = kind;
        Name = $"{kind} {target}";
    }

    /// <summary>The faulted signal.</summary>
    public Signal Target { get; }

    /// <summary>The kind, e.g. <c>stuck-at</c>.</summary>
    public string Kind { get; }

    /// <summary>The name in the event log (and for assertions that look at when the fault started); default "KIND SIGNAL".</summary>
    public string Name { get; private set; }

    /// <summary>Time the fault starts [s], when set by time; null: at the run's start, or on demand.</summary>
    public double? StartTime { get; private set; }

    /// <summary>Time the fault ends [s], however it started (an on-demand fault started later acts not at all); null: never (or after <see cref="Duration"/>).</summary>
    public double? EndTime { get; private set; }

    /// <summary>How long the fault lasts after it starts [s], unless <see cref="EndTime"/> comes first; null: until <see cref="EndTime"/> or the end.</summary>
    public double? Duration { get; private set; }

    /// <summary>Whether only an action's <see cref="Start"/> starts it.</summary>
    public bool StartsOnDemand { get; private set; }

    /// <summary>Starts at <paramref name="time"/> [s].</summary>
    public Fault From(double time)
    {
        Check(time, nameof(From));
        StartTime = time;
        StartsOnDemand = false;
        return this;
    }

    /// <summary>Ends at <paramref name="time"/> [s] (the signal is true again from then on), also when it started on demand or lasts <see cref="For"/> longer.</summary>
    public Fault Until(double time)
    {
        Check(time, nameof(Until));
        EndTime = time;
        return this;
    }

    /// <summary>Lasts <paramref name="duration"/> seconds after it starts (by time or on demand), or until <see cref="Until"/> if that comes first.</summary>
    public Fault For(double duration)
    {
        if (!(duration > 0) || double.IsInfinity(duration)) throw new ArgumentOutOfRangeException(nameof(duration), duration, "a fault's duration must be positive and finite");
        Duration = duration;
        return this;
    }

    /// <summary>Does not start by time: an event's action starts it with <see cref="Start"/>.</summary>
    public Fault OnDemand()
    {
        StartsOnDemand = true;
        StartTime = null;
        return this;
    }

    /// <summary>Names the fault (event log, assertions on reactions to it).</summary>
    public Fault Named(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a fault's name must not be empty", nameof(name));
        Name = name;
        return this;
    }

    /// <summary>During the run (in an event's action): starts the fault now (again, if it ran before); it lasts <see cref="Duration"/> and ends at <see cref="EndTime"/>, whichever comes first.</summary>
    public void Start() => Running(nameof(Start)).StartFault(this);

    /// <summary>During the run (in an event's action): ends the fault now.</summary>
    public void Stop() => Running(nameof(Stop)).StopFault(this);

    internal void Bind(Scenario scenario) => _scenario = scenario;

    /// <summary>A fresh effect for one faulted input (stateful faults keep their state per input).</summary>
    internal abstract FaultEffect CreateEffect();

    private ScenarioDriver Running(string verb) =>
        _scenario?.Driver ?? throw new InvalidOperationException($"fault '{Name}': {verb}() works only during the run, in an event's action (At, When, Every)");

    private static void Check(double time, string verb)
    {
        if (!double.IsFinite(time)) throw new ArgumentOutOfRangeException(nameof(time), time, $"{verb}: a fault's time must be finite");
    }
}

/// <summary>A fault's effect on one input: sees every incoming value (also while inactive, for holds and delays).</summary>
internal abstract class FaultEffect
{
    /// <summary>The value the input takes; <paramref name="active"/>: whether the fault is in force at <paramref name="time"/>, <paramref name="since"/> its start.</summary>
    public abstract double Apply(SimTime time, double incoming, bool active, SimTime since);

    /// <summary>Checkpoint: what the effect remembers (a held value, a delay line); nothing by default.</summary>
    public virtual void Save(BinaryWriter w) { }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public virtual void Restore(BinaryReader r) { }
}
