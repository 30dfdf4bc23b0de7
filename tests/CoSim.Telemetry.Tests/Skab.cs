using System.Globalization;
using CoSim.TestSupport;

namespace CoSim.Telemetry.Tests;

/// <summary>The SKAB testbed files beside the repository (RepoRoot/../shared/data/skab), and an independent reading of them.</summary>
internal static class Skab
{
    /// <summary>RepoRoot/../shared/data/skab; <c>COSIM_SHARED_DIR</c> names another shared folder (e.g. for a git worktree elsewhere).</summary>
    public static string Folder => Path.GetFullPath(Path.Combine(
        Environment.GetEnvironmentVariable("COSIM_SHARED_DIR") is { Length: > 0 } shared ? shared : Path.Combine(ExampleFmus.RepoRoot, "..", "shared"), "data", "skab"));

    /// <summary>A SKAB file; ignores the test (with the reason) when the data is not beside the repository.</summary>
    public static string File(string relative)
    {
        var path = Path.Combine(Folder, relative);
        if (!System.IO.File.Exists(path)) Assert.Ignore($"SKAB data not found at {path} (expected RepoRoot/../shared/data/skab, or set COSIM_SHARED_DIR)");
        return path;
    }

    /// <summary>The file read by hand (split on ';', ParseExact), as the reference the reader is checked against.</summary>
    public static (string[] Header, DateTime[] Times, double[][] Rows) Read(string path)
    {
        var lines = System.IO.File.ReadAllLines(path);
        var header = lines[0].Split(';');
        var times = new List<DateTime>();
        var rows = new List<double[]>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(';');
            times.Add(DateTime.ParseExact(cells[0], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            rows.Add(cells.Skip(1).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray());
        }
        return (header, times.ToArray(), rows.ToArray());
    }
}
