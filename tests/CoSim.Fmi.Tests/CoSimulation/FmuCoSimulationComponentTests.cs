using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.CoSimulation;
using CoSim.TestSupport;

namespace CoSim.Fmi.Tests.CoSimulation;

/// <summary>The co-simulation component on the real example FMUs, FMI 2.0 and 3.0.</summary>
public class FmuCoSimulationComponentTests
{
    private sealed class ListSink : ILogSink
    {
        public readonly List<(LogLevel Level, string Source, string Message)> Messages = [];
        public void Log(LogLevel level, string source, string message)
        {
            lock (Messages) Messages.Add((level, source, message));
        }
    }

    private static FmuCoSimulationComponent Open(int version, string model, ILogSink? log = null) =>
        new(FmuArchive.Open(ExampleFmus.Path(version, model)), model.ToLowerInvariant(), log ?? NullLogSink.Instance);

    private static int Var(IComponent unit, string name) => unit.Variables.Single(v => v.Name == name).Index;

    private static void Start(IComponent unit)
    {
        unit.Instantiate();
        unit.EnterInitialization(SimTime.Zero, SimTime.FromSeconds(10), null);
        unit.ExitInitialization();
    }

    private static SimTime Run(IComponent unit, SimTime from, double seconds, double step)
    {
        var h = SimTime.FromSeconds(step);
        var end = from + SimTime.FromSeconds(seconds);
        for (var t = from; t < end; t += h) unit.Step(t, h).Status.ShouldBe(StepStatus.Completed);
        return end;
    }

    [TestCase(2)]
    [TestCase(3)]
    public void SaveAndRestoreState_BouncingBall_ReplaysIdentically(int version)
    {
        using var unit = Open(version, "BouncingBall");
        unit.CanSaveState.ShouldBeTrue();
        Start(unit);
        var read = unit.CreateAccessor([Var(unit, "h"), Var(unit, "v"), Var(unit, "impacts")]);
        var t = Run(unit, SimTime.Zero, 0.3, 0.01);
        using var saved = unit.SaveState();
        var end = Run(unit, t, 0.7, 0.01); // crosses the first impact at ~0.4515 s
        var first = new double[3];
        read.Read(first);
        first[2].ShouldBe(1); // Int32 read through the accessor: one impact so far

        unit.RestoreState(saved);
        Run(unit, t, 0.7, 0.01).ShouldBe(end);
        var second = new double[3];
        read.Read(second);
        second.ShouldBe(first);
        unit.Terminate();
    }

    [TestCase(2)]
    [TestCase(3)]
    public void SerializeState_RoundTrip_RestoresTheSameTrajectory(int version)
    {
        using var unit = Open(version, "Tank");
        Start(unit);
        var level = unit.CreateAccessor([Var(unit, "level")]);
        var t = Run(unit, SimTime.Zero, 5, 0.1);
        byte[] bytes;
        using (var s = unit.SaveState()) bytes = unit.Serialize(s);
        bytes.Length.ShouldBeGreaterThan(0);
        Run(unit, t, 5, 0.1);
        var expected = new double[1];
        level.Read(expected);
        using (var restored = unit.Deserialize(bytes)) unit.RestoreState(restored);
        Run(unit, t, 5, 0.1);
        var actual = new double[1];
        level.Read(actual);
        actual[0].ShouldBe(expected[0]);
    }

    [TestCase(2)]
    [TestCase(3)]
    public void SaveState_FmuWithoutStateFunctions_CapabilityOffAndClearError(int version)
    {
        using var unit = Open(version, "NoState");
        unit.CanSaveState.ShouldBeFalse();
        Start(unit);
        Should.Throw<SimulationException>(() => unit.SaveState()).Message.ShouldContain("cannot save its state");
    }

    [TestCase(2)]
    [TestCase(3)]
    public void SetAndGet_BooleanAndIntegerAndFloat_RoundTrip(int version)
    {
        using var unit = Open(version, "FaultCrash");
        unit.Instantiate();
        unit.SetFromText(Var(unit, "crashStep"), "42");
        unit.GetAsText(Var(unit, "crashStep")).ShouldBe("42");
        Should.Throw<InputException>(() => unit.SetFromText(Var(unit, "crashStep"), "4.5")).Message.ShouldContain("not an integer");
        using var ball = Open(version, "BouncingBall");
        ball.Instantiate();
        ball.SetFromText(Var(ball, "e"), "0.5");
        ball.GetAsText(Var(ball, "e")).ShouldBe("0.5");
        ball.GetAsText(Var(ball, "resting")).ShouldBe("false");
    }

    [TestCase(2, "fmi2DoStep")]
    [TestCase(3, "fmi3DoStep")]
    public void Step_FmuReturnsError_ExceptionCarriesInstanceFunctionAndFmuMessage(int version, string function)
    {
        var log = new ListSink();
        using var unit = Open(version, "FaultError", log);
        Start(unit);
        Run(unit, SimTime.Zero, 0.5, 0.1);
        var e = Should.Throw<FmiCallException>(() => unit.Step(SimTime.FromSeconds(0.5), SimTime.FromSeconds(0.1)));
        e.Component.ShouldBe("faulterror");
        e.Operation.ShouldBe(function);
        e.Status.ShouldBe("Error");
        e.FmuMessage!.ShouldContain("simulated failure in doStep at t=0.5"); // formatted by the FMU through varargs
        log.Messages.ShouldContain(m => m.Level == LogLevel.Error && m.Source == "faulterror" && m.Message.Contains("errorTime=0.5"));
        unit.Terminate(); // after Error the component skips fmiXTerminate itself: no second exception
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Dispose_AfterFailure_CanOpenAndRunAgain(int version)
    {
        using (var failing = Open(version, "FaultError"))
        {
            Start(failing);
            Should.Throw<FmiCallException>(() => Run(failing, SimTime.Zero, 1, 0.1));
        }
        using var again = Open(version, "FaultError");
        Start(again);
        Run(again, SimTime.Zero, 0.4, 0.1);
    }
}
