using System.ComponentModel;
using CoSim.Core;
using CoSim.Plugins.Sdk;
using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Plugins.Kalman;

/// <summary>
/// Scalar linear Kalman filter per communication step: x_{k+1} = a x_k + b u_k + w (variance q), z_k = c x_k + v
/// (variance r). In the step from t it corrects its estimate with the measurement z held at t, then predicts
/// to t + h: the outputs are the estimate at the time reached and its error variance (the prior P).
/// </summary>
[Description("Scalar linear Kalman filter: x' = a x + b u + w (var q), z = c x + v (var r), per step")]
public sealed class ScalarKalmanFilter : PluginComponent
{
    private readonly RealVariable _u, _z, _estimate, _variance, _gain, _innovation;
    private readonly RealVariable _a, _b, _c, _q, _r, _x0, _p0;
    private LinearKalmanFilter _filter = null!;

    public ScalarKalmanFilter()
    {
        _u = Real("u", VariableRole.Input, description: "Known input u");
        _z = Real("z", VariableRole.Input, description: "Measurement z");
        _estimate = Real("estimate", VariableRole.Output, description: "State estimate at the time reached", continuous: false);
        _variance = Real("variance", VariableRole.Output, description: "Its error variance P", continuous: false);
        _gain = Real("gain", VariableRole.Local, description: "Kalman gain of the last correction", continuous: false);
        _innovation = Real("innovation", VariableRole.Local, description: "z - c x of the last correction", continuous: false);
        _a = Real("a", VariableRole.Parameter, start: 1, description: "State transition per step");
        _b = Real("b", VariableRole.Parameter, start: 0, description: "Input gain per step");
        _c = Real("c", VariableRole.Parameter, start: 1, description: "Measurement gain");
        _q = Real("q", VariableRole.Parameter, start: 1e-4, description: "Process noise variance per step");
        _r = Real("r", VariableRole.Parameter, start: 1e-2, description: "Measurement noise variance");
        _x0 = Real("x0", VariableRole.Parameter, start: 0, description: "Initial estimate");
        _p0 = Real("p0", VariableRole.Parameter, start: 1, description: "Initial error variance");
    }

    protected override void Initialize(double startTime)
    {
        static Matrix<double> M(double v) => Matrix<double>.Build.Dense(1, 1, v);
        if (!(_r.Value > 0) || _q.Value < 0 || _p0.Value < 0) throw new ArgumentException("r must be positive, q and p0 not negative");
        _filter = new LinearKalmanFilter(M(_a.Value), M(_b.Value), M(_c.Value), M(_q.Value), M(_r.Value), Vector<double>.Build.Dense(1, _x0.Value), M(_p0.Value));
        Publish();
    }

    protected override void Step(double time, double step)
    {
        _filter.Update(Vector<double>.Build.Dense(1, _z.Value));
        _gain.Value = _filter.Gain![0, 0];
        _innovation.Value = _filter.Innovation![0];
        _filter.Predict(Vector<double>.Build.Dense(1, _u.Value));
        Publish();
    }

    private void Publish()
    {
        _estimate.Value = _filter.X[0];
        _variance.Value = _filter.P[0, 0];
    }

    protected override object? CaptureState() => _filter.Snapshot();

    protected override void RestoreCapturedState(object? state) => _filter.Restore(((Vector<double>, Matrix<double>))state!);
}

/// <summary>
/// Extended Kalman filter of the Tank FMU's model, given as C# functions: A dh/dt = valve*maxInflow - k*sqrt(h),
/// integrated with RK4 over the step; the level is measured with noise. Keeps a model state (the level) close
/// to the measured plant: its estimate is the level at the time reached, corrected by the measurement held at
/// the step start.
/// </summary>
[Description("Extended Kalman filter of the tank level (Torricelli outflow), model as C# functions")]
public sealed class TankLevelEstimator : PluginComponent
{
    private readonly RealVariable _valve, _measured, _estimate, _variance, _outflow;
    private readonly RealVariable _area, _k, _maxInflow, _q, _r, _h0, _p0;
    private ExtendedKalmanFilter _filter = null!;

    public TankLevelEstimator()
    {
        _valve = Real("valve", VariableRole.Input, start: 0.5, description: "Inflow valve opening (clamped to 0..1)");
        _measured = Real("measuredLevel", VariableRole.Input, unit: "m", description: "Noisy level measurement");
        _estimate = Real("level", VariableRole.Output, unit: "m", description: "Estimated level at the time reached", continuous: false);
        _variance = Real("variance", VariableRole.Output, unit: "m2", description: "Its error variance", continuous: false);
        _outflow = Real("outflow", VariableRole.Output, unit: "m3/s", description: "Outflow at the estimated level", continuous: false);
        _area = Real("area", VariableRole.Parameter, start: 0.5, unit: "m2", description: "Tank cross-section A");
        _k = Real("outletCoefficient", VariableRole.Parameter, start: 0.05, description: "k in q_out = k*sqrt(h) [m2.5/s]");
        _maxInflow = Real("maxInflow", VariableRole.Parameter, start: 0.1, unit: "m3/s", description: "Inflow at valve = 1");
        _q = Real("q", VariableRole.Parameter, start: 1e-6, description: "Process noise intensity [m2/s]: variance q*dt per step");
        _r = Real("r", VariableRole.Parameter, start: 1e-4, unit: "m2", description: "Measurement noise variance");
        _h0 = Real("h0", VariableRole.Parameter, start: 0.5, unit: "m", description: "Initial level estimate");
        _p0 = Real("p0", VariableRole.Parameter, start: 0.25, unit: "m2", description: "Initial error variance");
    }

    private double Derivative(double h, double valve) =>
        (Math.Clamp(valve, 0, 1) * _maxInflow.Value - _k.Value * Math.Sqrt(Math.Max(h, 0))) / _area.Value;

    private Vector<double> Model(Vector<double> x, Vector<double> u, double dt)
    {
        double h = x[0], v = u[0];
        var k1 = Derivative(h, v);
        var k2 = Derivative(h + dt / 2 * k1, v);
        var k3 = Derivative(h + dt / 2 * k2, v);
        var k4 = Derivative(h + dt * k3, v);
        return Vector<double>.Build.Dense(1, h + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4));
    }

    protected override void Initialize(double startTime)
    {
        if (!(_r.Value > 0) || _q.Value < 0 || _p0.Value < 0 || !(_area.Value > 0)) throw new ArgumentException("r and area must be positive, q and p0 not negative");
        _filter = new ExtendedKalmanFilter(Model, x => x, dt => Matrix<double>.Build.Dense(1, 1, _q.Value * dt),
            Matrix<double>.Build.Dense(1, 1, _r.Value), Vector<double>.Build.Dense(1, _h0.Value), Matrix<double>.Build.Dense(1, 1, _p0.Value));
        Publish();
    }

    protected override void Step(double time, double step)
    {
        _filter.Update(Vector<double>.Build.Dense(1, _measured.Value));
        _filter.Predict(Vector<double>.Build.Dense(1, _valve.Value), step);
        Publish();
    }

    private void Publish()
    {
        _estimate.Value = _filter.X[0];
        _variance.Value = _filter.P[0, 0];
        _outflow.Value = _k.Value * Math.Sqrt(Math.Max(_filter.X[0], 0));
    }

    protected override object? CaptureState() => _filter.Snapshot();

    protected override void RestoreCapturedState(object? state) => _filter.Restore(((Vector<double>, Matrix<double>))state!);
}
