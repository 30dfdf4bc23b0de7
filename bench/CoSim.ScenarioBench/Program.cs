// Scenario benchmark (figures only): what events and faults cost per step on the TankLoop system,
// and how a sweep's cases scale over the local cores. Needs build/examples/TankLoop.ssp
// (scripts/build-examples) or the path as the first argument.
using System.Diagnostics;
using CoSim.Scenarios;

var root = FindRoot(Directory.GetCurrentDirectory()) ?? FindRoot(AppContext.BaseDirectory) ?? ".";
var ssp = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.Combine(root, "build", "examples", "TankLoop.ssp");
if (!File.Exists(ssp))
{
    Console.Error.WriteLine($"{ssp}: not found; run scripts/build-examples (or give the TankLoop .ssp)");
    return 2;
}
var dir = Path.Combine(Path.GetTempPath(), "cosim-scenario-bench-" + Environment.ProcessId);
Directory.CreateDirectory(dir);
try
{
    const double stop = 600, step = 0.01; // 60,000 communication steps
    void Plain(Scenario s)
    {
        s.Ssp(ssp);
        s.Stop = stop;
        s.Step = step;
        s.Record("Tank.level");
        // One thread: for three small FMUs, handing steps to a second thread costs more than it saves.
        s.Specification.Threads = 1;
    }
    void Busy(Scenario s)
    {
        Plain(s);
        s.When(() => s.Value("Tank.level") > 0.9, () => { }, "high");
        s.Every(1, () => { });
        s.Noise("Tank.level", 0.01, seed: 3).From(100);
        s.Delay("Tank.level", 0.5).From(200);
        s.Assert.StaysWithin("Tank.level", 0, 2);
    }
    ScenarioOutcome Run(string name, Action<Scenario> body, int parallelism = 1) =>
        ScenarioRunner.Run(ctx =>
        {
            var s = new Scenario(ctx);
            body(s);
            return s;
        }, new ScenarioRunOptions(name, dir) { Output = Path.Combine(dir, name + ".csv"), Parallelism = parallelism });

    Run("warm-up", Plain);
    var plain = Median(7, () => Run("plain", Plain));
    var busy = Median(7, () => Run("busy", Busy));
    var steps = (int)(stop / step);
    Console.WriteLine($"TankLoop, {steps} steps of {step} s:");
    Console.WriteLine($"  plain scenario                                  {plain * 1e3,8:F1} ms  ({plain / steps * 1e6:F2} us/step)");
    Console.WriteLine($"  + When, Every, noise, delay, an assertion       {busy * 1e3,8:F1} ms  ({busy / steps * 1e6:F2} us/step, +{(busy - plain) / steps * 1e6:F2} us/step)");

    void Sweep(Scenario s)
    {
        Plain(s);
        s.SweepGrid(("Controller.kp", [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6]));
    }
    var one = Median(3, () => Run("sweep1", Sweep, 1));
    var cores = Environment.ProcessorCount;
    var all = Median(3, () => Run("sweepN", Sweep, cores));
    Console.WriteLine($"sweep of 8 cases: 1 at a time {one:F2} s, {cores} at a time {all:F2} s (speed-up {one / all:F2} on {cores} cores)");
    return 0;
}
finally
{
    Directory.Delete(dir, true);
}

static double Median(int n, Func<ScenarioOutcome> run)
{
    var times = new List<double>();
    for (var i = 0; i < n; i++)
    {
        var sw = Stopwatch.StartNew();
        var outcome = run();
        sw.Stop();
        if (outcome.Failure != null) throw new InvalidOperationException(outcome.Failure.Message, outcome.Failure);
        times.Add(sw.Elapsed.TotalSeconds);
    }
    times.Sort();
    return times[n / 2];
}

static string? FindRoot(string start)
{
    for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "CoSim.sln"))) return d.FullName;
    return null;
}
