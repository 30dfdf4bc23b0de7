using System.Diagnostics;
using CoSim.Core;

namespace CoSim.Engine.Execution;

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>Reached the stop time.</summary>
    Completed,
    /// <summary>A unit asked to terminate; results up to that time are kept.</summary>
    TerminatedByUnit,
    /// <summary>Stopped on request (Ctrl+C, a scenario); results up to that time are kept.</summary>
    Stopped,
}

/// <summary>Statistics of a finished run.</summary>
public sealed record RunReport(RunOutcome Outcome, SimTime EndTime, long Steps, TimeSpan WallTime, string? Reason);

/// <summary>
/// Runs one unit over a <see cref="StepSchedule"/>: initialization with manipulators, then
/// manipulators -> step -> observers at every communication point. Observers are always finished
/// (flushing what they recorded) whether the run completes, is stopped, or fails; the unit is
/// terminated when it was initialized (a unit that failed knows to skip that itself).
/// </summary>
public sealed class SingleUnitExecution
{
    private readonly ISimulationUnit _unit;
    private readonly StepSchedule _schedule;
    // Arrays, not lists: the per-step loops must not allocate enumerators.
    private readonly IManipulator[] _manipulators;
    private readonly IObserver[] _observers;

    public SingleUnitExecution(ISimulationUnit unit, StepSchedule schedule, IReadOnlyList<IManipulator> manipulators, IReadOnlyList<IObserver> observers)
    {
        _unit = unit;
        _schedule = schedule;
        _manipulators = manipulators.ToArray();
        _observers = observers.ToArray();
    }

    /// <summary>Parameter and start values applied after instantiation: (variable index, text).</summary>
    public IReadOnlyList<(int Variable, string Value)> StartValues { get; init; } = [];

    /// <summary>Relative tolerance handed to the unit, if any.</summary>
    public double? Tolerance { get; init; }

    /// <summary>Called every few thousand steps with the fraction done (0..1), for progress display.</summary>
    public Action<double>? Progress { get; init; }

    public RunReport Run(CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var time = _schedule.Start;
        long steps = 0;
        Exception? failure = null;
        var initialized = false;
        try
        {
            _unit.Instantiate();
            foreach (var (variable, value) in StartValues) _unit.SetFromText(variable, value);
            _unit.EnterInitialization(_schedule.Start, _schedule.Stop, Tolerance);
            initialized = true;
            foreach (var m in _manipulators) m.Initialize(time);
            _unit.ExitInitialization();
            foreach (var o in _observers) o.Started(time);

            var (outcome, reason) = StepThrough(ref time, ref steps, cancel);
            return Finish(outcome, time, steps, clock, reason);
        }
        catch (Exception e)
        {
            failure = e;
            if (e is SimulationException { Time: null } se) se.Time = time;
            throw;
        }
        finally
        {
            // Finish observers first: whatever was recorded reaches the disk even if terminate fails.
            Exception? observerFailure = null;
            foreach (var o in _observers)
            {
                try { o.Finished(time, failure); }
                catch (Exception e) { observerFailure ??= e; }
            }
            if (initialized)
            {
                try { _unit.Terminate(); }
                catch (Exception) when (failure != null) { /* the first failure is the one to report */ }
            }
            if (observerFailure != null && failure == null) throw observerFailure;
        }
    }

    /// <summary>
    /// The stepping loop, kept apart from the set-up and clean-up so that its state lives in registers:
    /// it is the hot path whose overhead over a plain C loop the benchmark measures.
    /// </summary>
    private (RunOutcome, string?) StepThrough(ref SimTime timeOut, ref long stepsOut, CancellationToken cancel)
    {
        var unit = _unit;
        var manipulators = _manipulators;
        var observers = _observers;
        var schedule = _schedule;
        var progress = Progress;
        var total = schedule.StepCount;
        var progressEvery = Math.Max(1, total / 200);
        var time = timeOut;
        long steps = 0;
        try
        {
            for (long n = 0; n < total; n++)
            {
                if (cancel.IsCancellationRequested) return (RunOutcome.Stopped, "stopped on request");
                for (var i = 0; i < manipulators.Length; i++) manipulators[i].StepCommencing(time);
                var next = schedule.Point(n + 1);
                var result = unit.Step(time, next - time);
                if (result.Status == StepStatus.Completed)
                    time = next;
                else
                {
                    switch (result.Status)
                    {
                        case StepStatus.Terminated:
                            time = result.ReachedTime;
                            steps++;
                            foreach (var o in observers) o.StepComplete(time);
                            return (RunOutcome.TerminatedByUnit, $"'{unit.Name}' asked to terminate the simulation");
                        case StepStatus.Discarded:
                            throw new SimulationException(
                                $"the unit discarded the step of {(next - time).Seconds} s (it reached {result.ReachedTime.Seconds} s); " +
                                "a smaller --step may help, or a system run with the variable-step algorithm", unit.Name, "doStep", time);
                        default: // EarlyReturn: go on from where the unit stopped to the next communication point
                            time = result.ReachedTime;
                            break;
                    }
                }
                steps++;
                for (var i = 0; i < observers.Length; i++) observers[i].StepComplete(time);
                if (progress != null && n % progressEvery == 0) progress((double)(n + 1) / total);
            }
            return (RunOutcome.Completed, null);
        }
        finally
        {
            timeOut = time;
            stepsOut = steps;
        }
    }

    private RunReport Finish(RunOutcome outcome, SimTime time, long steps, Stopwatch clock, string? reason) =>
        new(outcome, time, steps, clock.Elapsed, reason);
}
