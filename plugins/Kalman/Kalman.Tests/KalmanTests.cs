using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;
using CoSim.Plugins.Testing;
using CoSim.Runner;
using CoSim.TestSupport;
using MathNet.Numerics.Distributions;

namespace CoSim.Plugins.Kalman.Tests;

public class KalmanTests
{
    private const double A = 0.95, C = 1, Q = 0.01, R = 0.1;

    /// <summary>Steady prior variance of the scalar filter: the positive root of c^2 P^2 + (r(1 - a^2) - q c^2) P - q r = 0 (the scalar DARE).</summary>
    private static double RiccatiSteadyState(double a, double c, double q, double r)
    {
        var b = r * (1 - a * a) - q * c * c;
        return (-b + Math.Sqrt(b * b + 4 * c * c * q * r)) / (2 * c * c);
    }

    private static ComponentDriver Scalar() => new(new ScalarKalmanFilter { Name = "kf" }, 0,
        ("a", "0.95"), ("c", "1"), ("q", "0.01"), ("r", "0.1"), ("x0", "0"), ("p0", "5"));

    [Test]
    public void Step_ScalarFilter_VarianceConvergesToTheRiccatiSolution()
    {
        using var kf = Scalar();
        for (var k = 0; k < 300; k++) kf.Step(0.1);
        var p = RiccatiSteadyState(A, C, Q, R);
        (A * A * p * R / (C * C * p + R) + Q).ShouldBe(p, 1e-15); // the root is the Riccati fixed point (prior -> posterior -> prior)
        kf.Get("variance").ShouldBe(p, 1e-12);
        kf.Get("gain").ShouldBe(C * p / (C * C * p + R), 1e-12); // K = P c / (c^2 P + R) with the steady prior
    }

    [Test]
    public void Step_SeededNoisySystem_EstimateErrorVarianceMatchesTheRiccatiSolution()
    {
        // The true system x' = a x + w, z = x + v with seeded Gaussian noise; the filter's actual error
        // (estimate - true state) must have the variance the filter claims, the steady-state P.
        var random = new Random(2026);
        var w = new Normal(0, Math.Sqrt(Q), random);
        var v = new Normal(0, Math.Sqrt(R), random);
        using var kf = Scalar();
        var x = 0.0;
        double sum = 0, sumSquares = 0;
        const int warmUp = 200, n = 40_000;
        for (var k = 0; k < warmUp + n; k++)
        {
            kf.Set("z", C * x + v.Sample());
            kf.Step(0.1);
            x = A * x + w.Sample();
            if (k < warmUp) continue;
            var error = kf.Get("estimate") - x;
            sum += error;
            sumSquares += error * error;
        }
        var variance = sumSquares / n - (sum / n) * (sum / n);
        variance.ShouldBe(RiccatiSteadyState(A, C, Q, R), 0.05 * RiccatiSteadyState(A, C, Q, R));
        Math.Abs(sum / n).ShouldBeLessThan(4 * Math.Sqrt(RiccatiSteadyState(A, C, Q, R) / n) * 3); // unbiased (errors are correlated: wide bound)
    }

    [Test]
    public void SaveAndRestore_StepTwiceFromTheSameState_SameEstimate()
    {
        var filter = new ScalarKalmanFilter { Name = "kf" };
        using var kf = new ComponentDriver(filter, 0, ("a", "0.9"), ("p0", "3"));
        kf.Set("z", 1);
        kf.Step(0.1);
        var state = ((IComponent)filter).SaveState();
        kf.Set("z", 2);
        kf.Step(0.1);
        var (estimate, variance) = (kf.Get("estimate"), kf.Get("variance"));
        ((IComponent)filter).RestoreState(state);
        kf.Set("z", 2);
        ((IComponent)filter).Step(SimTime.FromSeconds(0.1), SimTime.FromSeconds(0.1));
        kf.Get("estimate").ShouldBe(estimate);
        kf.Get("variance").ShouldBe(variance);
    }

    [Test]
    public void Run_ExtendedFilterOnTheTankFmuWithNoisyLevel_EstimateTracksTheTrueLevel()
    {
        // Plant: the Tank FMU filling from 0.1 m with the valve at 0.6; its level is measured with seeded noise
        // (the fault injector plugin, sigma 2 cm); the EKF starts 0.5 m off and must follow the true level
        // closer than the measurement does.
        var dir = Directory.CreateTempSubdirectory("cosim-kalman-").FullName;
        try
        {
            const double sigma = 0.02;
            var spec = new RunSpecification { Stop = 60, Step = 0.1, Output = Path.Combine(dir, "ekf.csv") };
            spec.Components.Add(new ComponentSpec(new ComponentRequest("Tank", ExampleFmus.Path(2, "Tank"))));
            spec.Components.Add(new ComponentSpec(new ComponentRequest("Sensor", ExamplePlugins.Path("CoSim.Plugins.FaultInjector"), "plugin")));
            spec.Components.Add(new ComponentSpec(new ComponentRequest("Ekf", ExamplePlugins.Path("CoSim.Plugins.Kalman"), "plugin")
                { Options = new Dictionary<string, string> { ["type"] = "TankLevelEstimator" } }));
            foreach (var (target, value) in new[] { ("Tank.valve", "0.6"), ("Ekf.valve", "0.6"), ("Ekf.h0", "0.6"), ("Ekf.r", (sigma * sigma).ToString("R")), ("Sensor.noise", sigma.ToString("R")), ("Sensor.seed", "7") })
                spec.Parameters.Add(new ParameterValue(new VariableRef(target.Split('.')[0], target.Split('.')[1]), value));
            spec.Connections.Add(new Connection(new VariableRef("Tank", "level"), new VariableRef("Sensor", "in")));
            spec.Connections.Add(new Connection(new VariableRef("Sensor", "out"), new VariableRef("Ekf", "measuredLevel")));
            using (var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance)) run.Run().Outcome.ShouldBe(RunOutcome.Completed);

            var csv = ResultCsv.Load(spec.Output);
            var truth = csv.Values("Tank.level");
            var estimate = csv.Values("Ekf.level");
            var measured = csv.Values("Sensor.out");
            double Rms(double[] a, int from) => Math.Sqrt(Enumerable.Range(from, truth.Length - from).Average(i => (a[i] - truth[i]) * (a[i] - truth[i])));
            var half = truth.Length / 2;
            Rms(measured, half).ShouldBe(sigma, 0.2 * sigma); // the noise is there
            Rms(estimate, half).ShouldBeLessThan(0.35 * sigma); // and the filter removes most of it
            (estimate[0] - truth[0]).ShouldBe(0.5, 1e-12); // it started 0.5 m off
            csv.Values("Ekf.variance")[^1].ShouldBeLessThan(sigma * sigma);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
