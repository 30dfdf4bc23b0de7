namespace CoSim.Core;

/// <summary>An observed signal, as <see cref="IObservationSetup.Observe"/> registered it; reads its value from <see cref="StepValues"/>.</summary>
/// <param name="Id">The registration number within the run.</param>
public readonly record struct SignalHandle(int Id);

/// <summary>
/// The values of the observed signals at a communication point, exactly as the master algorithm
/// read them from the components: observers read here and never call a component, so recording
/// adds no calls across the native boundary. Valid only during the observer call.
/// </summary>
public sealed class StepValues
{
    private readonly double[][] _buffers;
    private readonly int[] _bufferOf;
    private readonly int[] _slotOf;

    /// <summary>Values held in per-component <paramref name="buffers"/>; signal i sits at <c>buffers[bufferOf[i]][slotOf[i]]</c>.</summary>
    public StepValues(double[][] buffers, int[] bufferOf, int[] slotOf)
    {
        _buffers = buffers;
        _bufferOf = bufferOf;
        _slotOf = slotOf;
    }

    /// <summary>The value of an observed signal.</summary>
    public double this[SignalHandle signal] => _buffers[_bufferOf[signal.Id]][_slotOf[signal.Id]];
}

/// <summary>What an observer may ask for before the run starts.</summary>
public interface IObservationSetup
{
    /// <summary>
    /// Registers a numeric or Boolean variable (any causality) to be read at every communication
    /// point; throws <see cref="InputException"/> for an unknown component or variable.
    /// </summary>
    SignalHandle Observe(VariableRef signal);

    /// <summary>The variables of a component, for observers that select signals by name.</summary>
    IReadOnlyList<ComponentVariable> VariablesOf(string component);

    /// <summary>The components' names, in system order.</summary>
    IReadOnlyList<string> Components { get; }
}

/// <summary>
/// Reads the simulation after each step (recorders, live sinks, reports). Observers never write
/// to components. Call order: <see cref="Attach"/> once before initialization, <see cref="Started"/>
/// with the initial values, <see cref="StepComplete"/> after every communication step,
/// <see cref="Finished"/> always (also after a failure, so that outputs are flushed). A failing
/// observer stops the run with its error, after the others were finished.
/// </summary>
public interface IObserver
{
    /// <summary>
    /// Registers the signals this observer reads, once before the run (a preparation plans the run in
    /// one pass). Should it be called again, each call starts afresh, and the handles of the last call
    /// are the ones the run uses.
    /// </summary>
    void Attach(IObservationSetup setup);

    /// <summary>Called once after initialization, with the start time and the initial values.</summary>
    void Started(SimTime start, StepValues values);

    /// <summary>Called after every completed communication step, at the time the components reached.</summary>
    void StepComplete(SimTime time, StepValues values);

    /// <summary>Called once at the end of the run, also after a failure, so that outputs are flushed.</summary>
    void Finished(SimTime end, Exception? failure);
}

/// <summary>A manipulated input, as <see cref="IManipulationSetup.Input"/> registered it.</summary>
/// <param name="Id">The registration number within the run.</param>
public readonly record struct InputHandle(int Id);

/// <summary>
/// Changes the value an input receives from its connection (fault injection: stuck-at, bias,
/// drift, noise, dropout). Evaluated every time the engine computes the input, after the
/// connection's value.
/// </summary>
public interface IInputOverride
{
    /// <summary>The value the input takes at <paramref name="time"/>, given the value its connection (or the last <see cref="InputWriter.Set"/>) supplies.</summary>
    double Apply(SimTime time, double incoming);
}

/// <summary>What a manipulator may ask for before the run starts.</summary>
public interface IManipulationSetup
{
    /// <summary>
    /// Registers an input (or tunable parameter) this manipulator writes; throws
    /// <see cref="InputException"/> for an unknown variable or one that cannot be written.
    /// </summary>
    InputHandle Input(VariableRef input);

    /// <summary>The variables of a component, for manipulators that bind columns by name.</summary>
    IReadOnlyList<ComponentVariable> VariablesOf(string component);

    /// <summary>The components' names, in system order.</summary>
    IReadOnlyList<string> Components { get; }
}

/// <summary>
/// Writes manipulated inputs. Precedence is fixed: the connection supplies a value, then a
/// <see cref="Set"/> value (for an unconnected input) or an <see cref="Override"/> (for any input)
/// decides what the component receives. The engine writes the values to the component in one
/// batch with its other inputs.
/// </summary>
public abstract class InputWriter
{
    /// <summary>Gives an unconnected input (or tunable parameter) a new value; it holds until set again. For a connected input the connection's value wins; use <see cref="Override"/>.</summary>
    public abstract void Set(InputHandle input, double value);

    /// <summary>Installs (or, with null, removes) an override that decides the input's value from the incoming one.</summary>
    public abstract void Override(InputHandle input, IInputOverride? inputOverride);
}

/// <summary>
/// Writes to components before each step (scenario events, fault injection, replayed or live
/// inputs): the only way anything outside the master algorithm changes a component's inputs
/// during a run. Call order: <see cref="Attach"/> once before initialization,
/// <see cref="Initialize"/> during initialization, <see cref="StepCommencing"/> before every step,
/// <see cref="Finished"/> once at the end (also after a failure), after the observers were finished.
/// </summary>
public interface IManipulator
{
    /// <summary>
    /// Registers the inputs this manipulator writes, once before the run (a preparation plans the run
    /// in one pass: problems, driven inputs and handles). Should it be called again, each call starts
    /// afresh, and the handles of the last call are the ones the run uses.
    /// </summary>
    void Attach(IManipulationSetup setup);

    /// <summary>Called at initialization (before the components leave it) with the start time.</summary>
    void Initialize(SimTime start, InputWriter inputs);

    /// <summary>Called before the step that starts at <paramref name="time"/>.</summary>
    void StepCommencing(SimTime time, InputWriter inputs);

    /// <summary>
    /// Called once when the run ended at <paramref name="end"/>, also after a failure (<paramref name="failure"/>),
    /// so that a live source can stop reading, commit and close. Most manipulators have nothing to do.
    /// </summary>
    void Finished(SimTime end, Exception? failure) { }
}
