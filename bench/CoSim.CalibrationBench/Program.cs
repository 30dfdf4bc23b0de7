using System.Globalization;
using System.Text;
using CoSim.Calibration;
using CoSim.Core;

// scripts/bench-calibrate's in-process parts:
//   coverage FMU DRAWS      the share of seeded noise draws whose 95 % intervals contain the truth (Tank: area, outlet, start level)
//   rate FMU DATA.csv       evaluations per second of one 2-parameter fit with 1 and 2 worker threads
var culture = CultureInfo.InvariantCulture;
var mode = args.Length > 0 ? args[0] : "";
if (mode == "coverage" && args.Length == 3) return Coverage(args[1], int.Parse(args[2], culture));
if (mode == "rate" && args.Length == 3) return Rate(args[1], args[2]);
Console.Error.WriteLine("usage: coverage FMU DRAWS | rate FMU DATA.csv");
return 2;

static int Coverage(string fmu, int draws)
{
    var truth = new Dictionary<string, double> { ["area"] = 0.6, ["outletCoefficient"] = 0.04, ["h0"] = 0.3 };
    const double sigma = 0.01;
    var (times, values) = CalibrationModel.Open(fmu).Simulate(truth, ["level"], 0.5, 100);
    var folder = Directory.CreateTempSubdirectory("calibration-coverage-").FullName;
    var known = new int[truth.Count];
    var estimated = new int[truth.Count];
    var failures = 0;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    Parallel.For(0, draws, new ParallelOptions { MaxDegreeOfParallelism = 2 }, seed =>
    {
        var random = new Random(seed);
        var text = new StringBuilder("time,level\n");
        for (var i = 0; i < times.Length; i++)
        {
            var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            text.Append(CultureInfo.InvariantCulture, $"{times[i]:R},{values[0][i] + sigma * noise:R}\n");
        }
        var data = Path.Combine(folder, $"draw{seed}.csv");
        File.WriteAllText(data, text.ToString());
        foreach (var (fit, counts) in new[] { ("level=level@0.01", known), ("level=level", estimated) })
        {
            var result = Calibrator.Run(new CalibrationSettings
            {
                Model = fmu,
                Data = [data],
                Fits = [FitSpec.Parse(fit)],
                Parameters = [ParameterSpec.Parse("area=0.1..2@1"), ParameterSpec.Parse("outletCoefficient=0.005..0.2@0.08"), ParameterSpec.Parse("h0=0..1@0.6")],
                Threads = 1,
            }, NullLogSink.Instance);
            if (!result.Converged) Interlocked.Increment(ref failures);
            for (var j = 0; j < result.Parameters.Count; j++)
            {
                var p = result.Parameters[j];
                if (truth[p.Name] >= p.Lower95 && truth[p.Name] <= p.Upper95) Interlocked.Increment(ref counts[j]);
            }
        }
        File.Delete(data);
    });
    Directory.Delete(folder, true);
    var names = truth.Keys.ToList();
    Console.WriteLine($"coverage of the 95 % intervals over {draws} seeded noise draws (Tank, 201 points, sigma {sigma}; {clock.Elapsed.TotalSeconds:0.0} s, {failures} fits not converged):");
    foreach (var (label, counts) in new[] { ("sigma known (@0.01)", known), ("sigma estimated", estimated) })
    {
        var total = counts.Sum() / (double)(draws * names.Count);
        Console.WriteLine($"  {label}: " + string.Join(", ", names.Select((n, j) => $"{n} {100.0 * counts[j] / draws:0.0} %")) + $"; all parameters {100 * total:0.0} %");
    }
    return 0;
}

static int Rate(string fmu, string data)
{
    foreach (var threads in new[] { 1, 2 })
    {
        var result = Calibrator.Run(new CalibrationSettings
        {
            Model = fmu,
            Data = [data],
            Fits = [FitSpec.Parse("level=level@0.01")],
            Parameters = [ParameterSpec.Parse("area=0.1..2@1"), ParameterSpec.Parse("outletCoefficient=0.005..0.2@0.08")],
            Threads = threads,
        }, NullLogSink.Instance);
        Console.WriteLine($"  {threads} thread(s): {result.Evaluations} evaluations of {result.Points} points in {result.Elapsed.TotalSeconds:0.000} s = " +
                          $"{result.Evaluations / result.Elapsed.TotalSeconds:0.0} evaluations/s ({result.Points * (double)result.Evaluations / result.Elapsed.TotalSeconds / 1e6:0.00} M points/s)");
    }
    return 0;
}
