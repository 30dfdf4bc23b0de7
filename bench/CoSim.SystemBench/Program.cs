using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Fmi;
using CoSim.Fmi.Archive;

// Orchestration overhead of the system master algorithm and its parallel speed-up.
// 1) Chains of 1, 8 and 64 Tank FMUs (Tank[i].level -> Tank[i+1].valve), Jacobi on one thread:
//    wall time per system step beside the sum of the components' own doStep times.
// 2) Eight Pump FMUs doing real work per step (1000 RK4 steps of 1 ms per 1 s communication step),
//    Jacobi on 1 and on 2 threads. Usage: scripts/bench-system [FMU_DIR]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var fmuDir = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("COSIM_FMU_DIR") ?? Path.Combine(FindRoot(), "build", "fmus");
var tank = FmuArchive.Open(Path.Combine(fmuDir, "fmi2", "Tank.fmu"));
var pump = FmuArchive.Open(Path.Combine(fmuDir, "fmi2", "Pump.fmu"));
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; best of 3 runs after a warm-up");
Console.WriteLine();
Console.WriteLine($"{"chain of Tank FMUs",-20} {"steps",8} {"us/system step",16} {"us in doStep",14} {"overhead us",12} {"overhead/unit",14}");
foreach (var n in new[] { 1, 8, 64 })
{
    var steps = n == 64 ? 20_000 : 100_000;
    var best = Best(() => RunChain(tank, n, steps, 0.01, threads: 1));
    var perStep = best.SteppingTime.TotalMicroseconds / steps;
    var inUnits = best.ComponentStepTime.Values.Sum(t => t.TotalMicroseconds) / steps;
    Console.WriteLine($"{n,-20} {steps,8} {perStep,16:F2} {inUnits,14:F2} {perStep - inUnits,12:F2} {(perStep - inUnits) / n,14:F3}");
}
Console.WriteLine();
Console.WriteLine("parallel dispatch cost: 8 Tank FMUs (little work per step), Jacobi");
Console.WriteLine($"{"threads",-20} {"us/system step",16} {"us in doStep",14} {"overhead us",12} {"bytes/step",12}");
foreach (var threads in new[] { 1, 2 })
{
    const int steps = 100_000;
    var best = Best(() => RunChain(tank, 8, steps, 0.01, threads));
    var perStep = best.SteppingTime.TotalMicroseconds / steps;
    var inUnits = best.ComponentStepTime.Values.Sum(t => t.TotalMicroseconds) / steps;
    Console.WriteLine($"{threads,-20} {perStep,16:F2} {inUnits,14:F2} {perStep - inUnits,12:F2} {AllocatedPerStep(tank, 8, threads),12:F1}");
}
Console.WriteLine();
Console.WriteLine($"{"8 Pump FMUs, h = 1 s",-24} {"ms/system step",16} {"speed-up",10}");
var one = Best(() => RunChain(pump, 8, 50, 1.0, threads: 1, connect: false)).SteppingTime.TotalMilliseconds / 50;
var two = Best(() => RunChain(pump, 8, 50, 1.0, threads: 2, connect: false)).SteppingTime.TotalMilliseconds / 50;
Console.WriteLine($"{"Jacobi, 1 thread",-24} {one,16:F3} {1,10:F2}");
Console.WriteLine($"{"Jacobi, 2 threads",-24} {two,16:F3} {one / two,10:F2}");
return 0;

static RunStatistics Best(Func<RunStatistics> run)
{
    run(); // warm-up (JIT, FMU unpacking)
    RunStatistics? best = null;
    for (var i = 0; i < 3; i++)
    {
        var s = run();
        if (best == null || s.SteppingTime < best.SteppingTime) best = s;
    }
    return best!;
}

static RunStatistics RunChain(FmuArchive archive, int n, int steps, double h, int threads, bool connect = true)
{
    using var system = new SystemModel();
    for (var i = 0; i < n; i++) system.Add(FmuComponents.Create(archive, $"U{i}", NullLogSink.Instance));
    if (connect)
        for (var i = 1; i < n; i++) system.Connect($"U{i - 1}.level", $"U{i}.valve");
    var options = new SystemRunOptions { Schedule = StepSchedule.Create(0, steps * h, h), Threads = threads, ProfileComponents = true };
    return new SystemExecution(system, options).Run().Statistics;
}

// Bytes allocated per system step (all threads): the difference between a long and a short run, so that
// instantiation and initialization cancel out.
static double AllocatedPerStep(FmuArchive archive, int n, int threads)
{
    long Allocated(int steps)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        RunChain(archive, n, steps, 0.01, threads);
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
    Allocated(1_000); // warm-up
    return (Allocated(21_000) - Allocated(1_000)) / 20_000.0;
}

static string FindRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "CoSim.sln"))) return d.FullName;
    throw new InvalidOperationException("CoSim.sln not found");
}
