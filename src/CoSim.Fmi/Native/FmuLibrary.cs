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
            // The runtime's message carries the loader's own (e.g. "libfoo.so.1: cannot open shared object file").
            throw new InputException($"{path}: the FMU's binary could not be loaded: {e.Message}", e);
        }
    }

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
