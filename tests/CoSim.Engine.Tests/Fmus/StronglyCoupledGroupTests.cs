using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Engine.Tests.Systems;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.Fmi.ModelExchange;
using CoSim.TestSupport;

namespace CoSim.Engine.Tests.Fmus;

/// <summary>
/// Strongly coupled groups (one CVODE over several FMUs' model-exchange interfaces) on the split
/// two-mass oscillators, checked against the exact solution of the linear ODE (matrix exponential,
/// computed here independently of any FMU) and against the monolithic FMUs.
/// </summary>
public class StronglyCoupledGroupTests
{
    /// <summary>Parameters of a two-mass oscillator: wall -c1/d1- m1 -c2/d2- m2, x2(0) = x20, everything else 0.</summary>
    private sealed record Oscillator(double M1, double M2, double C1, double D1, double C2, double D2, double X20, double Stop)
    {
        /// <summary>dx/dt = A x with x = [x1, v1, x2, v2].</summary>
        public double[,] A => new[,]
        {
            { 0, 1, 0, 0 },
            { (-C1 - C2) / M1, (-D1 - D2) / M1, C2 / M1, D2 / M1 },
            { 0, 0, 0, 1 },
            { C2 / M2, D2 / M2, -C2 / M2, -D2 / M2 },
        };

        /// <summary>The exact state at t = k h, k = 0..n: x_{k+1} = exp(A h) x_k.</summary>
        public double[][] Exact(double h, int n)
        {
            var e = MatrixExponential.Of(A, h);
            var x = new double[n + 1][];
            x[0] = [0, 0, X20, 0];
            for (var k = 1; k <= n; k++)
            {
                x[k] = new double[4];
                for (var i = 0; i < 4; i++)
                for (var j = 0; j < 4; j++)
                    x[k][i] += e[i, j] * x[k - 1][j];
            }
            return x;
        }
    }

    // fmus/MassSpringDamper (MsdMass1 + MsdMass2) and fmus/DualMassOscillator (DualMass1 + DualMass2) defaults.
    private static readonly Oscillator Msd = new(1, 1.5, 10, 0.2, 50, 0.5, 0.1, 10);
    private static readonly Oscillator Stiff = new(1, 1, 10, 0.2, 1e5, 10, 0.01, 2);

