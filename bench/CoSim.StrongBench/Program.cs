using System.Diagnostics;
using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;

// Strongly coupled groups against the monolithic FMU and fixed-step co-simulation, on the split
// mass-spring-damper (MsdMass1 + MsdMass2 vs MassSpringDamper, 10 s) and the stiff dual-mass
// oscillator (DualMass1 + DualMass2 vs DualMassOscillator, c2 = 1e5 N/m, 2 s); outputs every 0.01 s.
// Per run: integrator steps, RHS evaluations (including those of the difference-quotient
// Jacobians), Jacobian evaluations, wall time (best of 3 after a warm-up) and the largest position
// error relative to the largest position, against the monolithic model's model-exchange interface
// under CVODE at tolerance 1e-12.
// Then the Jacobian strategies (dense differences, colored differences, directional derivatives) on
// the stiff dual mass and on chains of N ChainMass FMUs (2N states, c = 1e5 N/m, 0..0.2 s), the error
// against the same chain at tolerance 1e-12 with dense differences.
// Usage: dotnet run -c Release --project bench/CoSim.StrongBench [FMU_DIR]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var fmuDir = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("COSIM_FMU_DIR") ?? Path.Combine(FindRoot(), "build", "fmus");
FmuArchive Open(string model) => FmuArchive.Open(Path.Combine(fmuDir, "fmi2", model + ".fmu"));
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; wall time: best of 3 runs after a warm-up");
foreach (var (title, m1, m2, mono, stop) in new[]
         {
             ("split mass-spring-damper (MsdMass1 + MsdMass2), 0..10 s", "MsdMass1", "MsdMass2", "MassSpringDamper", 10.0),
             ("stiff dual-mass oscillator (DualMass1 + DualMass2, c2 = 1e5 N/m), 0..2 s", "DualMass1", "DualMass2", "DualMassOscillator", 2.0),
         })
{
    Console.WriteLine();
    Console.WriteLine(title);
    var reference = Run(() => Monolithic(Open(mono), 1e-12), stop, 0.01).Positions;
    Console.WriteLine($"{"run",-36} {"steps",8} {"RHS evals",10} {"Jacobians",10} {"wall ms",9} {"max rel. error",15}");
    foreach (var tol in new[] { 1e-6, 1e-8, 1e-9 })
    {
        Report($"strong group, CVODE tol {tol:G1}", () => Group(Open(m1), Open(m2), tol), stop, 0.01, reference);
        Report($"monolithic ME FMU, CVODE tol {tol:G1}", () => Monolithic(Open(mono), tol), stop, 0.01, reference);
    }
    Report("monolithic CS FMU (its own RK4)", () => Single(FmuComponents.Create(Open(mono), "M", NullLogSink.Instance, FmuInterface.CoSimulation)), stop, 0.01, reference);
    foreach (var h in new[] { 0.01, 0.001 })
    {
        Report($"Jacobi h={h} (CS FMUs)", () => Split(Open(m1), Open(m2)), stop, h, reference);
        Report($"Gauss-Seidel h={h} (CS FMUs)", () => Split(Open(m1), Open(m2)), stop, h, reference, MasterAlgorithm.GaussSeidel);
    }
}
Console.WriteLine();
Console.WriteLine("Jacobian strategies (CVODE BDF tol 1e-8; RHS evals include the difference quotients'; 'dd calls': directional-derivative calls)");
Console.WriteLine($"{"run",-44} {"steps",8} {"RHS evals",10} {"Jacobians",10} {"dd calls",9} {"wall ms",9} {"max rel. error",15}");
var dualReference = Run(() => Monolithic(Open("DualMassOscillator"), 1e-12), 2, 0.01).Positions;
foreach (var jac in new[] { JacobianStrategy.DenseDifferences, JacobianStrategy.Provided })
    Report($"dual mass group, {jac}", () => Group(Open("DualMass1"), Open("DualMass2"), 1e-8, jac), 2, 0.01, dualReference, width: 44);
