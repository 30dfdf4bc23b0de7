using System.Globalization;
using CoSim.TestSupport;

namespace CoSim.Telemetry.Tests;

/// <summary>
/// The SKAB testbed files beside the repository (RepoRoot/../shared/data/skab), files of the same shape made on the spot
/// (<see cref="Like"/>: tests of the reader need the format, not the testbed), and an independent reading of both.
/// </summary>
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

    /// <summary>The header of every SKAB file.</summary>
    public const string Header = "datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;Thermocouple;Voltage;Volume Flow RateRMS;anomaly;changepoint";

    /// <summary>
    /// A file shaped like a SKAB file (its header, <c>;</c>, <c>.</c> decimals, local date-times from 2020-03-09 10:14:33, steps of
    /// 1 s with every seventh one 2 s), written into <paramref name="folder"/> for the tests that need the format but not the
    /// testbed's measurements. <paramref name="gapAfterRow"/>: the step after that row is <paramref name="gapSeconds"/> long.
    /// Values are smooth deterministic signals near SKAB's levels (voltage about 230 V, flow about 32 l/min).
    /// </summary>
    public static string Like(string folder, int rows = 1100, int gapAfterRow = -1, int gapSeconds = 76, string name = "skab-like.csv")
    {
        var lines = new List<string>(rows + 1) { Header };
        var time = new DateTime(2020, 3, 9, 10, 14, 33);
        for (var r = 0; r < rows; r++)
        {
            double[] values = [0.0265 + 0.001 * Math.Sin(r * 0.07), 0.0401 + 0.001 * Math.Cos(r * 0.05), 1.33 + 0.2 * Math.Sin(r * 0.3), 0.38 + 0.3 * Math.Sin(r * 0.11),
                               79.3 + 0.4 * Math.Sin(r * 0.01), 26.02 + 0.05 * Math.Sin(r * 0.02), 233 + 15 * Math.Sin(r * 0.3), 32 + 0.5 * Math.Sin(r * 0.05),
                               r % 200 >= 150 ? 1 : 0, 0];
            lines.Add(time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + ";" +
                      string.Join(';', values.Select(v => Math.Round(v, 6).ToString("0.0#####", CultureInfo.InvariantCulture))));
            time = time.AddSeconds(r == gapAfterRow ? gapSeconds : r % 7 == 6 ? 2 : 1);
        }
        var path = Path.Combine(folder, name);
        System.IO.File.WriteAllLines(path, lines);
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
