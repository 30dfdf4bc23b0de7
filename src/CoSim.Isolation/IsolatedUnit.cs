using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CoSim.Core;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.Solvers;

namespace CoSim.Isolation;

/// <summary>
/// An FMU unit (co-simulation, or model exchange integrated in the host) that runs in a child
/// process (CoSim.FmuHost) and that the master algorithm cannot tell from an in-process unit.
///
/// Traffic: accessor writes are queued into the shared-memory request and travel with the next
/// call; a step request also names the accessors read after the previous step, whose values come
/// back with the step's answer and serve the following reads. So a step of a unit whose inputs
/// and outputs the master exchanges each step is one round trip. Any write, restore or text set
/// makes the cached values stale (a later read asks the host).
///
/// Faults: a host that dies, does not answer within <see cref="IsolationOptions.CallTimeout"/> or
/// exceeds <see cref="IsolationOptions.MemoryLimitBytes"/> becomes a <see cref="HostFailedException"/>
/// naming the unit, the FMI function, the time and the reason; the unit then answers Terminate and
/// Dispose quietly. Under <see cref="CrashPolicy.Restart"/> (co-simulation units that can save and
/// serialize state) the unit checkpoints its serialized state after every step, and on a fault starts a
/// new host, restores the checkpoint, replays the calls since then and retries (<see cref="Restarts"/>).
/// </summary>
public sealed class IsolatedUnit : IComponent
{
    private static readonly JsonSerializerOptions Json = new();
    private const long SliceMicroseconds = 5_000; // how often a sleeping parent checks on the host
    private readonly HostSpec _spec;
    private readonly ILogSink _log;
    private readonly IsolationOptions _options;
    private readonly FmiVersion _version;
    private readonly long _spinTicks;
    private readonly List<IsolatedAccessor> _accessors = [];
    private SharedChannel _channel;
    private HostProcess _host;
    private HostFailedException? _failure;
    private int _valuesVersion;     // bumped by anything that may change values: caches of older versions are stale
    private int _hostGeneration;    // bumped by a restart: states saved in an earlier host are gone
    private long _calls;
    private long _nextMemoryCheck;
    private SimTime _time;
    private (SimTime Start, SimTime? Stop, double? Tolerance)? _enter;
    private bool _instantiated, _terminated;
    private readonly bool _restartable;
    private byte[] _checkpoint = [];
    private int _checkpointLength = -1;
    private readonly List<byte[]> _replay = [];

    /// <summary>
    /// Starts a host for <paramref name="archive"/> and creates the unit there: the co-simulation
    /// interface, or model exchange when <paramref name="modelExchange"/> (or when the FMU has no
    /// co-simulation interface), integrated with <paramref name="solver"/>.
    /// </summary>
    public IsolatedUnit(FmuArchive archive, string instanceName, ILogSink log, bool modelExchange = false, SolverOptions? solver = null,
        bool loggingOn = false, IsolationOptions? options = null)
    {
        _options = options ?? IsolationOptions.Default;
        _options.Validate();
        var md = archive.Model;
        modelExchange = modelExchange || md.CoSimulation == null;
        if (modelExchange && md.ModelExchange == null) throw new InputException($"{archive.SourcePath}: the FMU has no model-exchange interface");
        solver?.Validate();
        _version = md.Version;
        _log = log;
        Name = instanceName;
        IsModelExchange = modelExchange;
        _spec = new HostSpec(archive.Folder, modelExchange, instanceName, loggingOn,
            solver == null ? null : JsonSerializer.Serialize(solver, Json));
        _spinTicks = (long)(_options.Spin.TotalSeconds * Stopwatch.Frequency);
        (_channel, _host) = StartHost(out var canSave, out var variables);
        Variables = variables;
        CanSaveState = canSave;
        Structure = FmuComponents.StructureOf(md);
        Defaults = FmuComponents.DefaultsOf(md);
        Warnings = FmuComponents.WarningsOf(archive);
        KindDescription = $"FMI {md.FmiVersionText}, {(modelExchange ? "model exchange" : "co-simulation")}, isolated";
        _restartable = _options.OnCrash == CrashPolicy.Restart && canSave && !modelExchange && (md.CoSimulation?.CanSerializeFmuState ?? false);
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
    public int HostProcessId => _host.Pid;

    /// <summary>Hosts restarted after faults so far (<see cref="CrashPolicy.Restart"/>).</summary>
    public int Restarts { get; private set; }

    /// <summary>The last message the FMU logged (also kept when the host died right after).</summary>
    public string? LastLogMessage { get; private set; }

    /// <summary>Whether <see cref="Terminate"/> reached the FMU.</summary>
    public bool IsTerminated => _terminated;

    /// <summary>Round trips to the host so far (for benchmarks and tests of the batching).</summary>
    public long RoundTrips => _calls;

    public void Instantiate()
    {
        Request.WriteInt((int)Op.Instantiate);
        Exchange(Function("Instantiate"), _options.StartTimeout);
        _instantiated = true;
        _valuesVersion++;
    }

    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        _time = start;
        _enter = (start, stop, tolerance);
        WriteEnter(Request, start, stop, tolerance);
        Exchange(Function("EnterInitializationMode"));
        _valuesVersion++;
    }

