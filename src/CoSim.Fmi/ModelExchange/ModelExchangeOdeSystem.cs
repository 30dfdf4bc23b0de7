using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// What the ODE of one model-exchange FMU (<see cref="FmuOdeSystem"/>) and that of a strongly coupled group
/// (<see cref="GroupOdeSystem"/>) share: every evaluation first sets (t, x) on the FMU(s) with <see cref="Apply"/>
/// (skipped where unchanged), then reads derivatives or event indicators; the state nominals are kept for the
/// integrator; the Jacobian's sparsity and directional derivatives come from a <see cref="GroupJacobian"/>; an
/// event indicator that is exactly 0 is passed on as <see cref="ZeroIndicator"/> (see <see cref="FmuOdeSystem"/>).
/// </summary>
internal abstract class ModelExchangeOdeSystem : IOdeSystem
{
    /// <summary>What an indicator that is exactly ±0 is reported as: in the z ≤ 0 domain, and large enough
    /// that a product with any indicator value of ordinary size (CVODE tests g_lo·g_hi &lt; 0) does not underflow.</summary>
    public const double ZeroIndicator = -1e-150;

    /// <summary>The states' nominal values (1 until read), one per integrator state.</summary>
    private protected double[] NominalValues = [];

    /// <summary>Sparsity and directional derivatives of the Jacobian, when known.</summary>
    private protected GroupJacobian? JacobianSource;

    public int StateCount { get; private protected set; } = 1;
    public int EventIndicatorCount { get; private protected set; }
    public bool NeedsCompletedStep { get; private protected set; }

    /// <summary>Sets time and states in the FMU(s), unless they are the ones set last.</summary>
    public abstract void Apply(double t, ReadOnlySpan<double> x);

    /// <summary>Forgets what was set last (after event mode, where an FMU may have changed its states).</summary>
    public abstract void Forget();

    /// <summary>Reads the derivatives at the point set last (0 for the dummy state of a system without states).</summary>
    private protected abstract void ReadDerivatives(Span<double> dx);

    /// <summary>Reads the event indicators at the point set last.</summary>
    private protected abstract void ReadEventIndicators(Span<double> g);

    public abstract StepAction CompletedStep(double t, ReadOnlySpan<double> x);

    public void Derivatives(double t, ReadOnlySpan<double> x, Span<double> dx)
    {
        Apply(t, x);
        ReadDerivatives(dx);
    }

    public void EventIndicators(double t, ReadOnlySpan<double> x, Span<double> g)
    {
        Apply(t, x);
        ReadEventIndicators(g);
        for (var i = 0; i < g.Length; i++)
            if (g[i] == 0) g[i] = ZeroIndicator;
    }

    public void Nominals(Span<double> nominals) => NominalValues.CopyTo(nominals);

    /// <summary>Directional-derivative calls the Jacobians made so far.</summary>
    public long DirectionalDerivativeCalls => JacobianSource?.Calls ?? 0;

    public IReadOnlyList<int[]>? JacobianSparsity => JacobianSource?.Sparsity;

    public bool ProvidesJacobian => JacobianSource?.Directional == true;

    public void Jacobian(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> fx, Span<double> jacobian)
    {
        Apply(t, x);
        JacobianSource!.Compute(jacobian);
    }

    /// <summary>Warns, naming the FMU whose directional derivatives gave the wrong entry (<see cref="GroupJacobian.Reject"/>).</summary>
    public void JacobianRejected(JacobianMismatch mismatch) => JacobianSource?.Reject(mismatch);
}
