namespace CoSim.Solvers;

/// <summary>A system of n nonlinear equations r(x) = 0 for <see cref="NewtonSolver"/>.</summary>
public interface INonlinearSystem
{
    /// <summary>Evaluates r(<paramref name="x"/>) into <paramref name="r"/> (both of the solver's dimension).</summary>
    void Residual(ReadOnlySpan<double> x, Span<double> r);

    /// <summary>Whether r = <paramref name="r"/> at <paramref name="x"/> is small enough; <paramref name="size"/> is the
    /// residual's size for reports (not finite when r is not: the iteration then stops as diverged).</summary>
    bool Converged(ReadOnlySpan<double> x, ReadOnlySpan<double> r, out double size);
}

/// <summary>How a <see cref="NewtonSolver.Solve"/> ended.</summary>
public enum NewtonStatus
{
    /// <summary>The system judged the residual small enough.</summary>
    Converged,
    /// <summary>The iteration limit was reached first.</summary>
    NotConverged,
    /// <summary>The residual was not finite.</summary>
    Diverged,
    /// <summary>The Jacobian was singular (or the Newton step not finite).</summary>
    Singular,
}

/// <summary>The end of one <see cref="NewtonSolver.Solve"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Steps">Newton steps attempted (Jacobians computed), a singular one included.</param>
/// <param name="Checks">Residuals evaluated at an iterate and judged (the difference quotients not counted).</param>
/// <param name="Size">The size of the last residual judged.</param>
public readonly record struct NewtonResult(NewtonStatus Status, int Steps, int Checks, double Size);

/// <summary>
/// Newton's method for r(x) = 0 with a forward-difference Jacobian (column j perturbs x_j by
/// 1e-7·max(1, |x_j|)) and a dense LU solve (<see cref="DenseLinearSolver"/>): the one solver of both
/// algebraic-loop solvers, the engine's between components and the strongly coupled group's inside it.
/// Each iteration evaluates r at the iterate and asks the system whether it has converged; otherwise it takes
/// the step J·δ = −r. It allocates nothing after construction; the system's last <see cref="INonlinearSystem.Residual"/>
/// call before a converged end is at the solution.
/// </summary>
public sealed class NewtonSolver
{
    private readonly double[] _r, _perturbed, _step;
    private readonly DenseLinearSolver _linear;

    /// <summary>A solver for systems of <paramref name="dimension"/> unknowns.</summary>
    public NewtonSolver(int dimension)
    {
        _linear = new DenseLinearSolver(dimension);
        _r = new double[dimension];
        _perturbed = new double[dimension];
        _step = new double[dimension];
    }

    /// <summary>The number of unknowns.</summary>
    public int Dimension => _linear.Dimension;

    /// <summary>Newton steps (Jacobians) over all solves so far.</summary>
    public long Iterations { get; private set; }

    /// <summary>Iterates from <paramref name="x"/> (updated in place) for at most <paramref name="maxSteps"/> Newton steps.</summary>
    public NewtonResult Solve<TSystem>(TSystem system, Span<double> x, int maxSteps) where TSystem : INonlinearSystem
    {
        var n = Dimension;
        if (x.Length != n) throw new ArgumentException($"x has {x.Length} elements, the solver {n}", nameof(x));
        var r = _r;
        var jacobian = _linear.Matrix;
        for (var steps = 0; ; steps++)
        {
            system.Residual(x, r);
            if (system.Converged(x, r, out var size)) return new(NewtonStatus.Converged, steps, steps + 1, size);
            if (!double.IsFinite(size)) return new(NewtonStatus.Diverged, steps, steps + 1, size);
            if (steps >= maxSteps) return new(NewtonStatus.NotConverged, steps, steps + 1, size);
            Iterations++;
            for (var j = 0; j < n; j++)
            {
                var keep = x[j];
                var delta = 1e-7 * Math.Max(1.0, Math.Abs(keep));
                x[j] = keep + delta;
                system.Residual(x, _perturbed);
                x[j] = keep;
                for (var i = 0; i < n; i++) jacobian[i * n + j] = (_perturbed[i] - r[i]) / delta;
            }
            for (var i = 0; i < n; i++) _step[i] = -r[i];
            if (!_linear.Solve(_step)) return new(NewtonStatus.Singular, steps + 1, steps + 1, size);
            for (var i = 0; i < n; i++) x[i] += _step[i];
        }
    }
}
