using CoSim.Core;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Clocks;

/// <summary>What the schedule needs from a Scheduled Execution FMU (the real one: <see cref="ScheduledExecutionComponent"/>).</summary>
internal interface IClockDriver
{
    /// <summary>Runs the model partition of an input clock (<c>fmi3ActivateModelPartition</c>).</summary>
    void Activate(uint clock, SimTime time);
    /// <summary>The clock's current interval and how it changed (<c>fmi3GetIntervalDecimal</c>).</summary>
    (double Interval, IntervalQualifier Qualifier) GetInterval(uint clock, SimTime time);
    /// <summary>The clock's shift (<c>fmi3GetShiftDecimal</c>), 0 when the FMU cannot say.</summary>
    double GetShift(uint clock, SimTime time);
    /// <summary>Whether an output clock ticked since it was last read (<c>fmi3GetClock</c>).</summary>
    bool ReadOutputClock(uint clock, SimTime time);
}

/// <summary>A clock of the schedule: its name, value reference, kind and (input clocks) priority; the smaller the number, the higher the priority.</summary>
public sealed record ScheduledClock(string Name, uint ValueReference, ClockIntervalVariability Kind, uint Priority = 0, double? Interval = null, double Shift = 0);

/// <summary>One tick: an input clock whose partition was activated, or an output clock the FMU ticked.</summary>
public readonly record struct ClockTick(string Clock, SimTime Time);

/// <summary>
/// The importer's side of FMI 3 Scheduled Execution, in simulated time: knows when every input clock
/// ticks next and activates the due model partitions in priority order.
/// <list type="bullet">
/// <item>constant and fixed clocks tick at start + shift + k·interval (the interval from the XML or the user; k counted, so no drift),</item>
/// <item>calculated and tunable ones likewise with the interval and shift the FMU reports at initialization; a tunable clock whose interval
///   the FMU reports as changed ticks next at its last tick + the new interval,</item>
/// <item>a changing clock ticks at its last tick + the interval the FMU reports after each tick,</item>
/// <item>a countdown clock ticks once, the reported interval after the activation at which the FMU reported it as changed,</item>
/// <item>a triggered input clock ticks when an output clock it is linked to ticks (same time, then by priority).</item>
/// </list>
/// After every activation CoSim asks the countdown and tunable clocks for their interval and reads the
/// output clocks, whether or not the FMU called <c>clockUpdate</c> (the callback only says that it may help).
/// </summary>
internal sealed class ClockSchedule
{
    private sealed class Input(ScheduledClock clock, int order)
    {
        public ScheduledClock Clock { get; } = clock;
        public int Order { get; } = order;
        public SimTime? Next { get; set; }
        public SimTime Anchor { get; set; }
        public SimTime Interval { get; set; }
        public long Count { get; set; }
        public SimTime LastTick { get; set; }
        public long Ticks { get; set; }
    }

    private sealed class Output(ScheduledClock clock, IReadOnlyList<Input> triggers)
    {
        public ScheduledClock Clock { get; } = clock;
        public IReadOnlyList<Input> Triggers { get; } = triggers;
        public long Ticks { get; set; }
    }

    private readonly IClockDriver _driver;
    private readonly List<Input> _inputs;
    private readonly List<Output> _outputs;
    private readonly List<ClockTick>? _log;
    private SimTime? _now; // end of the last RunThrough: the time the importer last had control

    /// <summary>Activations allowed at one instant before the schedule is taken to be stuck.</summary>
    public const int MaxActivationsPerInstant = 10_000;

    /// <param name="driver">The FMU whose partitions run.</param>
    /// <param name="inputs">The input clocks; periodic ones with the interval to use when it is the importer's (constant, fixed).</param>
    /// <param name="outputs">The output clocks.</param>
    /// <param name="links">Output clock name → the triggered input clocks it activates.</param>
    /// <param name="recordTicks">Keep every tick in <see cref="TickLog"/> (tests, reports).</param>
    public ClockSchedule(IClockDriver driver, IReadOnlyList<ScheduledClock> inputs, IReadOnlyList<ScheduledClock> outputs,
        IReadOnlyDictionary<string, IReadOnlyList<string>> links, bool recordTicks = false)
    {
        _driver = driver;
        _inputs = inputs.Select((c, i) => new Input(c, i)).ToList();
        var byName = _inputs.ToDictionary(i => i.Clock.Name, StringComparer.Ordinal);
        _outputs = outputs.Select(o => new Output(o, links.GetValueOrDefault(o.Name, []).Select(n => byName[n]).ToList())).ToList();
        _log = recordTicks ? [] : null;
    }

