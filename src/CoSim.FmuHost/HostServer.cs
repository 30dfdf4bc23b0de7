using System.Diagnostics;
using System.Text.Json;
using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.CoSimulation;
using CoSim.Fmi.ModelExchange;
using CoSim.Isolation;
using CoSim.Solvers;

namespace CoSim.FmuHost;

/// <summary>
/// Serves the requests of one parent on one FMU component, created in this process by the same classes
/// an in-process component uses, so that both compute the same numbers. Exceptions go back to the
/// parent as they were thrown (type, message, component, function, time, the FMU's last message).
/// </summary>
internal sealed class HostServer(SharedChannel channel) : IDisposable
{
    // Spin a little after answering: at step rate the next request follows within microseconds.
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000; // 100 us
    private readonly List<IValueAccessor> _accessors = [];
    private readonly Dictionary<int, IComponentState> _states = [];
    private IComponent? _unit;
    private double[] _scratch = new double[64];
    private int _nextState = 1;

    private IComponent Unit => _unit ?? throw new InvalidOperationException("the unit was not opened");

    public void Run()
    {
        var log = new ChannelLogSink(channel);
        while (true)
        {
            channel.WaitRequest(SpinTicks, 1_000_000, static () => { });
            log.BeginRequest();
            var goOn = Serve(log);
            channel.SendResponse();
            if (!goOn) return;
        }
    }

    private bool Serve(ILogSink log)
    {
        var request = channel.Request;
        var response = channel.Response;
        response.Clear();
        response.WriteInt(Protocol.Done);
        try
        {
            while (true)
            {
                var op = (Op)request.ReadInt();
                switch (op)
                {
                    case Op.End:
                        return true;
                    case Op.Shutdown:
                        return false;
                    case Op.Open:
                        Open(Protocol.ReadSpec(request), log);
                        break;
                    case Op.Instantiate:
                        Unit.Instantiate();
                        break;
                    case Op.EnterInitialization:
                    {
                        var start = new SimTime(request.ReadLong());
                        var hasStop = request.ReadBool();
                        var stop = new SimTime(request.ReadLong());
                        var hasTolerance = request.ReadBool();
                        var tolerance = request.ReadDouble();
                        Unit.EnterInitialization(start, hasStop ? stop : null, hasTolerance ? tolerance : null);
                        break;
                    }
                    case Op.ExitInitialization:
                        Unit.ExitInitialization();
                        break;
                    case Op.Step:
                        Step(request, response);
                        break;
                    case Op.Terminate:
                        Unit.Terminate();
                        break;
                    case Op.CreateAccessor:
                    {
                        var indices = new int[request.ReadInt()];
                        for (var i = 0; i < indices.Length; i++) indices[i] = request.ReadInt();
                        _accessors.Add(Unit.CreateAccessor(indices));
                        response.WriteInt(_accessors.Count - 1);
                        break;
                    }
                    case Op.Read:
                        ReadAccessor(request.ReadInt(), response);
                        break;
                    case Op.Write:
                    {
                        var accessor = _accessors[request.ReadInt()];
                        var values = Scratch(accessor.Variables.Count);
                        request.ReadDoubles(values);
                        accessor.Write(values);
                        break;
                    }
                    case Op.SetText:
                    {
                        var variable = request.ReadInt();
                        Unit.SetFromText(variable, request.ReadString() ?? "");
                        break;
                    }
                    case Op.GetText:
                        response.WriteString(Unit.GetAsText(request.ReadInt()));
                        break;
                    case Op.SaveState:
                        _states[_nextState] = Unit.SaveState();
                        response.WriteInt(_nextState++);
                        break;
                    case Op.RestoreState:
                        Unit.RestoreState(State(request.ReadInt()));
                        break;
                    case Op.FreeState:
                    {
                        var id = request.ReadInt();
                        if (_states.Remove(id, out var state)) state.Dispose();
                        break;
                    }
                    case Op.SerializeState:
                        response.WriteBytes(CoSimulation.Serialize(State(request.ReadInt())));
                        break;
                    case Op.DeserializeState:
                        _states[_nextState] = CoSimulation.Deserialize(request.ReadBytes());
                        response.WriteInt(_nextState++);
                        break;
                    case Op.SaveCheckpoint:
                        WriteCheckpoint(response);
                        break;
                    case Op.LoadCheckpoint:
                    {
                        using var state = CoSimulation.Deserialize(request.ReadBytes());
                        Unit.RestoreState(state);
                        break;
                    }
                    case Op.CheckpointProblem:
                        response.WriteString(Unit is ICheckpointable c ? c.CheckpointProblem : "the hosted component cannot be checkpointed");
                        break;
                    case Op.SaveUnitCheckpoint:
                        response.WriteBytes(CheckpointIO.Save((ICheckpointable)Unit, new SimTime(request.ReadLong())));
                        break;
                    case Op.RestoreUnitCheckpoint:
                    {
                        var time = new SimTime(request.ReadLong());
                        CheckpointIO.Restore((ICheckpointable)Unit, request.ReadBytes(), time, Unit.Name);
                        break;
                    }
                    default:
                        throw new InvalidDataException($"unknown operation {(int)op} in a request");
                }
            }
        }
        catch (Exception e)
        {
            Protocol.WriteError(response, e);
            return true;
        }
    }

