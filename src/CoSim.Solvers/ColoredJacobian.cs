namespace CoSim.Solvers;

/// <summary>
/// A difference-quotient Jacobian that perturbs several states in one right-hand-side call: states
/// whose columns share no row (no derivative depends on two of them) get the same color and are
/// perturbed together, so a Jacobian costs one call per color instead of one per state (Curtis,
/// Powell and Reid's idea). Colors come from a greedy coloring, columns with the most entries first.
/// A chain of n masses, each coupled to its neighbours, needs 6 colors for its 2n states.
/// </summary>
public sealed class ColoredJacobian
{
    private static readonly double SqrtUnitRoundoff = Math.Sqrt(Math.BitIncrement(1.0) - 1.0); // √(2^-52), as CVODE's own quotients

    private readonly int _n;
    private readonly int[][] _rowsOfColumn;
    private readonly int[][] _columnsOfColor;
    private readonly double[] _x, _fx, _increment;

    /// <summary>Colors the columns of an n×n Jacobian whose row i has nonzeros only at <c>sparsity[i]</c>.</summary>
    public ColoredJacobian(IReadOnlyList<int[]> sparsity, int n)
    {
        if (sparsity.Count != n) throw new ArgumentException($"sparsity has {sparsity.Count} rows for {n} states", nameof(sparsity));
        _n = n;
        var rows = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < n; i++)
            foreach (var j in sparsity[i].Distinct())
            {
                if (j < 0 || j >= n) throw new ArgumentException($"sparsity row {i} names state {j} of {n}", nameof(sparsity));
                rows[j].Add(i);
            }
        _rowsOfColumn = rows.Select(r => r.ToArray()).ToArray();

        // Greedy coloring: a column takes the smallest color that none of the columns sharing one of its rows has.
        var colorOf = new int[n];
        var colorsOfRow = Enumerable.Range(0, n).Select(_ => new HashSet<int>()).ToArray();
        var colors = new List<List<int>>();
        foreach (var j in Enumerable.Range(0, n).OrderByDescending(j => _rowsOfColumn[j].Length).ThenBy(j => j))
        {
            var color = 0;
            while (_rowsOfColumn[j].Any(i => colorsOfRow[i].Contains(color))) color++;
            colorOf[j] = color;
            foreach (var i in _rowsOfColumn[j]) colorsOfRow[i].Add(color);
            if (color == colors.Count) colors.Add([]);
            colors[color].Add(j);
        }
        _columnsOfColor = colors.Select(c => c.ToArray()).ToArray();
        _x = new double[n];
        _fx = new double[n];
        _increment = new double[n];
    }

    /// <summary>The columns (states) of each color: perturbed together.</summary>
    public IReadOnlyList<int[]> ColumnsOfColor => _columnsOfColor;

    /// <summary>The rows (derivatives) that column <paramref name="j"/> can change.</summary>
    public ReadOnlySpan<int> RowsOfColumn(int j) => _rowsOfColumn[j];

    /// <summary>Right-hand-side calls per Jacobian.</summary>
    public int Colors => _columnsOfColor.Length;

    /// <summary>Structural nonzeros of the Jacobian.</summary>
    public int Nonzeros => _rowsOfColumn.Sum(r => r.Length);

    /// <summary>
    /// Computes ∂f/∂x at (t, x) into <paramref name="jacobian"/> (column-major, n×n; entries outside
    /// the sparsity are zero), given fx = f(t, x). State j is perturbed by √ε·max(|x_j|, scale_j).
    /// </summary>
    public void Compute(IOdeSystem system, double t, ReadOnlySpan<double> x, ReadOnlySpan<double> fx, ReadOnlySpan<double> scale, Span<double> jacobian)
    {
        jacobian.Clear();
        x.CopyTo(_x);
        foreach (var columns in _columnsOfColor)
        {
            foreach (var j in columns)
            {
                var h = SqrtUnitRoundoff * Math.Max(Math.Abs(x[j]), scale[j]);
                _x[j] = x[j] + h;
                _increment[j] = _x[j] - x[j]; // the step actually taken, after rounding
            }
            system.Derivatives(t, _x, _fx);
            foreach (var j in columns)
            {
                _x[j] = x[j];
                var column = jacobian.Slice(j * _n, _n);
                foreach (var i in _rowsOfColumn[j]) column[i] = (_fx[i] - fx[i]) / _increment[j];
            }
        }
    }
}