    /// <summary>Every tick so far, in the order they happened (only when recording).</summary>
    public IReadOnlyList<ClockTick> TickLog => _log ?? [];

    /// <summary>Ticks so far per clock name (inputs, then outputs).</summary>
    public IReadOnlyList<(string Clock, long Ticks)> Counts =>
        [.. _inputs.Select(i => (i.Clock.Name, i.Ticks)), .. _outputs.Select(o => (o.Clock.Name, o.Ticks))];

    /// <summary>The time of the next input-clock tick; null when none is planned.</summary>
    public SimTime? NextTick
    {
        get
        {
            SimTime? earliest = null;
            foreach (var input in _inputs)
                if (input.Next is { } next && (earliest is null || next < earliest.Value)) earliest = next;
            return earliest;
        }
    }

    /// <summary>Plans the first tick of every time-based input clock; called in Initialization Mode (the FMU reports calculated intervals there).</summary>
    public void Start(SimTime start)
    {
        foreach (var input in _inputs)
        {
            var clock = input.Clock;
            switch (clock.Kind)
            {
                case ClockIntervalVariability.Constant or ClockIntervalVariability.Fixed:
                    var interval = clock.Interval ?? throw new InputException($"clock '{clock.Name}' ({Names(clock.Kind)}) has no interval");
                    Periodic(input, start + SimTime.FromSeconds(clock.Shift), interval);
                    break;
                case ClockIntervalVariability.Calculated or ClockIntervalVariability.Tunable:
                    var (reported, qualifier) = _driver.GetInterval(clock.ValueReference, start);
                    if (qualifier == IntervalQualifier.NotYetKnown || !(reported > 0))
                        throw new SimulationException(
                            $"clock '{clock.Name}' is {Names(clock.Kind)}, but the FMU reports no positive interval at initialization (got {reported}, {qualifier})",
                            operation: "fmi3GetIntervalDecimal", time: start);
                    Periodic(input, start + SimTime.FromSeconds(_driver.GetShift(clock.ValueReference, start)), reported);
                    break;
                case ClockIntervalVariability.Changing:
                    input.LastTick = start;
                    AskNextInterval(input, start, start, anyKnown: true);
                    break;
                case ClockIntervalVariability.Countdown:
                    AskNextInterval(input, start, start, anyKnown: false);
                    break;
            }
        }
    }

    /// <summary>Activates, in time and priority order, every partition due up to and including <paramref name="end"/>.</summary>
    public void RunThrough(SimTime end)
    {
        // The importer may have set tunable parameters since the last call (a communication point).
        foreach (var input in _inputs)
            if (input.Clock.Kind == ClockIntervalVariability.Tunable && _now is { } now) RefreshTunable(input, now);
        RunTicks(end);
        _now = end;
    }

    private void RunTicks(SimTime end)
    {
        var due = new List<Input>();
        while (true)
        {
            if (NextTick is not { } t || t > end) return;
            foreach (var input in _inputs)
                if (input.Next == t) due.Add(input);
            var activated = new HashSet<Input>();
            var count = 0;
            while (due.Count > 0)
            {
                // A countdown of 0 re-armed in every activation would never let time advance: fail instead of hanging.
                if (++count > MaxActivationsPerInstant)
                    throw new SimulationException(
                        $"more than {MaxActivationsPerInstant} model-partition activations at t={t} (a clock keeps ticking at the same instant: {string.Join(", ", due.Select(d => d.Clock.Name))})",
                        operation: "fmi3ActivateModelPartition", time: t);
                var input = due.MinBy(i => ((long)i.Clock.Priority << 32) | (uint)i.Order)!;
                due.RemoveAll(i => ReferenceEquals(i, input));
                activated.Add(input);
                Activate(input, t);
                AfterActivation(t, due, activated);
            }
        }
    }

