using CoSim.Core;
using CoSim.Engine.Algorithms;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Engine.Tests.Systems;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.TestSupport;

namespace CoSim.Engine.Tests.Fmus;

/// <summary>System algorithms on the project's real example FMUs (built by scripts/build-fmus).</summary>
public class SystemFmuTests
{
    private const double Stop = 10;

    private static IComponent Fmu(string model, string name) => FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(2, model)), name, NullLogSink.Instance);

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
        var probe = new Probe(system.Components[0].Instance, "x1");
        new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, Stop, 0.001) }, observers: [probe]).Run();
        return probe.Samples.ToDictionary(s => (long)Math.Round(s.Time * 1000), s => s.Value);
    });

    /// <summary>x1 of the monolithic model at any time: linear interpolation of its 1 ms samples (interpolation error below 2e-6 m).</summary>
    private static double ExactX1(double t)
    {
        var exact = Monolithic.Value;
        var k = (long)Math.Floor(t * 1000 + 1e-9);
        var a = exact[k];
        if (!exact.TryGetValue(k + 1, out var b)) return a;
        return a + (b - a) * (t * 1000 - k);
    }

    /// <summary>Runs the split model and returns the largest |x1 - exact| over every communication point.</summary>
    private static (double Error, RunReport Report) SplitError(MasterAlgorithm algorithm, double h, double tolerance = 1e-3,
        GaussSeidelHold hold = GaussSeidelHold.End)
    {
        var (samples, report) = SplitRun(algorithm, h, tolerance, hold);
        return (samples.Max(s => Math.Abs(s.Value - ExactX1(s.Time))), report);
    }

    private static (IReadOnlyList<(double Time, double Value)> X1, RunReport Report) SplitRun(MasterAlgorithm algorithm, double h, double tolerance = 1e-3,
        GaussSeidelHold hold = GaussSeidelHold.End)
    {
        using var system = SplitMsd();
        var probe = new Probe(system.Find("Mass1")!.Instance, "x1");
        var options = new SystemRunOptions
        {
            Schedule = StepSchedule.Create(0, Stop, h), Algorithm = algorithm, Threads = 1, GaussSeidelHold = hold,
            VariableStep = new() { Tolerance = tolerance, MinStep = 0.001 },
        };
        var report = new SystemExecution(system, options, observers: [probe]).Run();
        return (probe.Samples.Select(s => (s.Time, s.Value)).ToList(), report);
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
    public void SplitMassSpringDamper_GaussSeidel_FirstOrderAndBelowJacobiOnceTheStepIsSmall()
    {
        using (var system = SplitMsd())
        {
            // Mass2.F feeds through from x1, v1 (the FMU's ModelStructure); Mass1's outputs are states: it steps first.
            var execution = new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 1, 0.1), Algorithm = MasterAlgorithm.GaussSeidel });
            execution.GaussSeidelOrder.ShouldBe(["Mass1", "Mass2"]);
            execution.AlgebraicLoops.ShouldBeEmpty();
        }
        double[] steps = [0.01, 0.005, 0.0025];
        var jacobi = steps.Select(h => SplitError(MasterAlgorithm.Jacobi, h).Error).ToArray();
        var gs = steps.Select(h => SplitError(MasterAlgorithm.GaussSeidel, h).Error).ToArray();
        var gsMean = steps.Select(h => SplitError(MasterAlgorithm.GaussSeidel, h, hold: GaussSeidelHold.Mean).Error).ToArray();
        for (var i = 0; i < steps.Length; i++)
            TestContext.Out.WriteLine($"h={steps[i]}: max |x1 error| Jacobi {jacobi[i]:G3}, Gauss-Seidel (end hold, default) {gs[i]:G3}, --gs-hold mean {gsMean[i]:G3}");
        // The textbook scheme: worse than Jacobi at h = 0.01, better from h = 0.0025 (see docs/algorithms.md), first order.
        gs[2].ShouldBeLessThan(jacobi[2]);
        Math.Log2(gs[1] / gs[2]).ShouldBeInRange(0.7, 1.4);
        // Mass2's inputs x1, v1 feed through to F, so the mean hold never applies here: identical results.
        gsMean.ShouldBe(gs);
    }

    [Test]
    public void SplitMassSpringDamper_LargeStep_JacobiOverdampsAndGaussSeidelUnderdampsTheSlowMode()
    {
        // The lightly damped slow mode dominates x1 at the end of the run; compare its amplitude over the last 2 s.
        static double LateAmplitude(IEnumerable<(double Time, double Value)> x1) => x1.Where(s => s.Time > Stop - 2).Max(s => Math.Abs(s.Value));
        var exact = LateAmplitude(Enumerable.Range(0, 2001).Select(k => (Stop - 2 + k * 0.001, ExactX1(Stop - 2 + k * 0.001))));
        var jacobi = LateAmplitude(SplitRun(MasterAlgorithm.Jacobi, 0.01).X1);
        var gs = LateAmplitude(SplitRun(MasterAlgorithm.GaussSeidel, 0.01).X1);
        TestContext.Out.WriteLine($"h=0.01, max |x1| over the last 2 s: exact {exact:G3}, Jacobi {jacobi:G3}, Gauss-Seidel {gs:G3}");
        jacobi.ShouldBeLessThan(0.9 * exact);
        gs.ShouldBeGreaterThan(1.1 * exact);
    }

    [Test]
    public void SplitMassSpringDamper_VariableStep_MeetsToleranceWithFewerAttemptsThanFixedStep()
    {
        const double tolerance = 0.1;
        var (error, report) = SplitError(MasterAlgorithm.VariableStep, 0.001, tolerance);
        var s = report.Statistics;
        // The fewest fixed Jacobi steps for which every step meets the same tolerance on the coupling error.
        long fixedSteps = 0;
        double fixedChange = 0, fixedError = 0;
        foreach (var n in new[] { 500, 1000, 2000, 3000, 4000, 5000, 6000, 8000, 10000 })
        {
            var (e, r) = SplitError(MasterAlgorithm.Jacobi, Stop / n);
            if (r.Statistics.MaxCouplingChange > tolerance) continue;
            (fixedSteps, fixedChange, fixedError) = (n, r.Statistics.MaxCouplingChange, e);
            break;
        }
        var attempts = s.Steps + s.RejectedSteps;
        TestContext.Out.WriteLine($"variable (tol {tolerance}): coupling error <= {s.MaxCouplingChange:G3} in {s.Steps} steps + {s.RejectedSteps} rejected = {attempts} attempts, " +
                                  $"h {s.SmallestStep.Seconds}..{s.LargestStep.Seconds}, max |x1 error| {error:G3}; " +
                                  $"fixed Jacobi meets the tolerance with {fixedSteps} steps (coupling error {fixedChange:G3}, max |x1 error| {fixedError:G3})");
        s.MaxCouplingChange.ShouldBeLessThanOrEqualTo(tolerance);
        fixedSteps.ShouldBeGreaterThan(0);
        attempts.ShouldBeLessThan(fixedSteps / 2);
    }

    [Test]
    public void FaultDiscard_VariableStep_RejectsAndRetriesTheStep()
    {
        using var system = new SystemModel();
        system.Add(Fmu("FaultDiscard", "Fault"));
        system.SetParameter("Fault.discardTime", "0.55");
        system.SetParameter("Fault.discardMaxStep", "0.02");
        var probe = new Probe(system.Components[0].Instance, "x");
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
        e.Component.ShouldBe("Fault");
        e.Message.ShouldContain("variable-step algorithm");
    }
}
