using CoSim.Core;

namespace CoSim.Fmi.ModelExchange;

/// <summary>The end of a <see cref="GroupEventIteration"/>: a member asked to terminate, or the earliest next time event (null: none).</summary>
internal readonly record struct GroupEventOutcome(bool Terminate, double? NextEventTime);

/// <summary>
/// Event iteration across the members of a strongly coupled group, all in event mode: each round updates every
/// member's discrete states and re-propagates the connections; it ends when no member asks for another round and
/// no connected value changed (a member's new output is then seen by the members it feeds), or at once when a
/// member asks to terminate. More than <see cref="ModelExchangeStepping.MaxEventsPerInstant"/> rounds are an error.
/// </summary>
internal static class GroupEventIteration
{
    /// <summary>Iterates at group time <paramref name="time"/>; <paramref name="iterations"/> counts the members' discrete-state updates.</summary>
    public static GroupEventOutcome Run(IReadOnlyList<FmuModelExchangeComponent> members, Func<bool> propagate, string group, double time, ref long iterations)
    {
        for (var round = 0; ; round++)
        {
            if (round >= ModelExchangeStepping.MaxEventsPerInstant)
                throw new SimulationException($"event iteration across the group did not converge after {round} rounds", group,
                    "event iteration", SimTime.FromSeconds(time));
            var again = false;
            double? next = null;
            foreach (var m in members)
            {
                iterations++;
                var update = m.Instance.UpdateDiscreteStates();
                if (update.TerminateSimulation) return new GroupEventOutcome(true, null);
                again |= update.DiscreteStatesNeedUpdate;
                if (update.NextEventTime is { } t) next = next is { } n ? Math.Min(n, t) : t;
            }
            again |= propagate();
            if (!again) return new GroupEventOutcome(false, next);
        }
    }
}
