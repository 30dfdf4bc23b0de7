namespace CoSim.Solvers;

/// <summary>
/// Explicit (forward) Euler with a fixed step on the grid <c>t0 + n·h</c> (t0 = the last reset),
/// first order. Target times off the grid end a shorter step; events are located on the linear
/// interpolant between grid points. Meant for comparison with fixed-step exporters, not for accuracy.
/// </summary>
public sealed class Euler : ExplicitIntegrator
{
    private readonly double _h;
    private readonly double[] _k;
    private double _gridStart;

    public Euler(IOdeSystem system, double step, SolverOptions? options = null) : base(system, options ?? new SolverOptions())
    {
        if (!(step > 0) || !double.IsFinite(step)) throw new ArgumentOutOfRangeException(nameof(step), step, "the step must be positive");
        _h = step;
        _k = new double[N];
    }

    public override string Name => "euler";

    /// <summary>The fixed step [s].</summary>
    public double Step => _h;

    protected override void OnReset() => _gridStart = T;

    protected override void TakeStep(double tEnd)
    {
        F(T, X, _k);
        // The next grid point after T, computed from the grid start so that times do not drift.
        var n = Math.Floor((T - _gridStart) / _h * (1 + 1e-12) + 1e-9) + 1;
        var next = _gridStart + n * _h;
        TNew = next >= tEnd - 1e-9 * _h ? tEnd : next;
        var dt = TNew - T;
        for (var i = 0; i < N; i++) XNew[i] = X[i] + dt * _k[i];
    }

    protected override void Interpolate(double t, Span<double> x)
    {
        var dt = t - T;
        for (var i = 0; i < N; i++) x[i] = X[i] + dt * _k[i];
    }
}
