using System.Runtime.CompilerServices;
using CoSim.Core;
using CoSim.Engine.Algorithms;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;
using CoSim.Runner;
using CoSim.TestSupport;
using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Plugins.Tests;

/// <summary>Loading plugin assemblies in their own load contexts, running their components in systems, unloading them.</summary>
public class PluginLoadingTests
{
    private static string TestPlugin => ExamplePlugins.Path("CoSim.Plugins.TestPlugin");

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-plugins-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    internal static ComponentRequest Plugin(string name, string type) =>
        new(name, TestPlugin, "plugin") { Options = new Dictionary<string, string> { ["type"] = type } };

    [Test]
    public void Create_PluginCarriesOlderMathNet_EachSideRunsWithItsOwnVersion()
    {
        typeof(Matrix<double>).Assembly.GetName().Version!.Major.ShouldBe(5); // the host's
        using IComponent probe = new PluginComponentFactory().Create(Plugin("probe", "VersionProbe"), NullLogSink.Instance);
        probe.Instantiate();
        probe.SetFromText(Index(probe, "a"), "3");
        probe.EnterInitialization(SimTime.Zero, null, null);
        probe.ExitInitialization();
        var values = new double[2];
        probe.CreateAccessor([Index(probe, "mathNetMajor"), Index(probe, "determinant")]).Read(values);
        values[0].ShouldBe(4); // the plugin's own MathNet.Numerics 4.15
        values[1].ShouldBe(8, 1e-12); // 3*3 - 1, computed by that MathNet
    }

    [Test]
    public void Dispose_AfterRun_LoadContextIsCollected()
    {
        var context = RunProbeAndDispose();
        for (var i = 0; context.IsAlive && i < 50; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        context.IsAlive.ShouldBeFalse("the plugin's load context should be collected after the run is disposed");
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // nothing of the run may stay on the test's stack frame
    private static WeakReference RunProbeAndDispose()
    {
        var spec = new RunSpecification { Stop = 1, Step = 0.1 };
        spec.Components.Add(new ComponentSpec(Plugin("probe", "VersionProbe")));
        using var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance);
        var context = ((PluginComponentHost)run.System.Components[0].Instance).LoadContext;
        run.Run().Outcome.ShouldBe(RunOutcome.Completed);
        context.IsAlive.ShouldBeTrue();
        return context;
    }

    [Test]
    public void Run_PluginThrowsInStep_SimulationExceptionNamesComponentOperationTimeAndMessage()
    {
        var spec = new RunSpecification { Stop = 2, Step = 0.25, Output = Path.Combine(_dir, "out.csv") };
        spec.Components.Add(new ComponentSpec(Plugin("boom", "Thrower")));
        spec.Parameters.Add(new ParameterValue(new VariableRef("boom", "throwAt"), "0.75"));
        using var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance);
        var e = Should.Throw<SimulationException>(() => run.Run());
        e.Describe().ShouldBe("component 'boom', Step, at t=0.75 s: InvalidOperationException: sensor model diverged");
        run.Dispose();
        ResultCsv.Load(spec.Output).Times.ShouldBe([0, 0.25, 0.5, 0.75]);
    }

    [Test]
    public void Run_VariableStepWithRollbacks_PluginStateIsRestored()
    {
        // A fast sine into a forward-Euler integrator: big first steps are rejected and rolled back. If the
        // integrator's state were not restored, its sum and step count would include the rejected steps.
        var spec = new RunSpecification { Stop = 2, Step = 0.5, Output = Path.Combine(_dir, "out.csv"), Algorithm = MasterAlgorithm.VariableStep };
        spec.Components.Add(new ComponentSpec(Plugin("source", "Oscillator")));
        spec.Components.Add(new ComponentSpec(Plugin("sum", "Integrator")));
        spec.Parameters.Add(new ParameterValue(new VariableRef("source", "omega"), "10"));
        spec.Connections.Add(new Connection(new VariableRef("source", "y"), new VariableRef("sum", "u")));
        spec.VariableStep = new VariableStepOptions { Tolerance = 1e-2 };
        RunReport report;
        using (var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance)) report = run.Run();

        report.Outcome.ShouldBe(RunOutcome.Completed);
        report.Statistics.RejectedSteps.ShouldBeGreaterThan(0);
        var csv = ResultCsv.Load(spec.Output);
        var t = csv.Times;
        var y = csv.Values("source.y");
        var expected = 0.0;
        for (var k = 0; k + 1 < t.Length; k++) expected += y[k] * (t[k + 1] - t[k]); // the accepted steps only
        csv.Values("sum.steps")[^1].ShouldBe(t.Length - 1);
        csv.Values("sum.x")[^1].ShouldBe(expected, 1e-12);
        y[^1].ShouldBe(Math.Sin(10 * t[^1]), 1e-12);
    }

    [Test]
    public void Create_UnknownType_InputExceptionListsTheTypesOffered()
    {
        var e = Should.Throw<InputException>(() => new PluginComponentFactory().Create(Plugin("x", "NoSuchType"), NullLogSink.Instance));
        e.Message.ShouldContain("no component type 'NoSuchType'");
        e.Message.ShouldContain("CoSim.Plugins.TestPlugin.VersionProbe");
    }

    [Test]
    public void Create_AssemblyWithSeveralTypesAndNoTypeGiven_InputExceptionAsksForOne()
    {
        var e = Should.Throw<InputException>(() => new PluginComponentFactory().Create(new ComponentRequest("x", TestPlugin, "plugin"), NullLogSink.Instance));
        e.Message.ShouldContain("choose one with type=");
    }

    [Test]
    public void Create_NotAPlugin_InputExceptionNamesTheFile()
    {
        var notManaged = Path.Combine(_dir, "native.dll");
        File.WriteAllBytes(notManaged, [0x7f, (byte)'E', (byte)'L', (byte)'F', 0, 0, 0, 0]);
        Should.Throw<InputException>(() => new PluginComponentFactory().Create(new ComponentRequest("x", notManaged, "plugin"), NullLogSink.Instance))
            .Message.ShouldStartWith($"{notManaged}: cannot load the plugin assembly");
        var mathNet = Path.Combine(Path.GetDirectoryName(TestPlugin)!, "MathNet.Numerics.dll");
        Should.Throw<InputException>(() => new PluginComponentFactory().Create(new ComponentRequest("x", mathNet, "plugin"), NullLogSink.Instance))
            .Message.ShouldContain("offers no component");
    }

    [Test]
    public void Registry_DllSourceWithoutKind_ChoosesThePluginFactory()
    {
        using var c = PreparedRun.DefaultRegistry().Create(new ComponentRequest("f", TestPlugin) { Options = new Dictionary<string, string> { ["type"] = "Feedthrough" } }, NullLogSink.Instance);
        c.ShouldBeOfType<PluginComponentHost>().TypeName.ShouldBe("CoSim.Plugins.TestPlugin.Feedthrough");
    }

    internal static int Index(IComponent c, string name) => c.Variables.Single(v => v.Name == name).Index;
}
