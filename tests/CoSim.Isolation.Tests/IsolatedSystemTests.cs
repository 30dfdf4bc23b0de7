using System.Diagnostics;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Runner;
using CoSim.Ssp;
using CoSim.Engine.Systems;
using CoSim.Results;
using CoSim.TestSupport;

namespace CoSim.Isolation.Tests;

/// <summary>Systems of the project's FMUs with some or all units in host processes: results, faults, restarts, no orphans.</summary>
[NonParallelizable]
public class IsolatedSystemTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cosim-isolation-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown()
    {
        // Every test disposes its units; no host may be left behind, whatever happened.
        var left = HostProcesses.WaitGone(Environment.ProcessId, TimeSpan.FromSeconds(10));
        try { Directory.Delete(_dir, true); } catch (IOException) { }
        left.ShouldBeEmpty("FMU host processes left running: " + string.Join(", ", left));
        Directory.GetFiles("/dev/shm", $"cosim-isolation-{Environment.ProcessId}-*").ShouldBeEmpty("channel files left in /dev/shm");
    }

    private static List<(long Ticks, double[] Values)> RunTankLoop(bool isolated, MasterAlgorithm algorithm, string sspPath)
    {
        var spec = SspImporter.Load(sspPath);
        if (isolated)
            for (var i = 0; i < spec.Components.Count; i++)
                spec.Components[i] = spec.Components[i] with { Request = spec.Components[i].Request! with { Options = new Dictionary<string, string> { ["isolated"] = "true" } } };
        var trace = new OutputTrace();
        spec.Observers.Add(trace);
        (spec.Start, spec.Stop, spec.Step, spec.Algorithm, spec.Threads) = (0, 600, 0.1, algorithm, 2);
        using var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance);
        run.Run().Outcome.ShouldBe(RunOutcome.Completed);
        foreach (var unit in run.System.Components.Select(c => c.Instance).OfType<IsolatedFmuComponent>())
            unit.RoundTrips.ShouldBeLessThan(6000 + 50, $"{unit.Name}: one round trip per step (inputs, step and outputs), plus set-up");
        return trace.Rows;
    }

    [TestCase(MasterAlgorithm.Jacobi)]
    [TestCase(MasterAlgorithm.GaussSeidel)]
    public void Run_TankLoopIsolated_BitIdenticalToInProcess(MasterAlgorithm algorithm)
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", _dir);
        var inProcess = RunTankLoop(false, algorithm, ssp);
        var isolated = RunTankLoop(true, algorithm, ssp);

        isolated.Count.ShouldBe(6001);
        isolated.Count.ShouldBe(inProcess.Count);
        for (var i = 0; i < inProcess.Count; i++)
        {
            isolated[i].Ticks.ShouldBe(inProcess[i].Ticks);
            var a = inProcess[i].Values;
            var b = isolated[i].Values;
            for (var k = 0; k < a.Length; k++)
                if (BitConverter.DoubleToInt64Bits(a[k]) != BitConverter.DoubleToInt64Bits(b[k]))
                    Assert.Fail($"row {i}, column {k}: in process {a[k]:R}, isolated {b[k]:R}");
        }
        // Not a trivial run: the level moved.
        inProcess[^1].Values.ShouldNotBe(inProcess[0].Values);
    }

    private SystemModel CrashSystem(IsolationOptions options, ListLogSink log, int crashOnceKey = 0)
    {
        var system = new SystemModel();
        system.Add(Fixtures.Isolated("Pump", "Pump", options, log));
        system.Add(Fixtures.Isolated("Tank", "Tank", options, log));
        system.Add(Fixtures.Isolated("FaultCrash", "Crash", options, log));
        system.Add(Fixtures.InProcess("FaultDiscard", "Plain", log)); // an in-process neighbour
        system.Connect("Pump.flowRate", "Tank.valve", new LinearTransform(1 / 150.0, 0));
        if (crashOnceKey != 0) system.SetParameter("Crash.crashOnceKey", crashOnceKey.ToString(System.Globalization.CultureInfo.InvariantCulture));
        system.SetParameter("Plain.discardTime", "100");
        return system;
    }

    private static CsvRecorder Recorder(SystemModel system, string path) =>
        new(path, system.Components.SelectMany(c => c.Instance.Variables.Where(v => v.Role == VariableRole.Output)
            .Select(v => new RecordedSignal(new VariableRef(c.Name, v.Name), $"{c.Name}.{v.Name}"))).ToList());

    [TestCase(MasterAlgorithm.Jacobi)]
    [TestCase(MasterAlgorithm.GaussSeidel)]
    public void Run_FaultCrashIsolated_ErrorNamesSignalOthersTerminatedRowsOnDisk(MasterAlgorithm algorithm)
    {
        var log = new ListLogSink();
        var csv = Path.Combine(_dir, "crash.csv");
        HostFailedException error;
        IsolatedFmuComponent[] others;
        using (var system = CrashSystem(IsolationOptions.Default, log))
        {
            others = [(IsolatedFmuComponent)system.Find("Pump")!.Instance, (IsolatedFmuComponent)system.Find("Tank")!.Instance];
            using var recorder = Recorder(system, csv);
            var run = new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 2, 0.1), Algorithm = algorithm }, observers: [recorder]);
            error = Should.Throw<HostFailedException>(() => run.Run());
            // The neighbours were terminated by the engine and still answer (their hosts are alive until disposed).
            foreach (var u in others) u.IsTerminated.ShouldBeTrue();
        }

        error.Fault.ShouldBe(HostFault.Signal);
        error.Component.ShouldBe("Crash");
        error.Operation.ShouldBe("fmi2DoStep");
        error.Time.ShouldBe(SimTime.FromSeconds(0.9));
        error.Message.ShouldContain("signal 11 (SIGSEGV)");
        error.Message.ShouldContain("writing through a NULL pointer"); // the FMU's last message, logged just before the crash
        error.Describe().ShouldStartWith("component 'Crash', fmi2DoStep, at t=0.9 s: the FMU host process");

        // Rows 0, 0.1, ..., 0.9: every row up to the failed step, as whole rows.
        var table = ResultCsv.Load(csv);
        table.Times.ShouldBe([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], tolerance: 1e-12);
        table.Values("Crash.x")[^1].ShouldBe(0.9, 1e-12);
    }

    [Test]
    public void Run_FaultHangIsolated_TimesOutWithinTheLimit()
    {
        var options = new IsolationOptions { CallTimeout = TimeSpan.FromSeconds(1) };
        using var system = new SystemModel();
        system.Add(Fixtures.Isolated("Tank", "Tank", options));
        system.Add(Fixtures.Isolated("FaultHang", "Hang", options));
        system.SetParameter("Hang.hangTime", "0.3");
        var run = new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 1, 0.1) });
        var clock = Stopwatch.StartNew();
        var error = Should.Throw<HostFailedException>(() => run.Run());
        clock.Stop();

        error.Fault.ShouldBe(HostFault.Timeout);
        error.Component.ShouldBe("Hang");
        error.Operation.ShouldBe("fmi2DoStep");
        error.Time.ShouldBe(SimTime.FromSeconds(0.3));
        error.Message.ShouldContain("did not answer within 1 s");
        error.Message.ShouldContain("sleeping forever");
        // The run before the hang takes milliseconds; the timeout is 1 s, checked every 5 ms.
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4));
    }

    [Test]
    public void Run_CrashOnceWithRestartPolicy_CompletesWithOneRestartAndTheUncrashedResults()
    {
        var key = Random.Shared.Next(1, int.MaxValue);
        var marker = Path.Combine(Path.GetTempPath(), $"cosim-faultcrash-{key}.once");
        var log = new ListLogSink();
        try
        {
            List<(long Ticks, double[] Values)> restarted, reference;
            int restarts;
            string steps;
            var options = new IsolationOptions { OnCrash = CrashPolicy.Restart, MaxRestarts = 2 };
            using (var system = CrashSystem(options, log, key))
            {
                var trace = new OutputTrace();
                new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 2, 0.1) }, observers: [trace]).Run()
                    .Outcome.ShouldBe(RunOutcome.Completed);
                restarted = trace.Rows;
                var crash = (IsolatedFmuComponent)system.Find("Crash")!.Instance;
                restarts = crash.Restarts;
                steps = crash.GetAsText(crash.Variables.Single(v => v.Name == "steps").Index);
            }
            File.Exists(marker).ShouldBeTrue(); // it did crash once
            restarts.ShouldBe(1);
            steps.ShouldBe("20"); // restored at 9 calls, then 11 more: the crashed call is not counted twice
            log.Messages.ShouldContain(m => m.Level == LogLevel.Warning && m.Message.Contains("restart 1 of at most 2") && m.Message.Contains("SIGSEGV"));

            // The same system in process without the crash: bit-identical outputs.
            using (var system = new SystemModel())
            {
                system.Add(Fixtures.InProcess("Pump", "Pump"));
                system.Add(Fixtures.InProcess("Tank", "Tank"));
                system.Add(Fixtures.InProcess("FaultCrash", "Crash"));
                system.Add(Fixtures.InProcess("FaultDiscard", "Plain"));
                system.Connect("Pump.flowRate", "Tank.valve", new LinearTransform(1 / 150.0, 0));
                system.SetParameter("Crash.crashStep", "1000");
                system.SetParameter("Plain.discardTime", "100");
                var trace = new OutputTrace();
                new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 2, 0.1) }, observers: [trace]).Run();
                reference = trace.Rows;
            }
            restarted.Count.ShouldBe(21);
            for (var i = 0; i < reference.Count; i++)
                restarted[i].Values.Select(BitConverter.DoubleToInt64Bits).ShouldBe(reference[i].Values.Select(BitConverter.DoubleToInt64Bits), $"row {i}");
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Test]
    public void Run_CrashEveryTimeWithRestartPolicy_StopsAfterMaxRestarts()
    {
        var options = new IsolationOptions { OnCrash = CrashPolicy.Restart, MaxRestarts = 2 };
        var log = new ListLogSink();
        using var system = CrashSystem(options, log);
        var error = Should.Throw<HostFailedException>(() =>
            new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 2, 0.1) }).Run());
        error.Message.ShouldContain("(after 2 restarts)");
        error.Time.ShouldBe(SimTime.FromSeconds(0.9));
        ((IsolatedFmuComponent)system.Find("Crash")!.Instance).Restarts.ShouldBe(2);
    }
}