    private static FmuModelExchangeComponent MeFmu(string model, string name) =>
        (FmuModelExchangeComponent)FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(2, model)), name, NullLogSink.Instance, FmuInterface.ModelExchange);

    /// <summary>The split pair as one group "G": Mass1.x1, Mass1.v1 -> Mass2; Mass2.F -> Mass1.F.</summary>
    /// <summary>The relative tolerance handed to CVODE: its global error on these runs is about 20-300 times that (1e-8 gives 2-3e-6).</summary>
    private const double Tolerance = 1e-9;

    private static StronglyCoupledGroup SplitGroup(string model1, string model2)
    {
        var m1 = MeFmu(model1, "Mass1");
        var m2 = MeFmu(model2, "Mass2");
        int V(IComponent c, string name) => c.Variables.Single(v => v.Name == name).Index;
        return new StronglyCoupledGroup("G", [m1, m2],
        [
            new InternalConnection(0, V(m1, "x1"), 1, V(m2, "x1")),
            new InternalConnection(0, V(m1, "v1"), 1, V(m2, "v1")),
            new InternalConnection(1, V(m2, "F"), 0, V(m1, "F")),
        ]);
    }

    /// <summary>Runs one component and returns the samples of its variables <paramref name="x1"/> and <paramref name="x2"/> at every communication point.</summary>
    private static (double[] X1, double[] X2) Run(SystemModel system, string component, string x1, string x2, double stop, double h, double? tolerance,
        MasterAlgorithm algorithm = MasterAlgorithm.Jacobi)
    {
        var unit = system.Find(component)!.Instance;
        var p1 = new Probe(unit, x1);
        var p2 = new Probe(unit, x2);
        new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, stop, h), Algorithm = algorithm, ComponentTolerance = tolerance, Threads = 1 },
            observers: [p1, p2]).Run();
        return (p1.Samples.Select(s => s.Value).ToArray(), p2.Samples.Select(s => s.Value).ToArray());
    }

    /// <summary>Largest |x - exact| over both positions, relative to the largest |exact| position.</summary>
    private static double RelativeError((double[] X1, double[] X2) run, double[][] exact)
    {
        run.X1.Length.ShouldBe(exact.Length);
        var scale = exact.Max(x => Math.Max(Math.Abs(x[0]), Math.Abs(x[2])));
        var error = 0.0;
        for (var k = 0; k < exact.Length; k++)
            error = Math.Max(error, Math.Max(Math.Abs(run.X1[k] - exact[k][0]), Math.Abs(run.X2[k] - exact[k][2])));
        return double.IsFinite(error) ? error / scale : double.PositiveInfinity;
    }

    private static double SplitJacobiOrGaussSeidel(Oscillator o, string model1, string model2, MasterAlgorithm algorithm, double h)
    {
        using var system = new SystemModel();
        system.Add(FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(2, model1)), "Mass1", NullLogSink.Instance));
        system.Add(FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(2, model2)), "Mass2", NullLogSink.Instance));
        system.Connect("Mass1.x1", "Mass2.x1");
        system.Connect("Mass1.v1", "Mass2.v1");
        system.Connect("Mass2.F", "Mass1.F");
        var n = (int)Math.Round(o.Stop / h);
        var x1 = new Probe(system.Components[0].Instance, "x1");
        var x2 = new Probe(system.Components[1].Instance, "x2");
        try
        {
            new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, o.Stop, h), Algorithm = algorithm, Threads = 1 }, observers: [x1, x2]).Run();
        }
        catch (SimulationException)
        {
            return double.PositiveInfinity; // the FMU's own solver gave up: unstable
        }
        return RelativeError((x1.Samples.Select(s => s.Value).ToArray(), x2.Samples.Select(s => s.Value).ToArray()), o.Exact(h, n));
    }

    [Test]
    public void SplitMassSpringDamper_StrongGroup_MatchesExactSolutionToTolerance()
    {
        using var system = new SystemModel();
        var group = SplitGroup("MsdMass1", "MsdMass2");
        system.Add(group);
        var strong = RelativeError(Run(system, "G", "Mass1.x1", "Mass2.x2", Msd.Stop, 0.01, Tolerance), Msd.Exact(0.01, 1000));
        var jacobi = SplitJacobiOrGaussSeidel(Msd, "MsdMass1", "MsdMass2", MasterAlgorithm.Jacobi, 0.01);
        var gs = SplitJacobiOrGaussSeidel(Msd, "MsdMass1", "MsdMass2", MasterAlgorithm.GaussSeidel, 0.01);
        TestContext.Out.WriteLine($"split MSD, max relative position error: strong (tol {Tolerance}) {strong:G3}, Jacobi h=0.01 {jacobi:G3}, Gauss-Seidel h=0.01 {gs:G3}; {group.SolverStatistics}");
        strong.ShouldBeLessThan(1e-6);
        jacobi.ShouldBeGreaterThan(5e-3);
        gs.ShouldBeGreaterThan(5e-3);
        group.StateCount.ShouldBe(4);
        group.IntegratorStatistics.JacobianEvaluations.ShouldBeGreaterThan(0);
    }

    [Test]
    public void StiffDualMass_StrongGroup_MatchesExactSolutionAndMonolithicModel()
    {
        const double h = 0.01;
        var exact = Stiff.Exact(h, 200);
        using var split = new SystemModel();
        var group = SplitGroup("DualMass1", "DualMass2");
        split.Add(group);
        var strongRun = Run(split, "G", "Mass1.x1", "Mass2.x2", Stiff.Stop, h, Tolerance);
        var strong = RelativeError(strongRun, exact);

        using var mono = new SystemModel();
        mono.Add(FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(2, "DualMassOscillator")), "Mono", NullLogSink.Instance, FmuInterface.ModelExchange));
        var monoRun = Run(mono, "Mono", "x1", "x2", Stiff.Stop, h, Tolerance);
        var monolithic = RelativeError(monoRun, exact);
        var strongVsMonolithic = RelativeError(strongRun, monoRun.X1.Zip(monoRun.X2, (x1, x2) => new[] { x1, 0, x2, 0 }).ToArray());
        var jacobi = SplitJacobiOrGaussSeidel(Stiff, "DualMass1", "DualMass2", MasterAlgorithm.Jacobi, h);
        var gs = SplitJacobiOrGaussSeidel(Stiff, "DualMass1", "DualMass2", MasterAlgorithm.GaussSeidel, h);
        TestContext.Out.WriteLine($"stiff dual mass, max relative position error: strong {strong:G3}, monolithic ME {monolithic:G3}, strong vs monolithic {strongVsMonolithic:G3}, Jacobi h=0.01 {jacobi:G3}, " +
                                  $"Gauss-Seidel h=0.01 {gs:G3}; {group.SolverStatistics}");
        strong.ShouldBeLessThan(1e-6);
        monolithic.ShouldBeLessThan(1e-6);
        strongVsMonolithic.ShouldBeLessThan(1e-6);
        // Fixed-step co-simulation of the stiff coupling at an affordable step is useless (unstable or far off).
        jacobi.ShouldBeGreaterThan(0.1);
        gs.ShouldBeGreaterThan(0.1);
    }

    [Test]
    public void Group_Variables_AreMemberQualifiedAndInternallyConnectedInputsAreLocal()
    {
        using var group = SplitGroup("MsdMass1", "MsdMass2");
        var names = group.Variables.Select(v => v.Name).ToList();
        names.ShouldContain("Mass1.x1");
        names.ShouldContain("Mass2.F");
        group.Variables.Single(v => v.Name == "Mass1.F").Role.ShouldBe(VariableRole.Local);
        group.Variables.Where(v => v.Role == VariableRole.Input).ShouldBeEmpty();
        // Mass2.F feeds through from Mass2's inputs, which the group feeds itself: no group input reaches it.
        group.Structure.OutputDependencies![group.Variables.Single(v => v.Name == "Mass2.F").Index].ShouldBeEmpty();
    }

    [Test]
    public void Group_UnconnectedInput_StaysAnInputAndFeedsThrough()
    {
        var m2 = MeFmu("MsdMass2", "Mass2");
        using var group = new StronglyCoupledGroup("G", [m2], []);
        var x1 = group.Variables.Single(v => v.Name == "Mass2.x1");
        x1.Role.ShouldBe(VariableRole.Input);
        group.Structure.DependsOn(group.Variables.Single(v => v.Name == "Mass2.F").Index, x1.Index).ShouldBeTrue();
        group.Structure.DependsOn(group.Variables.Single(v => v.Name == "Mass2.x2").Index, x1.Index).ShouldBeFalse();
    }

    [Test]
    public void Group_AlgebraicLoop_IsSolvedByNewtonToTheAnalyticSolution()
    {
        // Two Feedthrough FMUs, y = k u + b, in a loop A.y -> B.u, B.y -> A.u:
        // A.u = kB (kA A.u + bA) + bB, so A.u = (kB bA + bB) / (1 - kA kB) = (-2 + 3) / 2 = 0.5.
        var a = MeFmu("Feedthrough", "A");
        var b = MeFmu("Feedthrough", "B");
        int V(IComponent c, string name) => c.Variables.Single(v => v.Name == name).Index;
        using var system = new SystemModel();
        var group = new StronglyCoupledGroup("G", [a, b],
            [new InternalConnection(0, V(a, "y"), 1, V(b, "u")), new InternalConnection(1, V(b, "y"), 0, V(a, "u"))]);
        group.LoopConnections.ShouldBe(["A.y -> B.u", "B.y -> A.u"], ignoreOrder: true);
        system.Add(group);
        system.SetParameter("G.A.k", "0.5");
        system.SetParameter("G.A.b", "1");
        system.SetParameter("G.B.k", "-2");
        system.SetParameter("G.B.b", "3");
        var (au, bu) = Run(system, "G", "A.u", "B.u", 1, 0.1, 1e-8);
        au.ShouldAllBe(x => Math.Abs(x - 0.5) < 1e-12);
        bu.ShouldAllBe(x => Math.Abs(x - (0.5 * 0.5 + 1)) < 1e-12);
        group.LoopIterations.ShouldBeGreaterThan(0);
    }

    [Test]
    public void Group_SingularAlgebraicLoop_FailsNamingTheLoop()
    {
        // k = 1 both ways: u = u + b has no solution.
        var a = MeFmu("Feedthrough", "A");
        var b = MeFmu("Feedthrough", "B");
        int V(IComponent c, string name) => c.Variables.Single(v => v.Name == name).Index;
        using var system = new SystemModel();
        system.Add(new StronglyCoupledGroup("G", [a, b],
            [new InternalConnection(0, V(a, "y"), 1, V(b, "u")), new InternalConnection(1, V(b, "y"), 0, V(a, "u"))]));
        system.SetParameter("G.A.b", "1");
        var e = Should.Throw<SimulationException>(() => new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 1, 0.1) }).Run());
        e.Message.ShouldContain("algebraic loop");
        e.Message.ShouldContain("A.y -> B.u");
    }

    [Test]
    public void Group_StateEventsOfSeveralMembers_EachMatchesItsStandaloneModelExchangeRun()
    {
        // Two bouncing balls (h0 = 1 m and 0.5 m) in one group: their impacts (state events) are watched
        // together and each handled by event mode of every member; each ball must bounce as it does alone.
        const double stop = 3, h = 0.01, tol = 1e-9;
        using var grouped = new SystemModel();
        var group = new StronglyCoupledGroup("G", [MeFmu("BouncingBall", "A"), MeFmu("BouncingBall", "B")], []);
        grouped.Add(group);
        grouped.SetParameter("G.B.h0", "0.5");
        var both = Run(grouped, "G", "A.h", "B.h", stop, h, tol);

        double[] Alone(string h0)
        {
            using var system = new SystemModel();
            system.Add(MeFmu("BouncingBall", "Ball"));
            system.SetParameter("Ball.h0", h0);
            return Run(system, "Ball", "h", "v", stop, h, tol).X1;
        }
        var a = Alone("1");
        var b = Alone("0.5");
        var difference = both.X1.Zip(a, (x, y) => Math.Abs(x - y)).Concat(both.X2.Zip(b, (x, y) => Math.Abs(x - y))).Max();
        TestContext.Out.WriteLine($"two balls in a group vs each alone: max |h difference| {difference:G3} m; {group.SolverStatistics}");
        group.Statistics.StateEvents.ShouldBeGreaterThan(4);
        difference.ShouldBeLessThan(1e-6);
        both.X1.ShouldAllBe(x => x > -1e-6);
        both.X2.ShouldAllBe(x => x > -1e-6);
    }
}
