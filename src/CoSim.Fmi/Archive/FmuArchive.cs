using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CoSim.Core;
using CoSim.Core.Archives;
using CoSim.Fmi.Description;

namespace CoSim.Fmi.Archive;

/// <summary>
/// An FMU archive (.fmu zip, or an already extracted folder) unpacked into a cache folder keyed by
/// the archive's content hash, so the same FMU is extracted once however often it is loaded.
/// Extraction is defensive: entries that would escape the folder (<c>../</c>, absolute paths,
/// links) and archives larger than <see cref="SafeZip.MaxUnpackedBytes"/> are rejected.
/// </summary>
public sealed class FmuArchive
{
    private FmuArchive(string source, string folder, ModelDescriptionReport report)
    {
        SourcePath = source;
        Folder = folder;
        Report = report;
    }

    /// <summary>The .fmu file (or folder) as given.</summary>
    public string SourcePath { get; }

    /// <summary>The unpacked folder (holds modelDescription.xml, binaries/, resources/).</summary>
    public string Folder { get; }

    /// <summary>The parsed and validated model description with every problem found.</summary>
    public ModelDescriptionReport Report { get; }

    /// <summary>The model description; throws <see cref="InputException"/> listing the errors when it cannot run.</summary>
    public ModelDescription Model =>
        Report.CanRun
            ? Report.Model!
            : throw new InputException($"{SourcePath}: the model description has errors:{Environment.NewLine}  " +
                                       string.Join(Environment.NewLine + "  ", Report.Errors));

    public string ResourcesFolder => Path.Combine(Folder, "resources");

    /// <summary>Platform folder names under binaries/ for this machine, FMI 2 then FMI 3 spelling.</summary>
    public static string PlatformFolder(FmiVersion version)
    {
        var arch = RuntimeInformation.ProcessArchitecture;
        if (OperatingSystem.IsLinux())
            return version == FmiVersion.Fmi2
                ? (arch == Architecture.X64 ? "linux64" : "linux32")
                : (arch == Architecture.Arm64 ? "aarch64-linux" : "x86_64-linux");
        if (OperatingSystem.IsWindows())
            return version == FmiVersion.Fmi2 ? "win64" : "x86_64-windows";
        return version == FmiVersion.Fmi2 ? "darwin64" : (arch == Architecture.Arm64 ? "aarch64-darwin" : "x86_64-darwin");
    }

    private static string LibraryExtension => OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so";

    /// <summary>The platforms the archive ships binaries for (folder names under binaries/).</summary>
    public IReadOnlyList<string> Platforms
    {
        get
        {
            var bin = Path.Combine(Folder, "binaries");
            return Directory.Exists(bin)
                ? Directory.GetDirectories(bin).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
                : [];
        }
    }

    /// <summary>Path of the shared library for a model identifier on this platform, or an <see cref="InputException"/> that lists what the archive has.</summary>
    public string BinaryPath(string modelIdentifier)
    {
        var version = Model.Version;
        var platform = PlatformFolder(version);
        var path = Path.Combine(Folder, "binaries", platform, modelIdentifier + LibraryExtension);
        if (File.Exists(path)) return path;
        var have = Platforms;
        throw new InputException(
            $"{SourcePath}: no binary for this platform ({platform}/{modelIdentifier}{LibraryExtension}); " +
            (have.Count == 0 ? "the archive has no binaries/ folder (source-only FMU?)" : "the archive has binaries for: " + string.Join(", ", have)));
    }

    /// <summary>
    /// Why the binary for <paramref name="modelIdentifier"/> cannot be used on this machine (no binary for
    /// the platform, or the loader refuses it, e.g. a library it needs is missing), or null when it loads.
    /// </summary>
    public string? BinaryProblem(string modelIdentifier)
    {
        try
        {
            using var library = Native.FmuLibrary.Load(BinaryPath(modelIdentifier));
            return null;
        }
        catch (InputException e)
        {
            return e.Message;
        }
    }

    /// <summary>Opens an FMU archive or extracted folder. Errors about the file itself are <see cref="InputException"/>s.</summary>
    public static FmuArchive Open(string path, string? cacheRoot = null)
    {
        string folder;
        if (Directory.Exists(path))
            folder = Path.GetFullPath(path);
        else if (File.Exists(path))
            folder = Extract(path, cacheRoot ?? DefaultCacheRoot);
        else
            throw new InputException($"{path}: no such file");

        var mdPath = Path.Combine(folder, "modelDescription.xml");
        if (!File.Exists(mdPath))
            throw new InputException($"{path}: the archive has no modelDescription.xml at its root");
        ModelDescriptionReport report;
        using (var xml = File.OpenRead(mdPath))
            report = ModelDescriptionReader.Read(xml, Path.GetFileName(path) + "!/modelDescription.xml");
        return new FmuArchive(path, folder, report);
    }

    /// <summary>Cache of unpacked FMUs: $COSIM_CACHE, else $XDG_CACHE_HOME/cosim/fmu, else ~/.cache/cosim/fmu.</summary>
    public static string DefaultCacheRoot => PackageCache.DefaultRoot("fmu");

    private static string Extract(string archivePath, string cacheRoot) => PackageCache.Unpack(archivePath, cacheRoot, "an FMU");
}
