using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.Fmi.Native;

namespace CoSim.Fmi.Clocks;

/// <summary>Importer settings of a Scheduled Execution FMU.</summary>
/// <param name="Links">Triggered input clock name → the output clock whose ticks activate it.</param>
/// <param name="Intervals">Fixed clock name → the interval [s] to set instead of the XML default.</param>
public sealed record ClockOptions(IReadOnlyDictionary<string, string> Links, IReadOnlyDictionary<string, double> Intervals)
{
    /// <summary>No links, the XML intervals.</summary>
    public static readonly ClockOptions None = new(new Dictionary<string, string>(), new Dictionary<string, double>());

    /// <summary>
    /// Parses the component options <c>clock-links</c> (<c>IN=OUT,...</c>: triggered input clock IN ticks with output clock OUT)
    /// and <c>clock-intervals</c> (<c>CLOCK=SECONDS,...</c>: the interval of a fixed clock).
    /// </summary>
    public static ClockOptions Parse(string component, string? links, string? intervals)
    {
        var linkMap = Pairs(component, "clock-links", links).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var intervalMap = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (clock, text) in Pairs(component, "clock-intervals", intervals))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || !double.IsFinite(seconds))
                throw new InputException($"component '{component}': clock-intervals: '{text}' for clock '{clock}' must be a positive number of seconds");
            intervalMap[clock] = seconds;
        }
        return new ClockOptions(linkMap, intervalMap);
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string component, string option, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) yield break;
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = item.IndexOf('=');
            if (eq <= 0 || eq == item.Length - 1)
                throw new InputException($"component '{component}': {option}: '{item}' is not NAME=VALUE");
            yield return new(item[..eq].Trim(), item[(eq + 1)..].Trim());
        }
    }
}

/// <summary>
/// An FMI 3.0 Scheduled Execution FMU as an <see cref="IComponent"/>: CoSim is the scheduler. The
/// FMU's model partitions run when their input clocks tick (<see cref="ClockSchedule"/>), all in
/// the calling thread, in time order and, at the same time, by clock priority (no preemption: a
/// partition always completes before the next starts, so the lock/unlock preemption callbacks are
/// no-ops). A <see cref="Step"/> from t to t + h activates every tick in (t, t + h]; the ticks at the
/// start time run at the end of initialization. Outputs read at time T thus reflect every tick up to T.
/// </summary>
public sealed unsafe class ScheduledExecutionComponent : ClockedFmuComponent
{
    // The clockUpdate callback receives the instance environment (the FMU log's handle): it finds its component here.
    private static readonly ConcurrentDictionary<nint, ScheduledExecutionComponent> ByEnvironment = new();

    private readonly ClockSchedule _schedule;
    private readonly IReadOnlyList<ScheduledClock> _fixedClocks;

    public ScheduledExecutionComponent(FmuArchive archive, string instanceName, ILogSink log, bool loggingOn = false, ClockOptions? options = null)
        : base(archive, instanceName, log, loggingOn,
            archive.Model.ScheduledExecution ?? throw new InputException($"{archive.SourcePath}: the FMU has no scheduled-execution interface"))
    {
        var (inputs, outputs, links) = Plan(options ?? ClockOptions.None);
        _fixedClocks = inputs.Where(c => c.Kind == ClockIntervalVariability.Fixed).ToList();
        _schedule = new ClockSchedule(this, inputs, outputs, links, recordTicks: true);
    }

    public override string? KindDescription => $"FMI {Model.FmiVersionText}, scheduled execution";

    /// <summary>Ticks per clock, e.g. "clock ticks: fast 11, slow 5".</summary>
    public override string? SolverStatistics =>
        "clock ticks: " + string.Join(", ", _schedule.Counts.Select(c => $"{c.Clock} {c.Ticks}")) + $"; clockUpdate calls: {ClockUpdates}";

    public override IReadOnlyList<ClockTick> Ticks => _schedule.TickLog;

    /// <summary>How often the FMU called <c>clockUpdate</c>.</summary>
    public long ClockUpdates { get; private set; }

