using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Engine.Tests.Systems;
using CoSim.Fmi.Archive;
using CoSim.TestSupport;

namespace CoSim.Engine.Tests.Fmus;

/// <summary>System algorithms on the project's real example FMUs (built by scripts/build-fmus).</summary>
public class SystemFmuTests
{
    private const double Stop = 10;

    private static SystemComponent Fmu(string model, string name) => FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(2, model)), name, NullLogSink.Instance);

    private static SystemModel SplitMsd()
    {
        var system = new SystemModel();
        system.Add(Fmu("MsdMass1", "Mass1"));
        system.Add(Fmu("MsdMass2", "Mass2"));
        system.Connect("Mass1.x1", "Mass2.x1");
        system.Connect("Mass1.v1", "Mass2.v1");
        system.Connect("Mass2.F", "Mass1.F");
        return system;
    }

    /// <summary>x1(t) of the monolithic MassSpringDamper FMU at 1 ms steps (its own solver step): the exact solution.</summary>
    private static readonly Lazy<Dictionary<long, double>> Monolithic = new(() =>
    {
        using var system = new SystemModel();
        system.Add(Fmu("MassSpringDamper", "Msd"));
        var probe = new Probe(system.Components[0].Unit, "x1");
        new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, Stop, 0.001) }, observers: [probe]).Run();
        return probe.Samples.ToDictionary(s => (long)Math.Round(s.Time * 1000), s => s.Value);
    });

    private static (double Error, SystemRunReport Report) SplitError(MasterAlgorithm algorithm, double h, double tolerance = 1e-3)
    {
        using var system = SplitMsd();
        var probe = new Probe(system.Find("Mass1")!.Unit, "x1");
        var options = new SystemRunOptions { Schedule = StepSchedule.Create(0, Stop, h), Algorithm = algorithm, Threads = 1, VariableStep = new() { Tolerance = tolerance, MinStep = 0.001 } };
        var report = new SystemExecution(system, options, observers: [probe]).Run();
        var exact = Monolithic.Value;
        // Variable steps are whole milliseconds only if the controller picks them so; compare where the reference has a point.
        var error = probe.Samples.Where(s => exact.ContainsKey((long)Math.Round(s.Time * 1000)) && Math.Abs(s.Time * 1000 - Math.Round(s.Time * 1000)) < 1e-6)
            .Max(s => Math.Abs(s.Value - exact[(long)Math.Round(s.Time * 1000)]));
        return (error, report);
    }

    [Test]
    public void SplitMassSpringDamper_Jacobi_MatchesMonolithicAtFirstOrder()
    {
        var e = new[] { 0.01, 0.005, 0.0025 }.Select(h => SplitError(MasterAlgorithm.Jacobi, h).Error).ToArray();
        TestContext.Out.WriteLine($"Jacobi max |x1 - exact|: h=0.01 {e[0]:G3}, 0.005 {e[1]:G3}, 0.0025 {e[2]:G3}; observed orders {Math.Log2(e[0] / e[1]):F2}, {Math.Log2(e[1] / e[2]):F2}");
        Math.Log2(e[0] / e[1]).ShouldBeInRange(0.7, 1.4);
        Math.Log2(e[1] / e[2]).ShouldBeInRange(0.7, 1.4);
    }

    [Test]
    public void SplitMassSpringDamper_GaussSeidel_ConvergesAtFirstOrderLikeJacobi()
    {
        var jacobi = SplitError(MasterAlgorithm.Jacobi, 0.01).Error;
        var gs = SplitError(MasterAlgorithm.GaussSeidel, 0.01).Error;
        var gs2 = SplitError(MasterAlgorithm.GaussSeidel, 0.005).Error;
        TestContext.Out.WriteLine($"h=0.01: Jacobi {jacobi:G3}, Gauss-Seidel {gs:G3}; Gauss-Seidel h=0.005 {gs2:G3} (order {Math.Log2(gs / gs2):F2})");
        // Measured: Gauss-Seidel is not below the feedthrough-consistent Jacobi on this parameter set (see the report);
        // on the C# split oscillator it is (AlgorithmTests.GaussSeidel_SplitOscillator_ErrorBelowJacobiAtSameStep).
        Math.Log2(gs / gs2).ShouldBeInRange(0.7, 1.4);
        gs.ShouldBeLessThan(2 * jacobi);
    }

    [Test]
    public void SplitMassSpringDamper_VariableStep_FewerStepsThanFixedStepOfSameAccuracy()
    {
        var (error, report) = SplitError(MasterAlgorithm.VariableStep, 0.001, tolerance: 0.2);
        long fixedSteps = 0;
        double fixedError = 0;
        foreach (var h in new[] { 0.05, 0.04, 0.025, 0.02, 0.01, 0.008, 0.005, 0.004, 0.002, 0.001 })
        {
            fixedError = SplitError(MasterAlgorithm.Jacobi, h).Error;
            if (fixedError > error) continue;
            fixedSteps = (long)Math.Round(Stop / h);
            break;
        }
        var s = report.Statistics;
        TestContext.Out.WriteLine($"variable (tol 0.2): error {error:G3}, {s.Steps} steps + {s.RejectedSteps} rejected, h {s.SmallestStep.Seconds}..{s.LargestStep.Seconds}; " +
                                  $"fixed Jacobi needs {fixedSteps} steps (error {fixedError:G3})");
        fixedSteps.ShouldBeGreaterThan(0);
        s.Steps.ShouldBeLessThan(fixedSteps);
    }

    [Test]
    public void FaultDiscard_VariableStep_RejectsAndRetriesTheStep()
    {
        using var system = new SystemModel();
        system.Add(Fmu("FaultDiscard", "Fault"));
        system.SetParameter("Fault.discardTime", "0.55");
        system.SetParameter("Fault.discardMaxStep", "0.02");
        var probe = new Probe(system.Components[0].Unit, "x");
        var options = new SystemRunOptions { Schedule = StepSchedule.Create(0, 1, 0.1), Algorithm = MasterAlgorithm.VariableStep, VariableStep = new() { MinStep = 0.001 } };

        var report = new SystemExecution(system, options, observers: [probe]).Run();

        TestContext.Out.WriteLine($"steps {report.Statistics.Steps}, discarded {report.Statistics.DiscardedSteps}, smallest {report.Statistics.SmallestStep}");
        report.Outcome.ShouldBe(RunOutcome.Completed);
        report.Statistics.DiscardedSteps.ShouldBeGreaterThan(0);
        report.Statistics.SmallestStep.Seconds.ShouldBeLessThanOrEqualTo(0.02);
        probe.Samples[^1].Value.ShouldBe(1, 1e-9); // x integrates 1: the rolled-back attempts left no trace
    }

    [Test]
    public void FaultDiscard_Jacobi_FailsWithHintToUseVariableStep()
    {
        using var system = new SystemModel();
        system.Add(Fmu("FaultDiscard", "Fault"));
        system.SetParameter("Fault.discardMaxStep", "0.02");
        var e = Should.Throw<SimulationException>(() => new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 1, 0.1) }).Run());
        e.Unit.ShouldBe("Fault");
        e.Message.ShouldContain("--algorithm variable");
    }
}
