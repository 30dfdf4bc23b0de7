using CoSim.Core;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Tests.Systems;

/// <summary>Ready-made test systems built from <see cref="TestComponent"/>s.</summary>
internal static class TestSystems
{
    // Split two-mass oscillator: mass 1 on a wall spring (k1, d1); mass 2 coupled to it by spring k2 and damper d2.
    public const double M1 = 1, K1 = 10, D1 = 0.2, M2 = 1, K2 = 20, D2 = 0.5;
    public const double X1Start = 1, X2Start = 0;

    /// <summary>
    /// Mass 1: input F (coupling force), outputs x1, v1 (states only, no feedthrough).
    /// Mass 2: inputs x1, v1, outputs F = k2 (x2 − x1) + d2 (v2 − v1) (feedthrough) and x2.
    /// Each integrates its own equations with RK4 and inputs held over the step.
    /// </summary>
    public static SystemModel SplitOscillator()
    {
        var mass1 = new TestComponent("Mass1", ["F"], ["x1", "v1"], states: 2)
        {
            Structure = new ComponentStructure(new Dictionary<int, IReadOnlyList<int>> { [1] = [], [2] = [] }, null),
            OnInitialize = c => { c.State[0] = X1Start; c.State[1] = 0; },
            ComputeOutputs = c => { c["x1"] = c.State[0]; c["v1"] = c.State[1]; },
            OnStep = (c, _, h) =>
            {
                var f = c["F"];
                Integrate(c.State, h.Seconds, (s, d) => { d[0] = s[1]; d[1] = (-K1 * s[0] - D1 * s[1] + f) / M1; });
                return StepStatus.Completed;
            },
        };
        var mass2 = new TestComponent("Mass2", ["x1", "v1"], ["F", "x2"], states: 2)
        {
            Structure = new ComponentStructure(new Dictionary<int, IReadOnlyList<int>> { [2] = [0, 1], [3] = [] }, null),
            OnInitialize = c => { c.State[0] = X2Start; c.State[1] = 0; },
            ComputeOutputs = c => { c["F"] = K2 * (c.State[0] - c["x1"]) + D2 * (c.State[1] - c["v1"]); c["x2"] = c.State[0]; },
            OnStep = (c, _, h) =>
            {
                double x1 = c["x1"], v1 = c["v1"];
                Integrate(c.State, h.Seconds, (s, d) => { d[0] = s[1]; d[1] = -(K2 * (s[0] - x1) + D2 * (s[1] - v1)) / M2; });
                return StepStatus.Completed;
            },
        };
        var system = new SystemModel();
        system.Add(mass1);
        system.Add(mass2);
        system.Connect("Mass1.x1", "Mass2.x1");
        system.Connect("Mass1.v1", "Mass2.v1");
        system.Connect("Mass2.F", "Mass1.F");
        return system;
    }

    /// <summary>The monolithic system's x1(t), integrated with RK4 at a tiny step (the "exact" solution).</summary>
    public static Func<double, double> ExactX1(double stop)
    {
        const double h = 1e-4;
        var n = (int)Math.Round(stop / h);
        var x1 = new double[n + 1];
        double[] s = [X1Start, 0, X2Start, 0];
        x1[0] = s[0];
        for (var i = 1; i <= n; i++)
        {
            Integrate(s, h, (y, d) =>
            {
                var f = K2 * (y[2] - y[0]) + D2 * (y[3] - y[1]);
                d[0] = y[1]; d[1] = (-K1 * y[0] - D1 * y[1] + f) / M1;
                d[2] = y[3]; d[3] = -f / M2;
            }, substeps: 1);
            x1[i] = s[0];
        }
        return t =>
        {
            var k = t / h;
            var i = Math.Clamp((int)Math.Floor(k), 0, n - 1);
            return x1[i] + (k - i) * (x1[i + 1] - x1[i]);
        };
    }

    /// <summary>Classical RK4 over <paramref name="h"/> in <paramref name="substeps"/> substeps.</summary>
    public static void Integrate(double[] s, double h, Action<double[], double[]> f, int substeps = 20)
    {
        var n = s.Length;
        double[] k1 = new double[n], k2 = new double[n], k3 = new double[n], k4 = new double[n], tmp = new double[n];
        var dt = h / substeps;
        for (var step = 0; step < substeps; step++)
        {
            f(s, k1);
            for (var i = 0; i < n; i++) tmp[i] = s[i] + dt / 2 * k1[i];
            f(tmp, k2);
            for (var i = 0; i < n; i++) tmp[i] = s[i] + dt / 2 * k2[i];
            f(tmp, k3);
            for (var i = 0; i < n; i++) tmp[i] = s[i] + dt * k3[i];
            f(tmp, k4);
            for (var i = 0; i < n; i++) s[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }

    /// <summary>A source whose output y is the time at the end of its last step (a ramp, no inputs).</summary>
    public static TestComponent Ramp(string name) => new(name, [], ["y"])
    {
        ComputeOutputs = c => c["y"] = c.Time.Seconds,
    };

    /// <summary>A component whose output y is the input u it had when it last stepped (a sampler).</summary>
    public static TestComponent Sampler(string name) => new(name, ["u"], ["y"], states: 1)
    {
        Structure = new ComponentStructure(new Dictionary<int, IReadOnlyList<int>> { [1] = [] }, null), // y is the held state: no feedthrough
        ComputeOutputs = c => c["y"] = c.State[0],
        OnStep = (c, _, _) => { c.State[0] = c["u"]; return StepStatus.Completed; },
    };

    /// <summary>A static gain with offset: y = gain · u + offset (direct feedthrough).</summary>
    public static TestComponent Gain(string name, double gain, double offset) => new(name, ["u"], ["y"])
    {
        ComputeOutputs = c => c["y"] = gain * c["u"] + offset,
    };

    /// <summary>A static nonlinear block: y = u² + offset (direct feedthrough).</summary>
    public static TestComponent Square(string name, double offset) => new(name, ["u"], ["y"])
    {
        ComputeOutputs = c => c["y"] = c["u"] * c["u"] + offset,
    };
}
