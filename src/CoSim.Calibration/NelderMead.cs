using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CoSim.Calibration;

/// <summary>
/// <c>--method nelder-mead</c>: a derivative-free minimization of the cost by MathNet's
/// <see cref="NelderMeadSimplex"/>, for models whose outputs are too noisy or too discontinuous in the
/// parameters for finite differences. MathNet's simplex is unbounded, so it works on the parameters
/// scaled to their bounds (0..1) and a point outside is evaluated at the nearest point inside with a
/// penalty growing with the squared distance (the projection keeps every model run inside the
/// bounds). Every cost evaluation is one run of the model; the uncertainty is computed afterwards
/// from the finite-difference Jacobian at the end point, as for Levenberg-Marquardt.
/// </summary>
public static class NelderMead
{
    /// <summary>Relative spread of the simplex's costs at which MathNet's simplex stops.</summary>
    public const double CostSpread = 1e-10;

    /// <summary>Minimizes ½|r(x)|² from <paramref name="start"/> (evaluated already as <paramref name="initial"/>, when given) within the bounds.</summary>
    /// <exception cref="OptimizationFailedException">The start point's model run fails.</exception>
    public static LeastSquaresResult Minimize(ILeastSquaresProblem problem, double[] start, LeastSquaresOptions options, Evaluation? initial = null)
    {
        start = start.Select((v, j) => Math.Clamp(v, problem.Lower[j], problem.Upper[j])).ToArray();
        initial ??= problem.Evaluate(start);
        if (initial.Residuals == null) throw new OptimizationFailedException($"the model run at the start point failed: {initial.Failure}");
        var n = problem.ParameterCount;
        var lo = problem.Lower;
        var hi = problem.Upper;
        var bestX = (double[])start.Clone();
        var bestR = initial.Residuals;
        var bestCost = initial.Cost;
        var history = new List<double> { bestCost };
        var evaluations = 1;
        var rejected = 0;
        double Cost(Vector<double> u)
        {
            var x = new double[n];
            var outside = 0.0;
            for (var j = 0; j < n; j++)
            {
                var inside = Math.Clamp(u[j], 0, 1);
                outside += (u[j] - inside) * (u[j] - inside);
                x[j] = lo[j] + inside * (hi[j] - lo[j]);
            }
            evaluations++;
            var e = problem.Evaluate(x);
            if (e.Residuals == null)
            {
                rejected++;
                return double.MaxValue; // a failed run: the simplex moves away from it
            }
            var cost = e.Cost;
            if (cost < bestCost && outside == 0)
            {
                (bestX, bestR, bestCost) = (x, e.Residuals, cost);
                history.Add(cost);
            }
            return cost * (1 + outside) + outside;
        }
        var u0 = Vector<double>.Build.Dense(n, j => (Math.Clamp(start[j], lo[j], hi[j]) - lo[j]) / (hi[j] - lo[j]));
        // The first simplex: a tenth of each range from the start, inwards.
        var perturbation = Vector<double>.Build.Dense(n, j => u0[j] <= 0.9 ? 0.1 : -0.1);
        bool converged;
        string message;
        int iterations;
        try
        {
            var result = new NelderMeadSimplex(CostSpread, options.MaxEvaluations).FindMinimum(ObjectiveFunction.Value(Cost), u0, perturbation);
            converged = true;
            iterations = result.Iterations;
            message = $"Nelder-Mead: the simplex's costs agree to {CostSpread:G3} relative after {result.Iterations} iterations";
        }
        catch (MaximumIterationsException)
        {
            converged = false;
            iterations = options.MaxEvaluations;
            message = $"Nelder-Mead: iteration limit {options.MaxEvaluations} reached before the simplex's costs agreed";
        }
        return new LeastSquaresResult(bestX, bestR, null, converged, message, iterations, evaluations, rejected, history);
    }
}
