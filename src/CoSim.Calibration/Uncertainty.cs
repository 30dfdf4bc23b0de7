using System.Globalization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Calibration;

/// <summary>
/// Gauss-Newton uncertainty at an optimum: covariance <c>s²(JᵀJ)⁻¹</c> (s² = 1 when every fitted
/// output's sigma is known, else the residual variance Σr²/(m-p)), standard errors, Student-t 95 %
/// intervals, the correlation matrix, identifiability warnings, and confidence / prediction
/// half-widths for the fitted points. <c>JᵀJ</c> is inverted through the SVD of the Jacobian with
/// columns scaled by the parameters' sizes (relative sensitivities), so a direction the data do not
/// determine is seen, named, and given an infinite standard error instead of a huge number.
/// </summary>
public sealed class Uncertainty
{
    /// <summary>Singular values below this fraction of the largest are directions the data do not determine at all.</summary>
    private const double Singular = 1e-7;

    /// <summary>Below this fraction (condition number of JᵀJ above 1e8) the problem is near-singular and said so.</summary>
    private const double NearSingular = 1e-4;

    private Uncertainty(Matrix<double> covariance, double variance, int freedom, double t, string[] names, List<string> warnings, Matrix<double> jacobian)
    {
        Covariance = covariance;
        Variance = variance;
        DegreesOfFreedom = freedom;
        T95 = t;
        Names = names;
        Warnings = warnings;
        _jacobian = jacobian;
    }

    private readonly Matrix<double> _jacobian;

    /// <summary>Parameter names, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The covariance matrix (infinite where a direction is not determined).</summary>
    public Matrix<double> Covariance { get; }

    /// <summary>s²: 1 with known sigmas, else Σr²/(m-p).</summary>
    public double Variance { get; }

    /// <summary>m - p.</summary>
    public int DegreesOfFreedom { get; }

    /// <summary>The two-sided 95 % Student-t quantile for <see cref="DegreesOfFreedom"/>.</summary>
    public double T95 { get; }

    /// <summary>Identifiability and interval warnings, one line each.</summary>
    public List<string> Warnings { get; }

    /// <summary>Standard error of parameter <paramref name="j"/> (+inf when undetermined).</summary>
    public double StdErr(int j) => Math.Sqrt(Covariance[j, j]);

    /// <summary>Correlation of parameters <paramref name="i"/> and <paramref name="j"/> (NaN when either is undetermined).</summary>
    public double Correlation(int i, int j)
    {
        var c = Covariance[i, j] / Math.Sqrt(Covariance[i, i] * Covariance[j, j]);
        return double.IsFinite(c) ? Math.Clamp(c, -1, 1) : i == j ? 1 : double.NaN;
    }

    /// <summary>Analyses the optimum <paramref name="x"/> with weighted Jacobian <paramref name="jacobian"/> and residuals <paramref name="residuals"/>.</summary>
    public static Uncertainty Compute(Matrix<double> jacobian, double[] residuals, double[] x, IReadOnlyList<Unknown> unknowns, bool sigmaKnown)
    {
        var m = jacobian.RowCount;
        var p = jacobian.ColumnCount;
        var names = unknowns.Select(u => u.Name).ToArray();
        var warnings = new List<string>();
        var freedom = m - p;
        var variance = sigmaKnown ? 1 : freedom > 0 ? residuals.Sum(r => r * r) / freedom : double.NaN;
        if (freedom <= 0) warnings.Add($"{m} measured points for {p} parameters: no degrees of freedom left for uncertainty");
        var t = freedom > 0 ? StudentT.InvCDF(0, 1, freedom, 0.975) : double.NaN;

        // Relative sensitivities: columns scaled by the parameter's size (its range when it is 0).
        var scale = Enumerable.Range(0, p).Select(j => x[j] != 0 ? Math.Abs(x[j]) : unknowns[j].Spec.Upper - unknowns[j].Spec.Lower).ToArray();
        var scaled = jacobian.Clone();
        for (var j = 0; j < p; j++) scaled.SetColumn(j, scaled.Column(j) * scale[j]);
        // SVD of the thin QR's R (p x p): the same singular values and right vectors as the m x p Jacobian, without its m x m U.
        var svd = (m > p ? scaled.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).R : scaled).Svd(computeVectors: true);
        var s = svd.S;
        var v = svd.VT.Transpose();
        var largest = s.Count > 0 ? s[0] : 0;
        var covariance = Matrix<double>.Build.Dense(p, p);
        var undetermined = new bool[p];
        for (var k = 0; k < s.Count && k < p; k++)
        {
            if (largest == 0 || s[k] < Singular * largest)
            {
                for (var j = 0; j < p; j++)
                    if (Math.Abs(v[j, k]) > 0.1) undetermined[j] = true;
                continue;
            }
            var vk = v.Column(k);
            covariance += vk.OuterProduct(vk) / (s[k] * s[k]);
        }
        for (var i = 0; i < p; i++)
            for (var j = 0; j < p; j++)
                covariance[i, j] = undetermined[i] || undetermined[j] ? (i == j ? double.PositiveInfinity : double.NaN) : covariance[i, j] * scale[i] * scale[j] * variance;

