using System.Globalization;
using CoSim.Core;
using CoSim.Solvers;

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
/// Fixed-point iteration with relaxation first, Newton's method (<see cref="NewtonSolver"/>) on G(x) − x = 0
/// when that does not converge, and a <see cref="SimulationException"/> naming the loop when neither does.
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
        for (var j = 0; j < n; j++) x0[j] = loop.Unknowns[j].Component.Input(loop.Unknowns[j].Slot);
        Span<double> x = n <= 64 ? stackalloc double[n] : new double[n];
        Span<double> r = n <= 64 ? stackalloc double[n] : new double[n];
        x0.CopyTo(x);
        var equations = new LoopEquations(loop, options.Tolerance, time);

        var best = double.PositiveInfinity;
        var growing = 0;
        for (var k = 0; k < options.MaxIterations; k++)
        {
            Iterations++;
            equations.Residual(x, r);
            if (equations.Converged(x, r, out var size)) return;
            if (!double.IsFinite(size)) break;
            growing = size < best ? 0 : growing + 1;
            best = Math.Min(best, size);
            if (growing >= 8) break; // diverging: no use going on
            for (var j = 0; j < n; j++) x[j] += options.Relaxation * r[j];
        }
        NewtonSolves++;
        var newton = new NewtonSolver(n).Solve(equations, x0, options.NewtonMaxIterations);
        // Counted as before the shared solver: one iteration per residual judged inside the Newton loop.
        Iterations += Math.Min(newton.Checks, options.NewtonMaxIterations);
        if (newton.Status == NewtonStatus.Converged) return;
        throw new SimulationException(
            $"the algebraic loop {loop.Description} did not converge: fixed-point iteration ({options.MaxIterations} iterations, relaxation " +
            $"{options.Relaxation.ToString(CultureInfo.InvariantCulture)}) and Newton's method ({options.NewtonMaxIterations} iterations) both failed; " +
            $"last residual {newton.Size.ToString("G3", CultureInfo.InvariantCulture)}", operation: "algebraic loop", time: time);
    }

    /// <summary>G(x): write x to the loop's inputs, read the loop's outputs, transfer them through the connections.</summary>
    private static void Evaluate(AlgebraicLoop loop, ReadOnlySpan<double> x, Span<double> g, SimTime time)
    {
        for (var j = 0; j < x.Length; j++) loop.Unknowns[j].Component.SetInput(loop.Unknowns[j].Slot, x[j]);
        foreach (var c in loop.Components) c.WriteInputs();
        foreach (var c in loop.Components) c.ReadOutputs();
        for (var j = 0; j < x.Length; j++)
        {
            var (component, slot, s) = loop.Unknowns[j];
            g[j] = component.InputValue(slot, s.Factor * s.Source.Outputs[s.SourceSlot] + s.Offset, time);
        }
    }

    /// <summary>The loop as r(x) = G(x) − x = 0, for both methods; converged when |r_j| ≤ tolerance · (1 + |x_j|) for every unknown.</summary>
    private readonly struct LoopEquations(AlgebraicLoop loop, double tolerance, SimTime time) : INonlinearSystem
    {
        public void Residual(ReadOnlySpan<double> x, Span<double> r)
        {
            Evaluate(loop, x, r, time);
            for (var j = 0; j < x.Length; j++) r[j] -= x[j];
        }

        public bool Converged(ReadOnlySpan<double> x, ReadOnlySpan<double> r, out double size)
        {
            var converged = true;
            size = 0.0;
            for (var j = 0; j < x.Length; j++)
            {
                var d = Math.Abs(r[j]);
                if (!(d <= tolerance * (1 + Math.Abs(x[j])))) converged = false;
                size = Math.Max(size, double.IsNaN(d) ? double.PositiveInfinity : d);
            }
            return converged;
        }
    }
}
