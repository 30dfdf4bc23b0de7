using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>What a dropped-out signal reads as.</summary>
public enum DropoutMode
{
    /// <summary>Not a number: the consumer sees a missing value.</summary>
    NaN,

    /// <summary>The value the signal had when the dropout started, held.</summary>
    Hold,
}

/// <summary>Stuck at a value, or (without one) at the value the signal had when the fault started.</summary>
public sealed class StuckAtFault(Signal target, double? value) : Fault(target, "stuck-at")
{
    /// <summary>The stuck value; null: the value at the fault's start.</summary>
    public double? Value { get; } = value;

    internal override FaultEffect CreateEffect() => new HoldEffect(Value);
}

/// <summary>Holds a fixed value, or the first incoming value while active (stuck-at without a value, dropout with hold).</summary>
internal sealed class HoldEffect(double? fixedValue) : FaultEffect
{
    private double? _held;

    public override double Apply(SimTime time, double incoming, bool active, SimTime since)
    {
        if (!active)
        {
            _held = null;
            return incoming;
        }
        return fixedValue ?? (_held ??= incoming);
    }

    public override void Save(BinaryWriter w)
    {
        w.Write(_held.HasValue);
        w.Write(_held ?? 0);
    }

    public override void Restore(BinaryReader r)
    {
        var has = r.ReadBoolean();
        var v = r.ReadDouble();
        _held = has ? v : null;
    }
}

/// <summary>A constant offset added to the signal.</summary>
public sealed class BiasFault(Signal target, double offset) : Fault(target, "bias")
{
    /// <summary>The offset added while active.</summary>
    public double Offset { get; } = offset;

    internal override FaultEffect CreateEffect() => new Effect(Offset);

    private sealed class Effect(double offset) : FaultEffect
    {
        public override double Apply(SimTime time, double incoming, bool active, SimTime since) => active ? incoming + offset : incoming;
    }
}

/// <summary>An offset growing linearly from the fault's start: <c>incoming + rate * (t - start)</c>.</summary>
public sealed class DriftFault(Signal target, double rate) : Fault(target, "drift")
{
    /// <summary>The drift per second.</summary>
    public double Rate { get; } = rate;

    internal override FaultEffect CreateEffect() => new Effect(Rate);

    private sealed class Effect(double rate) : FaultEffect
    {
        public override double Apply(SimTime time, double incoming, bool active, SimTime since) =>
            active ? incoming + rate * (time - since).Seconds : incoming;
    }
}

/// <summary>
/// Gaussian noise added to the signal, reproducible: the sample at a time depends only on the seed
/// and the time (not on how often the engine evaluates the input), so a rerun, another master
/// algorithm or a sweep case in parallel sees the same noise.
/// </summary>
public sealed class NoiseFault(Signal target, double standardDeviation, int seed) : Fault(target, "noise")
{
    /// <summary>The noise's standard deviation.</summary>
    public double StandardDeviation { get; } = standardDeviation;

    /// <summary>The seed.</summary>
    public int Seed { get; } = seed;

    internal override FaultEffect CreateEffect() => new Effect(StandardDeviation, Seed);

    /// <summary>The standard normal sample of <paramref name="seed"/> at <paramref name="time"/> (Box-Muller on two hashed uniforms).</summary>
    public static double Sample(int seed, SimTime time)
    {
        var h1 = Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)time.Ticks);
        var h2 = Mix(h1 ^ 0xD1B54A32D192ED03UL);
        var u1 = ((h1 >> 11) + 1) * (1.0 / 9007199254740993.0); // (0, 1]: log is finite
        var u2 = (h2 >> 11) * (1.0 / 9007199254740992.0);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    // SplitMix64's finalizer: a well-mixed 64-bit hash of the (seed, time) pair.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private sealed class Effect(double sigma, int seed) : FaultEffect
    {
        public override double Apply(SimTime time, double incoming, bool active, SimTime since) =>
            active ? incoming + sigma * Sample(seed, time) : incoming;
    }
}

/// <summary>The signal drops out: NaN, or the value it had when the dropout started.</summary>
public sealed class DropoutFault(Signal target, DropoutMode mode) : Fault(target, "dropout")
{
    /// <summary>What the signal reads as while dropped out.</summary>
    public DropoutMode Mode { get; } = mode;

    internal override FaultEffect CreateEffect() => Mode == DropoutMode.NaN ? new HoldEffect(double.NaN) : new HoldEffect(null);
}

/// <summary>
/// A transport delay: while active, the signal is what it was <see cref="Delay"/> seconds earlier
/// (linear interpolation between the values the engine computed; before the first one, the first).
/// The history is kept from the run's start, so the delay is exact from the fault's start on.
/// </summary>
public sealed class DelayFault(Signal target, double delay) : Fault(target, "delay")
{
    /// <summary>The delay [s].</summary>
    public double Delay { get; } = delay;

    internal override FaultEffect CreateEffect() => new Effect(SimTime.FromSeconds(Delay));

    private sealed class Effect(SimTime delay) : FaultEffect
    {
        private readonly List<(long T, double V)> _history = [];
        private int _head;

        public override double Apply(SimTime time, double incoming, bool active, SimTime since)
        {
            // The latest value at a time wins (the engine may compute an input more than once at a point).
            if (_history.Count > _head && _history[^1].T == time.Ticks) _history[^1] = (time.Ticks, incoming);
            else if (_history.Count == _head || _history[^1].T < time.Ticks) _history.Add((time.Ticks, incoming));
            var target = time.Ticks - delay.Ticks;
            // Drop what no later time can need (keep one sample at or before the target), compacting now and then.
            while (_head + 1 < _history.Count && _history[_head + 1].T <= target) _head++;
            if (_head > 1024 && _head > _history.Count / 2)
            {
                _history.RemoveRange(0, _head);
                _head = 0;
            }
            if (!active) return incoming;
            var (t0, v0) = _history[_head];
            if (target <= t0 || _head + 1 >= _history.Count) return v0;
            var (t1, v1) = _history[_head + 1];
            return v0 + (v1 - v0) * (target - t0) / (double)(t1 - t0);
        }

        // The live part of the delay line (from the head on): what later times can still need.
        public override void Save(BinaryWriter w)
        {
            w.Write(_history.Count - _head);
            for (var i = _head; i < _history.Count; i++)
            {
                w.Write(_history[i].T);
                w.Write(_history[i].V);
            }
        }

        public override void Restore(BinaryReader r)
        {
            _history.Clear();
            _head = 0;
            var n = r.ReadInt32();
            for (var i = 0; i < n; i++) _history.Add((r.ReadInt64(), r.ReadDouble()));
        }
    }
}

/// <summary>A scripted override: the signal is <c>function(time, incoming)</c> while active.</summary>
public sealed class OverrideFault(Signal target, Func<double, double, double> function) : Fault(target, "override")
{
    /// <summary>The function of time [s] and incoming value.</summary>
    public Func<double, double, double> Function { get; } = function;

    internal override FaultEffect CreateEffect() => new Effect(Function);

    private sealed class Effect(Func<double, double, double> function) : FaultEffect
    {
        public override double Apply(SimTime time, double incoming, bool active, SimTime since) =>
            active ? function(time.Seconds, incoming) : incoming;
    }
}
