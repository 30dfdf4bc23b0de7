// ML benchmark (figures only, no assertions):
//  1. the ONNX component's cost per step (write 3 inputs, step, read 2 outputs) for a 3-16-2 MLP;
//  2. a surrogate of the Pump FMU, fitted on the FMU's own response to a swept input, in place of the
//     FMU in TankLoop: tank level error against the FMU run, and the speed-up.
// Usage: scripts/bench-ml [--steps N]   (N: inference steps per timed batch, default 20000)
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Ml;
using CoSim.Ml.Training;
using CoSim.Runner;
using CoSim.Ssp;
using MathNet.Numerics.LinearAlgebra.Double;

var steps = args.Length == 2 && args[0] == "--steps" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var root = FindRoot();
var work = Directory.CreateTempSubdirectory("cosim-mlbench-").FullName;
// Timings depend on the machine's load: print it beside them.
if (File.Exists("/proc/loadavg")) Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}, {Environment.ProcessorCount} cores");
try
{
    Inference(work, steps);
    PumpSurrogate(root, work, steps);
}
finally
{
    Directory.Delete(work, recursive: true);
}
return 0;

static void Inference(string work, int steps)
{
    // A 3-16-2 tanh MLP (weights from one epoch on random data: their values do not change the cost).
    var rng = new Random(1);
    var x = DenseMatrix.Create(200, 3, (_, _) => rng.NextDouble());
    var y = DenseMatrix.Create(200, 2, (i, j) => x[i, j] * x[i, 2]);
    var (mlp, _) = MlpTrainer.Train(x, y, ["a", "b", "c"], ["p", "q"], new MlpOptions { Hidden = [16], Epochs = 1 });
    var path = Path.Combine(work, "mlp-3-16-2.onnx");
    mlp.ToOnnx("bench", "3-16-2").Write(path);
    var (median, best, cpu) = PerStep(path, 3, 2, steps);
    Console.WriteLine($"onnx component, MLP {mlp.Shape} (float32), one row per step (write inputs, step, read outputs): " +
                      $"wall time median {F(median, 2)} us/step, best batch {F(best, 2)} us; CPU time median {F(cpu, 2)} us/step " +
                      $"(15 batches of {steps}; target < 5 us)");
}

// Microseconds per step of the ONNX component with new inputs every step (so every step runs the model): median and best
// wall time of 15 batches, and the median of the process's CPU time per step (on a loaded machine, wall time includes waiting for a core).
static (double Median, double Best, double Cpu) PerStep(string path, int nIn, int nOut, int steps)
{
    using var c = new OnnxComponent("Net", path, new Dictionary<string, string>());
    var inputs = c.CreateAccessor(Enumerable.Range(0, nIn).ToArray());
    var outputs = c.CreateAccessor(Enumerable.Range(nIn, nOut).ToArray());
    c.Instantiate();
    c.EnterInitialization(SimTime.Zero, null, null);
    c.ExitInitialization();
    var u = new double[nIn];
    u[^1] = 0.5;
    var result = new double[nOut];
    var h = SimTime.FromSeconds(0.001);
    var t = SimTime.Zero;
    void Run(int n)
    {
        for (var i = 0; i < n; i++)
        {
            u[0] = 0.1 + (i % 1000) * 1e-4; // new inputs every step, so every step runs the model
            inputs.Write(u);
            c.Step(t, h);
            outputs.Read(result);
            t += h;
        }
    }
    Run(steps); // warm-up
    var perStep = new List<double>();
    var cpu = new List<double>();
    var process = Process.GetCurrentProcess();
    for (var batch = 0; batch < 15; batch++)
    {
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        Run(steps);
        perStep.Add(sw.Elapsed.TotalMicroseconds / steps);
        process.Refresh();
        cpu.Add((process.TotalProcessorTime - cpu0).TotalMicroseconds / steps);
    }
    perStep.Sort();
    cpu.Sort();
    return (perStep[perStep.Count / 2], perStep[0], cpu[cpu.Count / 2]);
}

