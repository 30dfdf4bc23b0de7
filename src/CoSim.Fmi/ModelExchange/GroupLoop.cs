using CoSim.Core;
using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// An algebraic loop among a strongly coupled group's connections (direct feedthrough all the way round): the
/// connected values u solve u = g(u), where g writes u to the connected inputs and reads the transformed outputs.
/// <see cref="Solve"/> runs Newton's method (<see cref="NewtonSolver"/>) on r(u) = g(u) − u from the last solution,
/// converged when max|r| ≤ 1e-13·max(1, max|u|), and throws a <see cref="SimulationException"/> naming the loop
/// when it is not within <see cref="MaxIterations"/> steps or the Jacobian is singular.
/// </summary>
internal sealed class GroupLoop : INonlinearSystem
{
    /// <summary>Newton steps per solve before the loop counts as not converging.</summary>
    public const int MaxIterations = 50;

    private readonly string _group;
    private readonly GroupLink[] _links;
    private readonly string _description;
    private readonly NewtonSolver _newton;
    private readonly double[] _u;

    /// <summary>The loop over all of <paramref name="links"/> of group <paramref name="group"/>; <paramref name="description"/> names it in errors.</summary>
    public GroupLoop(string group, GroupLink[] links, string description)
    {
        _group = group;
        _links = links;
        _description = description;
        _newton = new NewtonSolver(links.Length);
        _u = new double[links.Length];
    }

    /// <summary>Newton iterations so far.</summary>
    public long Iterations => _newton.Iterations;

    /// <summary>Solves the loop and leaves its solution set on the inputs (at group time <paramref name="time"/>, for errors); true when any value changed.</summary>
    public bool Solve(double time)
    {
        var u = _u;
        for (var i = 0; i < u.Length; i++) u[i] = double.IsNaN(_links[i].Last) ? _links[i].Read() : _links[i].Last;
        var result = _newton.Solve(this, u, MaxIterations);
        if (result.Status == NewtonStatus.Singular)
            throw new SimulationException($"the algebraic loop {_description} has a singular Jacobian", _group, "algebraic loop", SimTime.FromSeconds(time));
        if (result.Status != NewtonStatus.Converged)
            throw new SimulationException($"the algebraic loop {_description} did not converge (residual {result.Size:G3} after {result.Steps} Newton iterations)",
                _group, "algebraic loop", SimTime.FromSeconds(time));
        var changed = false;
        for (var i = 0; i < u.Length; i++)
        {
            changed |= !u[i].Equals(_links[i].Last);
            _links[i].Last = u[i];
        }
        return changed;
    }

    /// <summary>Writes <paramref name="u"/> to the connected inputs and returns g(u) − u.</summary>
    public void Residual(ReadOnlySpan<double> u, Span<double> r)
    {
        for (var i = 0; i < _links.Length; i++) _links[i].Write(u[i]);
        for (var i = 0; i < _links.Length; i++) r[i] = _links[i].Read() - u[i];
    }

    public bool Converged(ReadOnlySpan<double> u, ReadOnlySpan<double> r, out double size)
    {
        size = 0.0;
        var scale = 1.0;
        for (var i = 0; i < r.Length; i++)
        {
            size = Math.Max(size, Math.Abs(r[i]));
            scale = Math.Max(scale, Math.Abs(u[i]));
        }
        return size <= 1e-13 * scale;
    }
}
