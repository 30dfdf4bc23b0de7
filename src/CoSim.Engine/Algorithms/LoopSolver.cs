using System.Globalization;
using CoSim.Core;
using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Engine.Algorithms;

/// <summary>Settings for solving algebraic loops.</summary>
public sealed record LoopSolverOptions
{
    /// <summary>Relaxation of the fixed-point iteration: x ← x + ω (G(x) − x); 1 is plain substitution.</summary>
    public double Relaxation { get; init; } = 1.0;

    /// <summary>Iterations of the fixed-point method before falling back to Newton.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Converged when |G(x) − x| ≤ Tolerance · (1 + |x|) for every unknown.</summary>
    public double Tolerance { get; init; } = 1e-10;

    /// <summary>Iterations of Newton's method (finite-difference Jacobian) before giving up.</summary>
    public int NewtonMaxIterations { get; init; } = 30;
}

/// <summary>
/// Solves one algebraic loop at a communication point: the unknowns are the loop's connected inputs x,
/// G(x) writes them, reads the loop's outputs and computes the inputs again through the connections.
/// Fixed-point iteration with relaxation first, Newton's method on G(x) − x = 0 when that does not
/// converge, and a <see cref="SimulationException"/> naming the loop when neither does.
/// </summary>
public sealed class LoopSolver(LoopSolverOptions options)
{
    public long Solves;
    public long Iterations;
    public long NewtonSolves;

    public void Solve(AlgebraicLoop loop, SimTime time)
    {
        Solves++;
        var n = loop.Unknowns.Length;
        Span<double> x0 = n <= 64 ? stackalloc double[n] : new double[n];
        for (var j = 0; j < n; j++) x0[j] = loop.Unknowns[j].Component.Inputs[loop.Unknowns[j].Slot];
        Span<double> x = n <= 64 ? stackalloc double[n] : new double[n];
        Span<double> g = n <= 64 ? stackalloc double[n] : new double[n];
        x0.CopyTo(x);

        var best = double.PositiveInfinity;
        var growing = 0;
        for (var k = 0; k < options.MaxIterations; k++)
        {
            Iterations++;
            Evaluate(loop, x, g, time);
            var (converged, size) = Residual(x, g);
            if (converged) return;
            if (!double.IsFinite(size)) break;
            growing = size < best ? 0 : growing + 1;
            best = Math.Min(best, size);
            if (growing >= 8) break; // diverging: no use going on
            for (var j = 0; j < n; j++) x[j] += options.Relaxation * (g[j] - x[j]);
        }
        NewtonSolves++;
        if (Newton(loop, x0.ToArray(), time, out var residual)) return;
        throw new SimulationException(
            $"the algebraic loop {loop.Description} did not converge: fixed-point iteration ({options.MaxIterations} iterations, relaxation " +
            $"{options.Relaxation.ToString(CultureInfo.InvariantCulture)}) and Newton's method ({options.NewtonMaxIterations} iterations) both failed; " +
            $"last residual {residual.ToString("G3", CultureInfo.InvariantCulture)}", operation: "algebraic loop", time: time);
    }

    /// <summary>G(x): write x to the loop's inputs, read the loop's outputs, transfer them through the connections.</summary>
    private static void Evaluate(AlgebraicLoop loop, ReadOnlySpan<double> x, Span<double> g, SimTime time)
    {
        for (var j = 0; j < x.Length; j++) loop.Unknowns[j].Component.Inputs[loop.Unknowns[j].Slot] = x[j];
        foreach (var c in loop.Components) c.WriteInputs();
        foreach (var c in loop.Components) c.ReadOutputs(c.Outputs);
        for (var j = 0; j < x.Length; j++)
        {
            var (component, slot, s) = loop.Unknowns[j];
            g[j] = component.InputValue(slot, s.Factor * s.Source.Outputs[s.SourceSlot] + s.Offset, time);
        }
    }

    private (bool Converged, double Size) Residual(ReadOnlySpan<double> x, ReadOnlySpan<double> g)
    {
        var converged = true;
        var size = 0.0;
        for (var j = 0; j < x.Length; j++)
        {
            var d = Math.Abs(g[j] - x[j]);
            if (!(d <= options.Tolerance * (1 + Math.Abs(x[j])))) converged = false;
            size = Math.Max(size, double.IsNaN(d) ? double.PositiveInfinity : d);
        }
        return (converged, size);
    }

    private bool Newton(AlgebraicLoop loop, double[] x, SimTime time, out double residualSize)
    {
        var n = x.Length;
        var g = new double[n];
        var gp = new double[n];
        var xp = new double[n];
        residualSize = double.NaN;
        for (var k = 0; k < options.NewtonMaxIterations; k++)
        {
            Iterations++;
            Evaluate(loop, x, g, time);
            var (converged, size) = Residual(x, g);
            residualSize = size;
            if (converged) return true;
            if (!double.IsFinite(size)) return false;
            var r = Vector<double>.Build.Dense(n, j => g[j] - x[j]);
            var jacobian = Matrix<double>.Build.Dense(n, n);
            for (var j = 0; j < n; j++)
            {
                Array.Copy(x, xp, n);
                var delta = 1e-7 * Math.Max(1, Math.Abs(x[j]));
                xp[j] += delta;
                Evaluate(loop, xp, gp, time);
                for (var i = 0; i < n; i++)
                    jacobian[i, j] = ((gp[i] - xp[i]) - r[i]) / delta;
            }
            var dx = jacobian.Solve(-r);
            if (dx.Any(v => !double.IsFinite(v))) return false;
            for (var j = 0; j < n; j++) x[j] += dx[j];
        }
        Evaluate(loop, x, g, time);
        var last = Residual(x, g);
        residualSize = last.Size;
        return last.Converged;
    }
}
