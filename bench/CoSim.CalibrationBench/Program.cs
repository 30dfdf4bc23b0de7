using System.Globalization;
using System.Text;
using CoSim.Calibration;
using CoSim.Core;

// scripts/bench-calibrate's in-process parts:
//   coverage FMU DRAWS [system-random]
//                           the share of seeded noise draws whose 95 % intervals contain the truth (Tank: area, outlet, start level),
//                           with its binomial (Wilson) 95 % interval; noise from MathNet's Mersenne Twister seeded by the draw's
//                           number (system-random: System.Random(seed), the legacy seeded generator the first figures used)
//   rate FMU DATA.csv       evaluations per second of one 2-parameter fit with 1 and 2 worker threads
var culture = CultureInfo.InvariantCulture;
var mode = args.Length > 0 ? args[0] : "";
if (mode == "coverage" && args.Length is 3 or 4) return Coverage(args[1], int.Parse(args[2], culture), args.Length == 4 && args[3] == "system-random");
if (mode == "rate" && args.Length == 3) return Rate(args[1], args[2]);
Console.Error.WriteLine("usage: coverage FMU DRAWS [system-random] | rate FMU DATA.csv");
return 2;

static int Coverage(string fmu, int draws, bool systemRandom)
{
    var truth = new Dictionary<string, double> { ["area"] = 0.6, ["outletCoefficient"] = 0.04, ["h0"] = 0.3 };
    const double sigma = 0.01;
    var (times, values) = CalibrationModel.Open(fmu).Simulate(truth, ["level"], 0.5, 100);
    var folder = Directory.CreateTempSubdirectory("calibration-coverage-").FullName;
    var known = new int[truth.Count];
    var estimated = new int[truth.Count];
    var failures = 0;
    // Per parameter: sum of the estimates, of their squares, and of the reported standard errors (sigma known).
    var sums = new double[truth.Count, 3];
    var gate = new object();
    var clock = System.Diagnostics.Stopwatch.StartNew();
    Parallel.For(0, draws, new ParallelOptions { MaxDegreeOfParallelism = 2 }, seed =>
    {
        Func<double> normal;
        if (systemRandom)
        {
            var random = new Random(seed);
            normal = () => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }
        else
        {
            var twister = new MathNet.Numerics.Random.MersenneTwister(seed, threadSafe: false);
            normal = () => MathNet.Numerics.Distributions.Normal.Sample(twister, 0, 1);
        }
        var text = new StringBuilder("time,level\n");
        for (var i = 0; i < times.Length; i++)
        {
            var noise = normal();
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
                if (counts == known)
                    lock (gate)
                    {
                        sums[j, 0] += p.Value;
                        sums[j, 1] += p.Value * p.Value;
                        sums[j, 2] += p.StdErr;
                    }
            }
        }
        File.Delete(data);
    });
    Directory.Delete(folder, true);
    var names = truth.Keys.ToList();
    Console.WriteLine($"coverage of the 95 % intervals over {draws} seeded noise draws (Tank, 201 points, sigma {sigma}, noise from {(systemRandom ? "System.Random(seed)" : "MersenneTwister(seed)")}; " +
                      $"{clock.Elapsed.TotalSeconds:0.0} s, {failures} fits not converged); [..] is the binomial 95 % interval of each share:");
    foreach (var (label, counts) in new[] { ("sigma known (@0.01)", known), ("sigma estimated", estimated) })
        Console.WriteLine($"  {label}: " + string.Join(", ", names.Select((n, j) => $"{n} {Share(counts[j], draws)}")) + $"; all parameters {Share(counts.Sum(), draws * names.Count)}");
    // The intervals are honest when the spread of the estimates over the draws matches the standard errors the fits report.
    Console.WriteLine("  spread of the estimates over the draws vs the standard error each fit reports (sigma known):");
    for (var j = 0; j < names.Count; j++)
    {
        var mean = sums[j, 0] / draws;
        var sd = Math.Sqrt((sums[j, 1] - draws * mean * mean) / (draws - 1));
        Console.WriteLine($"    {names[j]}: sd of the estimates {sd:G4}, mean reported stderr {sums[j, 2] / draws:G4} (ratio {sd / (sums[j, 2] / draws):0.000}), mean estimate - truth {mean - truth[names[j]]:G3}");
    }
    return 0;
}

// A share in percent with its Wilson score 95 % interval (the number of draws decides how exact a coverage figure can be).
static string Share(int hits, int n)
{
    const double z = 1.959963984540054;
    var p = hits / (double)n;
    var centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / (1 + z * z / n);
    return $"{100 * p:0.0} % [{100 * (centre - half):0.0}, {100 * (centre + half):0.0}]";
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
