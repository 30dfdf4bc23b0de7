using CoSim.Engine.Algorithms;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Tests.Systems;

public class AlgorithmTests
{
    private const double Stop = 5;

    private static double MaxErrorX1(MasterAlgorithm algorithm, double h, VariableStepOptions? vs = null) => Run(algorithm, h, vs).MaxError;

    private static (double MaxError, RunReport Report) Run(MasterAlgorithm algorithm, double h, VariableStepOptions? vs = null)
    {
        using var system = TestSystems.SplitOscillator();
        var probe = new Probe(system.Find("Mass1")!.Instance, "x1");
        var options = new SystemRunOptions { Schedule = StepSchedule.Create(0, Stop, h), Algorithm = algorithm, Threads = 1, VariableStep = vs ?? new() };
        var report = new SystemExecution(system, options, observers: [probe]).Run();
        var exact = Exact.Value;
        return (probe.Samples.Max(s => Math.Abs(s.Value - exact(s.Time))), report);
    }

    private static readonly Lazy<Func<double, double>> Exact = new(() => TestSystems.ExactX1(Stop));

    [Test]
    public void Jacobi_SplitOscillator_ErrorShrinksAtFirstOrder()
    {
        var e1 = MaxErrorX1(MasterAlgorithm.Jacobi, 0.01);
        var e2 = MaxErrorX1(MasterAlgorithm.Jacobi, 0.005);
        var e3 = MaxErrorX1(MasterAlgorithm.Jacobi, 0.0025);
        TestContext.Out.WriteLine($"Jacobi max |x1 error|: h=0.01 {e1:G3}, h=0.005 {e2:G3}, h=0.0025 {e3:G3}; orders {Math.Log2(e1 / e2):F2}, {Math.Log2(e2 / e3):F2}");
        Math.Log2(e1 / e2).ShouldBeInRange(0.8, 1.3);
        Math.Log2(e2 / e3).ShouldBeInRange(0.8, 1.3);
    }

    [Test]
    public void GaussSeidel_SplitOscillator_ErrorBelowJacobiAtSameStep()
    {
        var jacobi = MaxErrorX1(MasterAlgorithm.Jacobi, 0.005);
        var gaussSeidel = MaxErrorX1(MasterAlgorithm.GaussSeidel, 0.005);
        var gs2 = MaxErrorX1(MasterAlgorithm.GaussSeidel, 0.0025);
        TestContext.Out.WriteLine($"h=0.005: Jacobi {jacobi:G3}, Gauss-Seidel {gaussSeidel:G3}; GS order {Math.Log2(gaussSeidel / gs2):F2}");
        gaussSeidel.ShouldBeLessThan(jacobi);
        Math.Log2(gaussSeidel / gs2).ShouldBeInRange(0.8, 1.3);
    }

