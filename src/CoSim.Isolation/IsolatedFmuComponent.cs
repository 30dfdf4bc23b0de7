using System.Text.Json;
using CoSim.Core;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.Solvers;

namespace CoSim.Isolation;

/// <summary>
/// An FMU component (co-simulation, or model exchange integrated in the host) that runs in a child
/// process (CoSim.FmuHost) and that the master algorithm cannot tell from an in-process component.
///
/// Traffic: accessor writes are queued into the shared-memory request and travel with the next
/// call; a step request also names the accessors read after the previous step, whose values come
/// back with the step's answer and serve the following reads. So a step of a component whose inputs
/// and outputs the master exchanges each step is one round trip. Any write, restore or text set
/// makes the cached values stale (a later read asks the host).
///
/// Faults (<see cref="HostSession"/>): a host that dies, does not answer within <see cref="IsolationOptions.CallTimeout"/> or
/// exceeds <see cref="IsolationOptions.MemoryLimitBytes"/> becomes a <see cref="HostFailedException"/>
/// naming the component, the FMI function, the time and the reason; the component then answers Terminate and
/// Dispose quietly. Under <see cref="CrashPolicy.Restart"/> (co-simulation FMUs that can save and
/// serialize state) the component checkpoints its serialized state after every step, and on a fault starts a
/// new host, restores the checkpoint, replays the calls since then and retries (<see cref="Restarts"/>).
/// </summary>
public sealed class IsolatedFmuComponent : IComponent, ICheckpointable
{
    private static readonly JsonSerializerOptions Json = new();
    private readonly HostSession _session;
    private readonly List<IsolatedAccessor> _accessors = [];
    private int _valuesVersion; // bumped by anything that may change values: caches of older versions are stale
    private (SimTime Start, SimTime? Stop, double? Tolerance)? _enter;
    private bool _instantiated, _terminated;
    private readonly bool _restartable;

    /// <summary>
    /// Starts a host for <paramref name="archive"/> and creates the component there: the co-simulation
    /// interface, or model exchange when <paramref name="modelExchange"/> (or when the FMU has no
    /// co-simulation interface), integrated with <paramref name="solver"/>.
    /// </summary>
    public IsolatedFmuComponent(FmuArchive archive, string instanceName, ILogSink log, bool modelExchange = false, SolverOptions? solver = null,
        bool loggingOn = false, IsolationOptions? options = null)
    {
        options ??= IsolationOptions.Default;
        options.Validate();
        var md = archive.Model;
        modelExchange = modelExchange || md.CoSimulation == null;
        if (modelExchange && md.ModelExchange == null) throw new InputException($"{archive.SourcePath}: the FMU has no model-exchange interface");
        solver?.Validate();
        Name = instanceName;
        IsModelExchange = modelExchange;
        var spec = new HostSpec(archive.Folder, modelExchange, instanceName, loggingOn, solver == null ? null : JsonSerializer.Serialize(solver, Json));
        _session = new HostSession(spec, options, log, instanceName, md.Version);
        Variables = _session.Variables;
        CanSaveState = _session.CanSaveState;
        Structure = FmuComponents.StructureOf(md);
        Defaults = FmuComponents.DefaultsOf(md);
        Warnings = FmuComponents.WarningsOf(archive);
        KindDescription = $"FMI {md.FmiVersionText}, {(modelExchange ? "model exchange" : "co-simulation")}, isolated";
        _restartable = options.OnCrash == CrashPolicy.Restart && CanSaveState && !modelExchange && (md.CoSimulation?.CanSerializeFmuState ?? false);
        if (_restartable) _session.EnableRestart(WriteReinitialization);
    }

    public string Name { get; }

    /// <inheritdoc />
    public ComponentStructure Structure { get; }

    /// <inheritdoc />
    public ExperimentDefaults? Defaults { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings { get; }

    /// <inheritdoc />
    public string? KindDescription { get; }
    public IReadOnlyList<ComponentVariable> Variables { get; }
    public bool CanSaveState { get; }

    /// <summary>Whether the host integrates the FMU's model-exchange interface.</summary>
    public bool IsModelExchange { get; }

    /// <summary>Process id of the current host (changes on a restart).</summary>
    public int HostProcessId => _session.HostProcessId;

    /// <summary>Hosts restarted after faults so far (<see cref="CrashPolicy.Restart"/>).</summary>
    public int Restarts => _session.Restarts;

    /// <summary>The last message the FMU logged (also kept when the host died right after).</summary>
    public string? LastLogMessage => _session.LastLogMessage;

    /// <summary>Whether <see cref="Terminate"/> reached the FMU.</summary>
    public bool IsTerminated => _terminated;

    /// <summary>Round trips to the host so far (for benchmarks and tests of the batching).</summary>
    public long RoundTrips => _session.RoundTrips;

    /// <summary>The version of the values: a cache filled at an older version is stale.</summary>
    internal int ValuesVersion => _valuesVersion;

    public void Instantiate()
    {
        _session.Request.WriteInt((int)Op.Instantiate);
        _session.Exchange(_session.Function("Instantiate"), _session.StartTimeout);
        _instantiated = true;
        _valuesVersion++;
    }

    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        _session.Time = start;
        _enter = (start, stop, tolerance);
        WriteEnter(_session.Request, start, stop, tolerance);
        _session.Exchange(_session.Function("EnterInitializationMode"));
        _valuesVersion++;
    }

