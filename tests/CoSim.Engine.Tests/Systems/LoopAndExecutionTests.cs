using System.Diagnostics;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Results;

namespace CoSim.Engine.Tests.Systems;

public class LoopAndExecutionTests
{
    private static (SystemModel System, TestComponent A, TestComponent B) Loop(TestComponent a, TestComponent b)
    {
        var system = new SystemModel();
        system.Add(a);
        system.Add(b);
        system.Connect("A.y", "B.u");
        system.Connect("B.y", "A.u");
        return (system, a, b);
    }

    private static SystemRunOptions Options(double stop = 0.3, double h = 0.1) => new() { Schedule = StepSchedule.Create(0, stop, h) };

    [Test]
    public void AlgebraicLoop_Contracting_ConvergesByFixedPoint()
    {
        // a = 0.5 b + 1, b = -0.8 a + 2  =>  a = 2/1.4, b = -0.8 a + 2
        var (system, a, b) = Loop(TestSystems.Gain("A", 0.5, 1), TestSystems.Gain("B", -0.8, 2));
        using var _ = system;
        var execution = new SystemExecution(system, Options());

        var report = execution.Run();

        execution.AlgebraicLoops.Single().ShouldBe("A.u -> A.y -> B.u -> B.y -> A.u");
        a["y"].ShouldBe(2 / 1.4, 1e-8);
        b["y"].ShouldBe(-0.8 * (2 / 1.4) + 2, 1e-8);
        report.Statistics.NewtonFallbacks.ShouldBe(0);
        report.Statistics.LoopSolves.ShouldBeGreaterThanOrEqualTo(4); // initialization + 3 steps
    }

    [Test]
    public void AlgebraicLoop_FixedPointDiverges_NewtonSolvesIt()
    {
        // a = 1.5 b + 1, b = a  => fixed-point slope 1.5 diverges; a = -2
        var (system, a, _) = Loop(TestSystems.Gain("A", 1.5, 1), TestSystems.Gain("B", 1, 0));
        using var __ = system;

        var report = new SystemExecution(system, Options()).Run();

        a["y"].ShouldBe(-2, 1e-8);
        report.Statistics.NewtonFallbacks.ShouldBeGreaterThan(0);
    }

    [Test]
    public void AlgebraicLoop_NoSolution_ThrowsNamingTheLoop()
    {
        // a = b² + 1, b = a  => a² − a + 1 = 0 has no real root
        var (system, _, _) = Loop(TestSystems.Square("A", 1), TestSystems.Gain("B", 1, 0));
        using var __ = system;

        var e = Should.Throw<SimulationException>(() => new SystemExecution(system, Options()).Run());

        e.Message.ShouldContain("algebraic loop A.u -> A.y -> B.u -> B.y -> A.u did not converge");
        e.Message.ShouldContain("Newton");
    }

