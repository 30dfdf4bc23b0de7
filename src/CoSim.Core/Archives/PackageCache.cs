using System.Security.Cryptography;

namespace CoSim.Core.Archives;

/// <summary>
/// Unpacked packages (.fmu, .ssp) kept in a cache folder keyed by the archive's content hash, so the
/// same package is extracted once however often it is loaded, and paths into it stay valid for as
/// long as a run needs them. Extraction goes through <see cref="SafeZip"/>; a half-unpacked folder
/// is never visible (unpack beside, then rename). Entries unused for <see cref="Retention"/> are
/// removed when another package is unpacked.
/// </summary>
public static class PackageCache
{
    /// <summary>How long an unused entry is kept.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(14);

    /// <summary>The cache folder for one kind of package: $COSIM_CACHE/KIND... else $XDG_CACHE_HOME/cosim/KIND, else ~/.cache/cosim/KIND.</summary>
    public static string DefaultRoot(string kind)
    {
        if (Environment.GetEnvironmentVariable("COSIM_CACHE") is { Length: > 0 } c) return kind == "fmu" ? c : Path.Combine(c, kind);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(baseDir, "cosim", kind);
    }

    /// <summary>The unpacked folder of <paramref name="archivePath"/> in <paramref name="cacheRoot"/>, unpacking it first if needed; <paramref name="what"/> names the package kind in errors.</summary>
    public static string Unpack(string archivePath, string cacheRoot, string what)
    {
        string hash;
        using (var stream = File.OpenRead(archivePath))
            hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..32];
        var target = Path.Combine(cacheRoot, hash);
        if (Directory.Exists(target))
        {
            Touch(target);
            return target;
        }
        Prune(cacheRoot);

        Directory.CreateDirectory(cacheRoot);
        // Unpack beside the target and rename at the end: a crash or a concurrent run never sees half a folder.
        var staging = Path.Combine(cacheRoot, $".{hash}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            SafeZip.Extract(archivePath, staging, what);
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another process unpacked the same archive first; theirs is identical.
            }
            return target;
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Marks a cache entry as used now (its folder's write time), so that <see cref="Prune"/> keeps it; a read-only cache is left alone.</summary>
    public static void Touch(string folder)
    {
        try
        {
            Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow);
        }
        catch (IOException)
        {
            // A read-only cache still works; it is only never pruned.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Removes the entries of <paramref name="cacheRoot"/> unused for <see cref="Retention"/>: keeps a cache from growing
    /// without bound as packages are rebuilt and scripts edited (each content hash is a folder). Called before a new
    /// entry is made; folders in use or not ours are left.
    /// </summary>
    public static void Prune(string cacheRoot)
    {
        if (!Directory.Exists(cacheRoot)) return;
        var cutoff = DateTime.UtcNow - Retention;
        foreach (var dir in Directory.EnumerateDirectories(cacheRoot))
        {
            if (Path.GetFileName(dir).StartsWith('.')) continue; // another process's staging folder
            try
            {
                if (Directory.GetLastWriteTimeUtc(dir) < cutoff) Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // In use by another process, or not ours to delete: leave it.
            }
        }
    }
}
