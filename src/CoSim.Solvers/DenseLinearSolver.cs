namespace CoSim.Solvers;

/// <summary>
/// Solves A·x = b for a dense square matrix A by Gaussian elimination with partial pivoting, in place and
/// without allocating: fill <see cref="Matrix"/> (row-major, element (i, j) at i·n + j), call <see cref="Solve"/>.
/// The pivot of column k is the first row at or below k of largest magnitude (a later row must be strictly
/// larger to win), so the same matrix always gives bit-identical results.
/// </summary>
public sealed class DenseLinearSolver
{
    /// <summary>A solver for <paramref name="dimension"/> unknowns.</summary>
    public DenseLinearSolver(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        Dimension = dimension;
        Matrix = new double[dimension * dimension];
    }

    /// <summary>The number of unknowns n.</summary>
    public int Dimension { get; }

    /// <summary>A, row-major (n·n elements); <see cref="Solve"/> overwrites it with its factors.</summary>
    public double[] Matrix { get; }

    /// <summary>
    /// Solves <see cref="Matrix"/>·x = <paramref name="rhs"/>; x replaces <paramref name="rhs"/>. False when a pivot is
    /// zero or not finite (A singular) or the solution is not finite; <paramref name="rhs"/> is then undefined.
    /// </summary>
    public bool Solve(Span<double> rhs)
    {
        var n = Dimension;
        var a = Matrix;
        if (rhs.Length != n) throw new ArgumentException($"the right-hand side has {rhs.Length} elements, the matrix {n} rows", nameof(rhs));
        for (var k = 0; k < n; k++)
        {
            var p = k;
            for (var i = k + 1; i < n; i++)
                if (Math.Abs(a[i * n + k]) > Math.Abs(a[p * n + k])) p = i;
            if (a[p * n + k] == 0 || !double.IsFinite(a[p * n + k])) return false;
            if (p != k)
            {
                for (var j = 0; j < n; j++) (a[k * n + j], a[p * n + j]) = (a[p * n + j], a[k * n + j]);
                (rhs[k], rhs[p]) = (rhs[p], rhs[k]);
            }
            for (var i = k + 1; i < n; i++)
            {
                var f = a[i * n + k] / a[k * n + k];
                if (f == 0) continue;
                for (var j = k; j < n; j++) a[i * n + j] -= f * a[k * n + j];
                rhs[i] -= f * rhs[k];
            }
        }
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = rhs[i];
            for (var j = i + 1; j < n; j++) sum -= a[i * n + j] * rhs[j];
            rhs[i] = sum / a[i * n + i];
            if (!double.IsFinite(rhs[i])) return false;
        }
        return true;
    }
}
