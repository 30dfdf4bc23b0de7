namespace CoSim.Solvers.Tests;

/// <summary>An ODE given by lambdas, for tests.</summary>
internal sealed class LambdaSystem(int states, Action<double, ReadOnlySpan<double>, Span<double>> f, int indicators = 0,
    Action<double, ReadOnlySpan<double>, Span<double>>? g = null) : IOdeSystem
{
    public int StateCount => states;
    public int EventIndicatorCount => indicators;
    public void Derivatives(double t, ReadOnlySpan<double> x, Span<double> dx) => f(t, x, dx);
    public void EventIndicators(double t, ReadOnlySpan<double> x, Span<double> z) => g?.Invoke(t, x, z);

    public Func<double, double[], StepAction>? OnStep { get; init; }
    public bool NeedsCompletedStep => OnStep != null;
    public StepAction CompletedStep(double t, ReadOnlySpan<double> x) => OnStep?.Invoke(t, x.ToArray()) ?? StepAction.Continue;

    public static LambdaSystem Decay() => new(1, (_, x, dx) => dx[0] = -x[0]);

    public static LambdaSystem Oscillator() => new(2, (_, x, dx) =>
    {
        dx[0] = x[1];
        dx[1] = -x[0];
    });

    /// <summary>Robertson's chemical kinetics, the classic stiff test problem.</summary>
    public static LambdaSystem Robertson() => new(3, (_, y, dy) =>
    {
        dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
        dy[2] = 3e7 * y[1] * y[1];
        dy[1] = -dy[0] - dy[2];
    });
}

/// <summary>
/// A ball falling from height h0 and bouncing with restitution e: h' = v, v' = -g, event h = 0.
/// Between impacts the solution is a parabola, so impact times are known exactly.
/// </summary>
internal sealed class BouncingBall : IOdeSystem
{
    public const double Gravity = 9.81, Restitution = 0.7, Height = 1.0;

    public int StateCount => 2;
    public int EventIndicatorCount => 1;

    public void Derivatives(double t, ReadOnlySpan<double> x, Span<double> dx)
    {
        dx[0] = x[1];
        dx[1] = -Gravity;
    }

    public void EventIndicators(double t, ReadOnlySpan<double> x, Span<double> g) => g[0] = x[0];

    /// <summary>The first <paramref name="count"/> impact times.</summary>
    public static double[] ImpactTimes(int count)
    {
        var times = new double[count];
        var t = Math.Sqrt(2 * Height / Gravity);
        var v = Gravity * t;
        for (var k = 0; k < count; k++)
        {
            times[k] = t;
            v *= Restitution;
            t += 2 * v / Gravity;
        }
        return times;
    }

    /// <summary>Runs until <paramref name="count"/> impacts; returns impact times and the lowest height seen at an event.</summary>
    public static (double[] Times, double Lowest) Run(IIntegrator integrator, int count)
    {
        integrator.Reset(0, [Height, 0]);
        var times = new List<double>();
        var lowest = double.MaxValue;
        while (times.Count < count)
        {
            var r = integrator.Advance(10);
            if (r.Reason != StopReason.StateEvent) break;
            var x = integrator.State.ToArray();
            lowest = Math.Min(lowest, x[0]);
            times.Add(r.Time);
            integrator.Reset(r.Time, [double.Epsilon, -Restitution * x[1]]);
        }
        return (times.ToArray(), lowest);
    }
}
