namespace CoSim.Fmi.Native;

/// <summary>What one round of event iteration (fmi2NewDiscreteStates / fmi3UpdateDiscreteStates) reported.</summary>
internal readonly record struct EventUpdate(
    bool DiscreteStatesNeedUpdate,
    bool TerminateSimulation,
    bool NominalsChanged,
    bool StatesChanged,
    double? NextEventTime);

/// <summary>
/// The model-exchange calls of an FMI instance, version-neutral, with the same error boundary as
/// <see cref="IFmiInstance"/> (Error/Fatal throw <see cref="FmiCallException"/>).
/// Call order (FMI 2.0 and 3.0 alike):
/// <code>
///   InstantiateModelExchange
///   EnterInitialization ... ExitInitialization          -- now in event mode
///   UpdateDiscreteStates until !DiscreteStatesNeedUpdate
///   EnterContinuousTimeMode
///   ( (SetTime SetContinuousStates GetDerivatives GetEventIndicators)* CompletedIntegratorStep )*
///   EnterEventMode  UpdateDiscreteStates*  EnterContinuousTimeMode  ...
///   Terminate
/// </code>
/// </summary>
internal interface IModelExchangeInstance : IFmiInstance
{
    void InstantiateModelExchange(bool visible, bool loggingOn);

    /// <summary>FMI 3 asks the instance (fmi3GetNumberOf...); FMI 2 returns null (the model description says).</summary>
    (int States, int EventIndicators)? QueryDimensions();

    void EnterEventMode();
    EventUpdate UpdateDiscreteStates();
    void EnterContinuousTimeMode();

    /// <summary>Returns (enterEventMode, terminateSimulation).</summary>
    (bool EnterEventMode, bool Terminate) CompletedIntegratorStep(bool noSetFmuStatePriorToCurrentPoint);

    void SetTime(double time);
    void SetContinuousStates(ReadOnlySpan<double> x);
    void GetDerivatives(Span<double> dx);
    void GetEventIndicators(Span<double> z);
    void GetContinuousStates(Span<double> x);
    void GetNominalsOfContinuousStates(Span<double> nominals);

    /// <summary>Whether the binary exports the directional-derivative function (the model description says whether it works).</summary>
    bool ExportsDirectionalDerivative { get; }

    /// <summary>
    /// sensitivity = (∂unknowns/∂knowns) · seed at the current point (fmi2GetDirectionalDerivative /
    /// fmi3GetDirectionalDerivative; scalar variables, by value reference).
    /// </summary>
    void GetDirectionalDerivative(ReadOnlySpan<uint> unknowns, ReadOnlySpan<uint> knowns, ReadOnlySpan<double> seed, Span<double> sensitivity);
}
