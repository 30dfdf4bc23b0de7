using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Estimation.Tests;

/// <summary>
/// Exact on linear: MassSpringDamper (FMI 2, model exchange, dx/dt = A x) estimated from noisy x1 and x2 with
/// process noise on both velocities, against the closed-form Kalman filter written here (transition matrix
/// exp(A dt) by scaled Taylor series, the same discrete noise model x[k+1] = Phi (x[k] + w[k])). The UKF
/// must match it to 1e-9, the EnKF within its sampling error.
/// </summary>
[TestFixture]
public sealed class LinearKalmanTests
{
    private const double Dt = 0.1, Sigma = 0.005, Stop = 2.0;
    private static readonly double[] Spread = [0.02, 0.05, 0.02, 0.05];
    private static readonly double[] Noise = [0, 0.02, 0, 0.02];
    private static readonly string[] States = ["x1", "v1", "x2", "v2"];
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("cosim-estimate-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void UnscentedFilterMatchesTheClosedFormKalmanFilterTo1e9()
    {
        var (data, reference) = Problem();
        var result = Estimate(data, new EstimationSettings { Kind = EstimatorKind.Ukf, Measurements = Measurements(), InitialSpread = Named(Spread), ProcessNoise = Named(Noise) });
        result.Rows.Count.ShouldBe(reference.Count);
        var worst = 0.0;
        for (var k = 0; k < reference.Count; k++)
        for (var i = 0; i < 4; i++)
        {
            var (mean, sd) = reference[k].Estimate(i);
            worst = Math.Max(worst, Math.Abs(result.Column(States[i])[k] - mean));
            worst = Math.Max(worst, Math.Abs(result.Column(States[i] + ".upper")[k] - (mean + 1.6448536269514722 * sd)));
            worst = Math.Max(worst, Math.Abs(result.Column(States[i] + ".lower")[k] - (mean - 1.6448536269514722 * sd)));
        }
        TestContext.Out.WriteLine($"UKF vs closed-form KF: largest difference {worst:E2} over {reference.Count} analyses");
        worst.ShouldBeLessThan(1e-9);
        // The innovations are the closed form's too.
        for (var k = 0; k < reference.Count; k++) result.Column("x1.innovation")[k].ShouldBe(reference[k].Innovation[0], 1e-9);
    }

    /// <summary>
    /// The sampling error of an EnKF's mean is more than sd/sqrt(N) (the gain is estimated, the observations are perturbed),
    /// so it is measured: six independent ensembles (seeds) of 64 members; their average must be within its own standard
    /// error of the Kalman filter (RMS of the normalized differences over every analysis and state about 1; a bias of a
    /// tenth of a standard deviation would double it), and so must their spreads.
    /// </summary>
    [Test]
    public void EnsembleFilterMatchesTheClosedFormKalmanFilterWithinSamplingError()
    {
        const int members = 64, replicas = 6;
        var (data, reference) = Problem();
        var runs = Enumerable.Range(1, replicas).Select(seed =>
            Estimate(data, new EstimationSettings { Ensemble = members, Seed = seed, Measurements = Measurements(), InitialSpread = Named(Spread), ProcessNoise = Named(Noise) })).ToList();
        foreach (var run in runs) run.Rows.Count.ShouldBe(reference.Count);
        double meanSquares = 0, spreadSquares = 0;
        var count = 0;
        for (var k = 1; k < reference.Count; k++)
        for (var i = 0; i < 4; i++)
        {
            var (mean, sd) = reference[k].Estimate(i);
            var means = runs.Select(r => r.Column(States[i])[k]).ToArray();
            var sds = runs.Select(r => (r.Column(States[i] + ".upper")[k] - r.Column(States[i])[k]) / 1.6448536269514722).ToArray();
            meanSquares += Math.Pow((means.Average() - mean) / StandardError(means), 2);
            spreadSquares += Math.Pow((sds.Average() - sd) / StandardError(sds), 2);
            count++;
        }
        var meanRms = Math.Sqrt(meanSquares / count);
        var spreadRms = Math.Sqrt(spreadSquares / count);
        TestContext.Out.WriteLine($"{replicas} x EnKF({members}) vs closed-form KF over {count} estimates: RMS normalized difference of the means {meanRms:F2}, of the spreads {spreadRms:F2}");
        meanRms.ShouldBeLessThan(2.5);
        spreadRms.ShouldBeLessThan(2.5);
    }

    // The standard error of the average of independent replicas.
    private static double StandardError(double[] x)
    {
        var mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1) / x.Length);
    }

    private EstimationResult Estimate(Telemetry.Replay.HistorianData data, EstimationSettings settings)
    {
        using var ensemble = new Ensemble(Models.Spec(Models.MassSpringDamper, "msd", Stop, 0.01, Models.Tight), data, settings, Core.NullLogSink.Instance);
        return ensemble.Run();
    }

    private static Measurement[] Measurements() => [new("x1", "x1_measured", Sigma), new("x2", "x2_measured", Sigma)];

    private static Dictionary<string, double> Named(double[] values) =>
        States.Zip(values).Where(p => p.Second > 0).ToDictionary(p => p.First, p => p.Second);

    /// <summary>One analysis of the closed-form filter: mean, covariance and innovation.</summary>
    private sealed record Analysis(Vector<double> Mean, Matrix<double> Covariance, Vector<double> Innovation)
    {
        public (double Mean, double Sd) Estimate(int i) => (Mean[i], Math.Sqrt(Covariance[i, i]));
    }

    /// <summary>Synthetic measurements of a truth started elsewhere, and the Kalman filter's analyses on them.</summary>
    private (Telemetry.Replay.HistorianData, List<Analysis>) Problem()
    {
        var a = Matrix<double>.Build.DenseOfArray(new[,]
        {
            // m1 = 1, m2 = 1.5, c1 = 10, d1 = 0.2, c2 = 50, d2 = 0.5 (the FMU's defaults, fmus/MassSpringDamper/readme.md)
            { 0, 1, 0, 0 },
            { -(10.0 + 50) / 1, -(0.2 + 0.5) / 1, 50.0 / 1, 0.5 / 1 },
            { 0, 0, 0, 1 },
            { 50 / 1.5, 0.5 / 1.5, -50 / 1.5, -0.5 / 1.5 },
        });
        var phi = Exp(a * Dt);
        var h = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, 0, 0 }, { 0, 0, 1, 0 } });
        var r = Matrix<double>.Build.DenseDiagonal(2, 2, Sigma * Sigma);
        var q = Matrix<double>.Build.DenseOfDiagonalArray(Noise.Select(s => s * s * Dt).ToArray());

        var random = new Random(3);
        var truth = Vector<double>.Build.Dense([0.03, -0.1, 0.06, 0.2]);
        var times = new List<double>();
        var rows = new List<double[]>();
        var count = (int)Math.Round(Stop / Dt);
        for (var k = 0; k <= count; k++)
        {
            times.Add(k * Dt);
            rows.Add([truth[0] + Sigma * Models.Gaussian(random), truth[2] + Sigma * Models.Gaussian(random)]);
            truth = phi * truth;
        }
        var data = Models.Data(_folder, ["x1_measured", "x2_measured"], times, rows);

        var mean = Vector<double>.Build.Dense([0, 0, 0.1, 0]); // the FMU's start values
        var p = Matrix<double>.Build.DenseOfDiagonalArray(Spread.Select(s => s * s).ToArray());
        var analyses = new List<Analysis>();
        for (var k = 0; k <= count; k++)
        {
            if (k > 0)
            {
                mean = phi * mean;
                p = phi * (p + q) * phi.Transpose();
            }
            var y = Vector<double>.Build.Dense(rows[k]);
            var s = h * p * h.Transpose() + r;
            var gain = p * h.Transpose() * s.Inverse();
            var innovation = y - h * mean;
            mean += gain * innovation;
            p -= gain * s * gain.Transpose();
            analyses.Add(new Analysis(mean, p, innovation));
        }
        return (data, analyses);
    }

    /// <summary>exp(M) by scaling and squaring of a 30-term Taylor series (M here has a norm below 10).</summary>
    private static Matrix<double> Exp(Matrix<double> m)
    {
        var squarings = Math.Max(0, (int)Math.Ceiling(Math.Log2(m.InfinityNorm() / 0.25)));
        var scaled = m / Math.Pow(2, squarings);
        var sum = Matrix<double>.Build.DenseIdentity(m.RowCount);
        var term = Matrix<double>.Build.DenseIdentity(m.RowCount);
        for (var n = 1; n <= 30; n++)
        {
            term = term * scaled / n;
            sum += term;
        }
        for (var i = 0; i < squarings; i++) sum *= sum;
        return sum;
    }
}