    public void ExitInitialization()
    {
        _session.Request.WriteInt((int)Op.ExitInitialization);
        if (_restartable) _session.Request.WriteInt((int)Op.SaveCheckpoint);
        var response = _session.Exchange(_session.Function("ExitInitializationMode"));
        _valuesVersion++;
        if (_restartable) _session.StoreCheckpoint(response);
    }

    public StepResult Step(SimTime time, SimTime step)
    {
        _session.Time = time;
        var request = _session.Request;
        request.WriteInt((int)Op.Step);
        request.WriteLong(time.Ticks);
        request.WriteLong(step.Ticks);
        var prefetch = 0;
        foreach (var a in _accessors) if (a.Prefetch) prefetch++;
        request.WriteInt(prefetch);
        foreach (var a in _accessors) if (a.Prefetch) request.WriteInt(a.Id);
        request.WriteBool(_restartable);
        var response = _session.Exchange(IsModelExchange ? $"model-exchange step ({_session.Function("*")} calls of the integration)" : _session.Function("DoStep"));
        var status = (StepStatus)response.ReadInt();
        var reached = new SimTime(response.ReadLong());
        _valuesVersion++;
        var count = response.ReadInt();
        for (var k = 0; k < count; k++)
        {
            var accessor = _accessors[response.ReadInt()];
            response.ReadDoubles(accessor.Cache);
            accessor.CacheVersion = _valuesVersion;
        }
        if (_restartable) _session.StoreCheckpoint(response);
        _session.Time = reached;
        return new StepResult(status, reached);
    }

