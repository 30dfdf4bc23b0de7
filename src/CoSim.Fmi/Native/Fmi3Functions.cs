namespace CoSim.Fmi.Native;

/// <summary>
/// Raw FMI 3.0 API: one unmanaged function pointer per C function, named as in the standard without
/// the <c>fmi3</c> prefix. fmi3Boolean and fmi3Clock are C <c>bool</c> (one byte), fmi3Status an int
/// (0 OK, 1 Warning, 2 Discard, 3 Error, 4 Fatal). Interface-specific and optional functions are null when absent.
/// </summary>
internal sealed unsafe class Fmi3Functions
{
    public required delegate* unmanaged[Cdecl]<byte*> GetVersion;
    public required delegate* unmanaged[Cdecl]<nint, byte, nuint, byte**, int> SetDebugLogging;
    public delegate* unmanaged[Cdecl]<byte*, byte*, byte*, byte, byte, nint, nint, nint> InstantiateModelExchange;
    public delegate* unmanaged[Cdecl]<byte*, byte*, byte*, byte, byte, byte, byte, uint*, nuint, nint, nint, nint, nint> InstantiateCoSimulation;
    public required delegate* unmanaged[Cdecl]<nint, void> FreeInstance;
    public required delegate* unmanaged[Cdecl]<nint, byte, double, double, byte, double, int> EnterInitializationMode;
    public required delegate* unmanaged[Cdecl]<nint, int> ExitInitializationMode;
    public delegate* unmanaged[Cdecl]<nint, int> EnterEventMode;
    public required delegate* unmanaged[Cdecl]<nint, int> Terminate;
    public delegate* unmanaged[Cdecl]<nint, int> Reset;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, float*, nuint, int> GetFloat32;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, float*, nuint, int> SetFloat32;
    public required delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, nuint, int> GetFloat64;
    public required delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, nuint, int> SetFloat64;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, sbyte*, nuint, int> GetInt8;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, sbyte*, nuint, int> SetInt8;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, nuint, int> GetUInt8;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, nuint, int> SetUInt8;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, short*, nuint, int> GetInt16;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, short*, nuint, int> SetInt16;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, ushort*, nuint, int> GetUInt16;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, ushort*, nuint, int> SetUInt16;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, nuint, int> GetInt32;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, nuint, int> SetInt32;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, uint*, nuint, int> GetUInt32;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, uint*, nuint, int> SetUInt32;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, long*, nuint, int> GetInt64;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, long*, nuint, int> SetInt64;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, ulong*, nuint, int> GetUInt64;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, ulong*, nuint, int> SetUInt64;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, nuint, int> GetBoolean;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, nuint, int> SetBoolean;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte**, nuint, int> GetString;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte**, nuint, int> SetString;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, nuint*, byte**, nuint, int> GetBinary;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, nuint*, byte**, nuint, int> SetBinary;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, int> GetClock;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, int> SetClock;
    public delegate* unmanaged[Cdecl]<nint, nint*, int> GetFMUState;
    public delegate* unmanaged[Cdecl]<nint, nint, int> SetFMUState;
    public delegate* unmanaged[Cdecl]<nint, nint*, int> FreeFMUState;
    public delegate* unmanaged[Cdecl]<nint, nint, nuint*, int> SerializedFMUStateSize;
    public delegate* unmanaged[Cdecl]<nint, nint, byte*, nuint, int> SerializeFMUState;
    public delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint*, int> DeserializeFMUState;
    public delegate* unmanaged[Cdecl]<nint, uint*, nuint, uint*, nuint, double*, nuint, double*, nuint, int> GetDirectionalDerivative;
    public delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, byte*, byte*, double*, int> UpdateDiscreteStates;
    public delegate* unmanaged[Cdecl]<nint, int> EnterContinuousTimeMode;
    public delegate* unmanaged[Cdecl]<nint, byte, byte*, byte*, int> CompletedIntegratorStep;
    public delegate* unmanaged[Cdecl]<nint, double, int> SetTime;
    public delegate* unmanaged[Cdecl]<nint, double*, nuint, int> SetContinuousStates;
    public delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetContinuousStateDerivatives;
    public delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetEventIndicators;
    public delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetContinuousStates;
    public delegate* unmanaged[Cdecl]<nint, double*, nuint, int> GetNominalsOfContinuousStates;
    public delegate* unmanaged[Cdecl]<nint, nuint*, int> GetNumberOfEventIndicators;
    public delegate* unmanaged[Cdecl]<nint, nuint*, int> GetNumberOfContinuousStates;
    public delegate* unmanaged[Cdecl]<nint, int> EnterStepMode;
    public delegate* unmanaged[Cdecl]<nint, double, double, byte, byte*, byte*, byte*, double*, int> DoStep;

