using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Checkpoints;
using CoSim.Fmi.Description;
using CoSim.Fmi.Native;

namespace CoSim.Fmi.CoSimulation;

/// <summary>
/// An FMU's co-simulation interface (FMI 2.0 or 3.0) as an <see cref="IComponent"/>.
/// Owns its native library handle and instance; <see cref="Dispose"/> tears down in order
/// (free instance, unload library) even after a failure.
/// </summary>
public sealed class FmuCoSimulationComponent : IComponent, ICheckpointable
{
    private readonly FmuBinding _fmu;
    private readonly ModelDescription _md;
    private readonly IFmiInstance _instance;
    private readonly IReadOnlyList<FmuVariable> _variables;
    private bool _initialized;
    private bool _terminated;
    private int _liveStates; // saved states not yet disposed
    private long _stepTicks = -1;
    private double _stepSeconds;
    private readonly ILogSink _log;
    private bool _stepChangeReported;

    public FmuCoSimulationComponent(FmuArchive archive, string instanceName, ILogSink log, bool loggingOn = false)
    {
        _md = archive.Model;
        var cs = _md.CoSimulation ?? throw new InputException($"{archive.SourcePath}: the FMU has no co-simulation interface");
        Name = instanceName;
        _log = log;
        LoggingOn = loggingOn;
        _fmu = FmuBinding.Open(archive, cs.ModelIdentifier, instanceName, log, coSimulation: true);
        _instance = _fmu.Instance;
        _variables = _fmu.VariableMap;
        CanSaveState = cs.CanGetAndSetFmuState && _instance.CanGetSetState;
    }

    public string Name { get; }
    public IReadOnlyList<ComponentVariable> Variables => _fmu.Variables;
    /// <summary>Output dependencies from the model structure and the unit definitions.</summary>
    public ComponentStructure Structure => _fmu.Structure;
    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _fmu.Warnings;
    /// <inheritdoc />
    public string? KindDescription => _fmu.Describe("co-simulation");
    /// <inheritdoc />
    public ExperimentDefaults? Defaults => _fmu.Defaults;
    public ModelDescription ModelDescription => _md;
    public bool CanSaveState { get; }
    public bool LoggingOn { get; }

    /// <summary>The FMU's last log message (for reports).</summary>
    public string? LastLogMessage => _instance.Log.LastMessage;

    /// <summary>Instantiates with the FMU's logging set up by <see cref="FmuLogging.Configure"/>.</summary>
    public void Instantiate()
    {
        _instance.InstantiateCoSimulation(visible: false, loggingOn: true);
        FmuLogging.Configure(_instance, _md, LoggingOn);
    }

