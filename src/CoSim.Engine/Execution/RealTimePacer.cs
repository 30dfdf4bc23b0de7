using System.Diagnostics;
using CoSim.Core;

namespace CoSim.Engine.Execution;

/// <summary>
/// Keeps simulation time in step with the wall clock at a factor (1 = real time, 0 = no pacing):
/// waits when ahead, and counts a step that completes after its deadline as an overrun.
/// </summary>
internal sealed class RealTimePacer(double factor)
{
    private readonly Stopwatch _clock = new();
    private SimTime _start;

    public long Overruns { get; private set; }
    public TimeSpan MaxOverrun { get; private set; }
    public TimeSpan TotalOverrun { get; private set; }

    public void Start(SimTime start)
    {
        _start = start;
        _clock.Restart();
    }

    /// <summary>Called when the components reached <paramref name="time"/>: waits until its wall-clock deadline.</summary>
    public void Pace(SimTime time)
    {
        if (factor <= 0) return;
        var deadline = TimeSpan.FromSeconds((time - _start).Seconds / factor);
        var now = _clock.Elapsed;
        if (now > deadline)
        {
            var late = now - deadline;
            Overruns++;
            TotalOverrun += late;
            if (late > MaxOverrun) MaxOverrun = late;
            return;
        }
        var remaining = deadline - now;
        if (remaining > TimeSpan.FromMilliseconds(2)) Thread.Sleep(remaining - TimeSpan.FromMilliseconds(1));
        while (_clock.Elapsed < deadline) Thread.SpinWait(50);
    }
}
