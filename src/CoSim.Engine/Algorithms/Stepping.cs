using CoSim.Core;

namespace CoSim.Engine.Algorithms;

/// <summary>Stepping one component, and the rules for its step results, shared by every algorithm.</summary>
internal static class Stepping
{
    private const int MaxEarlyReturns = 10_000;

    /// <summary>
    /// Steps <paramref name="component"/> from <paramref name="from"/> to <paramref name="to"/>. A component
    /// that returns early (an FMI 3 event inside the step) is stepped again from where it stopped, with the
    /// same held inputs, until it reaches <paramref name="to"/>: to the master the step is one step, whoever
    /// else is in the system. Algorithms step through <see cref="CoupledComponent.Step"/>, which keeps the result.
    /// </summary>
    public static StepResult Step(IComponent component, SimTime from, SimTime to)
    {
        var result = component.Step(from, to - from);
        for (var i = 0; result.Status == StepStatus.EarlyReturn && i < MaxEarlyReturns; i++)
        {
            if (result.ReachedTime >= to)
            {
                result = StepResult.Completed(to);
                break;
            }
            if (result.ReachedTime < from) break; // went backwards: reported below
            from = result.ReachedTime;
            result = component.Step(from, to - from);
        }
        return result;
    }

    /// <summary>
    /// The result check of a step from <paramref name="from"/> that had to reach <paramref name="end"/>;
    /// returns the component's name when it asked to terminate. A failure is reported at the step's start.
    /// </summary>
    public static string? Check(CoupledComponent c, SimTime from, SimTime end, string retryHint)
    {
        var r = c.LastResult;
        return r.Status switch
        {
            StepStatus.Completed => null,
            StepStatus.Terminated => c.Name,
            StepStatus.Discarded => throw new SimulationException(
                $"the component discarded the step of {(end - from).Seconds} s (it reached {r.ReachedTime.Seconds} s){(retryHint.Length > 0 ? "; " + retryHint : "")}", c.Name, "doStep", from),
            _ => throw new SimulationException($"the component kept returning early and stopped at {r.ReachedTime.Seconds} s short of {end.Seconds} s", c.Name, "doStep", from),
        };
    }

    /// <summary>
    /// After a step in which components read their inputs as held at the step start, outputs with direct
    /// feedthrough are stale: write the inputs at the step end and read the outputs again, in the
    /// connection graph's order, for the components <paramref name="due"/> says ended a step here.
    /// </summary>
    public static void RefreshFeedthrough(CoupledSystem system, SimTime time, Func<CoupledComponent, bool> due)
    {
        foreach (var c in system.GaussSeidelOrder)
        {
            if (!c.RefreshAfterStep || !due(c)) continue;
            c.ComputeInputs(time);
            c.WriteInputs();
            c.ReadOutputs();
        }
    }

    /// <summary>Where a run that a component asked to end stops: the earliest point a terminating component reached (at most <paramref name="target"/>).</summary>
    public static SimTime TerminationPoint(ReadOnlySpan<CoupledComponent> stepped, SimTime target)
    {
        var end = target;
        foreach (var c in stepped)
            if (c.LastResult.Status == StepStatus.Terminated && c.LastResult.ReachedTime < end) end = c.LastResult.ReachedTime;
        return end;
    }
}