static void PumpSurrogate(string root, string work, int steps)
{
    var pumpFmu = Path.Combine(root, "build", "fmus", "fmi2", "Pump.fmu");
    var tankLoop = Path.Combine(root, "build", "examples", "TankLoop.ssp");

    // Training data: the Pump FMU's response to valve (0.1..1) and voltage (200..240 V) held 5 s at random levels, sampled every 1 s.
    var sweep = Path.Combine(work, "sweep.csv");
    var rng = new Random(7);
    var sb = new StringBuilder("time,valve,voltage\n0,0.5,230\n");
    double valve = 0.5, voltage = 230;
    for (var k = 1; k <= 240; k++)
    {
        sb.AppendLine(FormattableString.Invariant($"{5.0 * k},{valve},{voltage}"));
        valve = Math.Round(0.1 + 0.9 * rng.NextDouble(), 4);
        voltage = Math.Round(200 + 40 * rng.NextDouble(), 2);
        sb.AppendLine(FormattableString.Invariant($"{5.0 * k},{valve},{voltage}"));
    }
    File.WriteAllText(sweep, sb.ToString());
    var data = Path.Combine(work, "pump.csv");
    var spec = new RunSpecification { Stop = 1200, Step = 1, Output = data };
    spec.Components.Add(new ComponentSpec(new ComponentRequest("Pump", pumpFmu, "fmu")));
    spec.Inputs.Add(new InputTableSpec(sweep) { Component = "Pump" });
    spec.Record.AddRange(["valve", "voltage", "flowRate"]);
    using (var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance)) run.Run();

    var table = DataTable.Load(data);
    var sw = Stopwatch.StartNew();
    var options = new MlpOptions { Hidden = [16, 16], Epochs = 150, Seed = 1 };
    var (mlp, report) = MlpTrainer.Train(table.Select(["valve", "voltage"], from: 1), table.Select(["flowRate"], from: 1), ["valve", "voltage"], ["flowRate"], options);
    var trainTime = sw.Elapsed.TotalSeconds;
    var model = Path.Combine(work, "pump.onnx");
    mlp.ToOnnx("pump", "Pump surrogate").Write(model);
    Console.WriteLine($"pump surrogate: MLP {mlp.Shape} on {report.TrainingRows}+{report.ValidationRows} rows, {options.Epochs} epochs in {F(trainTime, 1)} s; " +
                      $"validation RMSE flowRate {F(report.ValidationRmse[0], 3)} l/min");

    // TankLoop with the FMU and with the surrogate in its place, 6000 steps of 0.1 s, on one thread; best of 3 runs.
    (double[] Level, double Wall, double PumpStep) Loop(bool surrogate)
    {
        var best = (Level: Array.Empty<double>(), Wall: double.MaxValue, PumpStep: 0.0);
        for (var rep = 0; rep < 3; rep++)
        {
            var s = SspImporter.Load(tankLoop);
            s.Stop = 600;
            s.Step = 0.1;
            s.Threads = 1;
            s.ProfileComponents = true;
            s.Output = Path.Combine(work, surrogate ? "surrogate.csv" : "fmu.csv");
            s.Record.Add("Tank.level");
            if (surrogate)
            {
                var i = s.Components.FindIndex(c => c.Name == "Pump");
                s.Components[i] = s.Components[i] with { Request = new ComponentRequest("Pump", model) };
            }
            using var run = PreparedRun.Prepare(s, PreparedRun.DefaultRegistry(), NullLogSink.Instance);
            var r = run.Run();
            if (r.WallTime.TotalSeconds < best.Wall)
                best = (Array.Empty<double>(), r.WallTime.TotalSeconds, r.Statistics.ComponentStepTime["Pump"].TotalMicroseconds / r.Statistics.Steps);
        }
        var level = DataTable.Load(Path.Combine(work, surrogate ? "surrogate.csv" : "fmu.csv")).Select(["Tank.level"]).Column(0).ToArray();
        return best with { Level = level };
    }
    var fmu = Loop(false);
    var sur = Loop(true);
    var diff = fmu.Level.Zip(sur.Level, (a, b) => Math.Abs(a - b)).ToArray();
    Console.WriteLine($"TankLoop, 6000 steps of 0.1 s: tank level |surrogate - FMU| max {F(diff.Max(), 4)} m, mean {F(diff.Average(), 5)} m " +
                      $"(level 0.1 -> 1 m; final {F(fmu.Level[^1], 4)} vs {F(sur.Level[^1], 4)} m)");
    // The surrogate runs only when its inputs changed (and again when Jacobi refreshes a direct feedthrough), so its
    // profiled step time says little: its cost per evaluation is measured alone, with new inputs every step.
    var (surrogateStep, _, _) = PerStep(model, 2, 1, steps);
    Console.WriteLine($"  Pump step (0.1 s): FMU {F(fmu.PumpStep, 2)} us (profiled in the run), surrogate {F(surrogateStep, 2)} us per evaluation " +
                      $"(x{F(fmu.PumpStep / surrogateStep, 1)}); whole run: FMU {F(fmu.Wall * 1e3, 1)} ms, surrogate {F(sur.Wall * 1e3, 1)} ms (x{F(fmu.Wall / sur.Wall, 2)})");
}

static string F(double v, int digits) => v.ToString("F" + digits, CultureInfo.InvariantCulture);

static string FindRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "CoSim.sln"))) return d.FullName;
    throw new InvalidOperationException("run from a CoSim checkout (CoSim.sln not found above the benchmark)");
}
