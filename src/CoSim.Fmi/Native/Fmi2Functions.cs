namespace CoSim.Fmi.Native;

/// <summary>
/// Raw FMI 2.0 API: one unmanaged function pointer per C function, named as in the standard.
/// Types: fmi2Component/fmi2FMUstate are pointers, fmi2Boolean is a C int, fmi2Real a double,
/// fmi2Status an int (0 OK, 1 Warning, 2 Discard, 3 Error, 4 Fatal, 5 Pending).
/// Optional functions (FMU state, directional derivatives, interface-specific) are null when absent.
/// </summary>
internal sealed unsafe class Fmi2Functions
{
    public required delegate* unmanaged[Cdecl]<byte*> GetVersion;
    public required delegate* unmanaged[Cdecl]<byte*> GetTypesPlatform;
    public required delegate* unmanaged[Cdecl]<nint, int, nuint, byte**, int> SetDebugLogging;
    public required delegate* unmanaged[Cdecl]<byte*, int, byte*, byte*, nint, int, int, nint> Instantiate;
    public required delegate* unmanaged[Cdecl]<nint, void> FreeInstance;
    public required delegate* unmanaged[Cdecl]<nint, int, double, double, int, double, int> SetupExperiment;
    public required delegate* unmanaged[Cdecl]<nint, int> EnterInitializationMode;
    public required delegate* unmanaged[Cdecl]<nint, int> ExitInitializationMode;
    public required delegate* unmanaged[Cdecl]<nint, int> Terminate;
    public required delegate* unmanaged[Cdecl]<nint, int> Reset;
    public required delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int> GetReal;
    public required delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, int> GetInteger;
    public required delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, int> GetBoolean;
    public required delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte**, int> GetString;
    public required delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int> SetReal;
    public required delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, int> SetInteger;
    public required delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, int> SetBoolean;
    public required delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte**, int> SetString;

    // FMU state (optional: capability off when absent)
    public delegate* unmanaged[Cdecl]<nint, nint*, int> GetFMUstate;
    public delegate* unmanaged[Cdecl]<nint, nint, int> SetFMUstate;
    public delegate* unmanaged[Cdecl]<nint, nint*, int> FreeFMUstate;
    public delegate* unmanaged[Cdecl]<nint, nint, nuint*, int> SerializedFMUstateSize;
    public delegate* unmanaged[Cdecl]<nint, nint, byte*, nuint, int> SerializeFMUstate;
    public delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint*, int> DeSerializeFMUstate;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, uint*, nuint, double*, double*, int> GetDirectionalDerivative;

    // Co-simulation
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, double*, int> SetRealInputDerivatives;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, double*, int> GetRealOutputDerivatives;
    public delegate* unmanaged[Cdecl]<nint, double, double, int, int> DoStep;
    public delegate* unmanaged[Cdecl]<nint, int> CancelStep;
    public delegate* unmanaged[Cdecl]<nint, int, int*, int> GetStatus;
    public delegate* unmanaged[Cdecl]<nint, int, double*, int> GetRealStatus;
    public delegate* unmanaged[Cdecl]<nint, int, int*, int> GetIntegerStatus;
    public delegate* unmanaged[Cdecl]<nint, int, int*, int> GetBooleanStatus;

    // Model exchange
    public delegate* unmanaged[Cdecl]<nint, int> EnterEventMode;
    public delegate* unmanaged[Cdecl]<nint, Fmi2EventInfo*, int> NewDiscreteStates;
    public delegate* unmanaged[Cdecl]<nint, int> EnterContinuousTimeMode;
    public delegate* unmanaged[Cdecl]<nint, int, int*, int*, int> CompletedIntegratorStep;
    public delegate* unmanaged[Cdecl]<nint, double, int> SetTime;
    public delegate* unmanaged[Cdecl]<nint, double*, nuint, int> SetContinuousStates;
    public delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetDerivatives;
    public delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetEventIndicators;
    public delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetContinuousStates;
    public delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetNominalsOfContinuousStates;

    public bool HasFmuState => GetFMUstate != null && SetFMUstate != null && FreeFMUstate != null;
    public bool HasSerialization => SerializedFMUstateSize != null && SerializeFMUstate != null && DeSerializeFMUstate != null;

