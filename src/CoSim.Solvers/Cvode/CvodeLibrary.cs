using System.Runtime.InteropServices;
using CoSim.Core;

namespace CoSim.Solvers.Cvode;

/// <summary>
/// The SUNDIALS 6 CVODE C API, bound at run time from the system's shared library (Debian package
/// libsundials-cvode6; its libsundials_cvode.so.6 also contains the serial N_Vector, the dense
/// SUNMatrix and SUNLinearSolver and SUNContext). Types: realtype = double, sunindextype = int64,
/// long int = 64-bit (Linux x86_64/arm64); SUNContext, N_Vector, SUNMatrix, SUNLinearSolver and the
/// CVODE memory are opaque pointers. <c>COSIM_SUNDIALS_CVODE</c> may name another library file.
/// </summary>
internal sealed unsafe class CvodeLibrary
{
    public const int CV_ADAMS = 1, CV_BDF = 2;
    public const int CV_NORMAL = 1, CV_ONE_STEP = 2;
    public const int CV_SUCCESS = 0, CV_TSTOP_RETURN = 1, CV_ROOT_RETURN = 2;

    private static readonly Lazy<CvodeLibrary> Instance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The loaded library, or a <see cref="SimulationException"/> that says how to install it.</summary>
    public static CvodeLibrary Shared => Instance.Value;

    public required string Path { get; init; }
    public required string Version { get; init; }

    public required delegate* unmanaged[Cdecl]<nint, nint*, int> SUNContext_Create;
    public required delegate* unmanaged[Cdecl]<nint*, int> SUNContext_Free;
    public required delegate* unmanaged[Cdecl]<long, nint, nint> N_VNew_Serial;
    public required delegate* unmanaged[Cdecl]<nint, double*> N_VGetArrayPointer;
    public required delegate* unmanaged[Cdecl]<nint, void> N_VDestroy;
    public required delegate* unmanaged[Cdecl]<long, long, nint, nint> SUNDenseMatrix;
    public required delegate* unmanaged[Cdecl]<nint, void> SUNMatDestroy;
    public required delegate* unmanaged[Cdecl]<nint, nint, nint, nint> SUNLinSol_Dense;
    public required delegate* unmanaged[Cdecl]<nint, int> SUNLinSolFree;
    public required delegate* unmanaged[Cdecl]<int, nint, nint> CVodeCreate;
    public required delegate* unmanaged[Cdecl]<nint, nint, double, nint, int> CVodeInit;
    public required delegate* unmanaged[Cdecl]<nint, double, nint, int> CVodeReInit;
    public required delegate* unmanaged[Cdecl]<nint, double, nint, int> CVodeSVtolerances;
    public required delegate* unmanaged[Cdecl]<nint, nint, int> CVodeSetUserData;
    public required delegate* unmanaged[Cdecl]<nint, nint, int> CVodeSetJacFn;
    public required delegate* unmanaged[Cdecl]<nint, double*> SUNDenseMatrix_Data;
    public required delegate* unmanaged[Cdecl]<nint, nint, nint, int> CVodeSetLinearSolver;
    public required delegate* unmanaged[Cdecl]<nint, int, nint, int> CVodeRootInit;
    public required delegate* unmanaged[Cdecl]<nint, int> CVodeSetNoInactiveRootWarn;
    public required delegate* unmanaged[Cdecl]<nint, double, int> CVodeSetStopTime;
    public required delegate* unmanaged[Cdecl]<nint, double, int> CVodeSetMaxStep;
    public required delegate* unmanaged[Cdecl]<nint, double, int> CVodeSetInitStep;
    public required delegate* unmanaged[Cdecl]<nint, long, int> CVodeSetMaxNumSteps;
    public required delegate* unmanaged[Cdecl]<nint, double, nint, double*, int, int> CVode;
    public required delegate* unmanaged[Cdecl]<nint, int*, int> CVodeGetRootInfo;
    public required delegate* unmanaged[Cdecl]<nint, double*, int> CVodeGetCurrentTime;
    public required delegate* unmanaged[Cdecl]<nint, long*, int> CVodeGetNumSteps;
    public required delegate* unmanaged[Cdecl]<nint, long*, int> CVodeGetNumRhsEvals;
    public required delegate* unmanaged[Cdecl]<nint, long*, int> CVodeGetNumLinRhsEvals;
    public required delegate* unmanaged[Cdecl]<nint, long*, int> CVodeGetNumErrTestFails;
    public required delegate* unmanaged[Cdecl]<nint, long*, int> CVodeGetNumNonlinSolvConvFails;
    public required delegate* unmanaged[Cdecl]<nint, long*, int> CVodeGetNumGEvals;
    public required delegate* unmanaged[Cdecl]<nint, long*, int> CVodeGetNumJacEvals;
    public required delegate* unmanaged[Cdecl]<long, byte*> CVodeGetReturnFlagName;
    public required delegate* unmanaged[Cdecl]<nint*, void> CVodeFree;
    /// <summary>Optional (removed in SUNDIALS 7): routes CVODE's messages to a callback instead of stderr.</summary>
    public delegate* unmanaged[Cdecl]<nint, nint, nint, int> CVodeSetErrHandlerFn;