    public bool HasFmuState => GetFMUState != null && SetFMUState != null && FreeFMUState != null;
    public bool HasSerialization => SerializedFMUStateSize != null && SerializeFMUState != null && DeserializeFMUState != null;

    /// <summary>Binds the common functions (required) and the rest (optional) from a loaded library.</summary>
    public static Fmi3Functions Bind(FmuLibrary lib)
    {
        return new Fmi3Functions
        {
            GetVersion = (delegate* unmanaged[Cdecl]<byte*>)lib.Required("fmi3GetVersion"),
            SetDebugLogging = (delegate* unmanaged[Cdecl]<nint, byte, nuint, byte**, int>)lib.Required("fmi3SetDebugLogging"),
            InstantiateModelExchange = (delegate* unmanaged[Cdecl]<byte*, byte*, byte*, byte, byte, nint, nint, nint>)lib.Optional("fmi3InstantiateModelExchange"),
            InstantiateCoSimulation = (delegate* unmanaged[Cdecl]<byte*, byte*, byte*, byte, byte, byte, byte, uint*, nuint, nint, nint, nint, nint>)lib.Optional("fmi3InstantiateCoSimulation"),
            FreeInstance = (delegate* unmanaged[Cdecl]<nint, void>)lib.Required("fmi3FreeInstance"),
            EnterInitializationMode = (delegate* unmanaged[Cdecl]<nint, byte, double, double, byte, double, int>)lib.Required("fmi3EnterInitializationMode"),
            ExitInitializationMode = (delegate* unmanaged[Cdecl]<nint, int>)lib.Required("fmi3ExitInitializationMode"),
            EnterEventMode = (delegate* unmanaged[Cdecl]<nint, int>)lib.Optional("fmi3EnterEventMode"),
            Terminate = (delegate* unmanaged[Cdecl]<nint, int>)lib.Required("fmi3Terminate"),
            Reset = (delegate* unmanaged[Cdecl]<nint, int>)lib.Optional("fmi3Reset"),
            GetFloat32 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, float*, nuint, int>)lib.Optional("fmi3GetFloat32"),
            SetFloat32 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, float*, nuint, int>)lib.Optional("fmi3SetFloat32"),
            GetFloat64 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, nuint, int>)lib.Required("fmi3GetFloat64"),
            SetFloat64 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, double*, nuint, int>)lib.Required("fmi3SetFloat64"),
            GetInt8 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, sbyte*, nuint, int>)lib.Optional("fmi3GetInt8"),
            SetInt8 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, sbyte*, nuint, int>)lib.Optional("fmi3SetInt8"),
            GetUInt8 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, nuint, int>)lib.Optional("fmi3GetUInt8"),
            SetUInt8 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, nuint, int>)lib.Optional("fmi3SetUInt8"),
            GetInt16 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, short*, nuint, int>)lib.Optional("fmi3GetInt16"),
            SetInt16 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, short*, nuint, int>)lib.Optional("fmi3SetInt16"),
            GetUInt16 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, ushort*, nuint, int>)lib.Optional("fmi3GetUInt16"),
            SetUInt16 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, ushort*, nuint, int>)lib.Optional("fmi3SetUInt16"),
            GetInt32 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, nuint, int>)lib.Optional("fmi3GetInt32"),
            SetInt32 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, int*, nuint, int>)lib.Optional("fmi3SetInt32"),
            GetUInt32 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, uint*, nuint, int>)lib.Optional("fmi3GetUInt32"),
            SetUInt32 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, uint*, nuint, int>)lib.Optional("fmi3SetUInt32"),
            GetInt64 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, long*, nuint, int>)lib.Optional("fmi3GetInt64"),
            SetInt64 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, long*, nuint, int>)lib.Optional("fmi3SetInt64"),
            GetUInt64 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, ulong*, nuint, int>)lib.Optional("fmi3GetUInt64"),
            SetUInt64 = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, ulong*, nuint, int>)lib.Optional("fmi3SetUInt64"),
            GetBoolean = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, nuint, int>)lib.Optional("fmi3GetBoolean"),
            SetBoolean = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, nuint, int>)lib.Optional("fmi3SetBoolean"),
            GetString = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte**, nuint, int>)lib.Optional("fmi3GetString"),
            SetString = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte**, nuint, int>)lib.Optional("fmi3SetString"),
            GetBinary = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, nuint*, byte**, nuint, int>)lib.Optional("fmi3GetBinary"),
            SetBinary = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, nuint*, byte**, nuint, int>)lib.Optional("fmi3SetBinary"),
            GetClock = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, int>)lib.Optional("fmi3GetClock"),
            SetClock = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, byte*, int>)lib.Optional("fmi3SetClock"),
            GetFMUState = (delegate* unmanaged[Cdecl]<nint, nint*, int>)lib.Optional("fmi3GetFMUState"),
            SetFMUState = (delegate* unmanaged[Cdecl]<nint, nint, int>)lib.Optional("fmi3SetFMUState"),
            FreeFMUState = (delegate* unmanaged[Cdecl]<nint, nint*, int>)lib.Optional("fmi3FreeFMUState"),
            SerializedFMUStateSize = (delegate* unmanaged[Cdecl]<nint, nint, nuint*, int>)lib.Optional("fmi3SerializedFMUStateSize"),
            SerializeFMUState = (delegate* unmanaged[Cdecl]<nint, nint, byte*, nuint, int>)lib.Optional("fmi3SerializeFMUState"),
            DeserializeFMUState = (delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint*, int>)lib.Optional("fmi3DeserializeFMUState"),
            GetDirectionalDerivative = (delegate* unmanaged[Cdecl]<nint, uint*, nuint, uint*, nuint, double*, nuint, double*, nuint, int>)lib.Optional("fmi3GetDirectionalDerivative"),
            UpdateDiscreteStates = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, byte*, byte*, double*, int>)lib.Optional("fmi3UpdateDiscreteStates"),
            EnterContinuousTimeMode = (delegate* unmanaged[Cdecl]<nint, int>)lib.Optional("fmi3EnterContinuousTimeMode"),
            CompletedIntegratorStep = (delegate* unmanaged[Cdecl]<nint, byte, byte*, byte*, int>)lib.Optional("fmi3CompletedIntegratorStep"),
            SetTime = (delegate* unmanaged[Cdecl]<nint, double, int>)lib.Optional("fmi3SetTime"),
            SetContinuousStates = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)lib.Optional("fmi3SetContinuousStates"),
            GetContinuousStateDerivatives = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)lib.Optional("fmi3GetContinuousStateDerivatives"),
            GetEventIndicators = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)lib.Optional("fmi3GetEventIndicators"),
            GetContinuousStates = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)lib.Optional("fmi3GetContinuousStates"),
            GetNominalsOfContinuousStates = (delegate* unmanaged[Cdecl]<nint, double*, nuint, int>)lib.Optional("fmi3GetNominalsOfContinuousStates"),
            GetNumberOfEventIndicators = (delegate* unmanaged[Cdecl]<nint, nuint*, int>)lib.Optional("fmi3GetNumberOfEventIndicators"),
            GetNumberOfContinuousStates = (delegate* unmanaged[Cdecl]<nint, nuint*, int>)lib.Optional("fmi3GetNumberOfContinuousStates"),
            EnterStepMode = (delegate* unmanaged[Cdecl]<nint, int>)lib.Optional("fmi3EnterStepMode"),
            DoStep = (delegate* unmanaged[Cdecl]<nint, double, double, byte, byte*, byte*, byte*, double*, int>)lib.Optional("fmi3DoStep"),
        };
    }
}
