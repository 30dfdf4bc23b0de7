using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Estimation;

/// <summary>What one analysis saw: per measured signal the innovation (measured - predicted mean) and its predicted variance, and the joint NIS.</summary>
/// <param name="Innovation">Measured minus predicted, per signal.</param>
/// <param name="InnovationVariance">Diagonal of <c>S = H P H' + R</c>, per signal.</param>
/// <param name="Nis">Normalized innovation squared of all signals together, <c>v' S^-1 v</c> (chi-square with m degrees of freedom when the filter is consistent).</param>
public sealed record AnalysisStatistics(double[] Innovation, double[] InnovationVariance, double Nis);

/// <summary>
/// The Kalman analysis steps over matrices whose columns are members (MathNet, dense): the stochastic
/// ensemble update and the unscented update. Pure functions of their inputs; the models that produced
/// the forecasts are elsewhere (<see cref="Ensemble"/>).
/// </summary>
public static class KalmanAnalysis
{
    /// <summary>
    /// Stochastic EnKF (perturbed observations; Burgers, van Leeuwen and Evensen 1998): with anomalies
    /// <c>A = inflation (X - mean)</c>, <c>B = inflation (Y - mean)</c>, the gain
    /// <c>K = A B' (B B' + (N-1) R)^-1</c> and each member moves by <c>K (y + e_i - Y_i)</c>, <c>e_i ~ N(0, R)</c>.
    /// Returns the analysis ensemble (n x N).
    /// </summary>
    public static (Matrix<double> Analysis, AnalysisStatistics Statistics) Ensemble(Matrix<double> states, Matrix<double> predicted,
        Vector<double> measured, Vector<double> sigma, double inflation, Random random)
    {
        var members = states.ColumnCount;
        var xMean = states.RowSums() / members;
        var yMean = predicted.RowSums() / members;
        var a = Anomalies(states, xMean) * inflation;
        var b = Anomalies(predicted, yMean) * inflation;
        var inflated = a + Matrix<double>.Build.Dense(states.RowCount, members, (i, _) => xMean[i]);
        var r = Matrix<double>.Build.DiagonalOfDiagonalVector(sigma.PointwisePower(2));
        var s = b * b.Transpose() / (members - 1) + r;
        var gain = (a * b.Transpose() / (members - 1)) * s.Inverse();
        var perturbed = Matrix<double>.Build.Dense(measured.Count, members, (i, _) => Normal.Sample(random, 0, sigma[i]));
        var predictedInflated = b + Matrix<double>.Build.Dense(predicted.RowCount, members, (i, _) => yMean[i]);
        var target = Matrix<double>.Build.Dense(measured.Count, members, (i, _) => measured[i]) + perturbed - predictedInflated;
        var analysis = inflated + gain * target;
        return (analysis, Statistics(measured - yMean, s));
    }

    /// <summary>The symmetric sigma points <c>mean +- sqrt(n) S_j</c> of N(mean, P), with <c>S S' = P</c> from the eigen decomposition (P may be singular): n x 2n, weights 1/(2n).</summary>
    public static Matrix<double> SigmaPoints(Vector<double> mean, Matrix<double> covariance)
    {
        var n = mean.Count;
        var root = SquareRoot(covariance) * Math.Sqrt(n);
        var points = Matrix<double>.Build.Dense(n, 2 * n);
        for (var j = 0; j < n; j++)
        {
            points.SetColumn(j, mean + root.Column(j));
            points.SetColumn(n + j, mean - root.Column(j));
        }
        return points;
    }

    /// <summary>
    /// The unscented update from propagated sigma points <paramref name="states"/> (n x 2n, equal weights) and their
    /// outputs <paramref name="predicted"/> (m x 2n): mean and covariance of the analysis.
    /// </summary>
    public static (Vector<double> Mean, Matrix<double> Covariance, AnalysisStatistics Statistics) Unscented(Matrix<double> states, Matrix<double> predicted,
        Vector<double> measured, Vector<double> sigma)
    {
        var weight = 1.0 / states.ColumnCount;
        var xMean = states.RowSums() * weight;
        var yMean = predicted.RowSums() * weight;
        var a = Anomalies(states, xMean);
        var b = Anomalies(predicted, yMean);
        var p = a * a.Transpose() * weight;
        var s = b * b.Transpose() * weight + Matrix<double>.Build.DiagonalOfDiagonalVector(sigma.PointwisePower(2));
        var pxy = a * b.Transpose() * weight;
        var gain = pxy * s.Inverse();
        var innovation = measured - yMean;
        var mean = xMean + gain * innovation;
        var covariance = p - gain * s * gain.Transpose();
        return (mean, Symmetric(covariance), Statistics(innovation, s));
    }

    /// <summary>Column-wise mean and covariance (unbiased, N - 1) of an ensemble.</summary>
    public static (Vector<double> Mean, Matrix<double> Covariance) MeanAndCovariance(Matrix<double> members)
    {
        var mean = members.RowSums() / members.ColumnCount;
        var a = Anomalies(members, mean);
        return (mean, a * a.Transpose() / (members.ColumnCount - 1));
    }

    /// <summary>A square root S (S S' = P) of a symmetric positive semi-definite matrix; negative rounding in eigenvalues is cut to 0.</summary>
    public static Matrix<double> SquareRoot(Matrix<double> covariance)
    {
        var evd = Symmetric(covariance).Evd(Symmetricity.Symmetric);
        var d = evd.EigenValues.Real().Map(v => Math.Sqrt(Math.Max(v, 0)));
        return evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(d);
    }

    private static Matrix<double> Anomalies(Matrix<double> members, Vector<double> mean) =>
        members - Matrix<double>.Build.Dense(members.RowCount, members.ColumnCount, (i, _) => mean[i]);

    private static Matrix<double> Symmetric(Matrix<double> m) => (m + m.Transpose()) * 0.5;

    private static AnalysisStatistics Statistics(Vector<double> innovation, Matrix<double> s) =>
        new(innovation.ToArray(), s.Diagonal().ToArray(), innovation * (s.Inverse() * innovation));
}