foreach (var n in new[] { 8, 32, 64 })
{
    var reference = Run(() => ChainGroup(Open("ChainMass"), n, 1e-12, JacobianStrategy.DenseDifferences), 0.2, 0.01).Positions;
    foreach (var jac in new[] { JacobianStrategy.DenseDifferences, JacobianStrategy.ColoredDifferences, JacobianStrategy.Provided })
        Report($"chain of {n} masses ({2 * n} states), {jac}", () => ChainGroup(Open("ChainMass"), n, 1e-8, jac), 0.2, 0.01, reference, width: 44);
}
return 0;

static void Report(string name, Func<Setup> make, double stop, double h, double[][] reference, MasterAlgorithm algorithm = MasterAlgorithm.Jacobi, int width = 36)
{
    Result? best = null;
    for (var i = 0; i < 4; i++) // the first is the warm-up
    {
        var r = Run(make, stop, h, algorithm);
        if (i > 0 && (best == null || r.Wall < best.Wall)) best = r;
    }
    var stride = (int)Math.Round(0.01 / h);
    double scale = 0, error = 0;
    for (var k = 0; k < reference.Length; k++)
        for (var j = 0; j < 2; j++)
        {
            scale = Math.Max(scale, Math.Abs(reference[k][j]));
            error = Math.Max(error, Math.Abs(best!.Positions[k * stride][j] - reference[k][j]));
        }
    var stats = best!.Statistics;
    var e = double.IsFinite(error) ? (error / scale).ToString("G3") : "unstable";
    var calls = width > 36 ? $" {best.DirectionalCalls ?? 0,9}" : ""; // the Jacobian section's extra column
    Console.WriteLine($"{name.PadRight(width)} {(stats is { } s ? s.Steps.ToString() : "-"),8} {(stats is { } f ? f.FunctionEvaluations.ToString() : "-"),10} " +
                      $"{(stats is { } jac ? jac.JacobianEvaluations.ToString() : "-"),10}{calls} {best.Wall.TotalMilliseconds,9:F1} {e,15}");
}

static Result Run(Func<Setup> make, double stop, double h, MasterAlgorithm algorithm = MasterAlgorithm.Jacobi)
{
    var setup = make();
    using var system = setup.System;
    var probe = new Positions(setup.X1, setup.X2);
    var watch = Stopwatch.StartNew();
    try
    {
        new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, stop, h), Algorithm = algorithm, Threads = 1, ComponentTolerance = setup.Tolerance },
            observers: [probe]).Run();
    }
    catch (SimulationException)
    {
        while (probe.Values.Count <= (int)Math.Round(stop / h)) probe.Values.Add([double.NaN, double.NaN]); // an FMU gave up: unstable
    }
    watch.Stop();
    return new Result(probe.Values.ToArray(), watch.Elapsed, setup.Statistics?.Invoke(), setup.DirectionalCalls?.Invoke());
}

static Setup Group(FmuArchive a, FmuArchive b, double tol, JacobianStrategy jacobian = JacobianStrategy.Auto)
{
    var m1 = (FmuModelExchangeComponent)FmuComponents.Create(a, "Mass1", NullLogSink.Instance, FmuInterface.ModelExchange);
    var m2 = (FmuModelExchangeComponent)FmuComponents.Create(b, "Mass2", NullLogSink.Instance, FmuInterface.ModelExchange);
    int V(IComponent c, string name) => c.Variables.Single(v => v.Name == name).Index;
    var group = new StronglyCoupledGroup("G", [m1, m2],
        [new InternalConnection(0, V(m1, "x1"), 1, V(m2, "x1")), new InternalConnection(0, V(m1, "v1"), 1, V(m2, "v1")), new InternalConnection(1, V(m2, "F"), 0, V(m1, "F"))],
        new SolverOptions { Jacobian = jacobian });
    var system = new SystemModel();
    system.Add(group);
    return new Setup(system, new VariableRef("G", "Mass1.x1"), new VariableRef("G", "Mass2.x2"), tol, () => group.IntegratorStatistics)
        { DirectionalCalls = () => group.DirectionalDerivativeCalls };
}

