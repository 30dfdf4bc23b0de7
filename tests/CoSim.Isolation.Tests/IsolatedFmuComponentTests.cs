using CoSim.Core;
using CoSim.Fmi;
using CoSim.Fmi.CoSimulation;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;

namespace CoSim.Isolation.Tests;

/// <summary>One isolated unit against the same FMU in process: every operation of the contract through the channel.</summary>
[NonParallelizable]
public class IsolatedFmuComponentTests
{
    [TearDown]
    public void NoHostsLeft()
    {
        HostProcesses.WaitGone(Environment.ProcessId, TimeSpan.FromSeconds(10)).ShouldBeEmpty("FMU host processes left running");
        Directory.GetFiles("/dev/shm", $"cosim-isolation-{Environment.ProcessId}-*").ShouldBeEmpty("channel files left in /dev/shm");
    }

    private static int Var(IComponent unit, string name) => unit.Variables.Single(v => v.Name == name).Index;

    private static void Start(IComponent unit, double stop = 10)
    {
        unit.Instantiate();
        unit.EnterInitialization(SimTime.Zero, SimTime.FromSeconds(stop), null);
        unit.ExitInitialization();
    }

    private static IsolatedFmuComponent Isolated(string model, int version, ILogSink? log = null, bool me = false, SolverOptions? solver = null, IsolationOptions? options = null) =>
        new(Fixtures.Archive(model, version), model.ToLowerInvariant(), log ?? NullLogSink.Instance, me, solver, options: options);

