namespace CoSim.Solvers.Tests;

public class DenseLinearSolverTests
{
    [Test]
    public void Solve_ZeroOnTheDiagonal_ExchangesRowsAndSolves()
    {
        // A x = b with x = (1, -2, 3); a(0,0) = 0 forces a row exchange.
        double[] a = [0, 2, 1, 1, 1, 1, 2, 1, 3];
        double[] x = [1, -2, 3];
        var solver = new DenseLinearSolver(3);
        a.CopyTo(solver.Matrix, 0);
        var b = new double[3];
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++) b[i] += a[i * 3 + j] * x[j];

        solver.Solve(b).ShouldBeTrue();

        for (var i = 0; i < 3; i++) b[i].ShouldBe(x[i], 1e-14);
    }

    [Test]
    public void Solve_Hilbert6_ResidualAtRoundingLevel()
    {
        const int n = 6; // condition number ~1.5e7: partial pivoting keeps the residual small all the same
        var solver = new DenseLinearSolver(n);
        var b = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) solver.Matrix[i * n + j] = 1.0 / (i + j + 1);
            b[i] = 1;
        }

        solver.Solve(b).ShouldBeTrue();

        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++) sum += b[j] / (i + j + 1);
            sum.ShouldBe(1, 1e-8);
        }
    }

    [Test]
    public void Solve_SingularMatrix_ReturnsFalse()
    {
        var solver = new DenseLinearSolver(2);
        new double[] { 1, 2, 2, 4 }.CopyTo(solver.Matrix, 0);

        solver.Solve(new double[] { 1, 1 }).ShouldBeFalse();
    }
}

public class NewtonSolverTests
{
    /// <summary>r(x) from a function, judged converged when max |r| ≤ 1e-13.</summary>
    private sealed class Equations(Action<double[], double[]> residual) : INonlinearSystem
    {
        public int Evaluations { get; private set; }

        public void Residual(ReadOnlySpan<double> x, Span<double> r)
        {
            Evaluations++;
            var result = new double[r.Length];
            residual(x.ToArray(), result);
            result.CopyTo(r);
        }

        public bool Converged(ReadOnlySpan<double> x, ReadOnlySpan<double> r, out double size)
        {
            size = 0;
            foreach (var v in r) size = Math.Max(size, Math.Abs(v));
            return size <= 1e-13;
        }
    }

    [Test]
    public void Solve_CircleMeetsLine_ConvergesToTheAnalyticRoot()
    {
        // x² + y² = 4 and y = x: the root in the first quadrant is (√2, √2).
        var equations = new Equations((x, r) =>
        {
            r[0] = x[0] * x[0] + x[1] * x[1] - 4;
            r[1] = x[1] - x[0];
        });
        var newton = new NewtonSolver(2);
        double[] x = [1, 0.5];

        var result = newton.Solve(equations, x, 50);

        result.Status.ShouldBe(NewtonStatus.Converged);
        x[0].ShouldBe(Math.Sqrt(2), 1e-12);
        x[1].ShouldBe(Math.Sqrt(2), 1e-12);
        result.Checks.ShouldBe(result.Steps + 1);
        newton.Iterations.ShouldBe(result.Steps);
        equations.Evaluations.ShouldBe(result.Checks + 2 * result.Steps); // one per check, one per Jacobian column
    }

    [Test]
    public void Solve_NoRealRoot_StopsAtTheIterationLimit()
    {
        // x² + 1 = 0 has no real root: Newton wanders and never converges.
        var result = new NewtonSolver(1).Solve(new Equations((x, r) => r[0] = x[0] * x[0] + 1), new double[] { 0.7 }, 20);

        result.Status.ShouldBe(NewtonStatus.NotConverged);
        result.Steps.ShouldBe(20);
        result.Size.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Test]
    public void Solve_SingularJacobian_ReportsSingular()
    {
        // x + y = 1 and 2x + 2y = 3: parallel lines, a singular Jacobian at any point.
        var result = new NewtonSolver(2).Solve(new Equations((x, r) =>
        {
            r[0] = x[0] + x[1] - 1;
            r[1] = 2 * x[0] + 2 * x[1] - 3;
        }), new double[] { 0, 0 }, 20);

        result.Status.ShouldBe(NewtonStatus.Singular);
        result.Steps.ShouldBe(1);
    }

    [Test]
    public void Solve_ResidualNotFinite_ReportsDiverged()
    {
        var result = new NewtonSolver(1).Solve(new Equations((x, r) => r[0] = Math.Log(x[0])), new double[] { -1 }, 20);

        result.Status.ShouldBe(NewtonStatus.Diverged);
        result.Steps.ShouldBe(0);
        double.IsNaN(result.Size).ShouldBeTrue();
    }
}
