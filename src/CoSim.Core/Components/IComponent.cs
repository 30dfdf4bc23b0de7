namespace CoSim.Core;

/// <summary>
/// The one contract every stepped thing implements: an FMU (co-simulation or model exchange), a
/// C# plugin, a script component. The master algorithm never knows which kind it steps.
///
/// Call order:
/// <code>
///   Instantiate
///   (Set* of parameters and start values)*
///   EnterInitialization(start, stop)
///   (Set* inputs / Read* outputs)*          -- initial values, algebraic loops
///   ExitInitialization
///   ( (Write inputs)* Step(t, h) (Read outputs)* )*
///   Terminate                               -- only after a successful start
///   Dispose                                 -- always; also after any failure
/// </code>
/// Errors are reported by throwing <see cref="SimulationException"/> (or a subclass) that names
/// the component, the operation and the time; a step the component declines is a <see cref="StepResult"/>,
/// not an exception.
/// </summary>
public interface IComponent : IDisposable
{
    /// <summary>Instance name, unique within a system.</summary>
    string Name { get; }

    /// <summary>All variables the component exposes; <see cref="ComponentVariable.Index"/> is the position here.</summary>
    IReadOnlyList<ComponentVariable> Variables { get; }

    /// <summary>
    /// Direct feedthrough and physical unit definitions; a component that does not say gets
    /// <see cref="ComponentStructure.Opaque"/> (every output depends on every input).
    /// </summary>
    ComponentStructure Structure => ComponentStructure.Opaque;

    /// <summary>What the component noticed about itself when it was made (e.g. an FMU's harmless model-description quirks, each with its <c>file:line</c>), for the run to report once.</summary>
    IReadOnlyList<string> Warnings => [];

    /// <summary>What the component is, for summaries and messages, e.g. "FMI 3.0, co-simulation"; null when it has nothing to add to its name.</summary>
    string? KindDescription => null;

    /// <summary>The start, stop and step the component suggests when the user gives none (an FMU's default experiment); null when it has none.</summary>
    ExperimentDefaults? Defaults => null;

    /// <summary>A one-line summary of the component's own solver work (model exchange: steps, evaluations, events) for the run summary; null when it has none.</summary>
    string? SolverStatistics => null;

    /// <summary>Whether <see cref="SaveState"/> / <see cref="RestoreState"/> work.</summary>
    bool CanSaveState { get; }

    /// <summary>Creates the instance (FMI instantiate); parameters and start values may be set afterwards.</summary>
    void Instantiate();

    /// <summary>Enters initialization at <paramref name="start"/>; <paramref name="stop"/> and <paramref name="tolerance"/> when known.</summary>
    void EnterInitialization(SimTime start, SimTime? stop, double? tolerance);

    /// <summary>Leaves initialization; the component is ready to step from the start time.</summary>
    void ExitInitialization();

    /// <summary>Advances from <paramref name="time"/> by <paramref name="step"/>.</summary>
    StepResult Step(SimTime time, SimTime step);

    /// <summary>Ends the run (FMI terminate); safe to call once after a successful initialization.</summary>
    void Terminate();

    /// <summary>
    /// Prepares an allocation-free accessor for a fixed list of variables (by index). Numeric,
    /// boolean and enumeration values travel as doubles (booleans as 0/1).
    /// </summary>
    IValueAccessor CreateAccessor(IReadOnlyList<int> variables);

    /// <summary>Sets one variable from text (a parameter on the command line, a start value): parsed by the variable's own type.</summary>
    void SetFromText(int variable, string text);

    /// <summary>Reads one variable as text in invariant culture (for strings, listings and messages).</summary>
    string GetAsText(int variable);

    /// <summary>Captures the component's complete state; only when <see cref="CanSaveState"/>.</summary>
    IComponentState SaveState();

    /// <summary>Returns the component to a state captured by <see cref="SaveState"/>.</summary>
    void RestoreState(IComponentState state);
}

/// <summary>A batched, allocation-free reader/writer of a fixed list of variables.</summary>
public interface IValueAccessor
{
    /// <summary>The variables, in the order of the value spans.</summary>
    IReadOnlyList<int> Variables { get; }

    /// <summary>Reads the variables' current values into <paramref name="values"/> (one per variable, in order).</summary>
    void Read(Span<double> values);

    /// <summary>Writes <paramref name="values"/> (one per variable, in order) to the component.</summary>
    void Write(ReadOnlySpan<double> values);
}

/// <summary>Opaque captured state of a component; disposing frees it.</summary>
public interface IComponentState : IDisposable
{
}

/// <summary>What happened in one <see cref="IComponent.Step"/>.</summary>
public enum StepStatus
{
    /// <summary>The component reached t + h.</summary>
    Completed,
    /// <summary>The component stopped early, at <see cref="StepResult.ReachedTime"/> (e.g. an event).</summary>
    EarlyReturn,
    /// <summary>The component declined the step (FMI Discard); its state is at <see cref="StepResult.ReachedTime"/>.</summary>
    Discarded,
    /// <summary>The component asks to end the simulation; its outputs at <see cref="StepResult.ReachedTime"/> are valid.</summary>
    Terminated,
}

/// <summary>Outcome of a step: status and the time the component actually reached.</summary>
public readonly record struct StepResult(StepStatus Status, SimTime ReachedTime)
{
    /// <summary>A step that reached <paramref name="reached"/> = t + h.</summary>
    public static StepResult Completed(SimTime reached) => new(StepStatus.Completed, reached);
}
