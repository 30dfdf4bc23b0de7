using System.IO.Compression;
using CoSim.Core;

namespace CoSim.Core.Archives;

/// <summary>
/// Defensive zip extraction for packages users hand us (.fmu, .ssp): entries that would escape the
/// destination (<c>../</c>, absolute paths), symbolic links, and archives that inflate beyond
/// <see cref="MaxUnpackedBytes"/> (counted as actually inflated, not as declared) are rejected with an
/// <see cref="InputException"/>.
/// </summary>
public static class SafeZip
{
    /// <summary>Cap on the total unpacked size (a zip bomb guard).</summary>
    public const long MaxUnpackedBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>Extracts <paramref name="archivePath"/> into <paramref name="destination"/>; <paramref name="what"/> names the package kind in errors.</summary>
    public static void Extract(string archivePath, string destination, string what)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(archivePath);
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"{archivePath}: not {what}: the file is not a zip archive ({e.Message})", e);
        }
        using (zip)
        {
            try
            {
                ExtractEntries(zip, archivePath, destination);
            }
            catch (InvalidDataException e)
            {
                // A damaged central directory or entry, an unsupported method, a split archive (found by fuzzing, docs/security.md).
                throw new InputException($"{archivePath}: not {what}: the zip archive is damaged or uses what CoSim cannot unpack ({e.Message})", e);
            }
        }
    }

    private static void ExtractEntries(ZipArchive zip, string archivePath, string staging)
    {
        var root = Path.GetFullPath(staging) + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(root);
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName.Replace('\\', '/');
            var shown = InputText.OneLine(entry.FullName, int.MaxValue); // a name may hold line breaks: keep the message one line
            if (name.Contains('\0'))
                throw new InputException($"{archivePath}: entry '{shown}' has a NUL character in its name");
            if (name.StartsWith('/') || Path.IsPathRooted(name) || name.Split('/').Contains(".."))
                throw new InputException($"{archivePath}: unsafe entry '{shown}' would be written outside the extraction folder");
            // Unix mode bits live in the upper 16 bits of ExternalAttributes; S_IFLNK = 0xA000.
            var unixMode = (entry.ExternalAttributes >> 16) & 0xF000;
            if (unixMode == 0xA000)
                throw new InputException($"{archivePath}: entry '{shown}' is a symbolic link; links are not extracted");
            var destination = Path.GetFullPath(Path.Combine(root, name));
            if (!destination.StartsWith(root, StringComparison.Ordinal))
                throw new InputException($"{archivePath}: unsafe entry '{shown}' would be written outside the extraction folder");
            if (name.EndsWith('/'))
            {
                Directory.CreateDirectory(destination);
                continue;
            }
            total += entry.Length;
            if (total > MaxUnpackedBytes)
                throw new InputException($"{archivePath}: unpacked size exceeds {MaxUnpackedBytes / (1024 * 1024)} MiB; refusing to extract");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                using var input = entry.Open();
                using var output = File.Create(destination);
                CopyCapped(input, output, entry.Length, archivePath, entry.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // e.g. a file entry whose name an earlier entry made a folder, or the other way round.
                throw new InputException($"{archivePath}: cannot unpack entry '{shown}': {InputText.OneLine(e.Message, int.MaxValue)}", e);
            }
        }
    }

    // A zip's declared length can lie; count the bytes actually inflated.
    private static void CopyCapped(Stream input, Stream output, long declared, string archive, string entry)
    {
        var buffer = new byte[81920];
        long written = 0;
        int n;
        while ((n = input.Read(buffer)) > 0)
        {
            written += n;
            if (written > declared || written > MaxUnpackedBytes)
                throw new InputException($"{archive}: entry '{entry}' inflates beyond its declared size; refusing to extract");
            output.Write(buffer, 0, n);
        }
    }
}
