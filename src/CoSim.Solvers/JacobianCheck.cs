using CoSim.Core;

namespace CoSim.Solvers;

/// <summary>
/// Where a system's own Jacobian (an FMU's directional derivatives) disagrees with difference quotients at the
/// first Jacobian of a run: the first entry out of tolerance, by row (derivative) and column (state).
/// </summary>
/// <param name="Time">The time of that Jacobian.</param>
/// <param name="Row">The derivative's index among the system's states.</param>
/// <param name="Column">The state's index.</param>
/// <param name="Provided">∂f_row/∂x_column as the system computed it.</param>
/// <param name="Differences">The same entry from difference quotients.</param>
/// <param name="Fallback">What the integrator uses instead, e.g. "colored differences (1 colors for 72 states)".</param>
public sealed record JacobianMismatch(double Time, int Row, int Column, double Provided, double Differences, string Fallback)
{
    /// <summary>e.g. "at t = 0: ∂f3/∂x3 = 4 from the system, -4 from difference quotients".</summary>
    public override string ToString() =>
        FormattableString.Invariant($"at t = {Time:G6}: ∂f{Row}/∂x{Column} = {Provided:G6} from the system, {Differences:G6} from difference quotients");
}

/// <summary>
/// The check <see cref="JacobianStrategy.Auto"/> makes before it trusts a system's own Jacobian: exporters ship
/// directional derivatives that are wrong, or that corrupt memory (issue 21), so auto uses them only on systems
/// large enough for them to pay (<see cref="DirectionalMinimumStates"/>), and only after the first Jacobian agreed
/// with difference quotients entry by entry.
/// </summary>
public static class JacobianCheck
{
    /// <summary>
    /// The fewest states for which auto uses a system's own Jacobian. Below it difference quotients are as cheap:
    /// bench/CoSim.StrongBench (docs/algorithms.md, "Jacobian strategies") measured the directional path slower than
    /// dense differences on 4 and 16 states, slower than colored differences on 64 and faster only from 128 states.
    /// </summary>
    public const int DirectionalMinimumStates = 64;

    // Per entry: |provided - differences| ≤ Relative·max(|provided|, |differences|) + Scaled·(largest entry in its row
    // or column) + the quotient's own rounding error. A difference quotient with step √ε·|x| is good to ~1e-8
    // relative in the column's scale for smooth f, so 1e-3 leaves room for curvature and still catches a wrong
    // sign, factor or index, which is what exporters get wrong.
    private const double Relative = 1e-3, Scaled = 1e-5, Rounding = 1e-6;

    /// <summary>The strategy, the coloring of the differences (also an unchecked provided Jacobian's fallback) and whether to check a provided one.</summary>
    internal static (JacobianStrategy, ColoredJacobian?, bool Check) Choose(IOdeSystem system, JacobianStrategy wanted)
    {
        var n = system.StateCount;
        ColoredJacobian? Colored() => system.JacobianSparsity is { } sparsity ? new ColoredJacobian(sparsity, n) : null;
        switch (wanted)
        {
            case JacobianStrategy.DenseDifferences:
                return (wanted, null, false);
            case JacobianStrategy.Provided:
                return system.ProvidesJacobian
                    ? (wanted, null, false)
                    : throw new InputException("Jacobian 'provided' was asked for, but the system does not compute its Jacobian (no directional derivatives)");
            case JacobianStrategy.ColoredDifferences:
                return Colored() is { } c
                    ? (wanted, c, false)
                    : throw new InputException("Jacobian 'colored' was asked for, but the system's sparsity is unknown (no dependencies in its model structure)");
            default:
                var colored = Colored() is { } useful && useful.Colors < n ? useful : null;
                if (system.ProvidesJacobian && n >= DirectionalMinimumStates) return (JacobianStrategy.Provided, colored, true);
                return colored != null ? (JacobianStrategy.ColoredDifferences, colored, false) : (JacobianStrategy.DenseDifferences, null, false);
        }
    }

    /// <summary>
    /// Compares <paramref name="provided"/> (column-major n×n) with difference quotients at (t, x), which it writes
    /// into <paramref name="differences"/> (colored on <paramref name="colored"/>'s sparsity when given, else dense).
    /// Returns the first entry out of tolerance, or null when they agree; <paramref name="rhsCalls"/>: the
    /// right-hand-side calls it made.
    /// </summary>
    public static (int Row, int Column)? Compare(IOdeSystem system, double t, ReadOnlySpan<double> x, ReadOnlySpan<double> fx, ReadOnlySpan<double> scale,
        ReadOnlySpan<double> provided, ColoredJacobian? colored, Span<double> differences, out int rhsCalls)
    {
        var n = x.Length;
        if (colored != null)
        {
            colored.Compute(system, t, x, fx, scale, differences);
            rhsCalls = colored.Colors;
        }
        else
        {
            DenseDifferences(system, t, x, fx, scale, differences);
            rhsCalls = n;
        }
        var rowMax = new double[n];
        var columnMax = new double[n];
        for (var j = 0; j < n; j++)
        for (var i = 0; i < n; i++)
        {
            var size = Math.Max(Math.Abs(provided[i + j * n]), Math.Abs(differences[i + j * n]));
            rowMax[i] = Math.Max(rowMax[i], size);
            columnMax[j] = Math.Max(columnMax[j], size);
        }
        for (var j = 0; j < n; j++)
        for (var i = 0; i < n; i++)
        {
            double p = provided[i + j * n], d = differences[i + j * n];
            if (double.IsNaN(p) || double.IsInfinity(p)) return (i, j);
            var tolerance = Relative * Math.Max(Math.Abs(p), Math.Abs(d)) + Scaled * Math.Max(rowMax[i], columnMax[j])
                + Rounding * Math.Abs(fx[i]) / Math.Max(Math.Abs(x[j]), scale[j]);
            if (Math.Abs(p - d) > tolerance) return (i, j);
        }
        return null;
    }

    /// <summary>One-sided difference quotients, one right-hand-side call per state, step √ε·max(|x_j|, scale_j) as <see cref="ColoredJacobian"/>.</summary>
    public static void DenseDifferences(IOdeSystem system, double t, ReadOnlySpan<double> x, ReadOnlySpan<double> fx, ReadOnlySpan<double> scale, Span<double> jacobian)
    {
        var n = x.Length;
        var perturbed = x.ToArray();
        var f = new double[n];
        var sqrtEpsilon = Math.Sqrt(Math.BitIncrement(1.0) - 1.0);
        for (var j = 0; j < n; j++)
        {
            perturbed[j] = x[j] + sqrtEpsilon * Math.Max(Math.Abs(x[j]), scale[j]);
            var step = perturbed[j] - x[j];
            system.Derivatives(t, perturbed, f);
            perturbed[j] = x[j];
            for (var i = 0; i < n; i++) jacobian[i + j * n] = (f[i] - fx[i]) / step;
        }
    }
}