    /// <summary>The clocks of the schedule from the model description and the options, with one error for every bad option.</summary>
    private (List<ScheduledClock> Inputs, List<ScheduledClock> Outputs, Dictionary<string, IReadOnlyList<string>> Links) Plan(ClockOptions options)
    {
        var (inputs, outputs) = ClocksOfModel();
        foreach (var (clock, seconds) in options.Intervals)
        {
            var index = inputs.FindIndex(c => c.Name == clock);
            if (index < 0 || inputs[index].Kind != ClockIntervalVariability.Fixed)
                throw new InputException($"{Source}: clock-intervals names '{clock}', which is not an input clock with intervalVariability=\"fixed\"" +
                                         $" (fixed clocks: {string.Join(", ", inputs.Where(c => c.Kind == ClockIntervalVariability.Fixed).Select(c => c.Name).DefaultIfEmpty("none"))})");
            inputs[index] = inputs[index] with { Interval = seconds };
        }
        foreach (var c in inputs.Where(c => c.Kind == ClockIntervalVariability.Fixed && c.Interval is null))
            throw new InputException($"{Source}: fixed clock '{c.Name}' has no interval in modelDescription.xml; give one with clock-intervals {c.Name}=SECONDS");
        var links = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (input, output) in options.Links)
        {
            if (!inputs.Any(c => c.Name == input && c.Kind == ClockIntervalVariability.Triggered))
                throw new InputException($"{Source}: clock-links names '{input}', which is not a triggered input clock");
            if (!outputs.Any(c => c.Name == output))
                throw new InputException($"{Source}: clock-links links '{input}' to '{output}', which is not an output clock (output clocks: {string.Join(", ", outputs.Select(c => c.Name).DefaultIfEmpty("none"))})");
            links[output] = [.. links.GetValueOrDefault(output, []), input];
        }
        foreach (var c in inputs.Where(c => c.Kind == ClockIntervalVariability.Triggered && !options.Links.ContainsKey(c.Name)))
            Warn($"triggered input clock '{c.Name}' is linked to no output clock, so its model partition never runs (link it with clock-links {c.Name}=OUTPUT)");
        return (inputs, outputs, links);
    }

    public override void Instantiate()
    {
        ByEnvironment[Instance.Log.Environment] = this;
        delegate* unmanaged[Cdecl]<nint, void> clockUpdate = &OnClockUpdate;
        delegate* unmanaged[Cdecl]<void> noPreemption = &NoPreemption;
        Instance.InstantiateScheduledExecution(Clocks.InstantiateScheduledExecution, loggingOn: true, (nint)clockUpdate, (nint)noPreemption, (nint)noPreemption);
        FmuLogging.Configure(Instance, Model, LoggingOn);
    }

    public override void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        base.EnterInitialization(start, stop, tolerance);
        // Fixed clocks: the importer decides the interval (the XML's is the default); set it before the FMU plans with it.
        foreach (var clock in _fixedClocks)
        {
            Clocks.SetIntervalDecimal(clock.ValueReference, clock.Interval!.Value, start.Seconds);
            if (clock.Shift != 0) Clocks.SetShiftDecimal(clock.ValueReference, clock.Shift, start.Seconds);
        }
    }

    public override void ExitInitialization()
    {
        _schedule.Start(Start); // calculated intervals are the FMU's answer in Initialization Mode
        Instance.ExitInitialization();
        _schedule.RunThrough(Start);
    }

    public override StepResult Step(SimTime time, SimTime step)
    {
        _schedule.RunThrough(time + step);
        return StepResult.Completed(time + step);
    }

    private protected override void Activate(uint clock, SimTime time) => Clocks.ActivateModelPartition(clock, time.Seconds);

    public override void Dispose()
    {
        ByEnvironment.TryRemove(Instance.Log.Environment, out _);
        base.Dispose();
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnClockUpdate(nint environment)
    {
        // Never let an exception cross into native code.
        if (ByEnvironment.TryGetValue(environment, out var component)) component.ClockUpdates++;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void NoPreemption()
    {
    }
}
