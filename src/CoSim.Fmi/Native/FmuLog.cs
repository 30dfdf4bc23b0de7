using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CoSim.Core;

namespace CoSim.Fmi.Native;

/// <summary>
/// Routes one FMU instance's log messages to the host's <see cref="ILogSink"/> and keeps the last
/// message, which the error boundary attaches to exceptions. The instance environment pointer the
/// FMU passes back is a GCHandle to this object.
/// </summary>
internal sealed unsafe class FmuLog : IDisposable
{
    private GCHandle _self;

    public FmuLog(string instanceName, ILogSink sink)
    {
        InstanceName = instanceName;
        Sink = sink;
        _self = GCHandle.Alloc(this);
    }

    public string InstanceName { get; }
    public ILogSink Sink { get; }

    /// <summary>The FMU's most recent message of status Warning or worse, or of any status when none was.</summary>
    public string? LastMessage { get; private set; }

    /// <summary>Pointer handed to the FMU as its environment.</summary>
    public nint Environment => GCHandle.ToIntPtr(_self);

    public void Record(int status, string? category, string message)
    {
        var level = status switch { 0 => LogLevel.Info, 1 or 2 => LogLevel.Warning, 3 or 4 => LogLevel.Error, _ => LogLevel.Info };
        if (level >= LogLevel.Warning || LastMessage == null) LastMessage = message;
        var text = string.IsNullOrEmpty(category) ? message : $"{category}: {message}";
        Sink.Log(level, InstanceName, text);
    }

    public void Dispose()
    {
        if (_self.IsAllocated) _self.Free();
    }

    private static FmuLog? FromEnvironment(nint environment)
    {
        if (environment == 0) return null;
        try
        {
            return GCHandle.FromIntPtr(environment).Target as FmuLog;
        }
        catch (InvalidOperationException)
        {
            return null; // an FMU that passes back a pointer we never gave it
        }
    }

    private static string Text(byte* s) => s == null ? "" : Marshal.PtrToStringUTF8((nint)s) ?? "";

    /// <summary>Receives FMI 2 messages already formatted by the native shim.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void OnFmi2Message(nint environment, byte* instance, int status, byte* category, byte* message)
    {
        try
        {
            var log = FromEnvironment(environment);
            if (log != null) log.Record(status, Text(category), Text(message));
            else Console.Error.WriteLine($"[{Text(instance)}] {Text(message)}");
        }
        catch
        {
            // An exception must never unwind into native code.
        }
    }

    /// <summary>The FMI 3 fmi3LogMessageCallback (not variadic).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void OnFmi3Message(nint environment, int status, byte* category, byte* message)
    {
        try
        {
            FromEnvironment(environment)?.Record(status, Text(category), Text(message));
        }
        catch
        {
            // An exception must never unwind into native code.
        }
    }
}

/// <summary>The native pieces of FMI 2 callbacks: the logger shim, and libc's calloc/free for memory.</summary>
internal static unsafe class Fmi2CallbackSupport
{
    private static readonly Lazy<(nint Logger, nint Calloc, nint Free)> Pointers = new(Load);

    public static nint Logger => Pointers.Value.Logger;
    public static nint Calloc => Pointers.Value.Calloc;
    public static nint Free => Pointers.Value.Free;

    private static (nint, nint, nint) Load()
    {
        var shimPath = Path.Combine(AppContext.BaseDirectory, "libcosim_fmi2_logger.so");
        var shim = NativeLibrary.Load(shimPath);
        var setSink = (delegate* unmanaged[Cdecl]<delegate* unmanaged[Cdecl]<nint, byte*, int, byte*, byte*, void>, void>)
            NativeLibrary.GetExport(shim, "cosim_fmi2_set_log_sink");
        setSink(&FmuLog.OnFmi2Message);
        var libc = NativeLibrary.Load("libc.so.6");
        return (NativeLibrary.GetExport(shim, "cosim_fmi2_logger"), NativeLibrary.GetExport(libc, "calloc"), NativeLibrary.GetExport(libc, "free"));
    }
}
