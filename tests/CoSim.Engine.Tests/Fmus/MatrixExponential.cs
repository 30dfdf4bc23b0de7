namespace CoSim.Engine.Tests.Fmus;

/// <summary>
/// exp(M t) by scaling and squaring of a 24-term Taylor series: the exact solution x(t) = exp(A t) x(0)
/// of the linear split oscillators and chains, independent of any FMU or integrator (exact to rounding
/// for the small, well-scaled matrices of these tests).
/// </summary>
internal static class MatrixExponential
{
    public static double[,] Of(double[,] m, double t)
    {
        var n = m.GetLength(0);
        var norm = Enumerable.Range(0, n).Max(i => Enumerable.Range(0, n).Sum(j => Math.Abs(m[i, j] * t)));
        var squarings = Math.Max(0, (int)Math.Ceiling(Math.Log2(norm / 0.25)));
        var scale = t / Math.Pow(2, squarings);
        var result = new double[n, n];
        var term = new double[n, n];
        for (var i = 0; i < n; i++) result[i, i] = term[i, i] = 1;
        for (var k = 1; k <= 24; k++)
        {
            term = Multiply(term, m, scale / k);
            for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                result[i, j] += term[i, j];
        }
        for (var s = 0; s < squarings; s++) result = Multiply(result, result, 1);
        return result;
    }

    private static double[,] Multiply(double[,] a, double[,] b, double factor)
    {
        var n = a.GetLength(0);
        var c = new double[n, n];
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        {
            var sum = 0.0;
            for (var k = 0; k < n; k++) sum += a[i, k] * b[k, j];
            c[i, j] = sum * factor;
        }
        return c;
    }
}
