using System.Globalization;
using CoSim.Core;

namespace CoSim.Engine.Execution;

/// <summary>
/// Communication points <c>t0 + n*h</c> in integer ticks, the last one exactly at the stop time
/// (a shorter final step when the interval is not a whole number of steps).
/// </summary>
public readonly record struct StepSchedule(SimTime Start, SimTime Stop, SimTime Step)
{
    /// <summary>Validates the schedule; throws <see cref="InputException"/> with the reason.</summary>
    public static StepSchedule Create(double start, double stop, double step)
    {
        if (!double.IsFinite(start) || !double.IsFinite(stop) || !double.IsFinite(step))
            throw new InputException("start, stop and step must be finite numbers");
        // Times are integer nanoseconds (SimTime): the whole interval must fit, not only its ends.
        foreach (var (what, value) in new[] { ("start time", start), ("stop time", stop), ("step size", step), ("interval stop - start", stop - start) })
            if (Math.Abs(value) > SimTime.MaxSeconds)
                throw new InputException($"{what} {value.ToString("R", CultureInfo.InvariantCulture)} s is out of range: times are nanoseconds within ±{SimTime.MaxSeconds:0.#e0} s (292 years)");
        if (stop <= start) throw new InputException($"stop time {stop} must be after start time {start}");
        if (step <= 0) throw new InputException($"step size {step} must be positive");
        var s = new StepSchedule(SimTime.FromSeconds(start), SimTime.FromSeconds(stop), SimTime.FromSeconds(step));
        if (s.Step.Ticks == 0) throw new InputException($"step size {step} s is below the time resolution of 1 ns");
        return s;
    }

    /// <summary>Number of steps, counting a final partial one (computed once: <see cref="Point"/> is on the hot path).</summary>
    public long StepCount { get; } = Step.Ticks > 0 ? ((Stop - Start).Ticks + Step.Ticks - 1) / Step.Ticks : 0;

    /// <summary>The n-th communication point (n = 0 is the start; n = StepCount is the stop).</summary>
    public SimTime Point(long n) => n >= StepCount ? Stop : Start + Step * n;
}
