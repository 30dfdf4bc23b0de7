using CoSim.Core;
using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// The stepping of model exchange, one loop for a single FMU (<see cref="FmuModelExchangeComponent"/>) and for a
/// strongly coupled group of them (<see cref="StronglyCoupledGroup"/>). A step integrates to the communication point
/// and stops on the way at time events (the next event time), state events (sign changes of event indicators,
/// located by the integrator) and step events (a completed integrator step asking for event mode); each is handled
/// by the component's <see cref="HandleEvent"/>. Inputs written since the last step are an input event at its start (a
/// piecewise-constant input is a discontinuity). Events never end a step early: it completes at t + h, unless a
/// terminate request ends it with <see cref="StepStatus.Terminated"/> where it was raised.
/// Between events the integrator does not stop at communication points: it steps as its error control allows
/// (<see cref="IIntegrator.AdvanceFreely"/>, stopping only at the next time event and the stop time) and the outputs
/// at a communication point come from its interpolant, the FMU(s) set to the interpolated state there. That is valid
/// because whatever changes the right-hand side at a communication point (a changed input) is an input event,
/// which restarts the integrator from that interpolated state.
/// </summary>
public abstract class ModelExchangeStepping
{
    /// <summary>Event iterations or events at one time instant beyond which the model is taken to chatter.</summary>
    public const int MaxEventsPerInstant = 1000;

    private protected IIntegrator? Integrator;
    private protected double CurrentTime;
    private protected double? NextEventTime;
    /// <summary>The stop time the FMU(s) were told at initialization (+∞ when none): the integrator never steps past it.</summary>
    private protected double StopTime = double.PositiveInfinity;
    /// <summary><see cref="SolverOptions.StopAtOutputs"/>: stop at every communication point (no interpolated outputs).</summary>
    private protected bool StopAtOutputs;
    private protected bool Initialized, TerminateRequested, InputsChanged;
    private protected long TimeEvents, StateEvents, StepEvents, InputEvents, EventIterations, Restarts;

    /// <summary>The component's instance name (errors carry it).</summary>
    public abstract string Name { get; }

    /// <summary>Sets the FMU(s) to the point the integrator reached, so that outputs and event handling see it.</summary>
    private protected abstract void MoveTo(double time, ReadOnlySpan<double> states);

    /// <summary>Event mode at the current time: enter, iterate, back to continuous time and the integrator restarted if needed (or a terminate requested).</summary>
    private protected abstract void HandleEvent(ModelExchangeEventKind kind);

    /// <summary>What chatters, for the error when events pile up at one instant ("the model", "the group").</summary>
    private protected abstract string Subject { get; }

    /// <summary>The work done so far, under the integrator's name (<paramref name="solver"/> before there is one).</summary>
    private protected ModelExchangeStatistics StatisticsOf(string solver) =>
        new(Integrator?.Name ?? solver, Integrator?.Statistics ?? default, TimeEvents, StateEvents, StepEvents, InputEvents, EventIterations, Restarts);

    /// <summary>Integrates from <paramref name="time"/> to <paramref name="time"/> + <paramref name="step"/>, handling the events on the way.</summary>
    public StepResult Step(SimTime time, SimTime step)
    {
        if (!Initialized || (Integrator == null && !TerminateRequested))
            throw new InvalidOperationException("Step before ExitInitialization");
        if (TerminateRequested) return new StepResult(StepStatus.Terminated, SimTime.FromSeconds(CurrentTime));
        var tEnd = (time + step).Seconds;
        if (InputsChanged)
        {
            InputsChanged = false;
            InputEvents++;
            HandleEvent(ModelExchangeEventKind.Input);
            if (TerminateRequested) return new StepResult(StepStatus.Terminated, SimTime.FromSeconds(CurrentTime));
        }
        var integrator = Integrator!;
        var eventsHere = 0;
        var lastEventTime = double.NaN;
        while (CurrentTime < tEnd)
        {
            // A time event a rounding error past the communication point (0.1 * 3 = 0.30000000000000004)
            // is the event at that point: handle it now, so the outputs at t+h are the post-event ones,
            // as a co-simulation FMU's are.
            var timeEvent = NextEventTime is { } te && te <= tEnd + TimeEventSlack(tEnd);
            var target = timeEvent ? Math.Min(Math.Max(NextEventTime!.Value, CurrentTime), tEnd) : tEnd;
            var horizon = timeEvent ? target : Math.Min(NextEventTime ?? double.PositiveInfinity, StopTime);
            var result = StopAtOutputs ? integrator.Advance(target) : integrator.AdvanceFreely(target, horizon);
            CurrentTime = result.Time;
            MoveTo(CurrentTime, integrator.State);
            switch (result.Reason)
            {
                case StopReason.ReachedTarget when !timeEvent:
                    continue;
                case StopReason.ReachedTarget:
                    TimeEvents++;
                    break;
                case StopReason.StateEvent:
                    StateEvents++;
                    break;
                case StopReason.StepEvent:
                    StepEvents++;
                    break;
                case StopReason.Terminate:
                    TerminateRequested = true;
                    return new StepResult(StepStatus.Terminated, SimTime.FromSeconds(CurrentTime));
            }
            eventsHere = CurrentTime == lastEventTime ? eventsHere + 1 : 0;
            lastEventTime = CurrentTime;
            if (eventsHere >= MaxEventsPerInstant)
                throw new SimulationException($"{MaxEventsPerInstant} events at the same time instant: {Subject} chatters", Name, "event handling",
                    SimTime.FromSeconds(CurrentTime));
            HandleEvent(result.Reason switch
            {
                StopReason.StateEvent => ModelExchangeEventKind.State,
                StopReason.StepEvent => ModelExchangeEventKind.Step,
                _ => ModelExchangeEventKind.Time,
            });
            if (TerminateRequested) return new StepResult(StepStatus.Terminated, SimTime.FromSeconds(CurrentTime));
        }
        return StepResult.Completed(time + step);
    }

    /// <summary>Checkpoints: the stepping loop's own state (time, next time event, pending input event, counters); the integrator is restarted, not saved.</summary>
    private protected void WriteSteppingState(BinaryWriter w)
    {
        w.Write(CurrentTime);
        w.Write(NextEventTime.HasValue);
        w.Write(NextEventTime ?? 0);
        w.Write(TerminateRequested);
        w.Write(InputsChanged);
        foreach (var n in (ReadOnlySpan<long>)[TimeEvents, StateEvents, StepEvents, InputEvents, EventIterations, Restarts]) w.Write(n);
    }

    /// <summary>Reads what <see cref="WriteSteppingState"/> wrote.</summary>
    private protected void ReadSteppingState(BinaryReader r)
    {
        CurrentTime = r.ReadDouble();
        var hasEvent = r.ReadBoolean();
        var te = r.ReadDouble();
        NextEventTime = hasEvent ? te : null;
        TerminateRequested = r.ReadBoolean();
        InputsChanged = r.ReadBoolean();
        TimeEvents = r.ReadInt64();
        StateEvents = r.ReadInt64();
        StepEvents = r.ReadInt64();
        InputEvents = r.ReadInt64();
        EventIterations = r.ReadInt64();
        Restarts = r.ReadInt64();
    }

    /// <summary>How far past a communication point a time event still counts as at it: floating-point noise only.</summary>
    private static double TimeEventSlack(double t) => 1e-10 * Math.Max(1.0, Math.Abs(t));
}
