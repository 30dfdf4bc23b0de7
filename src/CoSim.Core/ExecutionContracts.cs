namespace CoSim.Core;

/// <summary>
/// Reads the simulation after each step (recorders, live sinks, reports). Observers never write
/// to units. A failing observer stops the run with its error, after the others were closed.
/// </summary>
public interface IObserver
{
    /// <summary>Called once after initialization, with the start time; values are the initial ones.</summary>
    void Started(SimTime start);

    /// <summary>Called after every completed communication step, at the time the units reached.</summary>
    void StepComplete(SimTime time);

    /// <summary>Called once at the end of the run, also after a failure, so that outputs are flushed.</summary>
    void Finished(SimTime end, Exception? failure);
}

/// <summary>
/// Writes to units before each step (scenario events, fault injection, replayed or live inputs).
/// The only way anything outside the algorithm changes a unit's inputs or parameters during a run.
/// </summary>
public interface IManipulator
{
    /// <summary>Called at initialization (before ExitInitialization) with the start time.</summary>
    void Initialize(SimTime start);

    /// <summary>Called before the step that starts at <paramref name="time"/>.</summary>
    void StepCommencing(SimTime time);
}