    private FmuCoSimulationComponent CoSimulation =>
        _unit as FmuCoSimulationComponent ?? throw new SimulationException("serializing the state needs a co-simulation FMU", _unit?.Name, "SerializeFMUState");

    private IComponentState State(int id) =>
        _states.TryGetValue(id, out var state) ? state : throw new ArgumentException($"no saved state {id} in the FMU host");

    private void Open(HostSpec spec, ILogSink log)
    {
        var archive = FmuArchive.Open(spec.FmuPath);
        if (spec.ModelExchange)
        {
            var solver = spec.SolverJson is { } json ? JsonSerializer.Deserialize<SolverOptions>(json) : null;
            _unit = new FmuModelExchangeComponent(archive, spec.InstanceName, log, solver, spec.LoggingOn);
        }
        else
        {
            _unit = new FmuCoSimulationComponent(archive, spec.InstanceName, log, spec.LoggingOn);
        }
        var response = channel.Response;
        response.WriteBool(_unit.CanSaveState);
        Protocol.WriteVariables(response, _unit.Variables);
    }

    private void Step(MessageBuffer request, MessageBuffer response)
    {
        var t = new SimTime(request.ReadLong());
        var h = new SimTime(request.ReadLong());
        var result = Unit.Step(t, h);
        response.WriteInt((int)result.Status);
        response.WriteLong(result.ReachedTime.Ticks);
        var prefetch = request.ReadInt();
        response.WriteInt(prefetch);
        for (var k = 0; k < prefetch; k++)
        {
            var id = request.ReadInt();
            response.WriteInt(id);
            ReadAccessor(id, response);
        }
        var checkpoint = request.ReadBool();
        if (checkpoint) WriteCheckpoint(response);
    }

    private void ReadAccessor(int id, MessageBuffer response)
    {
        var accessor = _accessors[id];
        var values = Scratch(accessor.Variables.Count);
        accessor.Read(values);
        response.WriteDoubles(values);
    }

    private void WriteCheckpoint(MessageBuffer response)
    {
        using var state = Unit.SaveState();
        response.WriteBytes(CoSimulation.Serialize(state));
    }

    private Span<double> Scratch(int count)
    {
        if (_scratch.Length < count) _scratch = new double[count];
        return _scratch.AsSpan(0, count);
    }

    public void Dispose()
    {
        foreach (var state in _states.Values) state.Dispose();
        _states.Clear();
        _unit?.Dispose();
    }

    /// <summary>Puts the FMU's messages into the channel's log area as they happen, so that they reach the parent even when the FMU then crashes.</summary>
    private sealed class ChannelLogSink(SharedChannel channel) : ILogSink
    {
        private readonly Lock _gate = new();

        public void BeginRequest()
        {
            lock (_gate)
                channel.Log.Clear(); // the parent drained the area before it sent the request
        }

        public void Log(LogLevel level, string source, string message)
        {
            lock (_gate)
            {
                if (Protocol.TryWriteLog(channel.Log, level, source, message)) channel.LogLength = channel.Log.Position;
                else channel.LogDropped++;
            }
        }
    }
}
