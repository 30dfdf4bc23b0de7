using System.Globalization;
using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>What happens during a scenario's run: events (<see cref="At"/>, <see cref="When(Func{bool}, Action, string?)"/>, <see cref="Every"/>) and faults.</summary>
public partial class Scenario
{
    private int _whenCount;

    // ---- events ----------------------------------------------------------------------------

    /// <summary>Runs <paramref name="action"/> once, at the first communication point at or after <paramref name="time"/> [s].</summary>
    public void At(double time, Action action, string? name = null) =>
        AtEvents.Add(new AtEvent(SimTime.FromSeconds(time), action, name ?? $"at {Format(time)} s"));

    /// <summary>
    /// Runs <paramref name="action"/> each time <paramref name="condition"/> becomes true (edge-triggered:
    /// false -> true), evaluated at every communication point; a condition already true at the start
    /// fires at the start. Conditions read signals with <see cref="Value"/>.
    /// </summary>
    public void When(Func<bool> condition, Action action, string? name = null) =>
        WhenEvents.Add(new WhenEvent(condition, action, name ?? $"when #{++_whenCount}"));

    /// <summary>Runs <paramref name="action"/> each time <paramref name="predicate"/> of <paramref name="signal"/>'s value becomes true (see <see cref="When(Func{bool}, Action, string?)"/>); the signal may be any variable.</summary>
    public void When(Signal signal, Func<double, bool> predicate, Action action, string? name = null)
    {
        Watched.Add((signal, Usage($"When(\"{signal}\")")));
        WhenEvents.Add(new WhenEvent(() => predicate(Value(signal)), action, name ?? $"when {signal}"));
    }

    /// <summary>Runs <paramref name="action"/> every <paramref name="period"/> seconds from <paramref name="from"/> (default: the start), at the first communication point at or after each time.</summary>
    public void Every(double period, Action action, double? from = null, string? name = null)
    {
        if (!(period > 0)) throw new ArgumentOutOfRangeException(nameof(period), period, "Every: the period must be positive");
        EveryEvents.Add(new EveryEvent(SimTime.FromSeconds(period), from, action, name ?? $"every {Format(period)} s"));
    }

    // ---- faults ----------------------------------------------------------------------------

    /// <summary>The signal reads <paramref name="value"/> (or, without one, the value it had when the fault started).</summary>
    public Fault StuckAt(Signal signal, double? value = null) => Add(new StuckAtFault(signal, value));

    /// <summary>The signal reads <paramref name="offset"/> more than it is.</summary>
    public Fault Bias(Signal signal, double offset) => Add(new BiasFault(signal, offset));

    /// <summary>The signal reads <c>rate * (t - start)</c> more than it is: a ramp from the fault's start.</summary>
    public Fault Drift(Signal signal, double rate) => Add(new DriftFault(signal, rate));

    /// <summary>Gaussian noise of standard deviation <paramref name="standardDeviation"/>, reproducible by <paramref name="seed"/>.</summary>
    public Fault Noise(Signal signal, double standardDeviation, int seed = 1) => Add(new NoiseFault(signal, standardDeviation, seed));

    /// <summary>The signal drops out: NaN, or (<see cref="DropoutMode.Hold"/>) the last value held.</summary>
    public Fault Dropout(Signal signal, DropoutMode mode = DropoutMode.NaN) => Add(new DropoutFault(signal, mode));

    /// <summary>The signal arrives <paramref name="delay"/> seconds late (transport delay).</summary>
    public Fault Delay(Signal signal, double delay) => Add(new DelayFault(signal, delay));

    /// <summary>The signal reads <c>function(time, incoming)</c>.</summary>
    public Fault Override(Signal signal, Func<double, double, double> function) => Add(new OverrideFault(signal, function));

    private Fault Add(Fault fault)
    {
        fault.Bind(this);
        Faults.Add(fault);
        if (CallerLine() is { } line) _lines.Add((() => $"fault '{fault.Name}'", line));
        return fault;
    }
}


internal sealed record AtEvent(SimTime Time, Action Action, string Name);

internal sealed record EveryEvent(SimTime Period, double? First, Action Action, string Name);

internal sealed record WhenEvent(Func<bool> Condition, Action Action, string Name);
