namespace CoSim.Solvers;

/// <summary>What an <see cref="IOdeSystem"/> asks of the integrator after a completed step.</summary>
public enum StepAction
{
    /// <summary>Go on integrating.</summary>
    Continue,
    /// <summary>Stop here: the system has a step event (FMI <c>enterEventMode</c> after a completed integrator step).</summary>
    EnterEventMode,
    /// <summary>Stop here: the system asks to end the simulation.</summary>
    Terminate,
}

/// <summary>
/// An ordinary differential equation with event indicators, <c>dx/dt = f(t, x)</c>, independent of FMI.
/// A state event happens where an event indicator <c>g_i(t, x)</c> changes sign; the integrator stops
/// there so that the owner can handle the event and restart it (<see cref="IIntegrator.Reset"/>).
///
/// Call order seen by the system: any number of <see cref="Derivatives"/> and
/// <see cref="EventIndicators"/> calls at trial points (not necessarily increasing in time), and
/// <see cref="CompletedStep"/> once after every accepted step, with the accepted point.
/// Implementations may throw; the integrator stops and passes the exception on.
/// </summary>
public interface IOdeSystem
{
    /// <summary>Number of continuous states (at least 1).</summary>
    int StateCount { get; }

    /// <summary>Number of event indicators (0 when none).</summary>
    int EventIndicatorCount { get; }

    /// <summary>Computes <paramref name="dx"/> = f(<paramref name="t"/>, <paramref name="x"/>).</summary>
    void Derivatives(double t, ReadOnlySpan<double> x, Span<double> dx);

    /// <summary>Computes the event indicators at (<paramref name="t"/>, <paramref name="x"/>).</summary>
    void EventIndicators(double t, ReadOnlySpan<double> x, Span<double> g);

    /// <summary>Nominal magnitudes of the states, used to scale absolute tolerances; 1 by default.</summary>
    void Nominals(Span<double> nominals) => nominals.Fill(1.0);

    /// <summary>Called after every accepted step at the step's end point; may stop the integration.</summary>
    StepAction CompletedStep(double t, ReadOnlySpan<double> x) => StepAction.Continue;

    /// <summary>Whether <see cref="CompletedStep"/> must be called (false lets CVODE run several steps per call).</summary>
    bool NeedsCompletedStep => false;

    /// <summary>
    /// The structure of the Jacobian ∂f/∂x: element i lists the states j whose change can change
    /// derivative i (∂f_i/∂x_j possibly nonzero). Null (the default): unknown, every derivative may
    /// depend on every state. Lets an implicit integrator perturb several states per right-hand-side
    /// call (<see cref="JacobianStrategy.ColoredDifferences"/>).
    /// </summary>
    IReadOnlyList<int[]>? JacobianSparsity => null;

    /// <summary>Whether <see cref="Jacobian"/> computes ∂f/∂x itself (e.g. from an FMU's directional derivatives).</summary>
    bool ProvidesJacobian => false;

    /// <summary>
    /// Computes the Jacobian ∂f/∂x at (<paramref name="t"/>, <paramref name="x"/>) into
    /// <paramref name="jacobian"/>, column-major (element (i, j) at <c>i + j·n</c>), given
    /// <paramref name="fx"/> = f(t, x). Called only when <see cref="ProvidesJacobian"/> is true.
    /// </summary>
    void Jacobian(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> fx, Span<double> jacobian) =>
        throw new NotSupportedException("this system does not compute its Jacobian");

    /// <summary>
    /// Told once when <see cref="JacobianStrategy.Auto"/> found <see cref="Jacobian"/> disagreeing with difference
    /// quotients at its first call and stopped using it (e.g. to warn naming the FMU whose derivatives are wrong).
    /// </summary>
    void JacobianRejected(JacobianMismatch mismatch) { }
}
