namespace CoSim.Core;

/// <summary>
/// A component whose continuous states can be read and set during a run (e.g. a model-exchange FMU:
/// fmi2/fmi3 Get/SetContinuousStates), for an estimator that corrects a running model from measurements.
/// Valid after <see cref="IComponent.ExitInitialization"/>, between steps; a set takes effect from the
/// component's current time (an integrator restarts there).
/// </summary>
public interface IContinuousStateAccess
{
    /// <summary>The states' names, in the order of the state vector (for an FMU: the variables the derivatives differentiate).</summary>
    IReadOnlyList<string> ContinuousStateNames { get; }

    /// <summary>Reads the states into <paramref name="states"/> (one per name).</summary>
    void GetContinuousStates(Span<double> states);

    /// <summary>Sets the states from <paramref name="states"/> (one per name) at the component's current time.</summary>
    void SetContinuousStates(ReadOnlySpan<double> states);
}
