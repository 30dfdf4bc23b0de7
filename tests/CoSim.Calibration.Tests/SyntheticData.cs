using System.Globalization;
using System.Text;
using CoSim.Calibration;
using CoSim.TestSupport;

namespace CoSim.Calibration.Tests;

/// <summary>
/// Measured data made from the project's FMUs: the model run at known ("true") parameter values,
/// its outputs at the data times plus seeded Gaussian noise of known sigma, written as CSV.
/// </summary>
internal static class SyntheticData
{
    /// <summary>The Tank FMU (FMI 2, co-simulation).</summary>
    public static string Tank => ExampleFmus.Path(2, "Tank");

    /// <summary>
    /// Runs <paramref name="fmu"/> at <paramref name="truth"/> (variable=value) every <paramref name="step"/> s up to
    /// <paramref name="stop"/> and writes <c>time,OUTPUT...</c> with noise N(0, sigma²) from <paramref name="seed"/>.
    /// </summary>
    public static string Write(string folder, string fileName, string fmu, IReadOnlyDictionary<string, double> truth, string[] outputs,
        double step, double stop, double sigma, int seed)
    {
        var clean = CalibrationModel.Open(fmu).Simulate(truth, outputs, step, stop);
        var random = new Random(seed);
        var path = Path.Combine(folder, fileName);
        var text = new StringBuilder("time," + string.Join(",", outputs) + "\n");
        for (var i = 0; i < clean.Times.Length; i++)
        {
            text.Append(F(clean.Times[i]));
            foreach (var series in clean.Values) text.Append(',').Append(F(series[i] + sigma * Gaussian(random)));
            text.Append('\n');
        }
        File.WriteAllText(path, text.ToString());
        return path;
    }

    // Box-Muller: reproducible from the seed, independent of any library's generator.
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
