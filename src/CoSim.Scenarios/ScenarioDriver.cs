using CoSim.Core;
using CoSim.Engine.Systems;

namespace CoSim.Scenarios;

/// <summary>
/// Runs a scenario's events and faults: one object that is both an observer (it keeps the values
/// that conditions and actions read, <see cref="Scenario.Value"/>) and a manipulator (actions'
/// <see cref="Scenario.Set(Signal, double)"/> and the faults' overrides). At a communication point
/// the engine calls observers (after the step) before manipulators (before the next step), so an
/// action at t reads the values at t and its writes act on the step from t. The jobs are its parts':
/// <see cref="ObservedValues"/> (what is read), <see cref="ScenarioInputs"/> (what is written),
/// <see cref="EventSchedule"/> (when events fire), <see cref="FaultSchedule"/> (when faults act) and
/// <see cref="EventLog"/> (what triggered).
/// </summary>
internal sealed partial class ScenarioDriver : IObserver, IManipulator
{
    private readonly Scenario _scenario;
    private readonly EventLog _events;
    private readonly ObservedValues _values = new();
    private readonly ScenarioInputs _inputs;
    private readonly EventSchedule _schedule;
    private readonly FaultSchedule _faults;
    private InputWriter? _writer;

    public ScenarioDriver(Scenario scenario, IReadOnlyList<Connection> connections, ILogSink log)
    {
        _scenario = scenario;
        _events = new EventLog(log);
        _inputs = new ScenarioInputs(connections);
        _schedule = new EventSchedule(scenario);
        _faults = new FaultSchedule(scenario, _events, log);
    }

    /// <summary>What triggered so far, in order.</summary>
    public IReadOnlyList<TriggeredEvent> Events => _events.Snapshot();

    /// <summary>The current communication point.</summary>
    public SimTime Now { get; private set; }

    // ---- observer ------------------------------------------------------------------------

    public void Attach(IObservationSetup setup) => _values.Attach(setup, everyOutput: !_schedule.IsEmpty, _scenario.Watched);

    public void Started(SimTime start, StepValues values) => Cache(start, values);

    public void StepComplete(SimTime time, StepValues values) => Cache(time, values);

    public void Finished(SimTime end, Exception? failure) { }

    private void Cache(SimTime time, StepValues values)
    {
        Now = time;
        _values.Update(values);
    }

    /// <summary>The value of an observed signal at the current communication point.</summary>
    public double Value(Signal signal) => _values.Value(signal);

    // ---- manipulator ---------------------------------------------------------------------

    public void Attach(IManipulationSetup setup) => _inputs.Attach(setup, _scenario, everyInput: !_schedule.IsEmpty);

    public void Initialize(SimTime start, InputWriter inputs)
    {
        Now = start;
        _faults.Initialize(start, _inputs, inputs);
        _schedule.Reset(start);
    }

    public void StepCommencing(SimTime time, InputWriter inputs)
    {
        Now = time;
        _writer = inputs;
        try
        {
            _faults.Update(time);
            _schedule.FireDue(time, Fire);
        }
        finally
        {
            _writer = null;
        }
    }

    private void Fire(string kind, string name, Action action)
    {
        _events.Record(Now, kind, name);
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not ScenarioActionException)
        {
            throw new ScenarioActionException($"event '{name}'", Now, ex);
        }
    }

    /// <summary>Starts a fault at the current point (an action's <see cref="Fault.Start"/>).</summary>
    public void StartFault(Fault fault) => _faults.Start(fault, Now);

    /// <summary>Ends a fault at the current point (an action's <see cref="Fault.Stop"/>).</summary>
    public void StopFault(Fault fault) => _faults.Stop(fault, Now);

    /// <summary>An action's write to an input or tunable parameter; it acts on the step from the current point.</summary>
    public void Write(Signal signal, double value)
    {
        var writer = _writer ?? throw new InvalidOperationException($"Set(\"{signal}\", ...) during the run works only in an event's action (At, When, Every)");
        _inputs.Write(writer, signal, value);
    }
}
