using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Plugins.Kalman;

/// <summary>
/// The state of a Kalman filter: estimate x and its error covariance P, with the measurement update shared by
/// the linear and the extended filter (Joseph form, which keeps P symmetric and positive semi-definite).
/// </summary>
public abstract class KalmanFilterBase
{
    private protected KalmanFilterBase(Vector<double> x0, Matrix<double> p0, Matrix<double> r)
    {
        if (p0.RowCount != x0.Count || p0.ColumnCount != x0.Count) throw new ArgumentException($"P0 is {p0.RowCount}x{p0.ColumnCount}, the state has {x0.Count} elements");
        X = x0.Clone();
        P = p0.Clone();
        R = r;
    }

    /// <summary>State estimate.</summary>
    public Vector<double> X { get; set; }

    /// <summary>Error covariance of <see cref="X"/>.</summary>
    public Matrix<double> P { get; set; }

    /// <summary>Measurement noise covariance.</summary>
    public Matrix<double> R { get; }

    /// <summary>The gain of the last update.</summary>
    public Matrix<double>? Gain { get; private set; }

    /// <summary>The innovation z - h(x) of the last update.</summary>
    public Vector<double>? Innovation { get; private set; }

    /// <summary>Corrects the estimate with measurement <paramref name="z"/>, predicted by <paramref name="predicted"/> = h(x) with Jacobian <paramref name="h"/>.</summary>
    private protected void Correct(Vector<double> z, Vector<double> predicted, Matrix<double> h)
    {
        var y = z - predicted;
        var s = h * P * h.Transpose() + R;
        var k = P * h.Transpose() * s.Inverse();
        var i = Matrix<double>.Build.DenseIdentity(X.Count);
        var a = i - k * h;
        X += k * y;
        P = a * P * a.Transpose() + k * R * k.Transpose();
        Gain = k;
        Innovation = y;
    }

    /// <summary>A deep copy of x and P (for state save/restore).</summary>
    public (Vector<double> X, Matrix<double> P) Snapshot() => (X.Clone(), P.Clone());

    /// <summary>Returns to a snapshot (copied, so one snapshot can be restored again).</summary>
    public void Restore((Vector<double> X, Matrix<double> P) snapshot)
    {
        X = snapshot.X.Clone();
        P = snapshot.P.Clone();
    }
}

/// <summary>Linear Kalman filter: x' = F x + B u + w (cov Q), z = H x + v (cov R).</summary>
public sealed class LinearKalmanFilter(Matrix<double> f, Matrix<double> b, Matrix<double> h, Matrix<double> q, Matrix<double> r, Vector<double> x0, Matrix<double> p0)
    : KalmanFilterBase(x0, p0, r)
{
    /// <summary>Propagates estimate and covariance one step with input <paramref name="u"/>.</summary>
    public void Predict(Vector<double> u)
    {
        X = f * X + b * u;
        P = f * P * f.Transpose() + q;
    }

    /// <summary>Corrects with measurement <paramref name="z"/>.</summary>
    public void Update(Vector<double> z) => Correct(z, h * X, h);
}

/// <summary>
/// Extended Kalman filter whose model is given as C# functions: x' = f(x, u, dt) + w (cov Q(dt)), z = h(x) + v
/// (cov R). Jacobians are the given functions, or central finite differences of f and h when none is given.
/// </summary>
public sealed class ExtendedKalmanFilter : KalmanFilterBase
{
    private readonly Func<Vector<double>, Vector<double>, double, Vector<double>> _f;
    private readonly Func<Vector<double>, Vector<double>> _h;
    private readonly Func<Vector<double>, Vector<double>, double, Matrix<double>> _jf;
    private readonly Func<Vector<double>, Matrix<double>> _jh;
    private readonly Func<double, Matrix<double>> _q;

    /// <summary>A filter of model f, h with process noise <paramref name="q"/>(dt) and measurement noise <paramref name="r"/>.</summary>
    public ExtendedKalmanFilter(
        Func<Vector<double>, Vector<double>, double, Vector<double>> f, Func<Vector<double>, Vector<double>> h,
        Func<double, Matrix<double>> q, Matrix<double> r, Vector<double> x0, Matrix<double> p0,
        Func<Vector<double>, Vector<double>, double, Matrix<double>>? jacobianF = null, Func<Vector<double>, Matrix<double>>? jacobianH = null)
        : base(x0, p0, r)
    {
        _f = f;
        _h = h;
        _q = q;
        _jf = jacobianF ?? ((x, u, dt) => NumericJacobian(v => f(v, u, dt), x));
        _jh = jacobianH ?? (x => NumericJacobian(h, x));
    }

    /// <summary>Propagates over <paramref name="dt"/> with input <paramref name="u"/>: x = f(x, u, dt), P = F P F' + Q(dt).</summary>
    public void Predict(Vector<double> u, double dt)
    {
        var jacobian = _jf(X, u, dt);
        X = _f(X, u, dt);
        P = jacobian * P * jacobian.Transpose() + _q(dt);
    }

    /// <summary>Corrects with measurement <paramref name="z"/>.</summary>
    public void Update(Vector<double> z) => Correct(z, _h(X), _jh(X));

    /// <summary>Central differences, step scaled to each element.</summary>
    public static Matrix<double> NumericJacobian(Func<Vector<double>, Vector<double>> g, Vector<double> x)
    {
        var columns = new Vector<double>[x.Count];
        for (var j = 0; j < x.Count; j++)
        {
            var step = 1e-6 * Math.Max(1, Math.Abs(x[j]));
            var plus = x.Clone();
            var minus = x.Clone();
            plus[j] += step;
            minus[j] -= step;
            columns[j] = (g(plus) - g(minus)) / (2 * step);
        }
        return Matrix<double>.Build.DenseOfColumnVectors(columns);
    }
}
