using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.Fmi.Native;

namespace CoSim.Fmi.Clocks;

/// <summary>
/// What the FMI 3 components with clocks share (<see cref="ScheduledExecutionComponent"/>,
/// <see cref="ClockedCoSimulationComponent"/>): the library and instance with the clock functions,
/// variables, values as text, and the clocks of the model description as a schedule. Their states are
/// not saved (a clock schedule would have to be saved with them).
/// </summary>
public abstract class ClockedFmuComponent : IComponent, IClockDriver
{
    private readonly FmuArchive _archive;
    private readonly FmuLibrary _library;
    private readonly IReadOnlyList<FmuVariable> _variables;
    private readonly List<string> _warnings;
    private bool _initialized;
    private bool _terminated;

    private protected ClockedFmuComponent(FmuArchive archive, string instanceName, ILogSink log, bool loggingOn, InterfaceInfo face)
    {
        _archive = archive;
        Model = archive.Model;
        if (Model.Version != FmiVersion.Fmi3) throw new InputException($"{archive.SourcePath}: clocks need FMI 3.0");
        Name = instanceName;
        LoggingOn = loggingOn;
        _variables = FmuVariables.Map(Model);
        Variables = _variables.Select(v => v.Variable).ToArray();
        Structure = FmuStructure.From(Model, _variables);
        _warnings = [.. FmuComponents.WarningsOf(archive)];
        _library = FmuLibrary.Load(archive.BinaryPath(face.ModelIdentifier));
        try
        {
            Instance = new Fmi3Instance(_library, instanceName, Model.InstantiationToken, archive.ResourcesFolder, log);
            Clocks = new Fmi3ClockFunctions(_library, Instance);
        }
        catch
        {
            _library.Dispose();
            throw;
        }
    }

    private protected ModelDescription Model { get; }
    private protected Fmi3Instance Instance { get; }
    private protected Fmi3ClockFunctions Clocks { get; }
    private protected bool LoggingOn { get; }
    private protected string Source => _archive.SourcePath;
    private protected SimTime Start { get; private set; }

    public string Name { get; }
    public IReadOnlyList<ComponentVariable> Variables { get; }
    public ComponentStructure Structure { get; }
    public IReadOnlyList<string> Warnings => _warnings;
    public ExperimentDefaults? Defaults => FmuComponents.DefaultsOf(Model);
    public bool CanSaveState => false;
    public abstract string? KindDescription { get; }
    public abstract string? SolverStatistics { get; }

    /// <summary>Every partition activation (input clock tick) and output-clock tick so far, in order.</summary>
    public abstract IReadOnlyList<ClockTick> Ticks { get; }

    private protected void Warn(string message) => _warnings.Add($"{Source}: {message}");

    /// <summary>The model's input and output clocks, each with its XML interval and priority (none: lowest).</summary>
    private protected (List<ScheduledClock> Inputs, List<ScheduledClock> Outputs) ClocksOfModel()
    {
        var inputs = new List<ScheduledClock>();
        var outputs = new List<ScheduledClock>();
        foreach (var v in Model.Variables)
        {
            if (v.Type != VariableType.Clock || v.Clock?.IntervalVariability is not { } kind) continue;
            var clock = new ScheduledClock(v.Name, v.ValueReference, kind, v.Clock.Priority ?? uint.MaxValue, v.Clock.Interval, v.Clock.Shift);
            if (v.Causality == Causality.Input) inputs.Add(clock);
            else if (v.Causality == Causality.Output) outputs.Add(clock);
        }
        return (inputs, outputs);
    }

    public abstract void Instantiate();

    public virtual void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        Start = start;
        Instance.EnterInitialization(start.Seconds, stop?.Seconds, tolerance);
        _initialized = true;
    }

    public abstract void ExitInitialization();

    public abstract StepResult Step(SimTime time, SimTime step);

    public void Terminate()
    {
        if (!_initialized || _terminated) return;
        _terminated = true;
        Instance.Terminate();
    }

    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new FmuAccessor(Instance, _variables, variables);

    public void SetFromText(int variable, string text) => FmuTextValues.Set(Instance, Model, _variables, variable, text);

    public string GetAsText(int variable) => FmuTextValues.Get(Instance, _variables, variable);

    public IComponentState SaveState() =>
        throw new SimulationException("the state of an FMU with clocks cannot be saved by CoSim", Name, "GetFMUState");

    public void RestoreState(IComponentState state) =>
        throw new SimulationException("the state of an FMU with clocks cannot be restored by CoSim", Name, "SetFMUState");

    public virtual void Dispose()
    {
        try
        {
            Instance.Dispose();
        }
        finally
        {
            _library.Dispose();
        }
        GC.SuppressFinalize(this);
    }

    // Input clocks tick through Activate: Scheduled Execution runs the partition, the others set the clock in Event Mode.
    void IClockDriver.Activate(uint clock, SimTime time) => Activate(clock, time);

    private protected abstract void Activate(uint clock, SimTime time);

    (double Interval, IntervalQualifier Qualifier) IClockDriver.GetInterval(uint clock, SimTime time) => Clocks.GetIntervalDecimal(clock, time.Seconds);

    double IClockDriver.GetShift(uint clock, SimTime time) => Clocks.HasGetShift ? Clocks.GetShiftDecimal(clock, time.Seconds) : 0;

    bool IClockDriver.ReadOutputClock(uint clock, SimTime time) => Clocks.GetClock(clock, time.Seconds);
}
