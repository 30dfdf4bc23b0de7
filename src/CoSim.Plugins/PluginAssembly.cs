using System.Reflection;
using System.Runtime.CompilerServices;
using CoSim.Core;
using CoSim.Plugins.Sdk;
using McMaster.NETCore.Plugins;

namespace CoSim.Plugins;

/// <summary>A component type a plugin assembly offers: its full and short name and its description.</summary>
public sealed record PluginComponentType(string FullName, string Name, string? Description);

/// <summary>
/// One plugin assembly loaded into its own collectible load context: it keeps its own dependencies
/// (another MathNet.Numerics than the host's, say) and shares with the host only the contract
/// assemblies (CoSim.Core, CoSim.Plugins.Sdk), so its components are <see cref="IComponent"/>s the
/// engine steps directly. Disposing unloads the context once nothing refers to its types any more.
/// </summary>
public sealed class PluginAssembly : IDisposable
{
    private PluginLoader? _loader;
    private readonly Dictionary<string, Type> _types;

    private PluginAssembly(string path, PluginLoader loader, Assembly assembly, IReadOnlyList<Type> types)
    {
        Path = path;
        _loader = loader;
        AssemblyName = assembly.GetName().Name ?? System.IO.Path.GetFileNameWithoutExtension(path);
        ComponentTypes = types.Select(t => new PluginComponentType(t.FullName!, t.Name, PluginComponent.DescriptionOf(t))).ToList();
        _types = types.ToDictionary(t => t.FullName!, StringComparer.Ordinal);
        LoadContext = new WeakReference(loader.LoadContext);
    }

    /// <summary>Full path of the assembly.</summary>
    public string Path { get; }

    /// <summary>The assembly's simple name.</summary>
    public string AssemblyName { get; }

    /// <summary>The component types offered, by full name.</summary>
    public IReadOnlyList<PluginComponentType> ComponentTypes { get; }

    /// <summary>The load context, weakly: alive while the plugin is loaded, collected after <see cref="Dispose"/> and a garbage collection.</summary>
    public WeakReference LoadContext { get; }

    /// <summary>Whether <paramref name="source"/> looks like a plugin assembly (a .dll file).</summary>
    public static bool LooksLikePlugin(string source) => source.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads the assembly at <paramref name="path"/>; throws <see cref="InputException"/> naming the file when it is missing, not a .NET assembly, or offers no component.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the plugin's types off the caller's stack frame (unloading)
    public static PluginAssembly Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new InputException($"{path}: no such plugin assembly");
        PluginLoader? loader = null;
        try
        {
            // Shared: only the contract assemblies. PreferSharedTypes stays off, or the plugin would get the host's dependency versions.
            loader = PluginLoader.CreateFromAssemblyFile(full, isUnloadable: true, sharedTypes: [typeof(IComponent), typeof(PluginComponent)]);
            var assembly = loader.LoadDefaultAssembly();
            var types = PluginComponent.ComponentTypes(assembly);
            if (types.Count == 0)
                throw new InputException($"{path}: the assembly offers no component (a public, non-abstract class deriving from {typeof(PluginComponent).FullName} with a public parameterless constructor)");
            return new PluginAssembly(full, loader, assembly, types);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException)
        {
            loader?.Dispose();
            var reason = e is ReflectionTypeLoadException r ? string.Join("; ", r.LoaderExceptions.Select(x => x?.Message).Distinct()) : e.Message;
            throw new InputException($"{path}: cannot load the plugin assembly: {reason}");
        }
        catch
        {
            loader?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Resolves a component type by full name or short name; null <paramref name="typeName"/> picks the only
    /// type (an error when there are several). Throws <see cref="InputException"/> listing the types offered.
    /// </summary>
    public PluginComponentType Resolve(string? typeName)
    {
        var offered = string.Join(", ", ComponentTypes.Select(t => t.FullName));
        if (typeName == null)
            return ComponentTypes.Count == 1
                ? ComponentTypes[0]
                : throw new InputException($"{Path}: the plugin offers several component types; choose one with type= (offered: {offered})");
        var matches = ComponentTypes.Where(t => t.FullName == typeName || t.Name == typeName).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InputException($"{Path}: no component type '{typeName}' (offered: {offered})"),
            _ => throw new InputException($"{Path}: '{typeName}' is ambiguous (offered: {offered}); give the full name"),
        };
    }

    /// <summary>Makes a new instance of <paramref name="type"/> named <paramref name="name"/>; a constructor that throws is an <see cref="InputException"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public PluginComponent CreateInstance(PluginComponentType type, string name)
    {
        var loader = _loader ?? throw new ObjectDisposedException(nameof(PluginAssembly));
        try
        {
            var component = (PluginComponent)Activator.CreateInstance(_types[type.FullName])!;
            component.Name = name;
            return component;
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            GC.KeepAlive(loader);
            throw new InputException($"{Path}: creating {type.FullName} failed: {e.InnerException.GetType().Name}: {e.InnerException.Message}");
        }
    }

    /// <summary>Drops the types and unloads the load context (collected once nothing refers to the plugin's objects).</summary>
    public void Dispose()
    {
        _types.Clear();
        _loader?.Dispose();
        _loader = null;
    }
}
