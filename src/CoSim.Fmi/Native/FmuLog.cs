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

    // Warnings already shown, by category and message with its numbers blanked out (an FMU that
    // warns on every step usually puts the time in the text), with how often they were repeated.
    private readonly Dictionary<string, (string First, long Repeats)> _warnings = new(StringComparer.Ordinal);
    // FMI functions that returned Warning, with how often.
    private readonly Dictionary<string, long> _warningReturns = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// Takes one message from the FMU. A null or empty category (some exporters pass one) is shown
    /// without a prefix. A Warning that repeats an earlier one (same category, same text apart from
    /// numbers) is only counted; <see cref="Dispose"/> reports the counts.
    /// </summary>
    public void Record(int status, string? category, string message)
    {
        var level = status switch { 0 => LogLevel.Info, 1 or 2 => LogLevel.Warning, 3 or 4 => LogLevel.Error, _ => LogLevel.Info };
        if (level >= LogLevel.Warning || LastMessage == null) LastMessage = message;
        var text = string.IsNullOrEmpty(category) ? message : $"{category}: {message}";
        if (status == 1)
        {
            var key = (category ?? "") + "\n" + BlankNumbers(message);
            lock (_gate)
            {
                if (_warnings.TryGetValue(key, out var seen))
                {
                    _warnings[key] = (seen.First, seen.Repeats + 1);
                    return;
                }
                _warnings[key] = (text, 0);
            }
        }
        Sink.Log(level, InstanceName, text);
    }

    /// <summary>
    /// Notes that an FMI function returned Warning (which is success). The first time per function
    /// it is logged; later ones are only counted, so that an FMU returning Warning from every doStep
    /// does not flood the log.
    /// </summary>
    public void NoteWarningReturn(string function, double time)
    {
        lock (_gate)
        {
            _warningReturns.TryGetValue(function, out var count);
            _warningReturns[function] = count + 1;
            if (count > 0) return;
        }
        Sink.Log(LogLevel.Warning, InstanceName,
            $"{function} returned Warning at t={time.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}; the run goes on (further Warning returns are counted)");
    }

    /// <summary>How often <paramref name="function"/> returned Warning so far.</summary>
    public long WarningReturns(string function)
    {
        lock (_gate) return _warningReturns.GetValueOrDefault(function);
    }

    /// <summary>Reports the counted repeats (once), then releases the environment handle.</summary>
    public void Dispose()
    {
        if (!_self.IsAllocated) return;
        _self.Free();
        lock (_gate)
        {
            foreach (var (function, count) in _warningReturns)
                if (count > 1) Sink.Log(LogLevel.Warning, InstanceName, $"{function} returned Warning {count} times in all");
            foreach (var (first, repeats) in _warnings.Values)
                if (repeats > 0) Sink.Log(LogLevel.Warning, InstanceName, $"{repeats} more warning(s) like \"{first}\" were not shown");
            _warnings.Clear();
            _warningReturns.Clear();
        }
    }

    /// <summary>The message with every number (0, 0.01, 1e-05) replaced by '#'.</summary>
    private static string BlankNumbers(string message)
    {
        var text = new System.Text.StringBuilder(message.Length);
        for (var i = 0; i < message.Length; i++)
        {
            if (!char.IsAsciiDigit(message[i]))
            {
                text.Append(message[i]);
                continue;
            }
            text.Append('#');
            while (i + 1 < message.Length && IsNumberPart(message, i + 1)) i++;
        }
        return text.ToString();
    }

    private static bool IsNumberPart(string s, int i) =>
        char.IsAsciiDigit(s[i])
        || (s[i] == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]))
        || (s[i] is 'e' or 'E' && i + 1 < s.Length && (char.IsAsciiDigit(s[i + 1]) || s[i + 1] is '+' or '-'))
        || (s[i] is '+' or '-' && s[i - 1] is 'e' or 'E');

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
