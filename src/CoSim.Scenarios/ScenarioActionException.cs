using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// Script code threw during the run (an event's action or condition, a fault's override function)
/// or while judging it (a custom assertion's predicate, a metric): a failed run (exit 1). The
/// original exception is the <see cref="Exception.InnerException"/>, with its stack, so a script
/// host can map it to the script's line.
/// </summary>
/// <param name="source">What ran the code, e.g. <c>event 'valve closes'</c> or <c>assertion 'level band'</c>.</param>
/// <param name="time">The communication point (for an assertion or metric: the run's end).</param>
/// <param name="inner">The script's exception.</param>
public sealed class ScenarioActionException(string source, SimTime time, Exception inner)
    : SimulationException($"{source}: {inner.Message}", null, "scenario code", time, inner)
{
    /// <summary>What ran the code that threw, e.g. <c>event 'valve closes'</c>.</summary>
    public string Origin { get; } = source;
}
