using System.Runtime.InteropServices;
using CoSim.Assessment;

// Evaluation cost of each assertion kind on one trace of N samples (default 1e6): the first
// evaluation in the process (as a scenario evaluates each assertion once: JIT tiering included),
// the median of several evaluations after the code is warm (in ns per sample), and the bytes one
// evaluation allocates. Times are this thread's CPU time (clock_gettime): on a shared, overloaded
// machine the wall time of anything longer than a scheduler slice mostly measures other processes.
var n = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
const int Repeats = 7;
var t = new double[n];
var y = new double[n];
var zeta = 0.3;
var wd = Math.Sqrt(1 - zeta * zeta);
for (var k = 0; k < n; k++)
{
    t[k] = k * 1e-3;
    y[k] = 1 - Math.Exp(-zeta * t[k]) * (Math.Cos(wd * t[k]) + zeta / wd * Math.Sin(wd * t[k]));
}
var end = t[^1];
var context = Context(n);
var small = Context(10_000); // for warming up the code (tiered JIT) without paying 1e6 samples each time

AssessmentContext Context(int count)
{
    var signal = new SignalTrace("y", t.AsMemory(0, count), y.AsMemory(0, count));
    var reference = new SignalTrace("r", t.AsMemory(0, count), y.Take(count).Select((v, k) => v + 1e-4 * Math.Sin(k)).ToArray());
    return new AssessmentContext([signal, reference], 0, end, true, new Dictionary<string, double> { ["fault"] = 1 });
}

// Windows and limits chosen so that every kind scans the whole trace (rise time: up to its 90 % crossing).
(string Kind, Assertion Assertion)[] kinds =
[
    ("StaysWithin", Assertions.StaysWithin("y", -1, 2)),
    ("Reaches", Assertions.Reaches("y", 5, end, 1e-9)),
    ("SettlesWithin", Assertions.SettlesWithin("y", 20, target: 1)),
    ("OvershootBelow", Assertions.OvershootBelow("y", 40, target: 1)),
    ("RiseTimeBelow", Assertions.RiseTimeBelow("y", 10, target: 1)),
    ("Monotonic (fails late)", Assertions.Monotonic("y", Direction.Increasing, tolerance: 1)),
    ("FollowsReference dt=0", Assertions.FollowsReference("y", "r", absolute: 1e-3)),
    ("FollowsReference dt=0.5", Assertions.FollowsReference("y", "r", absolute: 1e-3, timeTolerance: 0.5)),
    ("FollowsReference f(t)", Assertions.FollowsReference("y", s => 1 - Math.Exp(-zeta * s) * (Math.Cos(wd * s) + zeta / wd * Math.Sin(wd * s)), absolute: 1e-9)),
    ("RisesWithinAfter", Assertions.RisesWithinAfter("y", "fault", end, threshold: 5)),
    ("Custom (t, v)", Assertions.Custom("c", "y", (_, v) => v < 2)),
];

Console.WriteLine($"assertion evaluation, {n:N0} samples, thread CPU time, median of {Repeats} (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
Console.WriteLine($"{"kind",-26} {"verdict",-13} {"first ms",9} {"warm ms",8} {"ns/sample",10} {"alloc B",10}");
foreach (var (kind, assertion) in kinds)
{
    var cold = Cpu.Milliseconds();
    var verdict = assertion.Evaluate(context).Verdict;
    var first = Cpu.Milliseconds() - cold;
    for (var i = 0; i < 60; i++) assertion.Evaluate(small);
    var times = new double[Repeats];
    long allocated = 0;
    for (var i = 0; i < Repeats; i++)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var start = Cpu.Milliseconds();
        assertion.Evaluate(context);
        times[i] = Cpu.Milliseconds() - start;
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    }
    Array.Sort(times);
    var ms = times[Repeats / 2];
    Console.WriteLine($"{kind,-26} {verdict,-13} {first,9:F1} {ms,8:F2} {ms * 1e6 / n,10:F2} {allocated,10:N0}");
}

/// <summary>The calling thread's CPU time (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)).</summary>
internal static partial class Cpu
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    public static double Milliseconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var t) != 0) throw new InvalidOperationException("clock_gettime failed");
        return t.Seconds * 1e3 + t.Nanoseconds * 1e-6;
    }
}
