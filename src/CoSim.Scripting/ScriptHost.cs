using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using CoSim.Core;
using CoSim.Core.Archives;

namespace CoSim.Scripting;

/// <summary>How scripts are compiled: the globals type whose public members script code calls unqualified, imports, references, the cache.</summary>
public sealed record ScriptHostOptions(Type GlobalsType)
{
    /// <summary>Namespaces every script imports.</summary>
    public IReadOnlyList<string> Imports { get; init; } = ["System", "System.Linq", "System.Collections.Generic", "System.IO", GlobalsType.Namespace ?? "System"];

    /// <summary>Assemblies scripts reference besides the runtime's and the globals type's (and what those reference).</summary>
    public IReadOnlyList<Assembly> References { get; init; } = [];

    /// <summary>Folder of compiled scripts, one sub-folder per content hash; null: compile every time.</summary>
    public string? CacheRoot { get; init; } = PackageCache.DefaultRoot("scripts");

    /// <summary>Where "compiled in ..." / "loaded from the cache" go (debug level).</summary>
    public ILogSink Log { get; init; } = NullLogSink.Instance;
}

/// <summary>
/// Compiles C# scripts (<c>.csx</c>) with Roslyn's scripting dialect over a globals type, and keeps the compiled
/// assemblies on disk keyed by a content hash of the script, every file it <c>#load</c>s (recursively), the
/// assemblies it <c>#r</c>eferences, the host's own assemblies and the options: a second run of an unchanged
/// script loads the assembly and never starts the compiler. <c>#r "nuget:..."</c> is refused (no downloads);
/// <c>#r "lib.dll"</c> of a local assembly works.
/// </summary>
public sealed class ScriptHost(ScriptHostOptions options)
{
    private const string ImageFile = "script.dll";
    private const string MetaFile = "script.entry";
    private int _compilations;

    /// <summary>Scripts this host compiled with Roslyn (a cache hit does not count).</summary>
    public int Compilations => _compilations;

    /// <summary>The options.</summary>
    public ScriptHostOptions Options => options;

    /// <summary>
    /// The compiled script at <paramref name="path"/>, from the cache when its key matches, else compiled (and cached).
    /// Throws <see cref="ScriptCompilationException"/> with every compile error, <see cref="InputException"/> for a
    /// missing file or a refused directive.
    /// </summary>
    public CompiledScript Load(string path)
    {
        var watch = Stopwatch.StartNew();
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new InputException($"{path}: no such script");
        var (files, directives) = ScriptDirectives.Closure(full);
        var refused = directives.Where(d => d.IsNuGet).Select(d =>
            $"{d.Place}: error COSIM01: #{d.Kind} \"{d.Value}\": NuGet references are not supported (CoSim downloads nothing while running a scenario); reference a local assembly: #r \"path/to/Library.dll\"").ToList();
        if (refused.Count > 0) throw new ScriptCompilationException(refused);
        var references = directives.Where(d => d.Kind == "r" && d.ResolvedPath is { } p && File.Exists(p)).Select(d => d.ResolvedPath!).Distinct().ToList();
        var sources = files.Select(f => f.Path).ToList();

        var key = Key(files, directives);
        var folder = options.CacheRoot is { } root ? Path.Combine(root, key) : null;
        if (folder != null && TryLoadCached(folder, full, sources, references, watch) is { } cached) return cached;

        var compiled = CompileNow(full, files[0].Text);
        Interlocked.Increment(ref _compilations);
        if (folder != null) Store(folder, compiled.Image, compiled.EntryType, compiled.EntryMethod);
        var script = Bind(full, sources, references, compiled.Image, compiled.EntryType, compiled.EntryMethod, fromCache: false);
        options.Log.Log(LogLevel.Debug, "script", $"{full}: compiled in {watch.Elapsed.TotalSeconds:0.###} s");
        return script;
    }

    // Not inlined: the JIT loads Roslyn's assemblies only when this method is compiled, i.e. on a cache miss.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ScriptCompiler.Output CompileNow(string path, string text) => ScriptCompiler.Compile(path, text, options);

    private CompiledScript? TryLoadCached(string folder, string path, List<string> sources, List<string> references, Stopwatch watch)
    {
        var image = Path.Combine(folder, ImageFile);
        var meta = Path.Combine(folder, MetaFile);
        if (!File.Exists(image) || !File.Exists(meta)) return null;
        try
        {
            var entry = File.ReadAllLines(meta);
            if (entry.Length < 2) return null;
            var script = Bind(path, sources, references, File.ReadAllBytes(image), entry[0], entry[1], fromCache: true);
            PackageCache.Touch(folder);
            options.Log.Log(LogLevel.Debug, "script", $"{path}: loaded from the cache {folder} in {watch.Elapsed.TotalSeconds:0.###} s");
            return script;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            options.Log.Log(LogLevel.Debug, "script", $"{folder}: unusable cache entry ({e.Message}); compiling");
            return null;
        }
    }

