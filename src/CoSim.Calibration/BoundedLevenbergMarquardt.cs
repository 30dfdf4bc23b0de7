using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Calibration;

/// <summary>One evaluation of the residual vector: the residuals, or why the model could not give them.</summary>
/// <param name="Residuals">The weighted residuals; null when the run failed or was abandoned.</param>
/// <param name="Failure">Why it failed (a rejected trial); null on success and for an abandoned run.</param>
public sealed record Evaluation(double[]? Residuals, string? Failure)
{
    /// <summary>Half the sum of squared residuals (scipy's <c>cost</c>); +inf for a failed or abandoned run.</summary>
    public double Cost => Residuals == null ? double.PositiveInfinity : 0.5 * Residuals.Sum(r => r * r);

    /// <summary>
    /// The run was abandoned because its cost had already passed the limit it was given: the trial
    /// loses against the current point, exactly as if it had run to the end.
    /// </summary>
    public bool Exceeded => Residuals == null && Failure == null;

    /// <summary>An abandoned run (see <see cref="Exceeded"/>).</summary>
    public static Evaluation Abandoned { get; } = new(null, null);
}

/// <summary>A least-squares problem the optimizer drives: residuals at a point, and their Jacobian there.</summary>
public interface ILeastSquaresProblem
{
    /// <summary>Number of unknowns.</summary>
    int ParameterCount { get; }

    /// <summary>Lower bounds.</summary>
    IReadOnlyList<double> Lower { get; }

    /// <summary>Upper bounds.</summary>
    IReadOnlyList<double> Upper { get; }

    /// <summary>The residuals at <paramref name="x"/> (a failed model run is an evaluation with a failure, not an exception).</summary>
    Evaluation Evaluate(double[] x);

    /// <summary>
    /// As <see cref="Evaluate(double[])"/> for a trial that only matters if its cost is at most
    /// <paramref name="costLimit"/>: a problem whose cost grows along the run may abandon it as soon
    /// as the cost so far passes the limit (<see cref="Evaluation.Exceeded"/>).
    /// </summary>
    Evaluation Evaluate(double[] x, double costLimit) => Evaluate(x);

    /// <summary>d residual / d x at <paramref name="x"/> where the residuals are <paramref name="residuals"/>; null when a perturbed run failed.</summary>
    Matrix<double>? Jacobian(double[] x, double[] residuals);
}

/// <summary>Settings of <see cref="BoundedLevenbergMarquardt"/>.</summary>
public sealed record LeastSquaresOptions
{
    /// <summary>Stop when an accepted step lowers the cost by less than this fraction.</summary>
    public double CostTolerance { get; init; } = 1e-12;

    /// <summary>Stop when a step moves every parameter by less than this fraction of its size.</summary>
    public double StepTolerance { get; init; } = 1e-10;

    /// <summary>Stop when the largest scaled projected gradient (cosine of residual and Jacobian column) is below this.</summary>
    public double GradientTolerance { get; init; } = 1e-10;

    /// <summary>Most residual evaluations (each Jacobian counts one per parameter).</summary>
    public int MaxEvaluations { get; init; } = 1000;
}

/// <summary>How an optimization ended.</summary>
/// <param name="X">The best point found.</param>
/// <param name="Residuals">The residuals there.</param>
/// <param name="Jacobian">The Jacobian there (null when it could not be computed).</param>
/// <param name="Converged">Whether a convergence test was met.</param>
/// <param name="Message">Why it stopped, in words.</param>
/// <param name="Iterations">Accepted steps.</param>
/// <param name="Evaluations">Residual evaluations, Jacobian columns included.</param>
/// <param name="RejectedTrials">Trial points whose model run failed.</param>
/// <param name="CostHistory">The cost at the start and after every accepted step.</param>
public sealed record LeastSquaresResult(double[] X, double[] Residuals, Matrix<double>? Jacobian, bool Converged, string Message, int Iterations,
    int Evaluations, int RejectedTrials, IReadOnlyList<double> CostHistory)
{
    /// <summary>Half the sum of squared residuals.</summary>
    public double Cost => 0.5 * Residuals.Sum(r => r * r);

    /// <summary>Trials whose run was stopped as soon as their cost passed the current one (<see cref="Evaluation.Exceeded"/>).</summary>
    public int AbandonedTrials { get; init; }
}

