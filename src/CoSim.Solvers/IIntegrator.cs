namespace CoSim.Solvers;

/// <summary>Why <see cref="IIntegrator.Advance"/> returned.</summary>
public enum StopReason
{
    /// <summary>The target time was reached.</summary>
    ReachedTarget,
    /// <summary>An event indicator changed sign; the integrator stopped just past the root (see <see cref="IIntegrator.RootsFound"/>).</summary>
    StateEvent,
    /// <summary><see cref="IOdeSystem.CompletedStep"/> asked for event mode.</summary>
    StepEvent,
    /// <summary><see cref="IOdeSystem.CompletedStep"/> asked to end the simulation.</summary>
    Terminate,
}

/// <summary>Outcome of one <see cref="IIntegrator.Advance"/>: why it stopped and at which time.</summary>
public readonly record struct IntegrationResult(StopReason Reason, double Time);

/// <summary>
/// Work counters of an integrator, summed over every <see cref="IIntegrator.Reset"/> since it was created.
/// </summary>
public readonly record struct IntegratorStatistics
{
    /// <summary>Accepted steps.</summary>
    public long Steps { get; init; }
    /// <summary>Steps rejected by the error test (or, for CVODE, also by nonlinear convergence failures).</summary>
    public long RejectedSteps { get; init; }
    /// <summary>Evaluations of the right-hand side (including those for finite-difference Jacobians).</summary>
    public long FunctionEvaluations { get; init; }
    /// <summary>Evaluations of the event indicators (detection and root finding).</summary>
    public long EventIndicatorEvaluations { get; init; }
    /// <summary>State events located.</summary>
    public long StateEvents { get; init; }
    /// <summary>Jacobian evaluations (CVODE only; 0 for explicit methods).</summary>
    public long JacobianEvaluations { get; init; }

    public static IntegratorStatistics operator +(IntegratorStatistics a, IntegratorStatistics b) => new()
    {
        Steps = a.Steps + b.Steps,
        RejectedSteps = a.RejectedSteps + b.RejectedSteps,
        FunctionEvaluations = a.FunctionEvaluations + b.FunctionEvaluations,
        EventIndicatorEvaluations = a.EventIndicatorEvaluations + b.EventIndicatorEvaluations,
        StateEvents = a.StateEvents + b.StateEvents,
        JacobianEvaluations = a.JacobianEvaluations + b.JacobianEvaluations,
    };

    public override string ToString() =>
        $"{Steps} steps, {RejectedSteps} rejected, {FunctionEvaluations} f-evals, {EventIndicatorEvaluations} g-evals, " +
        $"{StateEvents} state events, {JacobianEvaluations} Jacobians";
}

/// <summary>
/// Integrates an <see cref="IOdeSystem"/> from its current point towards a target time.
///
/// Call order:
/// <code>
///   Reset(t0, x0)
///   ( Advance(tEnd)                         -- stops at tEnd, at the first state event, or at a step event
///   | AdvanceFreely(tOut, tStop)            -- the same, interpolating at tOut and stepping on towards tStop
///     [ handle the event; Reset(t, x) ] )*  -- after any discontinuity of x or f
///   Dispose
/// </code>
/// Time events are the caller's: it passes the event time as <c>tEnd</c>, which is then reached
/// exactly (no step crosses a target time). Failures (step size too small, too much work, a
/// solver failure) throw <see cref="CoSim.Core.SimulationException"/> naming the integrator and the time.
/// </summary>
public interface IIntegrator : IDisposable
{
    /// <summary>Short name for messages and reports, e.g. "cvode-bdf".</summary>
    string Name { get; }

    /// <summary>How an implicit method obtains its Jacobian, for reports; null for explicit methods.</summary>
    string? Jacobian => null;

    /// <summary>The time the integrator reached.</summary>
    double Time { get; }

    /// <summary>The state at <see cref="Time"/> (valid until the next call).</summary>
    ReadOnlySpan<double> State { get; }

    /// <summary>
    /// After a <see cref="StopReason.StateEvent"/>: per indicator, +1 where it crossed zero upwards,
    /// -1 where downwards, 0 where it did not cross. All zero otherwise.
    /// </summary>
    ReadOnlySpan<int> RootsFound { get; }

    IntegratorStatistics Statistics { get; }

    /// <summary>(Re)starts at (<paramref name="t"/>, <paramref name="x"/>), forgetting step-size history.</summary>
    void Reset(double t, ReadOnlySpan<double> x);

    /// <summary>Integrates towards <paramref name="tEnd"/> (≥ <see cref="Time"/>).</summary>
    IntegrationResult Advance(double tEnd);

    /// <summary>
    /// Integrates towards the output time <paramref name="tOut"/> without stopping there: the integrator takes the
    /// steps its error control allows, possibly past <paramref name="tOut"/> but never past <paramref name="tStop"/>
    /// (≥ <paramref name="tOut"/>; a time event or the stop time; +∞ for none), and gives the solution at
    /// <paramref name="tOut"/> from its interpolant (dense output): <see cref="Time"/> and <see cref="State"/> are then
    /// the output point while the integrator goes on from where it stepped. State events are located as by
    /// <see cref="Advance"/>. Only for a system whose right-hand side does not change at <paramref name="tOut"/>
    /// (the caller <see cref="Reset"/>s after a change). An integrator without an interpolant, or a system that needs
    /// <see cref="IOdeSystem.CompletedStep"/>, stops at <paramref name="tOut"/> as <see cref="Advance"/> does (the default).
    /// </summary>
    IntegrationResult AdvanceFreely(double tOut, double tStop) => Advance(tOut);
}
