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

/// <summary>Model-exchange FMUs inside systems: the master algorithm steps them like co-simulation components.</summary>
public class ModelExchangeInSystemTests
{
    private const double Stop = 10;

    private static SystemModel SplitMsd(bool mass1AsModelExchange, SolverKind solver = SolverKind.Cvode)
    {
        var system = new SystemModel();
        var mass1 = FmuArchive.Open(ExampleFmus.Path(3, "MsdMass1"));
        system.Add(mass1AsModelExchange
            ? FmuComponents.Create(mass1, "Mass1", NullLogSink.Instance, FmuInterface.ModelExchange, new SolverOptions { Kind = solver, RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 })
            : FmuComponents.Create(mass1, "Mass1", NullLogSink.Instance));
        system.Add(FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(3, "MsdMass2")), "Mass2", NullLogSink.Instance));
        system.Connect("Mass1.x1", "Mass2.x1");
        system.Connect("Mass1.v1", "Mass2.v1");
        system.Connect("Mass2.F", "Mass1.F");
        return system;
    }

    private static List<(double Time, double Value)> Run(SystemModel system, double h)
    {
        var probe = new Probe(system.Find("Mass1")!.Instance, "x1");
        new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, Stop, h), Algorithm = MasterAlgorithm.GaussSeidel }, observers: [probe]).Run();
        return probe.Samples;
    }

    [TestCase(SolverKind.Cvode)]
    [TestCase(SolverKind.DormandPrince54)]
    public void SplitMassSpringDamper_MassOneAsModelExchange_AgreesWithCoSimulationSystem(SolverKind solver)
    {
        using var me = SplitMsd(true, solver);
        using var cs = SplitMsd(false);
        var withMe = Run(me, 0.01);
        var withCs = Run(cs, 0.01);
        withMe.Count.ShouldBe(withCs.Count);
        // Both hold the coupling force over each 10 ms step; they differ only by the FMU's RK4 (1 ms) against
        // the adaptive integrator, far below the coupling error (~1e-2) of the split itself.
        var difference = withMe.Zip(withCs).Max(p => Math.Abs(p.First.Value - p.Second.Value));
        TestContext.Out.WriteLine($"max |x1(ME system) - x1(CS system)| = {difference:G3} ({solver})");
        difference.ShouldBeLessThan(1e-6);
        withMe.Max(s => Math.Abs(s.Value)).ShouldBeGreaterThan(0.01); // the masses really moved
        ((FmuModelExchangeComponent)me.Find("Mass1")!.Instance).Statistics.Integrator.Steps.ShouldBeGreaterThan(100);
    }
}
