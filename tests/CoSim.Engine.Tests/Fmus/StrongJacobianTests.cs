using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Engine.Tests.Systems;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;
using CoSim.TestSupport;

namespace CoSim.Engine.Tests.Fmus;

/// <summary>
/// The Jacobian strategies of a strongly coupled group: dense and colored difference quotients and
/// directional derivatives carried across the members, on a stiff chain of ChainMass FMUs (whose
/// exact solution exp(A t) x(0) is computed here) and on the split oscillators.
/// </summary>
public class StrongJacobianTests
{
    private const int Masses = 8;
    private const double C = 1e5, D = 10, X0 = 0.01, Stop = 0.2, H = 0.01, Tolerance = 1e-9;

    private static FmuModelExchangeComponent MeFmu(string model, string name, int version = 2) =>
        (FmuModelExchangeComponent)FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(version, model)), name, NullLogSink.Instance, FmuInterface.ModelExchange);

    private static int V(IComponent c, string name) => c.Variables.Single(v => v.Name == name).Index;

    /// <summary>ChainMass FMUs M0..M(n-1), each joined to its neighbours, as one group "Chain".</summary>
    private static StronglyCoupledGroup Chain(int n, JacobianStrategy strategy, int version = 2)
    {
        var members = Enumerable.Range(0, n).Select(i => MeFmu("ChainMass", $"M{i}", version)).ToList();
        var connections = new List<InternalConnection>();
        for (var i = 0; i + 1 < n; i++)
        {
            connections.Add(new InternalConnection(i, V(members[i], "x"), i + 1, V(members[i + 1], "xl")));
            connections.Add(new InternalConnection(i, V(members[i], "v"), i + 1, V(members[i + 1], "vl")));
            connections.Add(new InternalConnection(i + 1, V(members[i + 1], "x"), i, V(members[i], "xr")));
            connections.Add(new InternalConnection(i + 1, V(members[i + 1], "v"), i, V(members[i], "vr")));
        }
        return new StronglyCoupledGroup("Chain", members, connections, new SolverOptions { Jacobian = strategy });
    }

    /// <summary>What a run of a group left: its positions and the integrator's account, read before the group is disposed.</summary>
    private sealed record ChainRun(double[][] Positions, IntegratorStatistics Statistics, string? Jacobian, long DirectionalCalls, string Summary);

    /// <summary>Positions of every mass at every communication point, the first mass displaced by X0.</summary>
    private static ChainRun RunChain(StronglyCoupledGroup group, int n)
    {
        using var system = new SystemModel();
        system.Add(group);
        system.SetParameter("Chain.M0.x0", X0.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        var probes = Enumerable.Range(0, n).Select(i => new Probe(group, $"M{i}.x")).ToArray();
        new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, Stop, H), ComponentTolerance = Tolerance, Threads = 1 },
            observers: probes).Run();
        var positions = Enumerable.Range(0, probes[0].Samples.Count).Select(k => probes.Select(p => p.Samples[k].Value).ToArray()).ToArray();
        return new ChainRun(positions, group.IntegratorStatistics, group.Jacobian, group.DirectionalDerivativeCalls, group.SolverStatistics ?? "");
    }

    /// <summary>The exact positions at t = k H: x_{k+1} = exp(A H) x_k for the chain's linear ODE.</summary>
    private static double[][] ExactChain(int n, int steps)
    {
        var a = new double[2 * n, 2 * n];
        for (var i = 0; i < n; i++)
        {
            a[2 * i, 2 * i + 1] = 1;
            a[2 * i + 1, 2 * i] = -2 * C;
            a[2 * i + 1, 2 * i + 1] = -2 * D;
            foreach (var j in new[] { i - 1, i + 1 }.Where(j => j >= 0 && j < n))
            {
                a[2 * i + 1, 2 * j] = C;
                a[2 * i + 1, 2 * j + 1] = D;
            }
        }
        var e = MatrixExponential.Of(a, H);
        var x = new double[2 * n];
        x[0] = X0;
        var result = new List<double[]> { Positions(x) };
        for (var k = 0; k < steps; k++)
        {
            var next = new double[2 * n];
            for (var i = 0; i < 2 * n; i++)
            for (var j = 0; j < 2 * n; j++)
                next[i] += e[i, j] * x[j];
            x = next;
            result.Add(Positions(x));
        }
        return result.ToArray();

        double[] Positions(double[] state) => Enumerable.Range(0, n).Select(i => state[2 * i]).ToArray();
    }

    private static double MaxRelativeError(double[][] run, double[][] exact)
    {
        run.Length.ShouldBe(exact.Length);
        var error = 0.0;
        for (var k = 0; k < run.Length; k++)
        for (var i = 0; i < run[k].Length; i++)
            error = Math.Max(error, Math.Abs(run[k][i] - exact[k][i]));
        return error / X0;
    }

    [TestCase(JacobianStrategy.DenseDifferences, "dense differences (16 states)")]
    [TestCase(JacobianStrategy.ColoredDifferences, "colored differences (6 colors for 16 states)")]
    [TestCase(JacobianStrategy.Provided, "provided by the system")]
    [TestCase(JacobianStrategy.Auto, "colored differences (6 colors for 16 states)")] // 16 states: directional derivatives do not pay
    public void StiffChain_EachJacobianStrategy_MatchesTheExactSolution(JacobianStrategy strategy, string expected)
    {
        var run = RunChain(Chain(Masses, strategy), Masses);

        var error = MaxRelativeError(run.Positions, ExactChain(Masses, (int)Math.Round(Stop / H)));
        TestContext.Out.WriteLine($"{strategy}: max relative position error {error:G3}; {run.Summary}; {run.DirectionalCalls} directional-derivative calls");
        error.ShouldBeLessThan(1e-6);
        run.Jacobian.ShouldBe(expected);
        (run.DirectionalCalls > 0).ShouldBe(strategy is JacobianStrategy.Provided);
    }

    [Test]
    public void LongStiffChain_Auto_UsesDirectionalDerivativesOnceTheyAgreedWithDifferences()
    {
        const int masses = 32; // 64 states: JacobianCheck.DirectionalMinimumStates
        var run = RunChain(Chain(masses, JacobianStrategy.Auto), masses);

        var error = MaxRelativeError(run.Positions, ExactChain(masses, (int)Math.Round(Stop / H)));
        TestContext.Out.WriteLine($"auto on {2 * masses} states: max relative position error {error:G3}; {run.Summary}; {run.DirectionalCalls} directional-derivative calls");
        error.ShouldBeLessThan(1e-6);
        run.Jacobian.ShouldBe("provided by the system, checked against difference quotients");
        run.DirectionalCalls.ShouldBeGreaterThan(0);
    }

    [Test]
    public void StiffChain_ProvidedOrColored_NeedsFarFewerRightHandSidesThanDense()
    {
        var d = RunChain(Chain(Masses, JacobianStrategy.DenseDifferences), Masses).Statistics;
        var c = RunChain(Chain(Masses, JacobianStrategy.ColoredDifferences), Masses).Statistics;
        var p = RunChain(Chain(Masses, JacobianStrategy.Provided), Masses).Statistics;
        TestContext.Out.WriteLine($"dense: {d}\ncolored: {c}\nprovided: {p}");
        // Per Jacobian: 16 extra right-hand sides (dense), 6 (colored), none (provided).
        (c.FunctionEvaluations - c.Steps).ShouldBeLessThan(d.FunctionEvaluations - d.Steps);
        p.FunctionEvaluations.ShouldBeLessThan(c.FunctionEvaluations);
    }

    [Test]
    public void StiffChainFmi3_ProvidedJacobian_MatchesTheExactSolution()
    {
        var run = RunChain(Chain(3, JacobianStrategy.Provided, version: 3), 3);
        MaxRelativeError(run.Positions, ExactChain(3, (int)Math.Round(Stop / H))).ShouldBeLessThan(1e-6);
        run.DirectionalCalls.ShouldBeGreaterThan(0);
    }

    [Test]
    public void SplitOscillatorWithoutPartials_Auto_FallsBackToDenseDifferencesAndProvidedIsRefused()
    {
        // MsdMass1/2 neither offer directional derivatives nor declare their derivatives' dependencies.
        StronglyCoupledGroup Split(JacobianStrategy strategy)
        {
            var m1 = MeFmu("MsdMass1", "Mass1");
            var m2 = MeFmu("MsdMass2", "Mass2");
            return new StronglyCoupledGroup("G", [m1, m2],
            [
                new InternalConnection(0, V(m1, "x1"), 1, V(m2, "x1")),
                new InternalConnection(0, V(m1, "v1"), 1, V(m2, "v1")),
                new InternalConnection(1, V(m2, "F"), 0, V(m1, "F")),
            ], new SolverOptions { Jacobian = strategy });
        }
        using (var system = new SystemModel())
        {
            var auto = Split(JacobianStrategy.Auto);
            system.Add(auto);
            new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 0.1, 0.01), Threads = 1 }).Run();
            auto.Jacobian.ShouldBe("dense differences (4 states)"); // the system still holds the group: not yet disposed
        }
        using (var system = new SystemModel())
        {
            system.Add(Split(JacobianStrategy.Provided));
            Should.Throw<InputException>(() => new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 0.1, 0.01), Threads = 1 }).Run())
                .Message.ShouldContain("does not compute its Jacobian");
        }
    }

    [Test]
    public void DualMassGroup_ProvidedJacobian_IsExactAcrossTheDirectFeedthroughOfF()
    {
        // DualMass2.F feeds through from DualMass1's states: the seed must travel Mass1 -> F -> Mass1's derivatives.
        var m1 = MeFmu("DualMass1", "Mass1");
        var m2 = MeFmu("DualMass2", "Mass2");
        var group = new StronglyCoupledGroup("G", [m1, m2],
        [
            new InternalConnection(0, V(m1, "x1"), 1, V(m2, "x1")),
            new InternalConnection(0, V(m1, "v1"), 1, V(m2, "v1")),
            new InternalConnection(1, V(m2, "F"), 0, V(m1, "F")),
        ], new SolverOptions { Jacobian = JacobianStrategy.Provided });
        using var system = new SystemModel();
        system.Add(group);
        var x1 = new Probe(group, "Mass1.x1");
        var x2 = new Probe(group, "Mass2.x2");
        new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 2, 0.01), ComponentTolerance = Tolerance, Threads = 1 },
            observers: [x1, x2]).Run();

        // The same run with CVODE's own difference quotients: a wrong Jacobian would change the steps and the answer.
        var reference = MeFmu("DualMassOscillator", "Mono");
        using var mono = new SystemModel();
        mono.Add(reference);
        var r1 = new Probe(reference, "x1");
        var r2 = new Probe(reference, "x2");
        new SystemExecution(mono, new SystemRunOptions { Schedule = StepSchedule.Create(0, 2, 0.01), ComponentTolerance = Tolerance, Threads = 1 },
            observers: [r1, r2]).Run();
        var error = x1.Samples.Zip(r1.Samples, (a, b) => Math.Abs(a.Value - b.Value))
            .Concat(x2.Samples.Zip(r2.Samples, (a, b) => Math.Abs(a.Value - b.Value))).Max() / 0.01;
        TestContext.Out.WriteLine($"provided vs monolithic: {error:G3}; {group.SolverStatistics}");
        error.ShouldBeLessThan(1e-6);
        group.Jacobian.ShouldBe("provided by the system");
        group.IntegratorStatistics.JacobianEvaluations.ShouldBeGreaterThan(0);
    }
}
