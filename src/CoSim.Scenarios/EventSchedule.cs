using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// When the scenario's events fire, checked at each communication point before the step from it: an
/// <c>At</c> event once, at the first point at or after its time; an <c>Every</c> event at the first point at or
/// after each of its times (its first time, default the run's start, plus whole periods; several times passed in
/// one step fire it once); a <c>When</c> event on each rising edge of its condition (a condition already true at
/// the start fires at the start). At a point the At events go first, then Every, then When, each in declaration
/// order. A condition that throws is a <see cref="ScenarioActionException"/> naming the event.
/// </summary>
internal sealed class EventSchedule(Scenario scenario)
{
    private bool[] _atFired = [];
    private long[] _everyNext = [];
    private bool[] _whenBefore = [];

    /// <summary>Whether the scenario has no events at all (then nothing needs observing or writing for them).</summary>
    public bool IsEmpty => scenario.AtEvents.Count + scenario.EveryEvents.Count + scenario.WhenEvents.Count == 0;

    /// <summary>Starts over for a run from <paramref name="start"/>: nothing fired, every Every event due at its first time.</summary>
    public void Reset(SimTime start)
    {
        _atFired = new bool[scenario.AtEvents.Count];
        _whenBefore = new bool[scenario.WhenEvents.Count];
        _everyNext = scenario.EveryEvents.Select(e => (e.First is { } first ? SimTime.FromSeconds(first) : start).Ticks).ToArray();
    }

    /// <summary>Checkpoint: which At events fired, when each Every event is due next, each When condition's last value.</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(_atFired.Length);
        foreach (var b in _atFired) w.Write(b);
        w.Write(_everyNext.Length);
        foreach (var t in _everyNext) w.Write(t);
        w.Write(_whenBefore.Length);
        foreach (var b in _whenBefore) w.Write(b);
    }

    /// <summary>Reads what <see cref="Save"/> wrote (the scenario must have the same events).</summary>
    public void Restore(BinaryReader r)
    {
        _atFired = new bool[Expect(r.ReadInt32(), scenario.AtEvents.Count, "At")];
        for (var i = 0; i < _atFired.Length; i++) _atFired[i] = r.ReadBoolean();
        _everyNext = new long[Expect(r.ReadInt32(), scenario.EveryEvents.Count, "Every")];
        for (var i = 0; i < _everyNext.Length; i++) _everyNext[i] = r.ReadInt64();
        _whenBefore = new bool[Expect(r.ReadInt32(), scenario.WhenEvents.Count, "When")];
        for (var i = 0; i < _whenBefore.Length; i++) _whenBefore[i] = r.ReadBoolean();
    }

    private static int Expect(int saved, int now, string kind) =>
        saved == now ? now : throw new InputException($"checkpoint: the scenario had {saved} {kind} events, it has {now}");

    /// <summary>Fires, through <paramref name="fire"/> (kind, name, action), the events due at <paramref name="time"/>.</summary>
    public void FireDue(SimTime time, Action<string, string, Action> fire)
    {
        for (var i = 0; i < _atFired.Length; i++)
        {
            var e = scenario.AtEvents[i];
            if (_atFired[i] || time.Ticks < e.Time.Ticks) continue;
            _atFired[i] = true;
            fire("at", e.Name, e.Action);
        }
        for (var i = 0; i < _everyNext.Length; i++)
        {
            var e = scenario.EveryEvents[i];
            if (time.Ticks < _everyNext[i]) continue;
            while (_everyNext[i] <= time.Ticks) _everyNext[i] += e.Period.Ticks;
            fire("every", e.Name, e.Action);
        }
        for (var i = 0; i < _whenBefore.Length; i++)
        {
            var e = scenario.WhenEvents[i];
            bool now;
            try
            {
                now = e.Condition();
            }
            catch (Exception ex)
            {
                throw new ScenarioActionException($"event '{e.Name}'", time, ex);
            }
            var rising = now && !_whenBefore[i];
            _whenBefore[i] = now;
            if (rising) fire("when", e.Name, e.Action);
        }
    }
}
