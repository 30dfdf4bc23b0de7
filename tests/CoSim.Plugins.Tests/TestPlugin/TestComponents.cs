using System.ComponentModel;
using CoSim.Core;
using CoSim.Plugins.Sdk;
using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Plugins.TestPlugin;

/// <summary>Reports which MathNet.Numerics it runs with, and uses it: det([[a, 1], [1, a]]) = a^2 - 1.</summary>
[Description("Which MathNet.Numerics the plugin loaded, and a determinant computed with it")]
public sealed class VersionProbe : PluginComponent
{
    private readonly RealVariable _a;
    private readonly IntegerVariable _major;
    private readonly RealVariable _determinant;

    public VersionProbe()
    {
        _a = Real("a", VariableRole.Input, start: 3, description: "Diagonal of the matrix");
        _major = Integer("mathNetMajor", VariableRole.Output, description: "Major version of the MathNet.Numerics assembly loaded");
        _determinant = Real("determinant", VariableRole.Output, description: "det([[a, 1], [1, a]])");
    }

    protected override void Initialize(double startTime) => Compute();

    protected override void Step(double time, double step) => Compute();

    private void Compute()
    {
        _major.Value = typeof(Matrix<double>).Assembly.GetName().Version!.Major;
        _determinant.Value = Matrix<double>.Build.DenseOfArray(new[,] { { _a.Value, 1.0 }, { 1.0, _a.Value } }).Determinant();
    }
}

/// <summary>Outputs its time and fails in the step that starts at or after throwAt.</summary>
[Description("Fails on purpose: throws in the step starting at throwAt")]
public sealed class Thrower : PluginComponent
{
    private readonly RealVariable _throwAt;
    private readonly RealVariable _clock;

    public Thrower()
    {
        _throwAt = Real("throwAt", VariableRole.Parameter, start: 1, unit: "s", description: "Time of the failing step");
        _clock = Real("clock", VariableRole.Output, unit: "s", description: "Time reached");
    }

    protected override void Step(double time, double step)
    {
        if (time >= _throwAt.Value - 1e-12) throw new InvalidOperationException("sensor model diverged");
        _clock.Value = time + step;
    }
}

/// <summary>y = u at every instant: the trivial component of the benchmark.</summary>
[Description("y = u (direct feedthrough)")]
public sealed class Feedthrough : PluginComponent
{
    private readonly RealVariable _u;
    private readonly RealVariable _y;

    public Feedthrough()
    {
        DirectFeedthrough = true;
        _u = Real("u", VariableRole.Input);
        _y = Real("y", VariableRole.Output);
    }

    protected override void Step(double time, double step) { }

    protected override void Evaluate(double time) => _y.Value = _u.Value;
}

/// <summary>y = amplitude * sin(omega * t), at the time reached.</summary>
[Description("A sine source")]
public sealed class Oscillator : PluginComponent
{
    private readonly RealVariable _amplitude;
    private readonly RealVariable _omega;
    private readonly RealVariable _y;

    public Oscillator()
    {
        _amplitude = Real("amplitude", VariableRole.Parameter, start: 1);
        _omega = Real("omega", VariableRole.Parameter, start: 1, unit: "rad/s");
        _y = Real("y", VariableRole.Output);
    }

    protected override void Initialize(double startTime) => _y.Value = _amplitude.Value * Math.Sin(_omega.Value * startTime);

    protected override void Step(double time, double step) => _y.Value = _amplitude.Value * Math.Sin(_omega.Value * (time + step));
}

/// <summary>Forward-Euler integral of its input, with a count of its steps; the running sum lives outside the variables to exercise CaptureState.</summary>
[Description("x = sum of u*h over the steps taken")]
public sealed class Integrator : PluginComponent
{
    private readonly RealVariable _u;
    private readonly RealVariable _x;
    private readonly IntegerVariable _steps;
    private double _sum;

    public Integrator()
    {
        _u = Real("u", VariableRole.Input);
        _x = Real("x", VariableRole.Output);
        _steps = Integer("steps", VariableRole.Output, description: "Steps taken (rolled-back steps do not count)");
    }

    protected override void Step(double time, double step)
    {
        _sum += _u.Value * step;
        _x.Value = _sum;
        _steps.Value++;
    }

    protected override object? CaptureState() => _sum;

    protected override void RestoreCapturedState(object? state) => _sum = (double)state!;
}
