namespace CoSim.Fmi.Native;

/// <summary>
/// The FMI functions whose C signatures are the same in FMI 2.0 and 3.0 (mode changes, FMU state, the
/// continuous-time calls of model exchange, freeing), looked up under either standard's names, with those
/// names (for errors; spelled once, so no call builds a string). Null where the binary has none.
/// </summary>
internal sealed unsafe class FmiSharedFunctions
{
    public required delegate* unmanaged[Cdecl]<nint, void> FreeInstance;
    public required delegate* unmanaged[Cdecl]<nint, int> ExitInitializationMode;
    public required delegate* unmanaged[Cdecl]<nint, int> Terminate;
    public required delegate* unmanaged[Cdecl]<nint, int> EnterEventMode;
    public required delegate* unmanaged[Cdecl]<nint, int> EnterContinuousTimeMode;
    public required delegate* unmanaged[Cdecl]<nint, double, int> SetTime;
    public required delegate* unmanaged[Cdecl]<nint, double*, nuint, int> SetContinuousStates;
    public required delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetDerivatives;
    public required delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetEventIndicators;
    public required delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetContinuousStates;
    public required delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetNominalsOfContinuousStates;
    public required delegate* unmanaged[Cdecl]<nint, nint*, int> GetState;
    public required delegate* unmanaged[Cdecl]<nint, nint, int> SetState;
    public required delegate* unmanaged[Cdecl]<nint, nint*, int> FreeState;
    public required delegate* unmanaged[Cdecl]<nint, nint, nuint*, int> SerializedStateSize;
    public required delegate* unmanaged[Cdecl]<nint, nint, byte*, nuint, int> SerializeState;
    public required delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint*, int> DeserializeState;
    public required FmiFunctionNames Names;

    public bool HasFmuState => GetState != null && SetState != null && FreeState != null;
    public bool HasSerialization => SerializedStateSize != null && SerializeState != null && DeserializeState != null;

    /// <summary>
    /// Looks the functions up in <paramref name="library"/> under their names in <paramref name="names"/>' standard, all
    /// as optional: whether one is required is the standard's binding's to say (<see cref="Fmi2Functions.Bind"/>,
    /// <see cref="Fmi3Functions.Bind"/>).
    /// </summary>
    public static FmiSharedFunctions Bind(FmuLibrary library, FmiFunctionNames names) => new()
    {
        FreeInstance = (delegate* unmanaged[Cdecl]<nint, void>)library.Optional(names.FreeInstance),
        ExitInitializationMode = (delegate* unmanaged[Cdecl]<nint, int>)library.Optional(names.ExitInitializationMode),
        Terminate = (delegate* unmanaged[Cdecl]<nint, int>)library.Optional(names.Terminate),
        EnterEventMode = (delegate* unmanaged[Cdecl]<nint, int>)library.Optional(names.EnterEventMode),
        EnterContinuousTimeMode = (delegate* unmanaged[Cdecl]<nint, int>)library.Optional(names.EnterContinuousTimeMode),
        SetTime = (delegate* unmanaged[Cdecl]<nint, double, int>)library.Optional(names.SetTime),
        SetContinuousStates = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)library.Optional(names.SetContinuousStates),
        GetDerivatives = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)library.Optional(names.GetDerivatives),
        GetEventIndicators = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)library.Optional(names.GetEventIndicators),
        GetContinuousStates = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)library.Optional(names.GetContinuousStates),
        GetNominalsOfContinuousStates = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)library.Optional(names.GetNominalsOfContinuousStates),
        GetState = (delegate* unmanaged[Cdecl]<nint, nint*, int>)library.Optional(names.GetState),
        SetState = (delegate* unmanaged[Cdecl]<nint, nint, int>)library.Optional(names.SetState),
        FreeState = (delegate* unmanaged[Cdecl]<nint, nint*, int>)library.Optional(names.FreeState),
        SerializedStateSize = (delegate* unmanaged[Cdecl]<nint, nint, nuint*, int>)library.Optional(names.SerializedStateSize),
        SerializeState = (delegate* unmanaged[Cdecl]<nint, nint, byte*, nuint, int>)library.Optional(names.SerializeState),
        DeserializeState = (delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint*, int>)library.Optional(names.DeserializeState),
        Names = names,
    };
}

/// <summary>The C names of the <see cref="FmiSharedFunctions"/> (and of the calls FMI 2 and 3 spell alike) in one standard.</summary>
internal sealed record FmiFunctionNames(string Prefix, string FmuState, string Deserialize, string Derivatives)
{
    public static readonly FmiFunctionNames Fmi2 = new("fmi2", "FMUstate", "DeSerialize", "GetDerivatives");
    public static readonly FmiFunctionNames Fmi3 = new("fmi3", "FMUState", "Deserialize", "GetContinuousStateDerivatives");

    public string FreeInstance { get; } = Prefix + "FreeInstance";
    public string SetDebugLogging { get; } = Prefix + "SetDebugLogging";
    public string ExitInitializationMode { get; } = Prefix + "ExitInitializationMode";
    public string Terminate { get; } = Prefix + "Terminate";
    public string EnterEventMode { get; } = Prefix + "EnterEventMode";
    public string EnterContinuousTimeMode { get; } = Prefix + "EnterContinuousTimeMode";
    public string CompletedIntegratorStep { get; } = Prefix + "CompletedIntegratorStep";
    public string SetTime { get; } = Prefix + "SetTime";
    public string SetContinuousStates { get; } = Prefix + "SetContinuousStates";
    public string GetDerivatives { get; } = Prefix + Derivatives;
    public string GetEventIndicators { get; } = Prefix + "GetEventIndicators";
    public string GetContinuousStates { get; } = Prefix + "GetContinuousStates";
    public string GetNominalsOfContinuousStates { get; } = Prefix + "GetNominalsOfContinuousStates";
    public string GetDirectionalDerivative { get; } = Prefix + "GetDirectionalDerivative";
    public string GetString { get; } = Prefix + "GetString";
    public string SetString { get; } = Prefix + "SetString";
    public string GetState { get; } = Prefix + "Get" + FmuState;
    public string SetState { get; } = Prefix + "Set" + FmuState;
    public string FreeState { get; } = Prefix + "Free" + FmuState;
    public string SerializedStateSize { get; } = Prefix + "Serialized" + FmuState + "Size";
    public string SerializeState { get; } = Prefix + "Serialize" + FmuState;
    public string DeserializeState { get; } = Prefix + Deserialize + FmuState;
}