        if (largest > 0)
            for (var k = 0; k < p; k++)
            {
                var sk = k < s.Count ? s[k] : 0;
                if (sk >= NearSingular * largest) continue;
                warnings.Add(TradeOff(v.Column(k), names, sk / largest));
            }
        var result = new Uncertainty(covariance, variance, freedom, t, names, warnings, jacobian);
        for (var i = 0; i < p; i++)
            for (var j = i + 1; j < p; j++)
            {
                var c = result.Correlation(i, j);
                if (Math.Abs(c) > 0.95)
                    warnings.Add($"{names[i]} and {names[j]} are correlated (r = {c.ToString("0.000", CultureInfo.InvariantCulture)}): the data determine mostly a combination of the two");
            }
        for (var j = 0; j < p; j++)
        {
            var width = 2 * t * result.StdErr(j);
            var range = unknowns[j].Spec.Upper - unknowns[j].Spec.Lower;
            if (!(width <= range))
                warnings.Add($"{names[j]}: its 95 % interval ({(double.IsFinite(width) ? "width " + width.ToString("G3", CultureInfo.InvariantCulture) : "unbounded")}) is wider than its bounds ({range.ToString("G3", CultureInfo.InvariantCulture)}): the data do not determine it");
        }
        return result;
    }

    /// <summary>95 % half-widths at every fitted point: of the fitted curve (confidence) and of a new measurement (prediction); <paramref name="scales"/> are the residual factors.</summary>
    public (double[] Confidence, double[] Prediction) Bands(IReadOnlyList<double> scales) =>
        Bands(_jacobian, Enumerable.Range(0, Names.Count).ToList(), scales, 0.95);

    /// <summary>
    /// Half-widths at <paramref name="level"/> (e.g. 0.9) of the curve and of a new measurement at the points of
    /// <paramref name="jacobian"/> (weighted residual Jacobian, one column per parameter in <paramref name="parameters"/>,
    /// which index this analysis' parameters): <c>t·sqrt(g C gᵀ)</c> and <c>t·sqrt(g C gᵀ + s²/scale²)</c>.
    /// </summary>
    public (double[] Confidence, double[] Prediction) Bands(Matrix<double> jacobian, IReadOnlyList<int> parameters, IReadOnlyList<double> scales, double level)
    {
        var m = jacobian.RowCount;
        var p = parameters.Count;
        var covariance = Matrix<double>.Build.Dense(p, p, (i, j) => Covariance[parameters[i], parameters[j]]);
        var t = DegreesOfFreedom > 0 ? StudentT.InvCDF(0, 1, DegreesOfFreedom, 0.5 + level / 2) : double.NaN;
        var confidence = new double[m];
        var prediction = new double[m];
        var jc = jacobian * covariance;
        for (var i = 0; i < m; i++)
        {
            var variance = 0.0;
            for (var j = 0; j < p; j++) variance += jc[i, j] * jacobian[i, j];
            var s2 = scales[i] * scales[i];
            confidence[i] = t * Math.Sqrt(variance / s2);
            prediction[i] = t * Math.Sqrt(variance / s2 + Variance / s2);
        }
        return (confidence, prediction);
    }

    // The direction the data barely see, in relative changes: two parameters with equal weights enter
    // as a product (opposite signs) or a ratio (same signs).
    private static string TradeOff(Vector<double> direction, string[] names, double ratio)
    {
        var max = direction.AbsoluteMaximum();
        var involved = Enumerable.Range(0, names.Length).Where(j => Math.Abs(direction[j]) >= 0.25 * max).ToList();
        var condition = ratio < Singular ? "singular" : "condition " + (1 / (ratio * ratio)).ToString("G2", CultureInfo.InvariantCulture);
        if (involved.Count == 2)
        {
            var (a, b) = (involved[0], involved[1]);
            var balance = Math.Abs(direction[a]) / Math.Abs(direction[b]);
            if (balance is > 0.8 and < 1.25)
                return Math.Sign(direction[a]) != Math.Sign(direction[b])
                    ? $"JᵀJ is near-singular ({condition}): {names[a]} and {names[b]} enter only as the product {names[a]}·{names[b]}; fix one of them or add data that separates them"
                    : $"JᵀJ is near-singular ({condition}): {names[a]} and {names[b]} enter only as the ratio {names[a]}/{names[b]}; fix one of them or add data that separates them";
        }
        var combination = string.Join(" ", involved.Select(j => $"{(direction[j] >= 0 ? "+" : "-")}{Math.Abs(direction[j]).ToString("0.00", CultureInfo.InvariantCulture)}·Δln {names[j]}"));
        return $"JᵀJ is near-singular ({condition}): {string.Join(", ", involved.Select(j => names[j]))} trade off (the fit barely changes along {combination})";
    }
}
