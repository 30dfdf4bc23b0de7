using System.ComponentModel;
using CoSim.Core;
using CoSim.Plugins.Sdk;

namespace CoSim.Plugins.Pid;

/// <summary>
/// Discrete PID controller, sampled every <c>Ts</c> (0: every communication step), output held between samples.
/// <list type="bullet">
/// <item>u = clamp(kp*e + I + D, uMin, uMax) with e = setpoint - measurement.</item>
/// <item>Integral I (in output units) grows by ki*dt*e of the previous sample; it is held while u is clamped
/// and e pushes further into the limit (clamping anti-windup).</item>
/// <item>Derivative on the measurement (no kick on a setpoint step) through a first-order filter of time
/// constant Tf (backward Euler): D = Tf/(Tf+dt)*D - kd/(Tf+dt)*(y - y_previous).</item>
/// <item>Bumpless parameter change: when kp changes, I absorbs (kp_old - kp)*e so that u does not jump;
/// I holds ki already integrated, so a change of ki does not make u jump either.</item>
/// </list>
/// A sample uses the inputs held over the step (those at its start), like the PIController FMU, so with kd = 0
/// the two give the same output; u does not depend on the inputs at the same instant (no direct feedthrough).
/// </summary>
[Description("PID controller: clamping anti-windup, filtered derivative on the measurement, bumpless gain changes, output limits")]
public sealed class PidController : PluginComponent
{
    private readonly RealVariable _setpoint, _measurement, _u;
    private readonly RealVariable _kp, _ki, _kd, _tf, _uMin, _uMax, _ts;
    private readonly RealVariable _integral, _derivative, _error;
    private readonly BooleanVariable _saturated;
    private readonly IntegerVariable _samples;
    private Memory _last;

    /// <summary>What the next sample needs from the previous one (captured with the state).</summary>
    private readonly record struct Memory(double Kp, double Error, double Measurement, bool Hold);

    public PidController()
    {
        _setpoint = Real("setpoint", VariableRole.Input, start: 1, description: "Reference r");
        _measurement = Real("measurement", VariableRole.Input, start: 0, description: "Measured value y");
        _u = Real("u", VariableRole.Output, description: "Controller output, held between samples", continuous: false);
        _kp = Real("kp", VariableRole.Parameter, start: 1, description: "Proportional gain (tunable, bumpless)");
        _ki = Real("ki", VariableRole.Parameter, start: 0, unit: "1/s", description: "Integral gain (tunable, bumpless)");
        _kd = Real("kd", VariableRole.Parameter, start: 0, unit: "s", description: "Derivative gain, on the measurement");
        _tf = Real("Tf", VariableRole.Parameter, start: 0, unit: "s", description: "Time constant of the derivative's first-order filter (0: none)");
        _uMin = Real("uMin", VariableRole.Parameter, start: -1, description: "Lower output limit");
        _uMax = Real("uMax", VariableRole.Parameter, start: 1, description: "Upper output limit");
        _ts = Real("Ts", VariableRole.Parameter, start: 0, unit: "s", description: "Sample period (0: every communication step)");
        _integral = Real("integral", VariableRole.Local, unit: null, description: "Integral term I", continuous: false);
        _derivative = Real("derivative", VariableRole.Local, description: "Filtered derivative term D", continuous: false);
        _error = Real("error", VariableRole.Local, description: "setpoint - measurement at the last sample", continuous: false);
        _saturated = Boolean("saturated", VariableRole.Local, description: "u is at uMin or uMax");
        _samples = Integer("samples", VariableRole.Local, description: "Samples taken so far");
    }

    protected override void Initialize(double startTime)
    {
        if (!(_uMin.Value <= _uMax.Value)) throw new ArgumentException($"uMin {_uMin.Value} is above uMax {_uMax.Value}");
        if (_tf.Value < 0 || _ts.Value < 0) throw new ArgumentException("Tf and Ts must not be negative");
        _integral.Value = 0;
        _derivative.Value = 0;
        _samples.Value = 0;
        Sample(dt: 0, first: true);
    }

    protected override void Step(double time, double step)
    {
        var reached = time + step;
        if (_ts.Value <= 0)
        {
            Sample(step, first: false);
            return;
        }
        // Samples at t0 + k*Ts (never accumulated), each with the inputs held over this step.
        while (StartTime + _samples.Value * _ts.Value <= reached + 1e-9 * _ts.Value)
            Sample(_ts.Value, first: false);
    }

    private void Sample(double dt, bool first)
    {
        double kp = _kp.Value, y = _measurement.Value;
        var e = _setpoint.Value - y;
        if (!first)
        {
            if (kp != _last.Kp) _integral.Value += (_last.Kp - kp) * _last.Error; // bumpless gain change
            if (!_last.Hold) _integral.Value += _ki.Value * dt * _last.Error;
            var tf = _tf.Value;
            _derivative.Value = tf + dt > 0 ? (tf * _derivative.Value - _kd.Value * (y - _last.Measurement)) / (tf + dt) : 0;
        }
        var v = kp * e + _integral.Value + _derivative.Value;
        var u = Math.Clamp(v, _uMin.Value, _uMax.Value);
        _u.Value = u;
        _error.Value = e;
        _saturated.Value = u != v;
        _samples.Value++;
        _last = new Memory(kp, e, y, Hold: (v > _uMax.Value && e > 0) || (v < _uMin.Value && e < 0));
    }

    protected override void WriteState(BinaryWriter writer)
    {
        writer.Write(_last.Kp);
        writer.Write(_last.Error);
        writer.Write(_last.Measurement);
        writer.Write(_last.Hold);
    }

    protected override void ReadState(BinaryReader reader) =>
        _last = new Memory(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadBoolean());

    protected override object? CaptureState() => _last;

    protected override void RestoreCapturedState(object? state) => _last = (Memory)state!;
}
