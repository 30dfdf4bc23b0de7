using System.Globalization;
using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.Fmi.Native;

namespace CoSim.Fmi.CoSimulation;

/// <summary>
/// An FMU's co-simulation interface (FMI 2.0 or 3.0) as an <see cref="ISimulationUnit"/>.
/// Owns its native library handle and instance; <see cref="Dispose"/> tears down in order
/// (free instance, unload library) even after a failure.
/// </summary>
public sealed class FmuCoSimulationUnit : ISimulationUnit
{
    private readonly FmuArchive _archive;
    private readonly ModelDescription _md;
    private readonly FmuLibrary _library;
    private readonly IFmiInstance _instance;
    private readonly IReadOnlyList<FmuVariable> _variables;
    private bool _initialized;
    private bool _terminated;

    public FmuCoSimulationUnit(FmuArchive archive, string instanceName, ILogSink log, bool loggingOn = false)
    {
        _archive = archive;
        _md = archive.Model;
        var cs = _md.CoSimulation ?? throw new InputException($"{archive.SourcePath}: the FMU has no co-simulation interface");
        Name = instanceName;
        _variables = FmuVariables.Map(_md);
        Variables = _variables.Select(v => v.Unit).ToArray();
        LoggingOn = loggingOn;
        _library = FmuLibrary.Load(archive.BinaryPath(cs.ModelIdentifier));
        try
        {
            _instance = _md.Version == FmiVersion.Fmi2
                ? new Fmi2Instance(_library, instanceName, _md.InstantiationToken, archive.ResourcesFolder, log, coSimulation: true)
                : new Fmi3Instance(_library, instanceName, _md.InstantiationToken, archive.ResourcesFolder, log);
        }
        catch
        {
            _library.Dispose();
            throw;
        }
        CanSaveState = cs.CanGetAndSetFmuState && _instance.CanGetSetState;
    }

    public string Name { get; }
    public IReadOnlyList<UnitVariable> Variables { get; }
    public ModelDescription ModelDescription => _md;
    public bool CanSaveState { get; }
    public bool LoggingOn { get; }

    /// <summary>The FMU's last log message (for reports).</summary>
    public string? LastLogMessage => _instance.Log.LastMessage;

    /// <summary>
    /// Instantiates with the FMU's logging on, so that the message explaining a failure reaches
    /// the error report. Unless <see cref="LoggingOn"/> asks for everything, only the standard
    /// status categories (logStatusWarning, logStatusError, ...) are enabled, when the FMU declares them.
    /// </summary>
    public void Instantiate()
    {
        _instance.InstantiateCoSimulation(visible: false, loggingOn: true);
        if (LoggingOn) return;
        var statusCategories = _md.LogCategories.Select(c => c.Name).Where(n => n.StartsWith("logStatus", StringComparison.Ordinal)).ToList();
        if (statusCategories.Count > 0) _instance.SetDebugLogging(true, statusCategories);
    }

    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        _instance.EnterInitialization(start.Seconds, stop?.Seconds, tolerance);
        _initialized = true;
    }

    public void ExitInitialization() => _instance.ExitInitialization();

    public StepResult Step(SimTime time, SimTime step)
    {
        var info = _instance.DoStep(time.Seconds, step.Seconds, noSetStatePriorToCurrentPoint: !CanSaveState);
        if (!info.Discarded && !info.Terminate && !info.EarlyReturn)
            return StepResult.Completed(time + step);
        var reached = SimTime.FromSeconds(info.LastSuccessfulTime);
        if (info.Terminate) return new StepResult(StepStatus.Terminated, reached);
        return new StepResult(info.Discarded ? StepStatus.Discarded : StepStatus.EarlyReturn, reached);
    }

    public void Terminate()
    {
        if (!_initialized || _terminated) return;
        _terminated = true;
        _instance.Terminate();
    }

    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new FmuAccessor(_instance, _variables, variables);

    public void SetFromText(int variable, string text)
    {
        var v = _variables[variable];
        switch (v.Model.Type)
        {
            case VariableType.String:
                _instance.SetString(v.ValueReference, text);
                return;
            case VariableType.Binary or VariableType.Clock:
                throw new InputException($"setting {v.Model.Type} variable '{v.Unit.Name}' from text is not supported");
        }
        var value = ParseNumber(v, text);
        new FmuAccessor(_instance, _variables, [variable]).Write([value]);
    }

    public string GetAsText(int variable)
    {
        var v = _variables[variable];
        if (v.Model.Type == VariableType.String) return _instance.GetString(v.ValueReference);
        Span<double> value = stackalloc double[1];
        new FmuAccessor(_instance, _variables, [variable]).Read(value);
        return v.Model.Type == VariableType.Boolean ? (value[0] != 0 ? "true" : "false") : value[0].ToString("R", CultureInfo.InvariantCulture);
    }

    private double ParseNumber(FmuVariable v, string text)
    {
        var t = text.Trim();
        if (v.Model.Type == VariableType.Boolean)
            return t.ToLowerInvariant() switch
            {
                "true" or "1" => 1,
                "false" or "0" => 0,
                _ => throw new InputException($"'{text}' is not a Boolean value for '{v.Unit.Name}' (use true/false or 1/0)"),
            };
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            if (v.Unit.Kind == ValueKind.Integer && d != Math.Round(d))
                throw new InputException($"'{text}' is not an integer value for {v.Model.Type} variable '{v.Unit.Name}'");
            return d;
        }
        if (v.Model.Type == VariableType.Enumeration && v.Model.DeclaredType is { } typeName)
        {
            var item = _md.TypeDefinitions.FirstOrDefault(td => td.Name == typeName)?.Items.FirstOrDefault(i => i.Name == t);
            if (item != null) return item.Value;
        }
        throw new InputException($"'{text}' is not a valid {v.Model.Type} value for '{v.Unit.Name}'");
    }

    public IUnitState SaveState()
    {
        if (!CanSaveState) throw new SimulationException("the FMU cannot save its state (canGetAndSetFMUstate is false or the functions are missing)", Name, "GetFMUState");
        return new FmuState(_instance, _instance.GetState());
    }

    public void RestoreState(IUnitState state)
    {
        if (state is not FmuState s || !ReferenceEquals(s.Owner, _instance))
            throw new ArgumentException("the state was not saved by this unit", nameof(state));
        _instance.SetState(s.Handle);
    }

    /// <summary>Serializes a saved state to bytes (when the FMU supports serialization).</summary>
    public byte[] Serialize(IUnitState state) =>
        _instance.CanSerializeState && state is FmuState s
            ? _instance.SerializeState(s.Handle)
            : throw new SimulationException("the FMU cannot serialize its state", Name, "SerializeFMUState");

    /// <summary>Turns serialized bytes back into a state of this unit.</summary>
    public IUnitState Deserialize(byte[] data) =>
        _instance.CanSerializeState
            ? new FmuState(_instance, _instance.DeserializeState(data))
            : throw new SimulationException("the FMU cannot deserialize a state", Name, "DeserializeFMUState");

    public void Dispose()
    {
        try
        {
            _instance.Dispose();
        }
        finally
        {
            _library.Dispose();
        }
    }

    private sealed class FmuState(IFmiInstance owner, nint handle) : IUnitState
    {
        public IFmiInstance Owner { get; } = owner;
        public nint Handle { get; private set; } = handle;

        public void Dispose()
        {
            if (Handle == 0) return;
            try
            {
                Owner.FreeState(Handle);
            }
            catch (FmiCallException)
            {
                // Freeing a state after the instance failed: nothing more can be done.
            }
            Handle = 0;
        }
    }
}
