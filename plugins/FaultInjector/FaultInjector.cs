using System.ComponentModel;
using CoSim.Core;
using CoSim.Plugins.Sdk;

namespace CoSim.Plugins.FaultInjector;

/// <summary>
/// Puts faults on a signal, for systems built without scripts (an SSP, <c>--plugin</c>): connect a signal to
/// <c>in</c> and use <c>out</c> in its place. Between <c>faultStart</c> and <c>faultEnd</c>:
/// <c>out = (stuck ? value at the last step before the fault : in) + bias + drift*(t - faultStart) + noise*N(0,1)</c>,
/// and with probability <c>dropout</c> a sample is lost (<c>out</c> repeats the value delivered at the previous
/// step). Outside the window <c>out = in</c>. The faults combine. Noise and dropouts are reproducible: they are
/// a function of <c>seed</c> and the time alone (no generator state), so a rolled-back step draws the same values.
/// <c>out</c> follows <c>in</c> at the same instant (direct feedthrough).
/// </summary>
[Description("Faults on a signal: stuck-at, bias, drift, Gaussian noise, dropout, in a time window")]
public sealed class SignalFaultInjector : PluginComponent
{
    private readonly RealVariable _in, _out, _held, _stuckAt;
    private readonly RealVariable _start, _end, _bias, _drift, _noise, _dropout;
    private readonly BooleanVariable _stuck, _active, _dropped;
    private readonly IntegerVariable _seed;

    public SignalFaultInjector()
    {
        DirectFeedthrough = true;
        _in = Real("in", VariableRole.Input, description: "Healthy signal");
        _out = Real("out", VariableRole.Output, description: "Faulted signal");
        _start = Real("faultStart", VariableRole.Parameter, start: 0, unit: "s", description: "Faults act from this time");
        _end = Real("faultEnd", VariableRole.Parameter, start: 1e300, unit: "s", description: "... until this time");
        _stuck = Boolean("stuck", VariableRole.Parameter, description: "Output stuck at the value of the last step before faultStart");
        _bias = Real("bias", VariableRole.Parameter, description: "Constant offset added");
        _drift = Real("drift", VariableRole.Parameter, unit: "1/s", description: "Offset growing by this much per second from faultStart");
        _noise = Real("noise", VariableRole.Parameter, description: "Standard deviation of the Gaussian noise added");
        _dropout = Real("dropout", VariableRole.Parameter, description: "Probability that a sample is lost (out repeats the previous one)");
        _seed = Integer("seed", VariableRole.Parameter, start: 1, description: "Seed of noise and dropouts");
        _active = Boolean("active", VariableRole.Local, description: "The fault window is open");
        _dropped = Boolean("dropped", VariableRole.Local, description: "This sample was lost");
        _held = Real("held", VariableRole.Local, description: "Value delivered at the previous step", continuous: false);
        _stuckAt = Real("stuckAt", VariableRole.Local, description: "Value a stuck output keeps", continuous: false);
    }

    protected override void Initialize(double startTime)
    {
        if (_dropout.Value is < 0 or > 1) throw new ArgumentException($"dropout {_dropout.Value} is not a probability");
        if (_noise.Value < 0) throw new ArgumentException($"noise {_noise.Value} must not be negative");
        _stuckAt.Value = _in.Value;
        _held.Value = _in.Value;
    }

    protected override void Step(double time, double step)
    {
        // What was delivered at the step start becomes the value a lost sample repeats.
        Evaluate(time);
        _held.Value = _out.Value;
        if (time + step <= _start.Value) _stuckAt.Value = _in.Value;
    }

    protected override void Evaluate(double time)
    {
        var active = time >= _start.Value && time < _end.Value;
        _active.Value = active;
        _dropped.Value = false;
        if (!active)
        {
            _out.Value = _in.Value;
            return;
        }
        var v = (_stuck.Value ? _stuckAt.Value : _in.Value) + _bias.Value + _drift.Value * (time - _start.Value);
        var draw = BitConverter.DoubleToInt64Bits(time);
        if (_noise.Value > 0) v += _noise.Value * Gaussian(_seed.Value, draw);
        if (_dropout.Value > 0 && Uniform(Mix((ulong)_seed.Value ^ 0x5DEECE66DUL, (ulong)draw)) < _dropout.Value)
        {
            v = _held.Value;
            _dropped.Value = true;
        }
        _out.Value = v;
    }

    /// <summary>A standard normal value determined by seed and draw (Box-Muller on two hashed uniforms).</summary>
    internal static double Gaussian(long seed, long draw)
    {
        var u1 = Uniform(Mix((ulong)seed, (ulong)draw));
        var u2 = Uniform(Mix((ulong)seed + 0x9E3779B97F4A7C15UL, (ulong)draw));
        return Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>SplitMix64's finalizer over seed and counter: a well-mixed 64-bit value per (seed, draw).</summary>
    private static ulong Mix(ulong seed, ulong draw)
    {
        var z = seed * 0x9E3779B97F4A7C15UL + draw + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>[0, 1) from the top 53 bits.</summary>
    private static double Uniform(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));
}