    /// <summary>Binds the common functions (required) and the rest (optional) from a loaded library.</summary>
    public static Fmi2Functions Bind(FmuLibrary lib, bool coSimulation)
    {
        var f = new Fmi2Functions
        {
            GetVersion = (delegate* unmanaged[Cdecl]<byte*>)lib.Required("fmi2GetVersion"),
            GetTypesPlatform = (delegate* unmanaged[Cdecl]<byte*>)lib.Required("fmi2GetTypesPlatform"),
            SetDebugLogging = (delegate* unmanaged[Cdecl]<nint, int, nuint, byte**, int>)lib.Required("fmi2SetDebugLogging"),
            Instantiate = (delegate* unmanaged[Cdecl]<byte*, int, byte*, byte*, nint, int, int, nint>)lib.Required("fmi2Instantiate"),
            FreeInstance = (delegate* unmanaged[Cdecl]<nint, void>)lib.Required("fmi2FreeInstance"),
            SetupExperiment = (delegate* unmanaged[Cdecl]<nint, int, double, double, int, double, int>)lib.Required("fmi2SetupExperiment"),
            EnterInitializationMode = (delegate* unmanaged[Cdecl]<nint, int>)lib.Required("fmi2EnterInitializationMode"),
            ExitInitializationMode = (delegate* unmanaged[Cdecl]<nint, int>)lib.Required("fmi2ExitInitializationMode"),
            Terminate = (delegate* unmanaged[Cdecl]<nint, int>)lib.Required("fmi2Terminate"),
            Reset = (delegate* unmanaged[Cdecl]<nint, int>)lib.Required("fmi2Reset"),
            GetReal = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int>)lib.Required("fmi2GetReal"),
            GetInteger = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, int>)lib.Required("fmi2GetInteger"),
            GetBoolean = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, int>)lib.Required("fmi2GetBoolean"),
            GetString = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte**, int>)lib.Required("fmi2GetString"),
            SetReal = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, int>)lib.Required("fmi2SetReal"),
            SetInteger = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, int>)lib.Required("fmi2SetInteger"),
            SetBoolean = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, int>)lib.Required("fmi2SetBoolean"),
            SetString = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte**, int>)lib.Required("fmi2SetString"),
            GetFMUstate = (delegate* unmanaged[Cdecl]<nint, nint*, int>)lib.Optional("fmi2GetFMUstate"),
            SetFMUstate = (delegate* unmanaged[Cdecl]<nint, nint, int>)lib.Optional("fmi2SetFMUstate"),
            FreeFMUstate = (delegate* unmanaged[Cdecl]<nint, nint*, int>)lib.Optional("fmi2FreeFMUstate"),
            SerializedFMUstateSize = (delegate* unmanaged[Cdecl]<nint, nint, nuint*, int>)lib.Optional("fmi2SerializedFMUstateSize"),
            SerializeFMUstate = (delegate* unmanaged[Cdecl]<nint, nint, byte*, nuint, int>)lib.Optional("fmi2SerializeFMUstate"),
            DeSerializeFMUstate = (delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint*, int>)lib.Optional("fmi2DeSerializeFMUstate"),
            GetDirectionalDerivative = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, uint*, nuint, double*, double*, int>)lib.Optional("fmi2GetDirectionalDerivative"),
        };
        if (coSimulation)
        {
            f.DoStep = (delegate* unmanaged[Cdecl]<nint, double, double, int, int>)lib.Required("fmi2DoStep");
            f.SetRealInputDerivatives = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, double*, int>)lib.Optional("fmi2SetRealInputDerivatives");
            f.GetRealOutputDerivatives = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, double*, int>)lib.Optional("fmi2GetRealOutputDerivatives");
            f.CancelStep = (delegate* unmanaged[Cdecl]<nint, int>)lib.Optional("fmi2CancelStep");
            f.GetStatus = (delegate* unmanaged[Cdecl]<nint, int, int*, int>)lib.Optional("fmi2GetStatus");
            f.GetRealStatus = (delegate* unmanaged[Cdecl]<nint, int, double*, int>)lib.Optional("fmi2GetRealStatus");
            f.GetIntegerStatus = (delegate* unmanaged[Cdecl]<nint, int, int*, int>)lib.Optional("fmi2GetIntegerStatus");
            f.GetBooleanStatus = (delegate* unmanaged[Cdecl]<nint, int, int*, int>)lib.Optional("fmi2GetBooleanStatus");
        }
        else
        {
            f.EnterEventMode = (delegate* unmanaged[Cdecl]<nint, int>)lib.Required("fmi2EnterEventMode");
            f.NewDiscreteStates = (delegate* unmanaged[Cdecl]<nint, Fmi2EventInfo*, int>)lib.Required("fmi2NewDiscreteStates");
            f.EnterContinuousTimeMode = (delegate* unmanaged[Cdecl]<nint, int>)lib.Required("fmi2EnterContinuousTimeMode");
            f.CompletedIntegratorStep = (delegate* unmanaged[Cdecl]<nint, int, int*, int*, int>)lib.Required("fmi2CompletedIntegratorStep");
            f.SetTime = (delegate* unmanaged[Cdecl]<nint, double, int>)lib.Required("fmi2SetTime");
            f.SetContinuousStates = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)lib.Required("fmi2SetContinuousStates");
            f.GetDerivatives = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)lib.Required("fmi2GetDerivatives");
            f.GetEventIndicators = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)lib.Required("fmi2GetEventIndicators");
            f.GetContinuousStates = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)lib.Required("fmi2GetContinuousStates");
            f.GetNominalsOfContinuousStates = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)lib.Required("fmi2GetNominalsOfContinuousStates");
        }
        return f;
    }
}

/// <summary>fmi2EventInfo, filled by fmi2NewDiscreteStates.</summary>
internal struct Fmi2EventInfo
{
    public int NewDiscreteStatesNeeded;
    public int TerminateSimulation;
    public int NominalsOfContinuousStatesChanged;
    public int ValuesOfContinuousStatesChanged;
    public int NextEventTimeDefined;
    public double NextEventTime;
}
