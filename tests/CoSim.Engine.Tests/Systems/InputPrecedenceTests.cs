using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Tests.Systems;

/// <summary>
/// Input precedence: a connection supplies an input's value, then a manipulator's override decides
/// (fault injection: stuck sensor, bias); a plain Set does not fight a connection.
/// </summary>
public class InputPrecedenceTests
{
    /// <summary>Ramp.y (= t) -> Gain.u, Gain.y = u; the manipulator acts on Gain.u.</summary>
    private static (SystemModel System, TestComponent Gain) RampIntoGain()
    {
        var system = new SystemModel();
        system.Add(TestSystems.Ramp("Ramp"));
        var gain = TestSystems.Gain("Gain", 1, 0);
        system.Add(gain);
        system.Connect("Ramp.y", "Gain.u");
        return (system, gain);
    }

    private static double[] Run(SystemModel system, TestComponent probed, IManipulator manipulator, MasterAlgorithm algorithm)
    {
        var probe = new Probe(probed, "y");
        new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 0.5, 0.1), Algorithm = algorithm, Threads = 1 }, [manipulator], [probe]).Run();
        return probe.Samples.Select(s => Math.Round(s.Value, 9)).ToArray();
    }

    [TestCase(MasterAlgorithm.Jacobi)]
    [TestCase(MasterAlgorithm.GaussSeidel)]
    public void Override_ConnectedInput_ManipulatorWinsWhileInstalledThenConnectionAgain(MasterAlgorithm algorithm)
    {
        var (system, gain) = RampIntoGain();
        using var _ = system;
        // Stuck at 7 from t = 0.2 until t = 0.4, then released.
        var stuck = new ScriptedManipulator("Gain.u", (t, w, u) =>
        {
            if (t.Seconds is >= 0.2 and < 0.4) w.Override(u, new Constant(7));
            else w.Override(u, null);
        });

        var y = Run(system, gain, stuck, algorithm);

        // A manipulator acts before the step that starts at t: the point t itself was computed before it.
        // The override then holds at every point until it is released (feedthrough outputs are refreshed
        // with it), and the connection's value comes back.
        y.ShouldBe([0, 0.1, 0.2, 7, 7, 0.5]);
    }

    [Test]
    public void Override_Bias_AddsToTheConnectedValue()
    {
        var (system, gain) = RampIntoGain();
        using var _ = system;
        var bias = new ScriptedManipulator("Gain.u", (t, w, u) => w.Override(u, new Bias(100)));

        // Installed at initialization: the initial values already carry it.
        Run(system, gain, bias, MasterAlgorithm.Jacobi).ShouldBe([100, 100.1, 100.2, 100.3, 100.4, 100.5]);
    }

    [Test]
    public void Set_ConnectedInput_ConnectionKeepsItsValue()
    {
        var (system, gain) = RampIntoGain();
        using var _ = system;
        var set = new ScriptedManipulator("Gain.u", (t, w, u) => w.Set(u, -1));

        Run(system, gain, set, MasterAlgorithm.Jacobi).ShouldBe([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    }

    [Test]
    public void Set_UnconnectedInput_HoldsUntilSetAgain()
    {
        using var system = new SystemModel();
        var gain = TestSystems.Gain("Gain", 2, 0);
        system.Add(gain);
        var set = new ScriptedManipulator("Gain.u", (t, w, u) => { if (Math.Abs(t.Seconds - 0.2) < 1e-9) w.Set(u, 3); });

        Run(system, gain, set, MasterAlgorithm.Jacobi).ShouldBe([0, 0, 0, 6, 6, 6]);
    }

    [Test]
    public void Attach_OutputAsInput_RefusedBeforeTheRun()
    {
        var (system, _) = RampIntoGain();
        using var __ = system;
        var wrong = new ScriptedManipulator("Gain.y", (_, _, _) => { });
        Should.Throw<InputException>(() => new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 1, 0.1) }, [wrong]))
            .Message.ShouldContain("Gain.y is an output, not an input or a parameter");
    }

    private sealed record Constant(double Value) : IInputOverride
    {
        public double Apply(SimTime time, double incoming) => Value;
    }

    private sealed record Bias(double Offset) : IInputOverride
    {
        public double Apply(SimTime time, double incoming) => incoming + Offset;
    }

    /// <summary>Writes one input through the engine's <see cref="InputWriter"/> before every step.</summary>
    private sealed class ScriptedManipulator(string input, Action<SimTime, InputWriter, InputHandle> onStep) : IManipulator
    {
        private InputHandle _input;
        public void Attach(IManipulationSetup setup) => _input = setup.Input(VariableRef.Parse(input));
        public void Initialize(SimTime start, InputWriter inputs) => onStep(start, inputs, _input);
        public void StepCommencing(SimTime time, InputWriter inputs) => onStep(time, inputs, _input);
    }
}
