using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Clocks;

/// <summary>
/// An FMI 3.0 co-simulation FMU with clocks and <c>hasEventMode="true"</c>, run with Event Mode and
/// early return. A <see cref="Step"/> from t to t + h may take several <c>fmi3DoStep</c> calls: each ends
/// at the next time-based input-clock tick (or t + h), or earlier when the FMU returns early for an event
/// of its own. At every tick and every event the FMU asks for, CoSim enters Event Mode, sets the input
/// clocks due then (<c>fmi3SetClock</c>, in priority order), reads the output clocks (<c>fmi3GetClock</c>),
/// iterates <c>fmi3UpdateDiscreteStates</c> and returns to Step Mode. The engine sees one completed step.
/// Not supported here: triggered input clocks (they never tick), intermediate update.
/// </summary>
public sealed class ClockedCoSimulationComponent : ClockedFmuComponent
{
    private readonly ClockSchedule _schedule;
    private readonly IReadOnlyList<ScheduledClock> _outputs;
    private readonly Dictionary<string, long> _outputTicks = new(StringComparer.Ordinal);
    private readonly List<ClockTick> _ticks = [];
    private long _eventModes;
    private long _earlyReturns;

    public ClockedCoSimulationComponent(FmuArchive archive, string instanceName, ILogSink log, bool loggingOn = false)
        : base(archive, instanceName, log, loggingOn,
            archive.Model.CoSimulation ?? throw new InputException($"{archive.SourcePath}: the FMU has no co-simulation interface"))
    {
        var (inputs, outputs) = ClocksOfModel();
        _outputs = outputs;
        foreach (var c in inputs.Where(c => c.Kind == ClockIntervalVariability.Triggered))
            Warn($"triggered input clock '{c.Name}' never ticks: CoSim links triggered clocks only in scheduled execution");
        foreach (var c in inputs.Where(c => c.Kind == ClockIntervalVariability.Fixed && c.Interval is null))
            throw new InputException($"{Source}: fixed clock '{c.Name}' has no interval in modelDescription.xml");
        // Output clocks are read once per Event Mode here (they stay active until Step Mode), not after each input clock.
        _schedule = new ClockSchedule(this, inputs, [], new Dictionary<string, IReadOnlyList<string>>(), recordTicks: false);
    }

    public override string? KindDescription => $"FMI {Model.FmiVersionText}, co-simulation with clocks (event mode)";

    public override string? SolverStatistics =>
        "clock ticks: " + string.Join(", ", _schedule.Counts.Select(c => $"{c.Clock} {c.Ticks}").Concat(_outputs.Select(o => $"{o.Name} {_outputTicks.GetValueOrDefault(o.Name)}"))) +
        $"; event modes: {_eventModes}; early returns: {_earlyReturns}";

    public override IReadOnlyList<ClockTick> Ticks => _ticks;

    /// <summary>How often the FMU returned early from fmi3DoStep.</summary>
    public long EarlyReturns => _earlyReturns;

    public override void Instantiate()
    {
        Instance.InstantiateCoSimulationWithEventMode(loggingOn: true);
        FmuLogging.Configure(Instance, Model, LoggingOn);
    }

    /// <summary>With Event Mode used, the FMU is in Event Mode after initialization: clocks due at the start tick there.</summary>
    public override void ExitInitialization()
    {
        _schedule.Start(Start);
        Instance.ExitInitialization();
        HandleEvent(Start);
    }

    public override StepResult Step(SimTime time, SimTime step)
    {
        var target = time + step;
        var now = time;
        while (now < target)
        {
            var end = _schedule.NextTick is { } tick && tick > now && tick < target ? tick : target;
            var (eventNeeded, terminate, early, last) = Clocks.DoStep(now.Seconds, (end - now).Seconds);
            if (early) _earlyReturns++;
            var reached = early || terminate ? SimTime.FromSeconds(last) : end;
            if (reached <= now && !terminate)
                throw new SimulationException($"fmi3DoStep returned early at t={last} s without advancing from t={now}", Name, "fmi3DoStep", now);
            now = reached;
            if (terminate) return new StepResult(StepStatus.Terminated, now);
            if (!eventNeeded && _schedule.NextTick != now) continue;
            Clocks.EnterEventMode(now.Seconds);
            if (HandleEvent(now)) return new StepResult(StepStatus.Terminated, now);
        }
        return StepResult.Completed(target);
    }

    /// <summary>In Event Mode at <paramref name="now"/>: ticks the due input clocks, reads the output clocks, updates; back to Step Mode. True when the FMU asks to terminate.</summary>
    private bool HandleEvent(SimTime now)
    {
        _eventModes++;
        _schedule.RunThrough(now);
        foreach (var output in _outputs)
        {
            if (!Clocks.GetClock(output.ValueReference, now.Seconds)) continue;
            _outputTicks[output.Name] = _outputTicks.GetValueOrDefault(output.Name) + 1;
            _ticks.Add(new ClockTick(output.Name, now));
        }
        if (Clocks.UpdateDiscreteStates(now.Seconds)) return true;
        Clocks.EnterStepMode(now.Seconds);
        return false;
    }

    private protected override void Activate(uint clock, SimTime time)
    {
        Clocks.SetClock(clock, time.Seconds);
        _ticks.Add(new ClockTick(Model.Variables.First(v => v.ValueReference == clock && v.Type == VariableType.Clock).Name, time));
    }
}