    /// <summary>
    /// Whether the FMU is told the stop time at initialization (stopTimeDefined = true). Off by default, as in
    /// OMSimulator and FMPy: some exporters' co-simulation FMUs (OpenModelica 1.13) integrate to a stop time they
    /// were told in their first doStep and return its values at every later point, without a word.
    /// </summary>
    public bool TellStopTime { get; init; }

    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        _instance.EnterInitialization(start.Seconds, TellStopTime ? stop?.Seconds : null, tolerance);
        _initialized = true;
    }

    public void ExitInitialization() => _instance.ExitInitialization();

    public StepResult Step(SimTime time, SimTime step)
    {
        // The step size rarely changes: convert it once (the tick -> seconds division is exact but not free).
        if (step.Ticks != _stepTicks)
        {
            if (_stepTicks >= 0) ReportStepChange(time, step);
            _stepTicks = step.Ticks;
            _stepSeconds = step.Seconds;
        }
        // Only while a saved state is alive may the master set the FMU back before this point.
        var info = _instance.DoStep(time.Seconds, _stepSeconds, noSetStatePriorToCurrentPoint: _liveStates == 0);
        if (!info.Discarded && !info.Terminate && !info.EarlyReturn)
            return StepResult.Completed(time + step);
        var reached = SimTime.FromSeconds(info.LastSuccessfulTime);
        if (info.Terminate) return new StepResult(StepStatus.Terminated, reached);
        return new StepResult(info.Discarded ? StepStatus.Discarded : StepStatus.EarlyReturn, reached);
    }

    /// <summary>
    /// An FMU that declares canHandleVariableCommunicationStepSize="false" still gets the step the
    /// master asks for (typically a shorter final step to land on stop): FMUs with that flag almost
    /// always compute it correctly, and the alternatives (stopping short of stop, as fmusim does, or
    /// refusing the run) lose the end of the result. Said once per instance.
    /// </summary>
    private void ReportStepChange(SimTime time, SimTime step)
    {
        if (_stepChangeReported || _md.CoSimulation is not { CanHandleVariableCommunicationStepSize: false } cs) return;
        _stepChangeReported = true;
        _log.Log(LogLevel.Warning, Name,
            $"modelDescription.xml:{cs.Line}: the FMU declares canHandleVariableCommunicationStepSize=\"false\", but the step from t={time} is {step} " +
            $"instead of {new SimTime(_stepTicks)}; the step is done as asked (reported once)");
    }

    public void Terminate()
    {
        if (!_initialized || _terminated) return;
        _terminated = true;
        _instance.Terminate();
    }

    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new FmuAccessor(_instance, _variables, variables);

    public void SetFromText(int variable, string text) => FmuTextValues.Set(_instance, _md, _variables, variable, text);

    public string GetAsText(int variable) => FmuTextValues.Get(_instance, _variables, variable);

    public IComponentState SaveState()
    {
        if (!CanSaveState) throw new SimulationException("the FMU cannot save its state (canGetAndSetFMUstate is false or the functions are missing)", Name, "GetFMUState");
        var state = new FmuState(this, _instance.GetState());
        _liveStates++;
        return state;
    }

    public void RestoreState(IComponentState state)
    {
        if (state is not FmuState s || !ReferenceEquals(s.Owner, this))
            throw new ArgumentException("the state was not saved by this component", nameof(state));
        _instance.SetState(s.Handle);
    }

    /// <summary>Serializes a saved state to bytes (when the FMU supports serialization).</summary>
    public byte[] Serialize(IComponentState state) =>
        _instance.CanSerializeState && state is FmuState s
            ? _instance.SerializeState(s.Handle)
            : throw new SimulationException("the FMU cannot serialize its state", Name, "SerializeFMUState");

    /// <summary>Turns serialized bytes back into a state of this component.</summary>
    public IComponentState Deserialize(byte[] data)
    {
        if (!_instance.CanSerializeState) throw new SimulationException("the FMU cannot deserialize a state", Name, "DeserializeFMUState");
        var state = new FmuState(this, _instance.DeserializeState(data));
        _liveStates++;
        return state;
    }

    /// <inheritdoc />
    public string? CheckpointProblem => FmuStateBytes.Problem(_instance, _md.CoSimulation!);

    /// <summary>Checkpoint: the serialized FMU state (the FMU's own bytes).</summary>
    public void SaveCheckpoint(BinaryWriter writer, SimTime time)
    {
        FmuStateBytes.Require(CheckpointProblem, Name);
        writer.WriteBlock(FmuStateBytes.Save(_instance));
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        FmuStateBytes.Require(CheckpointProblem, Name);
        FmuStateBytes.Restore(_instance, reader.ReadBlock());
    }

    public void Dispose() => _fmu.Dispose();

    private sealed class FmuState(FmuCoSimulationComponent owner, nint handle) : IComponentState
    {
        public FmuCoSimulationComponent Owner { get; } = owner;
        public nint Handle { get; private set; } = handle;

        public void Dispose()
        {
            if (Handle == 0) return;
            Owner._liveStates--;
            try
            {
                Owner._instance.FreeState(Handle);
            }
            catch (FmiCallException)
            {
                // Freeing a state after the instance failed: nothing more can be done.
            }
            Handle = 0;
        }
    }
}
