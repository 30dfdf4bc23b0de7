using System.Runtime.InteropServices;
using CoSim.Core;

namespace CoSim.Fmi.Native;

/// <summary>
/// A loaded FMU shared library. Resolves exports by name: a missing required function fails the
/// load with a clear message; a missing optional one resolves to null so that its capability is
/// switched off instead.
/// </summary>
internal sealed class FmuLibrary : IDisposable
{
    private nint _handle;

    private FmuLibrary(string path, nint handle)
    {
        Path = path;
        _handle = handle;
    }

    public string Path { get; }

    public static FmuLibrary Load(string path)
    {
        try
        {
            return new FmuLibrary(path, NativeLibrary.Load(path));
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            // The runtime's message opens with its own boilerplate; the loader's (dlerror) says what is wrong.
            var loader = LoaderMessage(path) ?? LastLine(e.Message);
            throw new InputException($"{path}: {Explain(path, loader)}", e);
        }
    }

    /// <summary>
    /// One line on why the loader refused the binary: a missing library (the usual case: an FMU built
    /// against a runtime such as libgfortran.so.3 that this machine lacks) is named first.
    /// </summary>
    internal static string Explain(string path, string loader)
    {
        const string cannotOpen = ": cannot open shared object file";
        var at = loader.IndexOf(cannotOpen, StringComparison.Ordinal);
        if (at > 0)
        {
            var start = loader.LastIndexOfAny([' ', '\n'], at - 1) + 1;
            var library = loader[start..at];
            if (library != path && System.IO.Path.GetFileName(library) != System.IO.Path.GetFileName(path))
                return $"binary needs {library}, which is not installed (loader: {loader})";
        }
        return $"the FMU's binary could not be loaded: {loader}";
    }

    /// <summary>The dynamic loader's own message for the binary (dlopen + dlerror), or null when it cannot be had.</summary>
    private static unsafe string? LoaderMessage(string path)
    {
        try
        {
            var libc = NativeLibrary.Load("libc.so.6");
            var dlopen = (delegate* unmanaged[Cdecl]<byte*, int, nint>)NativeLibrary.GetExport(libc, "dlopen");
            var dlerror = (delegate* unmanaged[Cdecl]<byte*>)NativeLibrary.GetExport(libc, "dlerror");
            var dlclose = (delegate* unmanaged[Cdecl]<nint, int>)NativeLibrary.GetExport(libc, "dlclose");
            var name = Marshal.StringToCoTaskMemUTF8(path);
            try
            {
                var handle = dlopen((byte*)name, 2 /* RTLD_NOW */);
                if (handle != 0)
                {
                    dlclose(handle);
                    return null;
                }
                var error = dlerror();
                return error == null ? null : Marshal.PtrToStringUTF8((nint)error);
            }
            finally
            {
                Marshal.FreeCoTaskMem(name);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // not glibc: the runtime's message has to do
        }
    }

    private static string LastLine(string message) =>
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } lines ? lines[^1] : message;

    /// <summary>The address of an export, or throws naming the function.</summary>
    public nint Required(string name) =>
        Optional(name) is var p && p != 0
            ? p
            : throw new InputException($"{Path}: the binary does not export the required function {name}");

    /// <summary>The address of an export, or 0 when absent.</summary>
    public nint Optional(string name)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        return NativeLibrary.TryGetExport(_handle, name, out var address) ? address : 0;
    }

    /// <summary>Unloads the library. Only call after every instance was freed.</summary>
    public void Dispose()
    {
        if (_handle == 0) return;
        NativeLibrary.Free(_handle);
        _handle = 0;
    }
}