    [Test]
    public void Jacobi_OneAndTwoThreads_WriteByteIdenticalCsv()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cosim-threads-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string RunWith(int threads)
            {
                using var system = TestSystems.SplitOscillator();
                // Eight more oscillators in a ring of samplers, so that several components step in parallel.
                for (var i = 0; i < 8; i++) system.Add(TestSystems.Sampler($"S{i}"));
                system.Connect("Mass1.x1", "S0.u");
                for (var i = 1; i < 8; i++) system.Connect($"S{i - 1}.y", $"S{i}.u");
                var path = Path.Combine(dir, $"threads{threads}.csv");
                var signals = system.Components.SelectMany(c => c.Instance.Variables.Where(v => v.Role == VariableRole.Output)
                    .Select(v => new RecordedSignal(new VariableRef(c.Name, v.Name), $"{c.Name}.{v.Name}"))).ToList();
                using (var recorder = new CsvRecorder(path, signals))
                    new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 2, 0.001), Threads = threads }, observers: [recorder]).Run();
                return path;
            }

            var one = File.ReadAllBytes(RunWith(1));
            var two = File.ReadAllBytes(RunWith(2));
            one.Length.ShouldBeGreaterThan(1000);
            two.ShouldBe(one);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void RealTime_FactorFour_PacesToWallClockAndCountsOverruns()
    {
        using var system = new SystemModel();
        system.Add(TestSystems.Ramp("Ramp"));
        var clock = Stopwatch.StartNew();

        var report = new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 0.4, 0.01), RealTimeFactor = 4 }).Run();

        // Pacing holds the run back to (at least) a quarter of the wall clock. How many steps overrun their
        // deadline depends on how busy the machine is, so only a bound a loaded machine still meets is checked.
        clock.Elapsed.TotalSeconds.ShouldBeGreaterThanOrEqualTo(0.1 * 0.95);
        report.Statistics.Steps.ShouldBe(40);
        report.Statistics.Overruns.ShouldBeLessThanOrEqualTo(report.Statistics.Steps);

        using var slow = new SystemModel();
        slow.Add(new TestComponent("Slow", [], ["y"]) { OnStep = (_, _, _) => { Thread.Sleep(5); return StepStatus.Completed; } });
        var late = new SystemExecution(slow, new SystemRunOptions { Schedule = StepSchedule.Create(0, 0.01, 0.001), RealTimeFactor = 1 }).Run();
        late.Statistics.Overruns.ShouldBeGreaterThan(5);
        late.Statistics.MaxOverrun.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Test]
    public void Run_StopRequestedByObserver_EndsWithStoppedOutcome()
    {
        using var system = new SystemModel();
        var ramp = TestSystems.Ramp("Ramp");
        system.Add(ramp);
        SystemExecution? execution = null;
        var observer = new CallbackObserver(t => { if (t.Seconds >= 0.5) execution!.RequestStop(); });
        execution = new SystemExecution(system, Options(stop: 1), observers: [observer]);

        var report = execution.Run();

        report.Outcome.ShouldBe(RunOutcome.Stopped);
        report.EndTime.Seconds.ShouldBe(0.5, 1e-12);
    }

    [Test]
    public void Run_ManipulatorAndObserver_CalledInDocumentedOrder()
    {
        using var system = new SystemModel();
        var calls = new List<string>();
        var unit = new TestComponent("U", ["u"], ["y"])
        {
            OnStep = (c, t, _) => { calls.Add($"step {t.Seconds} u={c["u"]}"); return StepStatus.Completed; },
            ComputeOutputs = c => c["y"] = c["u"],
        };
        system.Add(unit);
        var manipulator = new CallbackManipulator("U.u", (t, w, u) => { calls.Add($"manipulate {t.Seconds}"); w.Set(u, t.Seconds * 10); });
        var observer = new CallbackObserver(t => calls.Add($"observe {t.Seconds}"));

        new SystemExecution(system, Options(stop: 0.2), [manipulator], [observer]).Run();

        calls.ShouldBe(["manipulate 0", "step 0 u=0", "observe 0.1", "manipulate 0.1", "step 0.1 u=1", "observe 0.2"]);
    }

    [Test]
    public void Run_UnitFailsInParallelStep_ReportsFailureAndFinishesObservers()
    {
        using var system = new SystemModel();
        system.Add(TestSystems.Ramp("Ramp"));
        system.Add(new TestComponent("Bad", [], ["y"]) { OnStep = (_, t, _) => t.Seconds > 0.15 ? throw new SimulationException("boom", "Bad", "doStep") : StepStatus.Completed });
        Exception? finishedWith = null;
        var observer = new CallbackObserver(_ => { }, e => finishedWith = e);

        var e = Should.Throw<SimulationException>(() => new SystemExecution(system, Options(stop: 1) with { Threads = 2 }, observers: [observer]).Run());

        e.Message.ShouldBe("boom");
        e.Time!.Value.Seconds.ShouldBe(0.2, 1e-12);
        finishedWith.ShouldBe(e);
    }

    private sealed class CallbackObserver(Action<SimTime> onStep, Action<Exception?>? onFinished = null) : IObserver
    {
        public void Attach(IObservationSetup setup) { }
        public void Started(SimTime start, StepValues values) { }
        public void StepComplete(SimTime time, StepValues values) => onStep(time);
        public void Finished(SimTime end, Exception? failure) => onFinished?.Invoke(failure);
    }

    /// <summary>Writes one input through the engine at every step.</summary>
    private sealed class CallbackManipulator(string input, Action<SimTime, InputWriter, InputHandle> onStep) : IManipulator
    {
        private InputHandle _input;
        public void Attach(IManipulationSetup setup) => _input = setup.Input(VariableRef.Parse(input));
        public void Initialize(SimTime start, InputWriter inputs) { }
        public void StepCommencing(SimTime time, InputWriter inputs) => onStep(time, inputs, _input);
    }
}