    /// <summary>The name of a CVODE return flag, e.g. "CV_TOO_MUCH_WORK".</summary>
    public string FlagName(int flag)
    {
        var p = CVodeGetReturnFlagName(flag);
        if (p == null) return $"flag {flag}";
        try
        {
            return Marshal.PtrToStringUTF8((nint)p) ?? $"flag {flag}";
        }
        finally
        {
            NativeMemory.Free(p); // CVODE allocates the name with malloc
        }
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("COSIM_SUNDIALS_CVODE") is { Length: > 0 } custom) yield return custom;
        if (OperatingSystem.IsWindows())
        {
            yield return "sundials_cvode.dll";
            yield break;
        }
        if (OperatingSystem.IsMacOS())
        {
            yield return "libsundials_cvode.6.dylib";
            yield return "libsundials_cvode.dylib";
            yield break;
        }
        yield return "libsundials_cvode.so.6";
        yield return "libsundials_cvode.so";
    }

    private static CvodeLibrary Load()
    {
        nint handle = 0;
        string? path = null;
        var tried = new List<string>();
        foreach (var candidate in Candidates())
        {
            tried.Add(candidate);
            if (NativeLibrary.TryLoad(candidate, out handle))
            {
                path = candidate;
                break;
            }
        }
        if (path == null)
            throw new SimulationException(
                $"SUNDIALS CVODE is not installed (tried {string.Join(", ", tried)}). On Debian/Ubuntu: apt-get install libsundials-cvode6 " +
                "(or libsundials-dev); elsewhere set COSIM_SUNDIALS_CVODE to the path of a SUNDIALS 6 libsundials_cvode library.",
                operation: "load CVODE");

        nint Get(string name) => NativeLibrary.TryGetExport(handle, name, out var p)
            ? p
            : throw new SimulationException($"{path} does not export {name}; CoSim needs SUNDIALS 6.x CVODE", operation: "load CVODE");

        var version = "unknown";
        if (NativeLibrary.TryGetExport(handle, "SUNDIALSGetVersionNumber", out var versionFn))
        {
            int major = 0, minor = 0, patch = 0;
            var label = stackalloc byte[32];
            ((delegate* unmanaged[Cdecl]<int*, int*, int*, byte*, int, int>)versionFn)(&major, &minor, &patch, label, 32);
            version = $"{major}.{minor}.{patch}";
            if (major != 6)
                throw new SimulationException($"{path} is SUNDIALS {version}; CoSim binds the SUNDIALS 6.x CVODE API", operation: "load CVODE");
        }

        return new CvodeLibrary
        {
            Path = path,
            Version = version,
            SUNContext_Create = (delegate* unmanaged[Cdecl]<nint, nint*, int>)Get("SUNContext_Create"),
            SUNContext_Free = (delegate* unmanaged[Cdecl]<nint*, int>)Get("SUNContext_Free"),
            N_VNew_Serial = (delegate* unmanaged[Cdecl]<long, nint, nint>)Get("N_VNew_Serial"),
            N_VGetArrayPointer = (delegate* unmanaged[Cdecl]<nint, double*>)Get("N_VGetArrayPointer"),
            N_VDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Get("N_VDestroy"),
            SUNDenseMatrix = (delegate* unmanaged[Cdecl]<long, long, nint, nint>)Get("SUNDenseMatrix"),
            SUNMatDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Get("SUNMatDestroy"),
            SUNLinSol_Dense = (delegate* unmanaged[Cdecl]<nint, nint, nint, nint>)Get("SUNLinSol_Dense"),
            SUNLinSolFree = (delegate* unmanaged[Cdecl]<nint, int>)Get("SUNLinSolFree"),
            CVodeCreate = (delegate* unmanaged[Cdecl]<int, nint, nint>)Get("CVodeCreate"),
            CVodeInit = (delegate* unmanaged[Cdecl]<nint, nint, double, nint, int>)Get("CVodeInit"),
            CVodeReInit = (delegate* unmanaged[Cdecl]<nint, double, nint, int>)Get("CVodeReInit"),
            CVodeSVtolerances = (delegate* unmanaged[Cdecl]<nint, double, nint, int>)Get("CVodeSVtolerances"),
            CVodeSetUserData = (delegate* unmanaged[Cdecl]<nint, nint, int>)Get("CVodeSetUserData"),
            CVodeSetJacFn = (delegate* unmanaged[Cdecl]<nint, nint, int>)Get("CVodeSetJacFn"),
            SUNDenseMatrix_Data = (delegate* unmanaged[Cdecl]<nint, double*>)Get("SUNDenseMatrix_Data"),
            CVodeSetLinearSolver = (delegate* unmanaged[Cdecl]<nint, nint, nint, int>)Get("CVodeSetLinearSolver"),
            CVodeRootInit = (delegate* unmanaged[Cdecl]<nint, int, nint, int>)Get("CVodeRootInit"),
            CVodeSetNoInactiveRootWarn = (delegate* unmanaged[Cdecl]<nint, int>)Get("CVodeSetNoInactiveRootWarn"),
            CVodeSetStopTime = (delegate* unmanaged[Cdecl]<nint, double, int>)Get("CVodeSetStopTime"),
            CVodeSetMaxStep = (delegate* unmanaged[Cdecl]<nint, double, int>)Get("CVodeSetMaxStep"),
            CVodeSetInitStep = (delegate* unmanaged[Cdecl]<nint, double, int>)Get("CVodeSetInitStep"),
            CVodeSetMaxNumSteps = (delegate* unmanaged[Cdecl]<nint, long, int>)Get("CVodeSetMaxNumSteps"),
            CVode = (delegate* unmanaged[Cdecl]<nint, double, nint, double*, int, int>)Get("CVode"),
            CVodeGetRootInfo = (delegate* unmanaged[Cdecl]<nint, int*, int>)Get("CVodeGetRootInfo"),
            CVodeGetCurrentTime = (delegate* unmanaged[Cdecl]<nint, double*, int>)Get("CVodeGetCurrentTime"),
            CVodeGetNumSteps = (delegate* unmanaged[Cdecl]<nint, long*, int>)Get("CVodeGetNumSteps"),
            CVodeGetNumRhsEvals = (delegate* unmanaged[Cdecl]<nint, long*, int>)Get("CVodeGetNumRhsEvals"),
            CVodeGetNumLinRhsEvals = (delegate* unmanaged[Cdecl]<nint, long*, int>)Get("CVodeGetNumLinRhsEvals"),
            CVodeGetNumErrTestFails = (delegate* unmanaged[Cdecl]<nint, long*, int>)Get("CVodeGetNumErrTestFails"),
            CVodeGetNumNonlinSolvConvFails = (delegate* unmanaged[Cdecl]<nint, long*, int>)Get("CVodeGetNumNonlinSolvConvFails"),
            CVodeGetNumGEvals = (delegate* unmanaged[Cdecl]<nint, long*, int>)Get("CVodeGetNumGEvals"),
            CVodeGetNumJacEvals = (delegate* unmanaged[Cdecl]<nint, long*, int>)Get("CVodeGetNumJacEvals"),
            CVodeGetReturnFlagName = (delegate* unmanaged[Cdecl]<long, byte*>)Get("CVodeGetReturnFlagName"),
            CVodeFree = (delegate* unmanaged[Cdecl]<nint*, void>)Get("CVodeFree"),
            CVodeSetErrHandlerFn = NativeLibrary.TryGetExport(handle, "CVodeSetErrHandlerFn", out var eh)
                ? (delegate* unmanaged[Cdecl]<nint, nint, nint, int>)eh
                : null,
        };
    }
}
