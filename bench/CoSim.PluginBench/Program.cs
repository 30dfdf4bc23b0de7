using System.Diagnostics;
using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.Plugins;

// Per-step cost of a trivial C# plugin against an FMU doing the same (y = u):
// 1) one component called directly: write u, step, read y (ns per step);
// 2) chains of 2 and 8 components in a system (U[i].y -> U[i+1].u), Jacobi on one thread (us per system step).
// The FMU is the Feedthrough example FMU (FMI 2.0, in process); the plugin is the test plugin's Feedthrough,
// loaded from build/plugins/ in its own load context. Usage: scripts/bench-plugins [FMU_DIR]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var root = FindRoot();
var fmuDir = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("COSIM_FMU_DIR") ?? Path.Combine(root, "build", "fmus");
var fmu = FmuArchive.Open(Path.Combine(fmuDir, "fmi2", "Feedthrough.fmu"));
var plugin = Path.Combine(root, "build", "plugins", "CoSim.Plugins.TestPlugin", "CoSim.Plugins.TestPlugin.dll");
if (!File.Exists(plugin)) throw new FileNotFoundException("build the solution first (the test plugin is missing)", plugin);
var factory = new PluginComponentFactory();
IComponent Fmu(string name) => FmuComponents.Create(fmu, name, NullLogSink.Instance);
IComponent Plugin(string name) =>
    factory.Create(new ComponentRequest(name, plugin, "plugin") { Options = new Dictionary<string, string> { ["type"] = "Feedthrough" } }, NullLogSink.Instance);

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; best of 5 runs after a warm-up");
Console.WriteLine();
Console.WriteLine($"{"direct calls (write u, step, read y)",-40} {"ns/step FMU",12} {"ns/step plugin",15} {"plugin/FMU",11}");
var directFmu = Best(() => Direct(Fmu, 1_000_000));
var directPlugin = Best(() => Direct(Plugin, 1_000_000));
Console.WriteLine($"{"one component",-40} {directFmu,12:F1} {directPlugin,15:F1} {directPlugin / directFmu,11:F2}");
Console.WriteLine();
Console.WriteLine($"{"system, Jacobi, 1 thread",-40} {"us/step FMU",12} {"us/step plugin",15} {"plugin/FMU",11}");
foreach (var n in new[] { 2, 8 })
{
    const int steps = 200_000;
    var f = Best(() => Chain(Fmu, n, steps));
    var p = Best(() => Chain(Plugin, n, steps));
    Console.WriteLine($"{$"chain of {n} feed-throughs",-40} {f,12:F3} {p,15:F3} {p / f,11:F2}");
}
return 0;

static double Best(Func<double> run)
{
    run(); // warm-up (JIT, unpacking, loading)
    var best = double.MaxValue;
    for (var i = 0; i < 5; i++) best = Math.Min(best, run());
    return best;
}

// ns per (write, step, read) on one component, outside any system.
static double Direct(Func<string, IComponent> make, int steps)
{
    using var c = make("U");
    var u = c.Variables.Single(v => v.Name == "u").Index;
    var y = c.Variables.Single(v => v.Name == "y").Index;
    var write = c.CreateAccessor([u]);
    var read = c.CreateAccessor([y]);
    c.Instantiate();
    c.EnterInitialization(SimTime.Zero, null, null);
    c.ExitInitialization();
    Span<double> input = stackalloc double[1];
    Span<double> output = stackalloc double[1];
    var h = SimTime.FromSeconds(1e-3);
    var t = SimTime.Zero;
    var sum = 0.0;
    var clock = Stopwatch.StartNew();
    for (var k = 0; k < steps; k++)
    {
        input[0] = k;
        write.Write(input);
        c.Step(t, h);
        t += h;
        read.Read(output);
        sum += output[0];
    }
    clock.Stop();
    c.Terminate();
    if (sum != (double)steps * (steps - 1) / 2) throw new InvalidOperationException($"wrong sum {sum}: the component does not feed through");
    return clock.Elapsed.TotalNanoseconds / steps;
}

// us per system step of a chain U0.y -> U1.u -> ... in SystemExecution.
static double Chain(Func<string, IComponent> make, int n, int steps)
{
    using var system = new SystemModel();
    for (var i = 0; i < n; i++) system.Add(make($"U{i}"));
    for (var i = 1; i < n; i++) system.Connect($"U{i - 1}.y", $"U{i}.u");
    var options = new SystemRunOptions { Schedule = StepSchedule.Create(0, steps * 1e-3, 1e-3), Threads = 1 };
    return new SystemExecution(system, options).Run().Statistics.SteppingTime.TotalMicroseconds / steps;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "CoSim.sln"))) return dir.FullName;
    throw new InvalidOperationException("CoSim.sln not found");
}