    [Test]
    public void GaussSeidelOrder_SplitOscillator_StateOutputUnitFirst()
    {
        using var system = TestSystems.SplitOscillator();
        var execution = new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 1, 0.1), Algorithm = MasterAlgorithm.GaussSeidel });
        execution.GaussSeidelOrder.ShouldBe(["Mass1", "Mass2"]);
        execution.AlgebraicLoops.ShouldBeEmpty();
    }

    [Test]
    public void VariableStep_SplitOscillator_MeetsToleranceWithFewerAttemptsThanFixedStep()
    {
        const double tolerance = 0.05;
        var (variableError, report) = Run(MasterAlgorithm.VariableStep, 0.001, new VariableStepOptions { Tolerance = tolerance });
        var s = report.Statistics;
        // The fewest fixed Jacobi steps for which every step meets the same tolerance on the coupling error.
        var fixedSteps = 0L;
        foreach (var n in new[] { 500, 1000, 2000, 4000, 8000, 16000, 32000 })
        {
            if (Run(MasterAlgorithm.Jacobi, Stop / n).Report.Statistics.MaxCouplingChange > tolerance) continue;
            fixedSteps = n;
            break;
        }
        TestContext.Out.WriteLine($"variable step (tol {tolerance}): coupling error <= {s.MaxCouplingChange:G3}, x1 error {variableError:G3} in {s.Steps} steps + {s.RejectedSteps} rejected " +
                                  $"(h {s.SmallestStep.Seconds}..{s.LargestStep.Seconds}); fixed step meets the tolerance with {fixedSteps}");
        s.MaxCouplingChange.ShouldBeLessThanOrEqualTo(tolerance);
        fixedSteps.ShouldBeGreaterThan(0);
        (s.Steps + s.RejectedSteps).ShouldBeLessThan(fixedSteps);
    }

    [Test]
    public void VariableStep_UnitDiscardsLargeStep_RetriesSmallerAndCountsIt()
    {
        using var system = new SystemModel();
        var ramp = TestSystems.Ramp("Ramp");
        // Declines any step over 0.01 s that contains t = 0.5 s, like the FaultDiscard FMU.
        var picky = new TestComponent("Picky", ["u"], ["y"])
        {
            OnStep = (_, t, h) => t.Seconds < 0.5 && (t + h).Seconds >= 0.5 && h.Seconds > 0.01 ? StepStatus.Discarded : StepStatus.Completed,
            ComputeOutputs = c => c["y"] = c["u"],
        };
        system.Add(ramp);
        system.Add(picky);
        system.Connect("Ramp.y", "Picky.u");
        var options = new SystemRunOptions { Schedule = StepSchedule.Create(0, 1, 0.1), Algorithm = MasterAlgorithm.VariableStep, VariableStep = new() { Tolerance = 10 } };

        var report = new SystemExecution(system, options).Run();

        report.Outcome.ShouldBe(RunOutcome.Completed);
        report.EndTime.Seconds.ShouldBe(1);
        report.Statistics.DiscardedSteps.ShouldBeGreaterThan(0);
        report.Statistics.SmallestStep.Seconds.ShouldBeLessThanOrEqualTo(0.01);
        TestContext.Out.WriteLine($"discarded {report.Statistics.DiscardedSteps}, accepted {report.Statistics.Steps}, smallest {report.Statistics.SmallestStep}");
    }

    [Test]
    public void VariableStep_UnitCannotSaveState_ThrowsInputExceptionNamingIt()
    {
        using var system = new SystemModel();
        system.Add(new Execution.FakeUnit());
        Should.Throw<InputException>(() => new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 1, 0.1), Algorithm = MasterAlgorithm.VariableStep }))
            .Message.ShouldContain("fake");
    }

    [Test]
    public void MultiRate_JacobiSlowFeedthroughUnit_InputsHeldUntilItsOwnStepEnds()
    {
        // A direct-feedthrough component stepping every 4 base steps must not see its inputs change in between:
        // the consistent re-read of feedthrough outputs after a step applies only where its own step ended.
        using var system = new SystemModel();
        var gain = TestSystems.Gain("Gain", 1, 0);
        system.Add(TestSystems.Ramp("Ramp"));
        system.Add(new SystemComponent(gain) { StepMultiple = 4 });
        system.Add(TestSystems.Sampler("Sink")); // makes Gain.y a connected output
        system.Connect("Ramp.y", "Gain.u");
        system.Connect("Gain.y", "Sink.u");
        var probe = new Probe(gain, "y");
        new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 1.2, 0.1), Algorithm = MasterAlgorithm.MultiRate }, observers: [probe]).Run();
        probe.Samples.Select(s => Math.Round(s.Value, 9)).ToArray().ShouldBe([0, 0, 0, 0, 0.4, 0.4, 0.4, 0.4, 0.8, 0.8, 0.8, 0.8, 1.2]);
    }

    [Test]
    public void MultiRate_SlowSampler_HoldsInputSampledAtItsOwnSteps()
    {
        using var system = new SystemModel();
        var ramp = TestSystems.Ramp("Ramp");
        var sampler = TestSystems.Sampler("Sampler");
        system.Add(ramp);
        system.Add(new SystemComponent(sampler) { StepMultiple = 4 });
        system.Connect("Ramp.y", "Sampler.u");
        var probe = new Probe(sampler, "y");

        var report = new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 1.2, 0.1), Algorithm = MasterAlgorithm.MultiRate }, observers: [probe]).Run();

        report.Statistics.Steps.ShouldBe(12);
        sampler.Steps.ShouldBe(3);
        // The sampler steps over [0, 0.4], [0.4, 0.8], [0.8, 1.2] with the ramp sampled at each start, held in between.
        var values = probe.Samples.Select(s => Math.Round(s.Value, 9)).ToArray();
        values.ShouldBe([0, 0, 0, 0, 0, 0, 0, 0, 0.4, 0.4, 0.4, 0.4, 0.8]);
    }

    [Test]
    public void Jacobi_RampIntoSampler_SeesPreviousStepOutputs_GaussSeidelSeesCurrent()
    {
        double[] Last(MasterAlgorithm a, GaussSeidelHold hold = GaussSeidelHold.End)
        {
            using var system = new SystemModel();
            var sampler = TestSystems.Sampler("Sampler");
            // y is the sampler's state (its structure says so): no direct feedthrough from u, so the mean hold may apply to u.
            system.Add(sampler);
            system.Add(TestSystems.Ramp("Ramp")); // declared after its consumer on purpose
            system.Connect("Ramp.y", "Sampler.u");
            var probe = new Probe(sampler, "y");
            new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 0.3, 0.1), Algorithm = a, GaussSeidelHold = hold }, observers: [probe]).Run();
            return probe.Samples.Select(s => Math.Round(s.Value, 9)).ToArray();
        }

        Last(MasterAlgorithm.Jacobi).ShouldBe([0, 0, 0.1, 0.2]);
        Last(MasterAlgorithm.GaussSeidel).ShouldBe([0, 0.1, 0.2, 0.3]);
        // The mean hold feeds the sampler the ramp's mean over each step: (0 + 0.1)/2, (0.1 + 0.2)/2, ...
        Last(MasterAlgorithm.GaussSeidel, GaussSeidelHold.Mean).ShouldBe([0, 0.05, 0.15, 0.25]);
    }
}