// n ChainMass FMUs M0..M(n-1), neighbours joined (x, v -> xl, vl and xr, vr), the first displaced by 0.01 m; records M0.x and M(n-1).x.
static Setup ChainGroup(FmuArchive archive, int n, double tol, JacobianStrategy jacobian)
{
    var members = Enumerable.Range(0, n).Select(i => (FmuModelExchangeComponent)FmuComponents.Create(archive, $"M{i}", NullLogSink.Instance, FmuInterface.ModelExchange)).ToList();
    int V(IComponent c, string name) => c.Variables.Single(v => v.Name == name).Index;
    var connections = new List<InternalConnection>();
    for (var i = 0; i + 1 < n; i++)
    {
        connections.Add(new InternalConnection(i, V(members[i], "x"), i + 1, V(members[i + 1], "xl")));
        connections.Add(new InternalConnection(i, V(members[i], "v"), i + 1, V(members[i + 1], "vl")));
        connections.Add(new InternalConnection(i + 1, V(members[i + 1], "x"), i, V(members[i], "xr")));
        connections.Add(new InternalConnection(i + 1, V(members[i + 1], "v"), i, V(members[i], "vr")));
    }
    var group = new StronglyCoupledGroup("Chain", members, connections, new SolverOptions { Jacobian = jacobian });
    var system = new SystemModel();
    system.Add(group);
    system.SetParameter("Chain.M0.x0", "0.01");
    return new Setup(system, new VariableRef("Chain", "M0.x"), new VariableRef("Chain", $"M{n - 1}.x"), tol, () => group.IntegratorStatistics)
        { DirectionalCalls = () => group.DirectionalDerivativeCalls };
}

static Setup Monolithic(FmuArchive archive, double tol)
{
    var me = (FmuModelExchangeComponent)FmuComponents.Create(archive, "M", NullLogSink.Instance, FmuInterface.ModelExchange);
    return Single(me) with { Tolerance = tol, Statistics = () => me.Statistics.Integrator };
}

static Setup Single(IComponent component)
{
    var system = new SystemModel();
    system.Add(component);
    return new Setup(system, new VariableRef("M", "x1"), new VariableRef("M", "x2"), null, null);
}

static Setup Split(FmuArchive a, FmuArchive b)
{
    var system = new SystemModel();
    system.Add(FmuComponents.Create(a, "Mass1", NullLogSink.Instance, FmuInterface.CoSimulation));
    system.Add(FmuComponents.Create(b, "Mass2", NullLogSink.Instance, FmuInterface.CoSimulation));
    system.Connect("Mass1.x1", "Mass2.x1");
    system.Connect("Mass1.v1", "Mass2.v1");
    system.Connect("Mass2.F", "Mass1.F");
    return new Setup(system, new VariableRef("Mass1", "x1"), new VariableRef("Mass2", "x2"), null, null);
}

static string FindRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "CoSim.sln"))) return d.FullName;
    throw new InvalidOperationException("CoSim.sln not found");
}

internal sealed record Setup(SystemModel System, VariableRef X1, VariableRef X2, double? Tolerance, Func<IntegratorStatistics>? Statistics)
{
    public Func<long>? DirectionalCalls { get; init; }
}

internal sealed record Result(double[][] Positions, TimeSpan Wall, IntegratorStatistics? Statistics, long? DirectionalCalls);

/// <summary>Records the two positions at every communication point.</summary>
internal sealed class Positions(VariableRef x1, VariableRef x2) : IObserver
{
    private SignalHandle _x1, _x2;
    public List<double[]> Values { get; } = [];

    public void Attach(IObservationSetup setup)
    {
        _x1 = setup.Observe(x1);
        _x2 = setup.Observe(x2);
    }

    public void Started(SimTime start, StepValues values) => Values.Add([values[_x1], values[_x2]]);
    public void StepComplete(SimTime time, StepValues values) => Values.Add([values[_x1], values[_x2]]);
    public void Finished(SimTime end, Exception? failure) { }
}
