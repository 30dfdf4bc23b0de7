using MathNet.Numerics.Random;

namespace CoSim.Calibration;

/// <summary>The optimizer (<c>--method</c>).</summary>
public enum CalibrationMethod
{
    /// <summary>Bounded Levenberg-Marquardt with a concurrent finite-difference Jacobian (<c>lm</c>, the default).</summary>
    LevenbergMarquardt,

    /// <summary>MathNet's Nelder-Mead simplex on the cost, derivative-free (<c>nelder-mead</c>).</summary>
    NelderMead,
}

/// <summary>How the optimizer did from one start point of a multi-start calibration.</summary>
/// <param name="Start">The start point.</param>
/// <param name="Cost">The cost it reached (+inf when the model failed at the start point).</param>
/// <param name="Converged">Whether it converged.</param>
/// <param name="Message">Why it stopped, or why it could not start.</param>
/// <param name="X">The point it reached (null when it could not start).</param>
public sealed record StartOutcome(double[] Start, double Cost, bool Converged, string Message, double[]? X);

/// <summary>
/// <c>--starts N</c>: the optimizer run from the user's start and from N-1 more points spread over the
/// bounds by a seeded Latin hypercube (one point in each of N-1 equal strata of every parameter's
/// range, strata paired at random), for cost surfaces with several minima. The best converged end
/// point (else the best) wins; every start's outcome is reported, so a user sees whether the starts
/// agree. A start point at which the model fails is recorded and skipped.
/// </summary>
public static class MultiStart
{
    /// <summary>
    /// <paramref name="count"/> points in the box [<paramref name="lower"/>, <paramref name="upper"/>]: for each
    /// dimension the strata 0..count-1 in a random order, a uniform position inside each stratum.
    /// </summary>
    public static double[][] LatinHypercube(int count, IReadOnlyList<double> lower, IReadOnlyList<double> upper, int seed)
    {
        var random = new MersenneTwister(seed, threadSafe: false);
        var points = Enumerable.Range(0, count).Select(_ => new double[lower.Count]).ToArray();
        for (var j = 0; j < lower.Count; j++)
        {
            var strata = Enumerable.Range(0, count).ToArray();
            for (var i = count - 1; i > 0; i--)
            {
                var k = random.Next(i + 1);
                (strata[i], strata[k]) = (strata[k], strata[i]);
            }
            for (var i = 0; i < count; i++)
                points[i][j] = lower[j] + (upper[j] - lower[j]) * (strata[i] + random.NextDouble()) / count;
        }
        return points;
    }

    /// <summary>
    /// Minimizes from <paramref name="start"/> (whose evaluation is <paramref name="initial"/>) and from
    /// <paramref name="starts"/> - 1 Latin-hypercube points; returns the winning result, every start's outcome,
    /// and the evaluations of all of them together.
    /// </summary>
    public static (LeastSquaresResult Best, IReadOnlyList<StartOutcome> Outcomes, int Evaluations) Minimize(
        ILeastSquaresProblem problem, double[] start, Evaluation initial, int starts, int seed, LeastSquaresOptions options, CalibrationMethod method = CalibrationMethod.LevenbergMarquardt)
    {
        LeastSquaresResult Optimize(double[] from, Evaluation? at) => method == CalibrationMethod.NelderMead
            ? NelderMead.Minimize(problem, from, options, at)
            : BoundedLevenbergMarquardt.Minimize(problem, from, options, at);
        var first = Optimize(start, initial);
        var outcomes = new List<StartOutcome> { new(start, first.Cost, first.Converged, first.Message, first.X) };
        var best = first;
        var evaluations = first.Evaluations;
        if (starts <= 1) return (best, outcomes, evaluations);
        foreach (var point in LatinHypercube(starts - 1, problem.Lower, problem.Upper, seed))
        {
            LeastSquaresResult result;
            try
            {
                result = Optimize(point, null);
            }
            catch (OptimizationFailedException e)
            {
                evaluations++;
                outcomes.Add(new StartOutcome(point, double.PositiveInfinity, false, e.Message, null));
                continue;
            }
            evaluations += result.Evaluations;
            outcomes.Add(new StartOutcome(point, result.Cost, result.Converged, result.Message, result.X));
            if ((result.Converged && !best.Converged) || (result.Converged == best.Converged && result.Cost < best.Cost)) best = result;
        }
        return (best, outcomes, evaluations);
    }

    /// <summary>How many starts reached the winning cost (to 1e-6 relative): the others ended in another minimum or did not converge.</summary>
    public static int ReachedBest(IReadOnlyList<StartOutcome> outcomes, double bestCost) =>
        outcomes.Count(o => o.Cost <= bestCost * (1 + 1e-6) + 1e-300);
}
