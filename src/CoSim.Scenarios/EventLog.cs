using System.Globalization;
using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>An event or fault change during the run: what triggered, when.</summary>
/// <param name="Time">The communication point it happened at [s].</param>
/// <param name="Kind"><c>at</c>, <c>when</c>, <c>every</c>, <c>fault-start</c> or <c>fault-end</c>.</param>
/// <param name="Name">The event's or fault's name.</param>
public sealed record TriggeredEvent(double Time, string Kind, string Name)
{
    /// <summary>"t=12.5 s: when 'level high'".</summary>
    public override string ToString() => $"t={Time.ToString("R", CultureInfo.InvariantCulture)} s: {Kind} '{Name}'";
}

/// <summary>
/// What triggered during a run, in order, each entry also written to the log under "scenario" (<c>every</c>
/// events at debug level, as they repeat; the rest at info). The run writes it on the simulation thread; a
/// reader on another thread (progress, the outcome) gets a consistent copy.
/// </summary>
internal sealed class EventLog(ILogSink log)
{
    private readonly Lock _gate = new();
    private readonly List<TriggeredEvent> _events = [];

    /// <summary>A copy of what triggered so far, in order.</summary>
    public IReadOnlyList<TriggeredEvent> Snapshot()
    {
        lock (_gate) return _events.ToList();
    }

    /// <summary>Checkpoint: what triggered up to the checkpoint.</summary>
    public void Save(BinaryWriter w)
    {
        lock (_gate)
        {
            w.Write(_events.Count);
            foreach (var e in _events)
            {
                w.Write(e.Time);
                w.Write(e.Kind);
                w.Write(e.Name);
            }
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote, in place of what this run logged so far.</summary>
    public void Restore(BinaryReader r)
    {
        var n = r.ReadInt32();
        var events = new List<TriggeredEvent>(n);
        for (var i = 0; i < n; i++) events.Add(new TriggeredEvent(r.ReadDouble(), r.ReadString(), r.ReadString()));
        lock (_gate)
        {
            _events.Clear();
            _events.AddRange(events);
        }
    }

    /// <summary>Records that <paramref name="name"/> (of <paramref name="kind"/>) triggered at <paramref name="time"/>.</summary>
    public void Record(SimTime time, string kind, string name)
    {
        var e = new TriggeredEvent(time.Seconds, kind, name);
        lock (_gate) _events.Add(e);
        log.Log(kind == "every" ? LogLevel.Debug : LogLevel.Info, "scenario", e.ToString());
    }
}
