using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// When a fault is in force: [<see cref="Start"/>, <see cref="End"/>) in ticks of simulation time. It starts by
/// time (<see cref="Fault.From"/>), at the run's start (neither <c>From</c> nor <c>OnDemand</c>), or when an action
/// starts it (<see cref="Fault.Start"/>), and it ends at the earlier of its <see cref="Fault.Until"/> time and its
/// start plus its <see cref="Fault.For"/> duration, however it started: one formula for every case. A window that
/// ends at or before its start is empty (the fault never acts), e.g. an on-demand fault started after its
/// <c>Until</c> time. <see cref="long.MaxValue"/> stands for "not started" and "no end".
/// </summary>
/// <param name="Start">The first tick the fault acts at; <see cref="long.MaxValue"/>: not started.</param>
/// <param name="End">The first tick it no longer acts at; <see cref="long.MaxValue"/>: no end.</param>
internal readonly record struct FaultWindow(long Start, long End)
{
    /// <summary>An on-demand fault that no action has started.</summary>
    public static FaultWindow NotStarted => new(long.MaxValue, long.MaxValue);

    /// <summary>The window a run starting at <paramref name="runStart"/> begins with: by time, from the run's start, or not started (on demand).</summary>
    public static FaultWindow Scheduled(Fault fault, SimTime runStart) =>
        fault.StartsOnDemand ? NotStarted : StartingAt(fault, fault.StartTime is { } s ? SimTime.FromSeconds(s) : runStart);

    /// <summary>The window of <paramref name="fault"/> when it starts at <paramref name="start"/>: until <c>Until</c> or <c>start + For</c>, whichever is earlier.</summary>
    public static FaultWindow StartingAt(Fault fault, SimTime start)
    {
        var end = fault.EndTime is { } until ? SimTime.FromSeconds(until).Ticks : long.MaxValue;
        if (fault.Duration is { } duration) end = Math.Min(end, After(start.Ticks, duration));
        return new FaultWindow(start.Ticks, end);
    }

    /// <summary>The problem with a fault whose <c>Until</c> time is not after its <c>From</c> time (it would never act); null when there is none.</summary>
    public static string? Contradiction(Fault fault) =>
        fault.StartTime is { } from && fault.EndTime is { } until && until <= from
            ? FormattableString.Invariant($"fault '{fault.Name}': it ends (Until {until:R} s) before it starts (From {from:R} s), so it would never act")
            : null;

    /// <summary>Whether the fault has started (by time or by an action), also when its window is empty.</summary>
    public bool HasStarted => Start != long.MaxValue;

    /// <summary>Whether the fault never acts in this window.</summary>
    public bool IsEmpty => End <= Start;

    /// <summary>Whether the fault acts at <paramref name="time"/>.</summary>
    public bool Contains(SimTime time) => time.Ticks >= Start && time.Ticks < End;

    /// <summary>The window an action's <see cref="Fault.Stop"/> at <paramref name="time"/> leaves (it ends then, unless it ended before).</summary>
    public FaultWindow StoppedAt(SimTime time) => this with { End = Math.Min(End, time.Ticks) };

    // start + duration, saturating at "no end" (a duration of centuries must not wrap around).
    private static long After(long start, double seconds)
    {
        var ticks = seconds * SimTime.TicksPerSecond;
        return ticks >= long.MaxValue - (double)start ? long.MaxValue : start + SimTime.FromSeconds(seconds).Ticks;
    }
}