    public void Terminate()
    {
        if (_session.Failed || !_instantiated || _terminated) return;
        _terminated = true;
        _session.Request.WriteInt((int)Op.Terminate);
        _session.Exchange(_session.Function("Terminate"));
    }

    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables)
    {
        foreach (var i in variables)
            if ((uint)i >= (uint)Variables.Count) throw new ArgumentOutOfRangeException(nameof(variables), i, "no such variable");
        WriteCreateAccessor(_session.Request, variables);
        var id = _session.Exchange("create accessor").ReadInt();
        var accessor = new IsolatedAccessor(this, id, variables.ToArray());
        _accessors.Add(accessor);
        return accessor;
    }

    public void SetFromText(int variable, string text)
    {
        var request = _session.Request;
        request.WriteInt((int)Op.SetText);
        request.WriteInt(variable);
        request.WriteString(text);
        _valuesVersion++;
        _session.Exchange(_session.Function("Set*"));
    }

    public string GetAsText(int variable)
    {
        var request = _session.Request;
        request.WriteInt((int)Op.GetText);
        request.WriteInt(variable);
        return _session.Exchange(_session.Function("Get*")).ReadString() ?? "";
    }

    public IComponentState SaveState()
    {
        if (!CanSaveState) throw new SimulationException("the FMU cannot save its state (canGetAndSetFMUstate is false or the functions are missing)", Name, "GetFMUState");
        _session.Request.WriteInt((int)Op.SaveState);
        var id = _session.Exchange(_session.Function("GetFMUstate")).ReadInt();
        return new IsolatedState(this, id, _session.HostGeneration);
    }

    public void RestoreState(IComponentState state)
    {
        var s = OwnState(state);
        if (s.Generation != _session.HostGeneration)
            throw new SimulationException("the state was saved in an FMU host that has since been restarted", Name, _session.Function("SetFMUstate"), _session.Time);
        var request = _session.Request;
        request.WriteInt((int)Op.RestoreState);
        request.WriteInt(s.Id);
        _valuesVersion++;
        _session.Exchange(_session.Function("SetFMUstate"));
    }

    /// <summary>Serializes a state saved by this component (co-simulation FMUs that can serialize).</summary>
    public byte[] Serialize(IComponentState state)
    {
        var s = OwnState(state);
        var request = _session.Request;
        request.WriteInt((int)Op.SerializeState);
        request.WriteInt(s.Id);
        return _session.Exchange(_session.Function("SerializeFMUstate")).ReadBytes();
    }

    /// <summary>Turns serialized bytes back into a state of this component.</summary>
    public IComponentState Deserialize(byte[] data)
    {
        var request = _session.Request;
        request.WriteInt((int)Op.DeserializeState);
        request.WriteBytes(data);
        var id = _session.Exchange(_session.Function("DeSerializeFMUstate")).ReadInt();
        return new IsolatedState(this, id, _session.HostGeneration);
    }

    /// <summary>Checkpoints through the host process: the hosted component's own checkpoint block (FMU state; model exchange: also the stepping state).</summary>
    public string? CheckpointProblem
    {
        get
        {
            _session.Request.WriteInt((int)Op.CheckpointProblem);
            return _session.Exchange("checkpoint").ReadString();
        }
    }

    /// <inheritdoc />
    public void SaveCheckpoint(BinaryWriter writer, SimTime time)
    {
        var request = _session.Request;
        request.WriteInt((int)Op.SaveUnitCheckpoint);
        request.WriteLong(time.Ticks);
        writer.WriteBlock(_session.Exchange(_session.Function("SerializeFMUstate")).ReadBytes());
        _valuesVersion++; // model exchange: the host restarted its integrator
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        var request = _session.Request;
        request.WriteInt((int)Op.RestoreUnitCheckpoint);
        request.WriteLong(time.Ticks);
        request.WriteBytes(reader.ReadBlock());
        _valuesVersion++;
        _session.Exchange(_session.Function("SetFMUstate"));
    }

    /// <summary>Asks the host to finish (free the instance, unload the library) and exit; kills it if it does not.</summary>
    public void Dispose() => _session.Dispose();

    private IsolatedState OwnState(IComponentState state) =>
        state is IsolatedState s && ReferenceEquals(s.Owner, this) ? s : throw new ArgumentException("the state was not saved by this unit", nameof(state));

    private static void WriteEnter(MessageBuffer request, SimTime start, SimTime? stop, double? tolerance)
    {
        request.WriteInt((int)Op.EnterInitialization);
        request.WriteLong(start.Ticks);
        request.WriteBool(stop.HasValue);
        request.WriteLong(stop?.Ticks ?? 0);
        request.WriteBool(tolerance.HasValue);
        request.WriteDouble(tolerance ?? 0);
    }

    private static void WriteCreateAccessor(MessageBuffer request, IReadOnlyList<int> variables)
    {
        request.WriteInt((int)Op.CreateAccessor);
        request.WriteInt(variables.Count);
        foreach (var v in variables) request.WriteInt(v);
    }

    /// <summary>After a restart: what brings the new host to where the checkpoint is loaded (instance, accessors, initialization).</summary>
    private void WriteReinitialization(MessageBuffer request)
    {
        request.WriteInt((int)Op.Instantiate);
        foreach (var a in _accessors) WriteCreateAccessor(request, a.Variables);
        var (start, stop, tolerance) = _enter!.Value;
        WriteEnter(request, start, stop, tolerance);
        request.WriteInt((int)Op.ExitInitialization);
    }

    /// <summary>Queues a write to travel with the next call.</summary>
    internal void QueueWrite(IsolatedAccessor accessor, ReadOnlySpan<double> values)
    {
        var request = _session.Request;
        request.WriteInt((int)Op.Write);
        request.WriteInt(accessor.Id);
        request.WriteDoubles(values[..accessor.Variables.Length]);
        _valuesVersion++;
    }

    /// <summary>Reads the accessor's values from the host (and from then on with every step).</summary>
    internal void ReadRemote(IsolatedAccessor accessor, Span<double> values)
    {
        var request = _session.Request;
        request.WriteInt((int)Op.Read);
        request.WriteInt(accessor.Id);
        var response = _session.Exchange(_session.Function("Get*"));
        response.ReadDoubles(accessor.Cache);
        accessor.CacheVersion = _valuesVersion;
        accessor.Prefetch = true; // read once, so read again after each step: send it with the step
        accessor.Cache.CopyTo(values);
    }

    /// <summary>Queues freeing a state (dropped when the host failed or was restarted since).</summary>
    internal void QueueFree(IsolatedState state)
    {
        if (_session.Failed || state.Generation != _session.HostGeneration) return;
        _session.PendingRequest.WriteInt((int)Op.FreeState);
        _session.PendingRequest.WriteInt(state.Id);
    }
}
