using CoSim.Solvers.Cvode;

namespace CoSim.Solvers;

/// <summary>The integration methods CoSim offers.</summary>
public enum SolverKind
{
    /// <summary>Explicit Euler with a fixed step (<see cref="SolverOptions.FixedStep"/>), as simple fixed-step exporters do.</summary>
    Euler,
    /// <summary>Dormand-Prince 5(4), adaptive, explicit: for non-stiff problems.</summary>
    DormandPrince54,
    /// <summary>SUNDIALS CVODE, variable order: BDF for stiff problems or Adams (<see cref="SolverOptions.CvodeMethod"/>).</summary>
    Cvode,
}

/// <summary>CVODE's linear multistep family.</summary>
public enum CvodeMethod
{
    /// <summary>Backward differentiation formulas, orders 1-5: stiff problems.</summary>
    Bdf,
    /// <summary>Adams-Moulton, orders 1-12: non-stiff problems.</summary>
    Adams,
}

/// <summary>How an implicit integrator (CVODE BDF) obtains the Jacobian ∂f/∂x for its Newton iteration.</summary>
public enum JacobianStrategy
{
    /// <summary>
    /// The cheapest the system allows, trusting no one blindly: <see cref="Provided"/> when the system computes
    /// its Jacobian and has at least <see cref="JacobianCheck.DirectionalMinimumStates"/> states (below that it does
    /// not pay), and only after its first Jacobian agreed with difference quotients (else a fallback, reported);
    /// otherwise <see cref="ColoredDifferences"/> when the sparsity needs fewer right-hand-side calls than there
    /// are states, else <see cref="DenseDifferences"/>.
    /// </summary>
    Auto,

    /// <summary>CVODE's own difference quotients: one right-hand-side call per state.</summary>
    DenseDifferences,

    /// <summary>
    /// Difference quotients on groups of structurally independent states (a greedy coloring of the
    /// columns): one right-hand-side call per color. Needs <see cref="IOdeSystem.JacobianSparsity"/>.
    /// </summary>
    ColoredDifferences,

    /// <summary>The system's own <see cref="IOdeSystem.Jacobian"/> (e.g. FMU directional derivatives).</summary>
    Provided,
}

/// <summary>
/// How to integrate. Tolerances apply per state as <c>|error_i| ≤ rtol·|x_i| + atol_i</c>, with
/// <c>atol_i = AbsoluteTolerance</c> when given, else <c>rtol · nominal_i</c>.
/// </summary>
public sealed record SolverOptions
{
    public SolverKind Kind { get; init; } = SolverKind.Cvode;

    public CvodeMethod CvodeMethod { get; init; } = CvodeMethod.Bdf;

    /// <summary>Relative tolerance; null: the experiment's tolerance when there is one, else 1e-6.</summary>
    public double? RelativeTolerance { get; init; }

    /// <summary>Absolute tolerance for every state; null: relative tolerance × the state's nominal value.</summary>
    public double? AbsoluteTolerance { get; init; }

    /// <summary>Largest step the adaptive methods take [s]; null: unlimited.</summary>
    public double? MaxStep { get; init; }

    /// <summary>First step of the adaptive methods [s]; null: chosen by the method.</summary>
    public double? InitialStep { get; init; }

    /// <summary>
    /// Step of <see cref="SolverKind.Euler"/> [s] (default 1e-3). Setting it for
    /// <see cref="SolverKind.DormandPrince54"/> switches off error control (fixed-step RK5).
    /// </summary>
    public double? FixedStep { get; init; }

    /// <summary>How CVODE BDF/Adams gets its Jacobian (ignored by the explicit methods).</summary>
    public JacobianStrategy Jacobian { get; init; } = JacobianStrategy.Auto;

    /// <summary>Width of the time interval to which state events are located [s].</summary>
    public double EventTolerance { get; init; } = 1e-10;

    /// <summary>
    /// Stop the integrator at every communication point instead of stepping freely and interpolating the outputs
    /// (<see cref="IIntegrator.AdvanceFreely"/>): the behaviour before dense output, kept to compare against it.
    /// </summary>
    public bool StopAtOutputs { get; init; }

    /// <summary>Most steps one <see cref="IIntegrator.Advance"/> may take before failing with "too much work".</summary>
    public long MaxStepsPerAdvance { get; init; } = 1_000_000;

    /// <summary>The relative tolerance in force: <see cref="RelativeTolerance"/>, else <paramref name="fallback"/>, else 1e-6.</summary>
    public double ResolveRelativeTolerance(double? fallback = null) => RelativeTolerance ?? fallback ?? 1e-6;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        static void Positive(double? v, string name)
        {
            if (v is { } x && !(x > 0 && double.IsFinite(x)))
                throw new ArgumentException($"{name} must be a positive finite number, not {x}", name);
        }
        Positive(RelativeTolerance, nameof(RelativeTolerance));
        Positive(AbsoluteTolerance, nameof(AbsoluteTolerance));
        Positive(MaxStep, nameof(MaxStep));
        Positive(InitialStep, nameof(InitialStep));
        Positive(FixedStep, nameof(FixedStep));
        Positive(EventTolerance, nameof(EventTolerance));
        if (MaxStepsPerAdvance <= 0) throw new ArgumentException("MaxStepsPerAdvance must be positive", nameof(MaxStepsPerAdvance));
    }
}

/// <summary>Creates integrators from <see cref="SolverOptions"/>.</summary>
public static class Solver
{
    /// <summary>
    /// An integrator of the chosen kind for <paramref name="system"/>; <paramref name="relativeToleranceFallback"/>
    /// is used when the options give none (e.g. the experiment's tolerance). Call <see cref="IIntegrator.Reset"/> before the first Advance.
    /// </summary>
    public static IIntegrator Create(IOdeSystem system, SolverOptions options, double? relativeToleranceFallback = null)
    {
        options.Validate();
        var rtol = options.ResolveRelativeTolerance(relativeToleranceFallback);
        return options.Kind switch
        {
            SolverKind.Euler => new Euler(system, options.FixedStep ?? 1e-3, options),
            SolverKind.DormandPrince54 => new DormandPrince54(system, options, rtol),
            SolverKind.Cvode => new CvodeIntegrator(system, options, rtol),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown solver kind"),
        };
    }

    /// <summary>Absolute tolerances per state from the options and the system's nominals.</summary>
    internal static double[] AbsoluteTolerances(IOdeSystem system, SolverOptions options, double rtol)
    {
        var atol = new double[system.StateCount];
        if (options.AbsoluteTolerance is { } a)
        {
            atol.AsSpan().Fill(a);
            return atol;
        }
        system.Nominals(atol);
        for (var i = 0; i < atol.Length; i++)
            atol[i] = rtol * (atol[i] is > 0 and < double.PositiveInfinity ? atol[i] : 1.0);
        return atol;
    }
}