/// <summary>
/// Levenberg-Marquardt with simple bounds: the damped Gauss-Newton step
/// <c>(JᵀJ + λ diag(JᵀJ)) δ = -Jᵀr</c> on the parameters that are free (not held at a bound by a
/// gradient pointing outwards), projected onto the box; the gain ratio adapts λ (Nielsen's rule).
/// Marquardt's diagonal scaling makes it independent of the parameters' units. A trial whose model
/// run fails is rejected like a step that raises the cost.
/// </summary>
/// <remarks>
/// MathNet's <c>LevenbergMarquardtMinimizer</c> is not used: it differentiates by calling the model
/// once per parameter in sequence (here every perturbed run is an independent model instance, run
/// concurrently), handles bounds by a sine transformation (which distorts the scaling and the
/// covariance near a bound), and an exception in the model ends it (here a failed run is a rejected
/// trial). Its linear algebra (Cholesky, SVD) is used.
/// </remarks>
public static class BoundedLevenbergMarquardt
{
    /// <summary>Minimizes ½|r(x)|² from <paramref name="start"/> inside the problem's bounds.</summary>
    /// <exception cref="OptimizationFailedException">The start point's model run fails.</exception>
    /// <param name="problem">The residuals and their Jacobian.</param>
    /// <param name="start">The start point (clamped into the bounds).</param>
    /// <param name="options">Tolerances and the evaluation limit.</param>
    /// <param name="atStart">The evaluation at <paramref name="start"/> when the caller has it already.</param>
    public static LeastSquaresResult Minimize(ILeastSquaresProblem problem, double[] start, LeastSquaresOptions? options = null, Evaluation? atStart = null)
    {
        options ??= new LeastSquaresOptions();
        var n = problem.ParameterCount;
        var lo = problem.Lower;
        var hi = problem.Upper;
        var x = start.Select((v, i) => Math.Clamp(v, lo[i], hi[i])).ToArray();
        var first = atStart ?? problem.Evaluate(x);
        var evaluations = 1;
        if (first.Residuals == null) throw new OptimizationFailedException($"the model run at the start point failed: {first.Failure}");
        var r = first.Residuals;
        var cost = first.Cost;
        var history = new List<double> { cost };
        double lambda = -1, nu = 2;
        var iterations = 0;
        var rejected = 0;
        var abandoned = 0;
        string? lastFailure = null;
        Matrix<double>? jacobian = null;
        double[]? jacobianAt = null;
        while (true)
        {
            if (evaluations + n > options.MaxEvaluations)
                return Done(false, $"evaluation limit {options.MaxEvaluations} reached before convergence");
            jacobian = problem.Jacobian(x, r);
            jacobianAt = x;
            evaluations += n;
            if (jacobian == null) return Done(false, "a model run for the Jacobian failed at the current point");
            var g = jacobian.TransposeThisAndMultiply(Vector<double>.Build.Dense(r));
            var a = jacobian.TransposeThisAndMultiply(jacobian);
            var free = Enumerable.Range(0, n).Where(i => !(x[i] <= lo[i] && g[i] > 0) && !(x[i] >= hi[i] && g[i] < 0)).ToArray();
            if (free.Length == 0) return Done(true, "every parameter is held at a bound by the gradient");
            // Scaled gradient: the cosine between the residual and each free Jacobian column.
            var rNorm = Math.Sqrt(2 * cost);
            var gScaled = free.Max(i => Math.Abs(g[i]) / Math.Max(Math.Sqrt(a[i, i]) * rNorm, 1e-300));
            if (gScaled <= options.GradientTolerance) return Done(true, $"the scaled gradient {gScaled:G3} is below {options.GradientTolerance:G3}");
            var maxDiagonal = free.Max(i => a[i, i]);
            // Convergence is judged on the undamped Gauss-Newton step (a step shortened by a large λ says nothing).
            // Only a step inside the bounds is a test: a step cut back at a bound may be short for that reason alone.
            var gaussNewton = Step(a, g, free, 0, maxDiagonal, x, lo, hi, out var cut);
            if (!cut && Enumerable.Range(0, n).All(i => Math.Abs(gaussNewton[i]) <= options.StepTolerance * (Math.Abs(x[i]) + options.StepTolerance)))
                return Done(true, $"the Gauss-Newton step is below the relative tolerance {options.StepTolerance:G3}");
            var gaussNewtonGain = cut ? double.PositiveInfinity : Predicted(a, g, gaussNewton);
            // MINPACK's ftol test on the predicted reduction: what the full Gauss-Newton step would still gain is negligible,
            // so the current point (with its Jacobian, needed for the uncertainty) is the optimum; no further trial is run.
            if (gaussNewtonGain <= options.CostTolerance * cost)
                return Done(true, $"the cost reduction the Gauss-Newton step predicts is below the relative tolerance {options.CostTolerance:G3}");
            if (lambda < 0) lambda = 1e-3;
            while (true)
            {
                var step = Step(a, g, free, lambda, maxDiagonal, x, lo, hi, out _);
                var trial = x.Select((v, i) => v + step[i]).ToArray();
                for (var i = 0; i < n; i++) trial[i] = Math.Clamp(trial[i], lo[i], hi[i]);
                var predicted = Predicted(a, g, step);
                if (evaluations >= options.MaxEvaluations) return Done(false, $"evaluation limit {options.MaxEvaluations} reached before convergence");
                // A trial whose running cost passes the current cost has lost: its run may stop there.
                var e = problem.Evaluate(trial, cost * (1 + 1e-12));
                evaluations++;
                if (e.Residuals != null && e.Cost < cost)
                {
                    var rho = (cost - e.Cost) / predicted;
                    var reduction = (cost - e.Cost) / cost;
                    x = trial;
                    r = e.Residuals;
                    cost = e.Cost;
                    history.Add(cost);
                    iterations++;
                    lambda *= Math.Max(1.0 / 3, 1 - Math.Pow(2 * rho - 1, 3));
                    nu = 2;
                    // Only a nearly undamped step's small gain means convergence (a heavily damped step gains little anyway).
                    if (reduction <= options.CostTolerance && rho > 0.25 && lambda <= 1e-2)
                    {
                        jacobian = problem.Jacobian(x, r);
                        jacobianAt = x;
                        evaluations += n;
                        return Done(true, $"the cost changed by less than the relative tolerance {options.CostTolerance:G3}");
                    }
                    break;
                }
                if (e.Exceeded) abandoned++;
                if (e.Residuals == null && !e.Exceeded)
                {
                    rejected++;
                    lastFailure = e.Failure;
                }
                lambda *= nu;
                nu *= 2;
                // At the optimum the finite-difference noise can make every trial lose: converged when the gain left is negligible.
                if (lambda > 1e16 && lastFailure == null && gaussNewtonGain <= 1e-9 * cost)
                    return Done(true, "no step lowers the cost and the predicted gain left is below 1e-9 relative");
                if (lambda > 1e16)
                    return Done(false, lastFailure != null
                        ? $"no step could be taken: the model runs near this point fail ({lastFailure})"
                        : "no step lowers the cost any more (a flat or noisy cost: check the parameters' influence on the fitted outputs)");
            }
        }

        LeastSquaresResult Done(bool converged, string message) =>
            new(x, r, ReferenceEquals(jacobianAt, x) ? jacobian : null, converged, message, iterations, evaluations, rejected, history) { AbandonedTrials = abandoned };
    }