    [TestCase(2)]
    [TestCase(3)]
    public void Variables_SameAsInProcess(int version)
    {
        using var isolated = Isolated("BouncingBall", version);
        using var local = new FmuCoSimulationComponent(Fixtures.Archive("BouncingBall", version), "bouncingball", NullLogSink.Instance);
        isolated.Variables.ShouldBe(local.Variables);
        isolated.CanSaveState.ShouldBe(local.CanSaveState);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void SetAndGet_EveryTypeByTextAndAccessor_RoundTrip(int version)
    {
        using var unit = Isolated("BouncingBall", version);
        unit.Instantiate();
        unit.SetFromText(Var(unit, "e"), "0.5");
        unit.GetAsText(Var(unit, "e")).ShouldBe("0.5");
        unit.GetAsText(Var(unit, "resting")).ShouldBe("false");
        Should.Throw<InputException>(() => unit.SetFromText(Var(unit, "e"), "abc"));
        unit.EnterInitialization(SimTime.Zero, null, null);
        unit.ExitInitialization();
        // Float64, Int32 and Boolean through one batched accessor.
        var accessor = unit.CreateAccessor([Var(unit, "h"), Var(unit, "impacts"), Var(unit, "resting"), Var(unit, "e")]);
        var values = new double[4];
        accessor.Read(values);
        values.ShouldBe([1.0, 0, 0, 0.5]);
        for (var i = 0; i < 30; i++) unit.Step(SimTime.FromSeconds(0.1 * i), SimTime.FromSeconds(0.1));
        accessor.Read(values);
        values[1].ShouldBeGreaterThan(0); // the ball has bounced by t = 3 s
        unit.GetAsText(Var(unit, "impacts")).ShouldBe(values[1].ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var text = Isolated("FaultCrash", version);
        text.Instantiate();
        text.SetFromText(Var(text, "crashStep"), "42");
        text.GetAsText(Var(text, "crashStep")).ShouldBe("42");
        Should.Throw<InputException>(() => text.SetFromText(Var(text, "crashStep"), "4.5")).Message.ShouldContain("not an integer");
    }

    [TestCase(2)]
    [TestCase(3)]
    public void WriteThenStep_InputsTravelWithTheStep_OneRoundTripPerStepAndSameValuesAsInProcess(int version)
    {
        using var isolated = Isolated("Tank", version);
        using var local = new FmuCoSimulationComponent(Fixtures.Archive("Tank", version), "tank", NullLogSink.Instance);
        var results = new List<double[]>();
        foreach (IComponent unit in new IComponent[] { local, isolated })
        {
            Start(unit, 100);
            var input = unit.CreateAccessor([Var(unit, "valve")]);
            var output = unit.CreateAccessor(unit.Variables.Where(v => v.Role == VariableRole.Output).Select(v => v.Index).ToArray());
            var row = new double[output.Variables.Count];
            var trace = new List<double>();
            output.Read(row);
            var before = isolated.RoundTrips;
            for (var i = 0; i < 1000; i++)
            {
                input.Write([i < 500 ? 1.0 : 0.25]);
                unit.Step(SimTime.FromSeconds(0.1 * i), SimTime.FromSeconds(0.1));
                output.Read(row);
                trace.AddRange(row);
            }
            if (unit == isolated) (isolated.RoundTrips - before).ShouldBe(1000); // write + step + read = one round trip
            results.Add(trace.ToArray());
        }
        results[1].Select(BitConverter.DoubleToInt64Bits).ShouldBe(results[0].Select(BitConverter.DoubleToInt64Bits));
    }

    [TestCase(2)]
    [TestCase(3)]
    public void SaveRestoreSerialize_ThroughTheChannel_ReturnToTheSavedState(int version)
    {
        using var unit = Isolated("Tank", version);
        Start(unit, 100);
        var level = unit.CreateAccessor([Var(unit, "level")]);
        var value = new double[1];
        for (var i = 0; i < 10; i++) unit.Step(SimTime.FromSeconds(0.1 * i), SimTime.FromSeconds(0.1));
        using var saved = unit.SaveState();
        level.Read(value);
        var atSave = value[0];
        var bytes = unit.Serialize(saved);
        bytes.Length.ShouldBeGreaterThan(0);
        for (var i = 10; i < 50; i++) unit.Step(SimTime.FromSeconds(0.1 * i), SimTime.FromSeconds(0.1));
        level.Read(value);
        value[0].ShouldNotBe(atSave);
        unit.RestoreState(saved);
        level.Read(value);
        value[0].ShouldBe(atSave);
        for (var i = 10; i < 20; i++) unit.Step(SimTime.FromSeconds(0.1 * i), SimTime.FromSeconds(0.1));
        using var restored = unit.Deserialize(bytes);
        unit.RestoreState(restored);
        level.Read(value);
        value[0].ShouldBe(atSave);
    }

    [TestCase(2, "fmi2DoStep")]
    [TestCase(3, "fmi3DoStep")]
    public void Step_FmuReturnsError_SameExceptionAndLogAsInProcess(int version, string function)
    {
        var log = new ListLogSink();
        using var unit = Isolated("FaultError", version, log);
        Start(unit);
        for (var i = 0; i < 5; i++) unit.Step(SimTime.FromSeconds(0.1 * i), SimTime.FromSeconds(0.1));
        var e = Should.Throw<FmiCallException>(() => unit.Step(SimTime.FromSeconds(0.5), SimTime.FromSeconds(0.1)));
        e.Component.ShouldBe("faulterror");
        e.Operation.ShouldBe(function);
        e.Status.ShouldBe("Error");
        e.FmuMessage!.ShouldContain("simulated failure in doStep at t=0.5");
        log.Messages.ShouldContain(m => m.Level == LogLevel.Error && m.Source == "faulterror" && m.Message.Contains("errorTime=0.5"));

        var localLog = new ListLogSink();
        using var local = new FmuCoSimulationComponent(Fixtures.Archive("FaultError", version), "faulterror", localLog);
        Start(local);
        for (var i = 0; i < 5; i++) local.Step(SimTime.FromSeconds(0.1 * i), SimTime.FromSeconds(0.1));
        var expected = Should.Throw<FmiCallException>(() => local.Step(SimTime.FromSeconds(0.5), SimTime.FromSeconds(0.1)));
        e.Describe().ShouldBe(expected.Describe());
        log.Messages.ShouldBe(localLog.Messages);
        unit.Terminate();
    }

    [TestCase(2)]
    [TestCase(3)]
    public void ModelExchange_IntegratedInTheHost_BitIdenticalToInProcess(int version)
    {
        var solver = new SolverOptions { Kind = SolverKind.Cvode, RelativeTolerance = 1e-8, MaxStep = 0.05 };
        using var isolated = Isolated("BouncingBall", version, me: true, solver: solver);
        using var local = new FmuModelExchangeComponent(Fixtures.Archive("BouncingBall", version), "bouncingball", NullLogSink.Instance, solver);
        isolated.IsModelExchange.ShouldBeTrue();
        var traces = new List<long>[] { [], [] };
        var k = 0;
        foreach (IComponent unit in new IComponent[] { local, isolated })
        {
            Start(unit, 3);
            var output = unit.CreateAccessor([Var(unit, "h"), Var(unit, "v"), Var(unit, "impacts")]);
            var row = new double[3];
            for (var i = 0; i < 300; i++)
            {
                unit.Step(SimTime.FromSeconds(0.01 * i), SimTime.FromSeconds(0.01));
                output.Read(row);
                traces[k].AddRange(row.Select(BitConverter.DoubleToInt64Bits));
            }
            k++;
        }
        traces[1].ShouldBe(traces[0]);
        BitConverter.Int64BitsToDouble(traces[0][^1]).ShouldBeGreaterThan(0); // impacts counted
    }

    [Test]
    public void Open_MemoryLimitBelowTheHostsFootprint_FailsNamingTheLimit()
    {
        var e = Should.Throw<HostFailedException>(() => Isolated("Tank", 2, options: new IsolationOptions { MemoryLimitBytes = 8 << 20 }));
        e.Fault.ShouldBe(HostFault.MemoryLimit);
        e.Component.ShouldBe("tank");
        e.Message.ShouldContain("over the memory limit of 8 MiB");
    }

    [Test]
    public void Open_HostMissing_InputErrorNamesThePath()
    {
        var e = Should.Throw<InputException>(() => Isolated("Tank", 2, options: new IsolationOptions { HostPath = "/nonexistent/CoSim.FmuHost.dll" }));
        e.Message.ShouldContain("/nonexistent/CoSim.FmuHost.dll");
    }

    [Test]
    public void Dispose_AfterTheHostWasKilledFromOutside_StepFailsWithSignalThenDisposesQuietly()
    {
        using var unit = Isolated("Tank", 2);
        Start(unit, 100);
        unit.Step(SimTime.Zero, SimTime.FromSeconds(0.1));
        System.Diagnostics.Process.GetProcessById(unit.HostProcessId).Kill();
        var e = Should.Throw<HostFailedException>(() => unit.Step(SimTime.FromSeconds(0.1), SimTime.FromSeconds(0.1)));
        e.Fault.ShouldBe(HostFault.Signal);
        e.Message.ShouldContain("signal 9 (SIGKILL)");
        unit.Terminate(); // quiet after a failure
        Should.Throw<HostFailedException>(() => unit.GetAsText(0)).Fault.ShouldBe(HostFault.Signal);
    }
}
