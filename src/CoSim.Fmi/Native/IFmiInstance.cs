using CoSim.Fmi.Description;

namespace CoSim.Fmi.Native;

/// <summary>Result of one co-simulation doStep, beyond its status.</summary>
internal readonly record struct CsStepInfo(bool Discarded, bool Terminate, bool EarlyReturn, double LastSuccessfulTime);

/// <summary>
/// An idiomatic FMI instance over the raw function tables, version-neutral. Every native call
/// goes through the version's status check: OK and Warning return, Error and Fatal throw
/// <see cref="FmiCallException"/>. Disposing frees the instance (unless it reported Fatal).
/// </summary>
internal interface IFmiInstance : IDisposable
{
    FmuLog Log { get; }

    /// <summary>The time of the last call that had one, for error messages.</summary>
    double Time { get; }

    bool CanGetSetState { get; }
    bool CanSerializeState { get; }

    void InstantiateCoSimulation(bool visible, bool loggingOn);
    /// <summary>fmiXSetDebugLogging; an empty category list means all categories.</summary>
    void SetDebugLogging(bool loggingOn, IReadOnlyList<string> categories);
    void EnterInitialization(double start, double? stop, double? tolerance);
    void ExitInitialization();
    CsStepInfo DoStep(double time, double step, bool noSetStatePriorToCurrentPoint);
    void Terminate();

    /// <summary>Reads values of one type as doubles; <paramref name="values"/> holds every element of every reference.</summary>
    void GetNumeric(VariableType type, ReadOnlySpan<uint> valueReferences, Span<double> values);
    void SetNumeric(VariableType type, ReadOnlySpan<uint> valueReferences, ReadOnlySpan<double> values);
    string GetString(uint valueReference);
    void SetString(uint valueReference, string value);

    nint GetState();
    void SetState(nint state);
    void FreeState(nint state);
    byte[] SerializeState(nint state);
    nint DeserializeState(byte[] data);
}