    /// <summary>The damped step on the free parameters, cut back to the bounds (zero for the others).</summary>
    private static double[] Step(Matrix<double> a, Vector<double> g, int[] free, double lambda, double maxDiagonal, double[] x, IReadOnlyList<double> lo, IReadOnlyList<double> hi, out bool cut)
    {
        var m = free.Length;
        var system = Matrix<double>.Build.Dense(m, m, (p, q) => a[free[p], free[q]]);
        var rhs = Vector<double>.Build.Dense(m, p => -g[free[p]]);
        for (var p = 0; p < m; p++) system[p, p] += lambda * Math.Max(a[free[p], free[p]], 1e-12 * maxDiagonal);
        Vector<double> delta;
        try
        {
            delta = lambda > 0 ? system.Cholesky().Solve(rhs) : system.Svd().Solve(rhs);
        }
        catch (ArgumentException)
        {
            delta = system.Svd().Solve(rhs);
        }
        // A step that leaves the box is shortened along its direction to the first bound it meets (that
        // parameter lands on the bound exactly), not clamped coordinate by coordinate: clamping turns an
        // overshooting Gauss-Newton step into a corner of the box, which the next damping barely moves.
        // Components pushing out of a bound their parameter already sits on are dropped first.
        var step = new double[x.Length];
        var alpha = 1.0;
        var limiting = -1;
        cut = false;
        for (var p = 0; p < m; p++)
        {
            var i = free[p];
            var target = x[i] + delta[p];
            if ((x[i] >= hi[i] && delta[p] > 0) || (x[i] <= lo[i] && delta[p] < 0))
            {
                delta[p] = 0;
                cut = true;
                continue;
            }
            var room = target > hi[i] ? (hi[i] - x[i]) / delta[p] : target < lo[i] ? (lo[i] - x[i]) / delta[p] : 1.0;
            if (room < alpha)
            {
                alpha = room;
                limiting = i;
            }
        }
        cut |= alpha < 1;
        for (var p = 0; p < m; p++)
        {
            var i = free[p];
            step[i] = i == limiting ? (delta[p] > 0 ? hi[i] : lo[i]) - x[i] : Math.Clamp(x[i] + alpha * delta[p], lo[i], hi[i]) - x[i];
        }
        return step;
    }

    /// <summary>The cost reduction the local linear model predicts for <paramref name="step"/>.</summary>
    private static double Predicted(Matrix<double> a, Vector<double> g, double[] step)
    {
        var s = Vector<double>.Build.Dense(step);
        return -(g.DotProduct(s) + 0.5 * s.DotProduct(a * s));
    }
}

/// <summary>The optimization could not start or continue (e.g. the model fails at the start point).</summary>
public sealed class OptimizationFailedException(string message) : Exception(message);
