using System.Diagnostics;
using System.Globalization;
using CoSim.Bench;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Fmi.Archive;
using CoSim.Fmi.CoSimulation;
using CoSim.Fmi.Description;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;
using CoSim.Results;

// CoSim vs the native limit: `cosim simulate`'s code path against a plain C loop calling the same
// FMU's doStep (and writing the same CSV with fprintf). Usage: scripts/bench [FMU] [STEPS]
var root = FindRoot();
var fmuPath = args.Length > 0 ? args[0] : Path.Combine(root, "build", "fmus", "fmi2", "Tank.fmu");
var steps = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
const double h = 1e-3;
const int repetitions = 5;
var work = Path.Combine(root, "build", "bench");
Directory.CreateDirectory(work);

var archive = FmuArchive.Open(fmuPath);
var md = archive.Model;
if (md.Version != FmiVersion.Fmi2) throw new InvalidOperationException("the native loop drives FMI 2.0 binaries; pass an fmi2/ FMU");
var outputs = md.Variables.Where(v => v.Causality == Causality.Output && v.Type == VariableType.Float64).ToList();
var binary = archive.BinaryPath(md.CoSimulation!.ModelIdentifier);
var resources = new Uri(archive.ResourcesFolder + "/").AbsoluteUri;

var nativeLoop = BuildNativeLoop(root, work);
Console.WriteLine($"FMU {md.ModelName} (FMI {md.FmiVersionText}), {steps:N0} steps of {h} s, {outputs.Count} outputs recorded; best of {repetitions}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
Console.WriteLine();

double Native(string csv)
{
    var best = double.MaxValue;
    for (var r = 0; r < repetitions; r++)
    {
        var psi = new ProcessStartInfo(nativeLoop, [binary, md.InstantiationToken, resources, steps.ToString(CultureInfo.InvariantCulture),
            h.ToString("R", CultureInfo.InvariantCulture), string.Join(",", outputs.Select(o => o.ValueReference)), csv]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var line = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("native loop failed");
        var seconds = double.Parse(line.Split(' ').First(s => s.StartsWith("seconds=", StringComparison.Ordinal))[8..], CultureInfo.InvariantCulture);
        best = Math.Min(best, seconds);
    }
    return best;
}

double CoSimRun(string? csv)
{
    var best = double.MaxValue;
    for (var r = 0; r < repetitions + 1; r++) // the first run warms up the JIT and is not counted
    {
        var clock = Stopwatch.StartNew();
        using (var system = new SystemModel())
        {
            system.Add(new FmuCoSimulationComponent(archive, "bench", NullLogSink.Instance));
            var names = outputs.Select(o => o.Name).ToList();
            IObserver observer = csv == null
                ? new MemoryRecorder("bench", names, steps)
                : new CsvRecorder(csv, names.Select(n => new RecordedSignal(new VariableRef("bench", n), n)).ToList());
            new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, steps * h, h), Threads = 1 }, [], [observer]).Run();
            (observer as IDisposable)?.Dispose();
        }
        if (r > 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
    }
    return best;
}

var rows = new List<(string Case, double Native, double CoSim)>
{
    ("in memory (doStep + get outputs)", Native("-"), CoSimRun(null)),
    ("with CSV output", Native(Path.Combine(work, "native.csv")), CoSimRun(Path.Combine(work, "cosim.csv"))),
};
Console.WriteLine($"{"case",-34} {"C loop steps/s",16} {"CoSim steps/s",16} {"CoSim / C",10}");
foreach (var (name, native, cosim) in rows)
    Console.WriteLine($"{name,-34} {steps / native,16:N0} {steps / cosim,16:N0} {native / cosim,10:0.00}x");
var nativeCsv = new FileInfo(Path.Combine(work, "native.csv")).Length;
var cosimCsv = new FileInfo(Path.Combine(work, "cosim.csv")).Length;
Console.WriteLine();
Console.WriteLine($"CSV sizes: C loop {nativeCsv / 1e6:0.0} MB (%.17g), CoSim {cosimCsv / 1e6:0.0} MB (shortest round-trip)");
Console.WriteLine("Times run from instantiation to the last step (process start-up and JIT warm-up excluded on both sides).");

// Model exchange: CoSim integrates the FMU's equations itself. An elastic bouncing ball (e = 1)
// gives a steady stream of state events; the same model as co-simulation is the baseline.
var ballPath = Path.Combine(Path.GetDirectoryName(fmuPath)!, "BouncingBall.fmu");
if (File.Exists(ballPath))
{
    var ball = FmuArchive.Open(ballPath);
    const double ballStop = 1000, ballStep = 0.01;
    Console.WriteLine();
    Console.WriteLine($"BouncingBall (FMI {ball.Model.FmiVersionText}), e = 1, 0..{ballStop} s, outputs every {ballStep} s; best of {repetitions}");
    Console.WriteLine($"{"interface / solver",-24} {"wall s",8} {"comm. steps/s",14} {"solver steps/s",15} {"events/s",10} {"events",7}");
    foreach (var kind in new[] { "cs", "me cvode", "me dopri5" })
    {
        var best = double.MaxValue;
        ModelExchangeStatistics? stats = null;
        for (var r = 0; r < repetitions + 1; r++)
        {
            var clock = Stopwatch.StartNew();
            using var system = new SystemModel();
            IComponent unit = kind == "cs"
                ? new FmuCoSimulationComponent(ball, "ball", NullLogSink.Instance)
                : new FmuModelExchangeComponent(ball, "ball", NullLogSink.Instance,
                    new SolverOptions { Kind = kind == "me cvode" ? SolverKind.Cvode : SolverKind.DormandPrince54 });
            system.Add(unit);
            system.SetParameter("ball.e", "1");
            var vars = unit.Variables.Where(v => v.Role == VariableRole.Output).Select(v => v.Name).ToList();
            new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, ballStop, ballStep), Threads = 1 }, [],
                [new MemoryRecorder("ball", vars, (long)(ballStop / ballStep))]).Run();
            if (r > 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
            stats = (unit as FmuModelExchangeComponent)?.Statistics;
        }
        var comm = ballStop / ballStep;
        var solverSteps = stats?.Integrator.Steps;
        var events = stats?.StateEvents + stats?.TimeEvents + stats?.StepEvents;
        Console.WriteLine($"{kind,-24} {best,8:0.000} {comm / best,14:N0} {(solverSteps is { } n ? (n / best).ToString("N0", CultureInfo.InvariantCulture) : "(internal)"),15} " +
                          $"{(events is { } e ? (e / best).ToString("N0", CultureInfo.InvariantCulture) : "-"),10} {(events?.ToString(CultureInfo.InvariantCulture) ?? "-"),7}");
    }
}
return 0;

static string FindRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "CoSim.sln"))) return d.FullName;
    throw new InvalidOperationException("CoSim.sln not found");
}

static string BuildNativeLoop(string root, string work)
{
    var exe = Path.Combine(work, "native_loop");
    var src = Path.Combine(root, "bench", "native", "native_loop.c");
    if (File.Exists(exe) && File.GetLastWriteTimeUtc(exe) > File.GetLastWriteTimeUtc(src)) return exe;
    using var cc = Process.Start("cc", ["-O2", "-o", exe, src, "-I", Path.Combine(root, "fmus", "include"), "-ldl"])!;
    cc.WaitForExit();
    if (cc.ExitCode != 0) throw new InvalidOperationException("compiling the native loop failed");
    return exe;
}
