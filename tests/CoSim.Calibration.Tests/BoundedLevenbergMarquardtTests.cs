using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Calibration.Tests;

/// <summary>The optimizer alone, on small residual functions with known minima (a fake problem: a unit test of one class).</summary>
[TestFixture]
public sealed class BoundedLevenbergMarquardtTests
{
    /// <summary>Residuals given in code; a point in <c>Fails</c> is a failed model run; the Jacobian is central differences.</summary>
    private sealed class Problem(Func<double[], double[]> residuals, double[] lower, double[] upper, Func<double[], bool>? fails = null) : ILeastSquaresProblem
    {
        public int Failures { get; private set; }

        public int ParameterCount => lower.Length;
        public IReadOnlyList<double> Lower => lower;
        public IReadOnlyList<double> Upper => upper;

        public Evaluation Evaluate(double[] x)
        {
            if (fails?.Invoke(x) == true)
            {
                Failures++;
                return new Evaluation(null, "diverged");
            }
            return new Evaluation(residuals(x), null);
        }

        public Matrix<double>? Jacobian(double[] x, double[] r)
        {
            var j = Matrix<double>.Build.Dense(r.Length, x.Length);
            for (var k = 0; k < x.Length; k++)
            {
                var h = 1e-6 * Math.Max(1, Math.Abs(x[k]));
                var plus = (double[])x.Clone();
                var minus = (double[])x.Clone();
                plus[k] += h;
                minus[k] -= h;
                var rp = residuals(plus);
                var rm = residuals(minus);
                for (var i = 0; i < r.Length; i++) j[i, k] = (rp[i] - rm[i]) / (2 * h);
            }
            return j;
        }
    }

    private static double[] Rosenbrock(double[] x) => [1 - x[0], 10 * (x[1] - x[0] * x[0])];

    [Test]
    public void Minimize_Rosenbrock_ReachesTheMinimum()
    {
        var result = BoundedLevenbergMarquardt.Minimize(new Problem(Rosenbrock, [-5, -5], [5, 5]), [-1.2, 1]);

        result.Converged.ShouldBeTrue(result.Message);
        result.X[0].ShouldBe(1, 1e-8);
        result.X[1].ShouldBe(1, 1e-8);
        result.CostHistory.ShouldBeInOrder(SortDirection.Descending);
    }

    [Test]
    public void Minimize_TrialsFailingInARegion_RejectsThemAndStillConverges()
    {
        // Runs fail for x0 < -0.5: the first full steps from the start land there.
        var problem = new Problem(Rosenbrock, [-5, -5], [5, 5], x => x[0] < -0.5 && x[1] < 0.9);

        var result = BoundedLevenbergMarquardt.Minimize(problem, [-0.4, 1.5]);

        result.Converged.ShouldBeTrue(result.Message);
        result.X[0].ShouldBe(1, 1e-8);
        result.RejectedTrials.ShouldBe(problem.Failures);
    }

    [Test]
    public void Minimize_OptimumBeyondABound_StopsAtTheBound()
    {
        var result = BoundedLevenbergMarquardt.Minimize(new Problem(x => [x[0] - 3, x[1] - 0.5], [0, 0], [1, 1]), [0.2, 0.2]);

        result.Converged.ShouldBeTrue(result.Message);
        result.X[0].ShouldBe(1);
        // The stop on the predicted reduction (1e-12 of the cost 2 held by the bound) leaves x1 within sqrt(2 x 1e-12 x 2) = 2e-6.
        result.X[1].ShouldBe(0.5, 2e-6);
    }

    [Test]
    public void Minimize_FailingStart_Throws()
    {
        var problem = new Problem(Rosenbrock, [-5, -5], [5, 5], _ => true);

        Should.Throw<OptimizationFailedException>(() => BoundedLevenbergMarquardt.Minimize(problem, [0, 0])).Message.ShouldContain("diverged");
    }

    [TestCase("area=0.1..2@0.5", "area", 0.1, 2, 0.5)]
    [TestCase("Tank.h0 = -1e-3 .. 1e1", "Tank.h0", -1e-3, 10, null)]
    public void ParameterSpecParse_Forms_ReadBoundsAndStart(string text, string name, double lo, double hi, double? start) =>
        ParameterSpec.Parse(text).ShouldBe(new ParameterSpec(name, lo, hi, start));

    [TestCase("level=Level[cm]@0.5", "level", "Level", "cm", 0.5, 1.0)]
    [TestCase("Pump.flowRate=Volume Flow RateRMS:4", "Pump.flowRate", "Volume Flow RateRMS", null, null, 4.0)]
    public void FitSpecParse_Forms_ReadColumnUnitSigmaWeight(string text, string output, string column, string? unit, double? sigma, double weight) =>
        FitSpec.Parse(text).ShouldBe(new FitSpec(output, column, unit, sigma, weight));
}