    private static CompiledScript Bind(string path, List<string> sources, List<string> references, byte[] image, string entryType, string entryMethod, bool fromCache)
    {
        var context = new ScriptLoadContext(Path.GetFileName(path), references);
        using var stream = new MemoryStream(image, writable: false);
        var assembly = context.LoadFromStream(stream);
        var factory = assembly.GetType(entryType, throwOnError: true)!
            .GetMethod(entryMethod, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!
            .CreateDelegate<Func<object[], Task<object>>>();
        return new CompiledScript(path, sources, fromCache, factory);
    }

    // Written beside the entry and renamed into place: a crash or a concurrent run never sees half an entry.
    private void Store(string folder, byte[] image, string entryType, string entryMethod)
    {
        var root = Path.GetDirectoryName(folder)!;
        PackageCache.Prune(root); // entries of scripts edited since, or of older CoSim builds
        var staging = Path.Combine(root, $".{Path.GetFileName(folder)}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            File.WriteAllBytes(Path.Combine(staging, ImageFile), image);
            File.WriteAllLines(Path.Combine(staging, MetaFile), [entryType, entryMethod]);
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                // Another process compiled the same script first; its entry is equivalent.
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            options.Log.Log(LogLevel.Debug, "script", $"{root}: compiled script not cached ({e.Message})");
        }
        finally
        {
            try
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// The cache key: everything the compiled image depends on. Paths are part of it because they are compiled into
    /// the image's debug information (stack traces name them).
    /// </summary>
    private string Key(IReadOnlyList<(string Path, string Text)> files, IReadOnlyList<ScriptDirective> directives)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(s));
            hash.AppendData([0]);
        }
        Add("cosim-script v1");
        Add(options.GlobalsType.AssemblyQualifiedName!);
        // The host's and the API's builds: a rebuilt CoSim invalidates every entry (deterministic builds keep the MVID when nothing changed).
        foreach (var a in new[] { typeof(ScriptHost).Assembly, options.GlobalsType.Assembly }.Concat(options.References).Distinct())
            Add(a.ManifestModule.ModuleVersionId.ToString());
        foreach (var i in options.Imports) Add(i);
        foreach (var (path, text) in files)
        {
            Add(path);
            Add(text);
        }
        foreach (var d in directives.Where(d => d.Kind == "r"))
        {
            Add(d.Value);
            if (d.ResolvedPath is { } p && File.Exists(p))
            {
                using var stream = File.OpenRead(p);
                hash.AppendData(SHA256.HashData(stream));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    /// <summary>One script assembly's load context: its <c>#r</c> assemblies by name, everything else from the host's context.</summary>
    private sealed class ScriptLoadContext(string name, IReadOnlyList<string> references) : AssemblyLoadContext("script:" + name)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // An assembly the host already has (e.g. CoSim's own, #r'd by an editor header) is shared, never loaded twice.
            if (Default.Assemblies.Any(a => string.Equals(a.GetName().Name, assemblyName.Name, StringComparison.OrdinalIgnoreCase))) return null;
            foreach (var path in references)
                if (string.Equals(Path.GetFileNameWithoutExtension(path), assemblyName.Name, StringComparison.OrdinalIgnoreCase))
                    return LoadFromAssemblyPath(path);
            return null;
        }
    }
}

/// <summary>The globals object of the script running on this thread (set while its top-level code runs), for editor headers that forward to it.</summary>
public static class ScriptGlobals
{
    [ThreadStatic]
    private static object? _current;

    /// <summary>The globals of the script whose top-level code is running on this thread; null outside.</summary>
    public static object? Current
    {
        get => _current;
        internal set => _current = value;
    }
}

/// <summary>A compiled script, ready to run against a globals object (any number of times, e.g. once per sweep case).</summary>
public sealed class CompiledScript
{
    private readonly Func<object[], Task<object>> _factory;

    internal CompiledScript(string path, IReadOnlyList<string> sources, bool fromCache, Func<object[], Task<object>> factory)
    {
        Path = path;
        Sources = sources;
        FromCache = fromCache;
        _factory = factory;
    }

    /// <summary>Full path of the script.</summary>
    public string Path { get; }

    /// <summary>The script and every file it loads.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>True when the image came from the cache (Roslyn did not run).</summary>
    public bool FromCache { get; }

    /// <summary>
    /// Runs the script's top-level code with <paramref name="globals"/> (an instance of the host's globals type) and
    /// returns its result value. An exception thrown by script code propagates unchanged (see <see cref="ScriptErrors"/>).
    /// </summary>
    public object? Run(object globals)
    {
        var previous = ScriptGlobals.Current;
        ScriptGlobals.Current = globals;
        try
        {
            // Slot 0 holds the globals, slot 1 the submission itself (Roslyn's layout for a single submission).
            var task = _factory([globals, null!]);
            return task.GetAwaiter().GetResult();
        }
        finally
        {
            ScriptGlobals.Current = previous;
        }
    }
}
