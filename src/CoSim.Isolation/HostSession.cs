using System.Diagnostics;
using System.Globalization;
using CoSim.Core;
using CoSim.Fmi.Description;

namespace CoSim.Isolation;

/// <summary>
/// The conversation with one FMU host process (CoSim.FmuHost) over a <see cref="SharedChannel"/>, for an
/// <see cref="IsolatedFmuComponent"/>: requests are queued into <see cref="Request"/> and sent by
/// <see cref="Exchange"/>, which waits for the answer while supervising the host. A host that dies, does not answer
/// within <see cref="IsolationOptions.CallTimeout"/> or exceeds <see cref="IsolationOptions.MemoryLimitBytes"/>
/// becomes a <see cref="HostFailedException"/> naming the component, the FMI function, the time and the reason,
/// and every later request repeats it. The FMU's log messages are forwarded to the parent's log after each answer.
/// With <see cref="EnableRestart"/> the session keeps the checkpoint the host sends and the requests since, and on
/// a fault starts a new host, restores the checkpoint, replays those requests and answers as if nothing happened
/// (<see cref="Restarts"/>).
/// </summary>
internal sealed class HostSession : IDisposable
{
    private const long SliceMicroseconds = 5_000; // how often a sleeping parent checks on the host
    private readonly HostSpec _spec;
    private readonly IsolationOptions _options;
    private readonly ILogSink _log;
    private readonly string _name;
    private readonly FmiVersion _version;
    private readonly long _spinTicks;
    private SharedChannel _channel;
    private HostProcess _host;
    private HostFailedException? _failure;
    private long _calls;
    private long _nextMemoryCheck;
    private Action<MessageBuffer>? _reinitialize; // set when restartable: writes what brings a new host back to the checkpoint's setup
    private byte[] _checkpoint = [];
    private int _checkpointLength = -1;
    private readonly List<byte[]> _replay = [];

    /// <summary>Starts a host for <paramref name="spec"/> and opens the FMU there (whose answer gives <see cref="CanSaveState"/> and <see cref="Variables"/>).</summary>
    public HostSession(HostSpec spec, IsolationOptions options, ILogSink log, string name, FmiVersion version)
    {
        _spec = spec;
        _options = options;
        _log = log;
        _name = name;
        _version = version;
        _spinTicks = (long)(options.Spin.TotalSeconds * Stopwatch.Frequency);
        (_channel, _host) = StartHost(out var canSave, out var variables);
        CanSaveState = canSave;
        Variables = variables;
    }

    /// <summary>Whether the host can save the FMU's state.</summary>
    public bool CanSaveState { get; }

    /// <summary>The FMU's variables, as the host exposes them.</summary>
    public IReadOnlyList<ComponentVariable> Variables { get; }

    /// <summary>The simulation time errors are reported at (the component keeps it current).</summary>
    public SimTime Time { get; set; }

    /// <summary>Process id of the current host (changes on a restart).</summary>
    public int HostProcessId => _host.Pid;

    /// <summary>Bumped by a restart: states saved in an earlier host are gone.</summary>
    public int HostGeneration { get; private set; }

    /// <summary>Hosts restarted after faults so far.</summary>
    public int Restarts { get; private set; }

    /// <summary>The last message the FMU logged (also kept when the host died right after).</summary>
    public string? LastLogMessage { get; private set; }

    /// <summary>How long loading or instantiating the FMU may take.</summary>
    public TimeSpan StartTimeout => _options.StartTimeout;

    /// <summary>Round trips to the host so far.</summary>
    public long RoundTrips => _calls;

    /// <summary>Whether the host failed (every request now repeats the failure).</summary>
    public bool Failed => _failure != null;

    /// <summary>Whether the session restarts a failed host (<see cref="EnableRestart"/>).</summary>
    public bool Restartable => _reinitialize != null;

    /// <summary>The request being queued; throws the host's failure again once it failed.</summary>
    public MessageBuffer Request
    {
        get
        {
            if (_failure != null) throw Repeat(_failure);
            return _channel.Request;
        }
    }

    /// <summary>Queues on the request without the failure check: for requests that may be dropped silently (freeing a state).</summary>
    public MessageBuffer PendingRequest => _channel.Request;

    /// <summary>The FMI function name of this FMU's version, e.g. fmi2DoStep.</summary>
    public string Function(string suffix) => $"fmi{(int)_version}{suffix}";

    /// <summary>
    /// Restarts a failed host from the last checkpoint (<see cref="StoreCheckpoint"/>): <paramref name="reinitialize"/>
    /// writes the requests that bring a new host to where the checkpoint can be loaded.
    /// </summary>
    public void EnableRestart(Action<MessageBuffer> reinitialize) => _reinitialize = reinitialize;

    /// <summary>Keeps the checkpoint at the response's position; the requests replayed after a restart start after it.</summary>
    public void StoreCheckpoint(MessageBuffer response)
    {
        _checkpointLength = response.ReadBytesInto(ref _checkpoint);
        _replay.Clear();
    }

    /// <summary>Sends the queued request (ending it), waits for the answer and returns it positioned after the status.</summary>
    public MessageBuffer Exchange(string operation, TimeSpan? timeout = null)
    {
        _channel.Request.WriteInt((int)Op.End);
        var recoverable = Restartable && _checkpointLength >= 0;
        if (recoverable) _replay.Add(_channel.Request.Written.ToArray());
        try
        {
            return RoundTrip(operation, timeout ?? _options.CallTimeout);
        }
        catch (HostFailedException e) when (recoverable)
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
        if (response.ReadInt() == Protocol.Failed) throw Protocol.ReadError(response, _name);
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
        _failure = new HostFailedException(message, _name, operation, Time, fault);
        throw _failure;
    }

    private HostFailedException Repeat(HostFailedException e) => new(e.Message, _name, e.Operation ?? "?", e.Time, e.Fault);

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
            var source = log.ReadString() ?? _name;
            var message = log.ReadString() ?? "";
            if (level >= LogLevel.Warning || LastLogMessage == null) LastLogMessage = message;
            _log.Log(level, source, message);
        }
        _channel.LogLength = 0;
        var dropped = _channel.LogDropped;
        if (dropped > 0)
        {
            _log.Log(LogLevel.Warning, _name, $"{dropped} FMU log messages did not fit into the isolation channel and were dropped");
            _channel.LogDropped = 0;
        }
    }

    private (SharedChannel, HostProcess) StartHost(out bool canSave, out ComponentVariable[] variables)
    {
        var channel = SharedChannel.Create();
        HostProcess? host = null;
        try
        {
            host = new HostProcess(channel.Path, _options.HostPath, _log, _name);
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

    /// <summary>Restarts the host from the checkpoint and replays the requests since then, the last of which failed.</summary>
    private MessageBuffer Recover(HostFailedException failure, string operation)
    {
        var replay = _replay.ToArray();
        while (true)
        {
            if (Restarts >= _options.MaxRestarts)
            {
                _failure = new HostFailedException($"{failure.Message} (after {Restarts} restarts)", _name, operation, Time, failure.Fault);
                throw _failure;
            }
            Restarts++;
            _log.Log(LogLevel.Warning, _name, $"{failure.Describe()}; restarting the FMU host from the state saved after the last step (restart {Restarts} of at most {_options.MaxRestarts})");
            HostGeneration++;
            _host.Dispose();
            _channel.Dispose();
            try
            {
                StartHost(out _, out _);
                var request = _channel.Request;
                _reinitialize!(request);
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
}