    public void ExitInitialization()
    {
        Request.WriteInt((int)Op.ExitInitialization);
        if (_restartable) Request.WriteInt((int)Op.SaveCheckpoint);
        var response = Exchange(Function("ExitInitializationMode"));
        _valuesVersion++;
        if (_restartable) StoreCheckpoint(response);
    }

    public StepResult Step(SimTime time, SimTime step)
    {
        _time = time;
        var request = Request;
        request.WriteInt((int)Op.Step);
        request.WriteLong(time.Ticks);
        request.WriteLong(step.Ticks);
        var prefetch = 0;
        foreach (var a in _accessors) if (a.Prefetch) prefetch++;
        request.WriteInt(prefetch);
        foreach (var a in _accessors) if (a.Prefetch) request.WriteInt(a.Id);
        request.WriteBool(_restartable);
        var response = Exchange(IsModelExchange ? $"model-exchange step (fmi{(int)_version}* calls of the integration)" : Function("DoStep"));
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
        if (_restartable) StoreCheckpoint(response);
        _time = reached;
        return new StepResult(status, reached);
    }

    public void Terminate()
    {
        if (_failure != null || !_instantiated || _terminated) return;
        _terminated = true;
        Request.WriteInt((int)Op.Terminate);
        Exchange(Function("Terminate"));
    }

    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables)
    {
        foreach (var i in variables)
            if ((uint)i >= (uint)Variables.Count) throw new ArgumentOutOfRangeException(nameof(variables), i, "no such variable");
        var request = Request;
        WriteCreateAccessor(request, variables);
        var id = Exchange("create accessor").ReadInt();
        var accessor = new IsolatedAccessor(this, id, variables.ToArray());
        _accessors.Add(accessor);
        return accessor;
    }

    public void SetFromText(int variable, string text)
    {
        Request.WriteInt((int)Op.SetText);
        Request.WriteInt(variable);
        Request.WriteString(text);
        _valuesVersion++;
        Exchange(Function("Set*"));
    }

    public string GetAsText(int variable)
    {
        Request.WriteInt((int)Op.GetText);
        Request.WriteInt(variable);
        return Exchange(Function("Get*")).ReadString() ?? "";
    }

    public IComponentState SaveState()
    {
        if (!CanSaveState) throw new SimulationException("the FMU cannot save its state (canGetAndSetFMUstate is false or the functions are missing)", Name, "GetFMUState");
        Request.WriteInt((int)Op.SaveState);
        var id = Exchange(Function("GetFMUstate")).ReadInt();
        return new IsolatedState(this, id, _hostGeneration);
    }

    public void RestoreState(IComponentState state)
    {
        if (state is not IsolatedState s || !ReferenceEquals(s.Owner, this)) throw new ArgumentException("the state was not saved by this unit", nameof(state));
        if (s.Generation != _hostGeneration)
            throw new SimulationException("the state was saved in an FMU host that has since been restarted", Name, Function("SetFMUstate"), _time);
        Request.WriteInt((int)Op.RestoreState);
        Request.WriteInt(s.Id);
        _valuesVersion++;
        Exchange(Function("SetFMUstate"));
    }

    /// <summary>Serializes a state saved by this unit (co-simulation FMUs that can serialize).</summary>
    public byte[] Serialize(IComponentState state)
    {
        if (state is not IsolatedState s || !ReferenceEquals(s.Owner, this)) throw new ArgumentException("the state was not saved by this unit", nameof(state));
        Request.WriteInt((int)Op.SerializeState);
        Request.WriteInt(s.Id);
        return Exchange(Function("SerializeFMUstate")).ReadBytes();
    }

    /// <summary>Turns serialized bytes back into a state of this unit.</summary>
    public IComponentState Deserialize(byte[] data)
    {
        Request.WriteInt((int)Op.DeserializeState);
        Request.WriteBytes(data);
        var id = Exchange(Function("DeSerializeFMUstate")).ReadInt();
        return new IsolatedState(this, id, _hostGeneration);
    }

    /// <summary>Asks the host to finish (free the instance, unload the library) and exit; kills it if it does not.</summary>
    public void Dispose()
    {
        if (_failure == null && !_host.HasExited)
        {
            try
            {
                _channel.Request.Clear();
                _channel.Request.WriteInt((int)Op.Shutdown);
                _channel.SendRequest();
                var deadline = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
                _channel.WaitResponse(_spinTicks, SliceMicroseconds, () =>
                {
                    if (_host.HasExited || Stopwatch.GetTimestamp() > deadline) throw new TimeoutException();
                });
                DrainLog();
                _host.WaitForExit(5000);
            }
            catch (TimeoutException)
            {
            }
        }
        _host.Dispose();
        _channel.Dispose();
    }

    // ---- the channel ----

    private MessageBuffer Request
    {
        get
        {
            if (_failure != null) throw Repeat(_failure);
            return _channel.Request;
        }
    }

    /// <summary>The FMI function name of this unit's version, e.g. fmi2DoStep.</summary>
    private string Function(string suffix) => $"fmi{(int)_version}{suffix}";

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

    /// <summary>Sends the queued request (ending it), waits for the answer and returns it positioned after the status.</summary>
    private MessageBuffer Exchange(string operation, TimeSpan? timeout = null)
    {
        _channel.Request.WriteInt((int)Op.End);
        if (_restartable && _checkpointLength >= 0) _replay.Add(_channel.Request.Written.ToArray());
        try
        {
            return RoundTrip(operation, timeout ?? _options.CallTimeout);
        }
        catch (HostFailedException e) when (_restartable && _checkpointLength >= 0)
        {
            return Recover(e, operation);
        }
    }

    private MessageBuffer RoundTrip(string operation, TimeSpan timeout)
    {
        _channel.SendRequest();
        _calls++;
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        try
        {
            _channel.WaitResponse(_spinTicks, SliceMicroseconds, () => Supervise(operation, timeout, deadline));
            if (_options.MemoryLimitBytes != null && _calls >= _nextMemoryCheck)
            {
                _nextMemoryCheck = _calls + 256; // reading /proc costs ~10 us: not every call
                CheckMemory(operation);
            }
        }
        finally
        {
            _channel.Request.Clear();
        }
        DrainLog();
        var response = _channel.Response;
        if (response.ReadInt() == Protocol.Failed) throw Protocol.ReadError(response, Name);
        return response;
    }

    /// <summary>Called while the parent sleeps on the channel: throws when the host died, hangs or grew too large.</summary>
    private void Supervise(string operation, TimeSpan timeout, long deadline)
    {
        if (_host.HasExited)
        {
            var (fault, reason) = _host.DescribeExit();
            Fail(fault, reason, operation);
        }
        if (Stopwatch.GetTimestamp() > deadline)
        {
            _host.Kill();
            Fail(HostFault.Timeout, $"the FMU host process (pid {_host.Pid}) did not answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (a hang?) and was killed", operation);
        }
        if (_options.MemoryLimitBytes != null) CheckMemory(operation);
    }

    private void CheckMemory(string operation)
    {
        if (_options.MemoryLimitBytes is not { } limit || _host.ResidentBytes() is not { } rss || rss <= limit) return;
        _host.Kill();
        Fail(HostFault.MemoryLimit,
            $"the FMU host process (pid {_host.Pid}) used {rss >> 20} MiB, over the memory limit of {limit >> 20} MiB, and was killed", operation);
    }

    private void Fail(HostFault fault, string reason, string operation)
    {
        DrainLog();
        var message = reason + (LastLogMessage is { } last ? $"; the FMU's last message: {last}" : "");
        _failure = new HostFailedException(message, Name, operation, _time, fault);
        throw _failure;
    }

    private HostFailedException Repeat(HostFailedException e) => new(e.Message, Name, e.Operation ?? "?", e.Time, e.Fault);

    /// <summary>Forwards the FMU's messages the host put into the log area to the parent's log.</summary>
    private void DrainLog()
    {
        var length = _channel.LogLength;
        if (length == 0) return;
        var log = _channel.Log;
        log.Reset(length);
        while (!log.AtEnd)
        {
            var level = (LogLevel)log.ReadInt();
            var source = log.ReadString() ?? Name;
            var message = log.ReadString() ?? "";
            if (level >= LogLevel.Warning || LastLogMessage == null) LastLogMessage = message;
            _log.Log(level, source, message);
        }
        _channel.LogLength = 0;
        var dropped = _channel.LogDropped;
        if (dropped > 0)
        {
            _log.Log(LogLevel.Warning, Name, $"{dropped} FMU log messages did not fit into the isolation channel and were dropped");
            _channel.LogDropped = 0;
        }
    }

    private (SharedChannel, HostProcess) StartHost(out bool canSave, out ComponentVariable[] variables)
    {
        var channel = SharedChannel.Create();
        HostProcess? host = null;
        try
        {
            host = new HostProcess(channel.Path, _options.HostPath, _log, Name);
            (_channel, _host) = (channel, host);
            _failure = null;
            channel.Request.Clear();
            channel.Request.WriteInt((int)Op.Open);
            Protocol.WriteSpec(channel.Request, _spec);
            channel.Request.WriteInt((int)Op.End);
            var response = RoundTrip("load FMU", _options.StartTimeout);
            channel.Unlink(); // both sides have it mapped; nothing to clean up in /dev/shm from now on
            canSave = response.ReadBool();
            variables = Protocol.ReadVariables(response);
            return (channel, host);
        }
        catch
        {
            host?.Dispose();
            channel.Dispose();
            throw;
        }
    }

    private void StoreCheckpoint(MessageBuffer response)
    {
        _checkpointLength = response.ReadBytesInto(ref _checkpoint);
        _replay.Clear();
    }

    /// <summary>Restarts the host from the checkpoint and replays the requests since then, the last of which failed.</summary>
    private MessageBuffer Recover(HostFailedException failure, string operation)
    {
        var replay = _replay.ToArray();
        while (true)
        {
            if (Restarts >= _options.MaxRestarts)
            {
                _failure = new HostFailedException($"{failure.Message} (after {Restarts} restarts)", Name, operation, _time, failure.Fault);
                throw _failure;
            }
            Restarts++;
            _log.Log(LogLevel.Warning, Name, $"{failure.Describe()}; restarting the FMU host from the state saved after the last step (restart {Restarts} of at most {_options.MaxRestarts})");
            _hostGeneration++;
            _host.Dispose();
            _channel.Dispose();
            try
            {
                StartHost(out _, out _);
                var request = _channel.Request;
                request.WriteInt((int)Op.Instantiate);
                foreach (var a in _accessors) WriteCreateAccessor(request, a.Variables);
                var (start, stop, tolerance) = _enter!.Value;
                WriteEnter(request, start, stop, tolerance);
                request.WriteInt((int)Op.ExitInitialization);
                request.WriteInt((int)Op.LoadCheckpoint);
                request.WriteBytes(_checkpoint.AsSpan(0, _checkpointLength));
                request.WriteInt((int)Op.End);
                RoundTrip("restore after restart", _options.StartTimeout);
                MessageBuffer? last = null;
                foreach (var bytes in replay)
                {
                    _channel.Request.WriteRaw(bytes);
                    last = RoundTrip(operation, _options.CallTimeout);
                }
                _replay.Clear();
                _replay.AddRange(replay);
                return last!;
            }
            catch (HostFailedException again)
            {
                failure = again;
            }
        }
    }

    private void QueueWrite(IsolatedAccessor accessor, ReadOnlySpan<double> values)
    {
        var request = Request;
        request.WriteInt((int)Op.Write);
        request.WriteInt(accessor.Id);
        request.WriteDoubles(values[..accessor.Variables.Length]);
        _valuesVersion++;
    }

    private void ReadRemote(IsolatedAccessor accessor, Span<double> values)
    {
        var request = Request;
        request.WriteInt((int)Op.Read);
        request.WriteInt(accessor.Id);
        var response = Exchange(Function("Get*"));
        response.ReadDoubles(accessor.Cache);
        accessor.CacheVersion = _valuesVersion;
        accessor.Prefetch = true; // read once, so read again after each step: send it with the step
        accessor.Cache.CopyTo(values);
    }

    private void QueueFree(IsolatedState state)
    {
        if (_failure != null || state.Generation != _hostGeneration) return;
        _channel.Request.WriteInt((int)Op.FreeState);
        _channel.Request.WriteInt(state.Id);
    }

    private sealed class IsolatedAccessor(IsolatedUnit owner, int id, int[] variables) : IValueAccessor
    {
        public int Id { get; } = id;
        public int[] Variables { get; } = variables;
        public double[] Cache { get; } = new double[variables.Length];
        public int CacheVersion { get; set; } = -1;
        public bool Prefetch { get; set; }

        IReadOnlyList<int> IValueAccessor.Variables => Variables;

        public void Read(Span<double> values)
        {
            if (CacheVersion == owner._valuesVersion)
            {
                Cache.CopyTo(values);
                return;
            }
            owner.ReadRemote(this, values);
        }

        public void Write(ReadOnlySpan<double> values) => owner.QueueWrite(this, values);
    }

    private sealed class IsolatedState(IsolatedUnit owner, int id, int generation) : IComponentState
    {
        private bool _disposed;
        public IsolatedUnit Owner { get; } = owner;
        public int Id { get; } = id;
        public int Generation { get; } = generation;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Owner.QueueFree(this);
        }
    }
}
