using System.Globalization;

namespace CoSim.Core;

/// <summary>
/// Simulation time as an integer count of nanoseconds. Communication points are computed as
/// <c>t0 + n*h</c> in ticks, so results do not drift after millions of steps; doubles appear only
/// at the FMI boundary (<see cref="Seconds"/>).
/// </summary>
public readonly record struct SimTime(long Ticks) : IComparable<SimTime>
{
    /// <summary>Ticks per second (1 tick = 1 ns).</summary>
    public const long TicksPerSecond = 1_000_000_000;

    /// <summary>The largest time magnitude in seconds that nanosecond ticks hold (about 292 years).</summary>
    public const double MaxSeconds = 9.2e9;

    /// <summary>Time zero.</summary>
    public static readonly SimTime Zero = new(0);

    /// <summary>Time in seconds; the division is correctly rounded, so 100 ms gives exactly 0.1.</summary>
    public double Seconds => Ticks / (double)TicksPerSecond;

    /// <summary>The nearest tick to a time in seconds; throws for NaN, infinity or out-of-range values.</summary>
    public static SimTime FromSeconds(double seconds)
    {
        if (!double.IsFinite(seconds) || Math.Abs(seconds) > MaxSeconds)
            throw new InputException($"time {seconds.ToString("R", CultureInfo.InvariantCulture)} s must be a finite number within ±{MaxSeconds:0.#e0} s (292 years: times are nanoseconds)");
        return new SimTime((long)Math.Round(seconds * TicksPerSecond, MidpointRounding.AwayFromZero));
    }

    /// <summary>Sum of two times (or a time and a duration), in ticks.</summary>
    public static SimTime operator +(SimTime a, SimTime b) => new(a.Ticks + b.Ticks);
    /// <summary>Difference of two times, in ticks.</summary>
    public static SimTime operator -(SimTime a, SimTime b) => new(a.Ticks - b.Ticks);
    /// <summary>A duration times a whole number (for <c>t0 + n*h</c>).</summary>
    public static SimTime operator *(SimTime a, long n) => new(a.Ticks * n);
    /// <summary>Compares ticks.</summary>
    public static bool operator <(SimTime a, SimTime b) => a.Ticks < b.Ticks;
    /// <summary>Compares ticks.</summary>
    public static bool operator >(SimTime a, SimTime b) => a.Ticks > b.Ticks;
    /// <summary>Compares ticks.</summary>
    public static bool operator <=(SimTime a, SimTime b) => a.Ticks <= b.Ticks;
    /// <summary>Compares ticks.</summary>
    public static bool operator >=(SimTime a, SimTime b) => a.Ticks >= b.Ticks;
    /// <summary>The earlier of two times.</summary>
    public static SimTime Min(SimTime a, SimTime b) => a.Ticks <= b.Ticks ? a : b;

    /// <inheritdoc />
    public int CompareTo(SimTime other) => Ticks.CompareTo(other.Ticks);

    /// <summary>Seconds in invariant culture, e.g. "0.1 s".</summary>
    public override string ToString() => Seconds.ToString("R", CultureInfo.InvariantCulture) + " s";
}