    private void Activate(Input input, SimTime t)
    {
        _driver.Activate(input.Clock.ValueReference, t);
        input.Ticks++;
        input.LastTick = t;
        _log?.Add(new ClockTick(input.Clock.Name, t));
        switch (input.Clock.Kind)
        {
            case ClockIntervalVariability.Constant or ClockIntervalVariability.Fixed or ClockIntervalVariability.Calculated or ClockIntervalVariability.Tunable:
                input.Count++;
                input.Next = input.Anchor + input.Interval * input.Count;
                break;
            case ClockIntervalVariability.Changing:
                AskNextInterval(input, t, t, anyKnown: true);
                break;
            default: // countdown: only a new report schedules it again; triggered: only a linked output clock
                input.Next = null;
                break;
        }
    }

    /// <summary>Countdown and tunable intervals and output clocks may change in any partition.</summary>
    private void AfterActivation(SimTime t, List<Input> due, HashSet<Input> activated)
    {
        foreach (var input in _inputs)
        {
            if (input.Clock.Kind == ClockIntervalVariability.Countdown)
            {
                AskNextInterval(input, t, t, anyKnown: false);
                if (input.Next == t && !due.Contains(input)) due.Add(input); // a zero countdown ticks now
            }
            else if (input.Clock.Kind == ClockIntervalVariability.Tunable)
            {
                RefreshTunable(input, t);
            }
        }
        foreach (var output in _outputs)
        {
            if (!_driver.ReadOutputClock(output.Clock.ValueReference, t)) continue;
            output.Ticks++;
            _log?.Add(new ClockTick(output.Clock.Name, t));
            foreach (var trigger in output.Triggers)
                if (!activated.Contains(trigger) && !due.Contains(trigger)) due.Add(trigger);
        }
    }

    /// <summary>A tunable clock whose interval the FMU reports as changed ticks next at its last tick + the new interval (not before <paramref name="now"/>).</summary>
    private void RefreshTunable(Input input, SimTime now)
    {
        var (interval, qualifier) = _driver.GetInterval(input.Clock.ValueReference, now);
        if (qualifier != IntervalQualifier.Changed || !(interval > 0)) return;
        // The new period starts at the last tick (before the first tick: the first tick stays where it was).
        var first = input.Ticks > 0 ? input.LastTick : input.Anchor;
        Periodic(input, first, interval);
        input.Count = input.Ticks > 0 ? 1 : 0;
        input.Next = input.Anchor + input.Interval * input.Count;
        while (input.Next < now) input.Next = input.Anchor + input.Interval * ++input.Count;
    }

    private static void Periodic(Input input, SimTime first, double intervalSeconds)
    {
        input.Anchor = first;
        input.Interval = SimTime.FromSeconds(intervalSeconds);
        if (input.Interval.Ticks <= 0)
            throw new InputException($"clock '{input.Clock.Name}' has interval {intervalSeconds} s, below the 1 ns time resolution");
        input.Count = 0;
        input.Next = first;
    }

    /// <summary>Changing (any known interval) and countdown (only a changed one) clocks: the next tick is <paramref name="from"/> + the reported interval.</summary>
    private void AskNextInterval(Input input, SimTime now, SimTime from, bool anyKnown)
    {
        var (interval, qualifier) = _driver.GetInterval(input.Clock.ValueReference, now);
        var known = anyKnown ? qualifier != IntervalQualifier.NotYetKnown : qualifier == IntervalQualifier.Changed;
        if (!known)
        {
            if (anyKnown) input.Next = null;
            return;
        }
        if (!(interval >= 0) || (anyKnown && interval == 0))
            throw new SimulationException($"clock '{input.Clock.Name}': the FMU reports interval {interval}", operation: "fmi3GetIntervalDecimal", time: now);
        input.Next = from + SimTime.FromSeconds(interval);
    }

    private static string Names(ClockIntervalVariability kind) => ClockAttributes.Names.First(p => p.Value == kind).Key;
}
