using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// Work done by a model-exchange component: the integrator's counters (summed over restarts) and the
/// events handled, by cause. <see cref="EventIterations"/> counts fmi2NewDiscreteStates /
/// fmi3UpdateDiscreteStates calls, including those at initialization. <see cref="Restarts"/> counts
/// integrator restarts after events (an event that changed nothing continues the integration).
/// </summary>
public sealed record ModelExchangeStatistics(
    string Solver,
    IntegratorStatistics Integrator,
    long TimeEvents,
    long StateEvents,
    long StepEvents,
    long InputEvents,
    long EventIterations,
    long Restarts = 0)
{
    public override string ToString() =>
        $"{Solver}: {Integrator.Steps} steps, {Integrator.RejectedSteps} rejected, {Integrator.FunctionEvaluations} f-evals, " +
        $"{Integrator.EventIndicatorEvaluations} g-evals; events: {TimeEvents} time, {StateEvents} state, {StepEvents} step, {InputEvents} input; {Restarts} restarts";
}

/// <summary>What caused an event of a model-exchange component.</summary>
public enum ModelExchangeEventKind
{
    /// <summary>The FMU's next event time was reached.</summary>
    Time,
    /// <summary>An event indicator changed sign.</summary>
    State,
    /// <summary>The FMU asked for event mode after a completed integrator step.</summary>
    Step,
    /// <summary>Inputs were written between two steps.</summary>
    Input,
}

/// <summary>One event of a model-exchange component: when (seconds) and why.</summary>
public readonly record struct ModelExchangeEvent(double Time, ModelExchangeEventKind Kind);
