using System.Text.RegularExpressions;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;
using CoSim.Plugins.Testing;
using CoSim.Runner;
using CoSim.Ssp;
using CoSim.TestSupport;

namespace CoSim.Plugins.Pid.Tests;

public class PidControllerTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-pid-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static ComponentDriver Pid(params (string, string)[] parameters) => new(new PidController { Name = "pid" }, 0, parameters);

    [Test]
    public void Step_IntegralOnlyWithConstantError_OutputIsTheRampKiETimesT()
    {
        using var pid = Pid(("kp", "0"), ("ki", "0.5"), ("uMax", "10"), ("setpoint", "1"), ("measurement", "0.2")); // e = 0.8
        for (var k = 1; k <= 40; k++)
        {
            pid.Step(0.05);
            pid.Get("u").ShouldBe(0.5 * 0.8 * k * 0.05, 1e-12);
        }
    }

    [Test]
    public void Step_SaturatedThenErrorReverses_OutputLeavesTheLimitAtOnce()
    {
        using var pid = Pid(("kp", "0"), ("ki", "0.5"), ("uMin", "0"), ("uMax", "1"));
        pid.Set("setpoint", 1);
        pid.Set("measurement", 0); // e = 1: u reaches 1 at t = 2
        pid.StepUntil(10, 0.1);
        pid.Get("u").ShouldBe(1);
        pid.Get("saturated").ShouldBe(1);
        pid.Get("integral").ShouldBeLessThanOrEqualTo(1.05 + 1e-12); // held at the limit, not 5
        pid.Set("measurement", 2); // e = -1
        pid.StepUntil(11, 0.1);
        // Without anti-windup I would be 5 and u would stay at 1 until t = 18.
        pid.Get("u").ShouldBeInRange(0.5, 0.56);
    }

    [Test]
    public void Step_MeasurementStep_FilteredDerivativeFollowsTheFirstOrderResponse()
    {
        const double kd = 1, tf = 0.5, h = 0.001;
        using var pid = Pid(("kp", "0"), ("kd", kd.ToString()), ("Tf", tf.ToString()), ("uMin", "-100"), ("uMax", "100"));
        pid.Set("setpoint", 0);
        pid.Set("measurement", 0);
        pid.StepUntil(1, h);
        pid.Get("u").ShouldBe(0);
        pid.Set("measurement", 1);
        pid.Step(h);
        pid.StepUntil(1.5, h);
        // Continuous: D(t) = -(kd/Tf) exp(-(t - 1)/Tf) after a unit step of y at t = 1.
        var analytic = -(kd / tf) * Math.Exp(-0.5 / tf);
        pid.Get("u").ShouldBe(analytic, Math.Abs(analytic) * 0.01);
    }

    [Test]
    public void Step_SetpointStep_NoDerivativeKick()
    {
        using var pid = Pid(("kp", "2"), ("kd", "5"), ("Tf", "0.1"), ("uMin", "-100"), ("uMax", "100"));
        pid.Set("setpoint", 0);
        pid.Set("measurement", 0);
        pid.StepUntil(1, 0.01);
        pid.Set("setpoint", 1);
        pid.Step(0.01);
        pid.Get("u").ShouldBe(2, 1e-12); // kp*e only
    }

    [Test]
    public void Step_GainChangedMidRun_OutputDoesNotJump()
    {
        using var pid = Pid(("kp", "1"), ("ki", "0.2"), ("uMax", "10"), ("setpoint", "1"), ("measurement", "0.5"));
        pid.StepUntil(5, 0.1);
        var before = pid.Get("u");
        pid.Set("kp", 3);
        pid.Step(0.1);
        // Only the integral's increment ki*h*e = 0.01; a plain PID would jump by (3 - 1)*0.5 = 1.
        (pid.Get("u") - before).ShouldBe(0.2 * 0.1 * 0.5, 1e-12);
        pid.Step(0.1);
        (pid.Get("u") - before).ShouldBe(2 * 0.2 * 0.1 * 0.5, 1e-12);
    }

    [Test]
    public void Run_ProportionalOnlyOnTheTankFmu_SettlesAtTheAnalyticSteadyState()
    {
        // P-only level control of the Tank FMU: steady state where maxInflow*kp*(r - h) = k*sqrt(h), i.e.
        // with kp = 2, r = 1, maxInflow = 0.1, k = 0.05: 4s^2 + s - 4 = 0 for s = sqrt(h).
        var spec = new RunSpecification { Stop = 60, Step = 0.05, Output = Path.Combine(_dir, "p.csv") };
        spec.Components.Add(new ComponentSpec(new ComponentRequest("Tank", ExampleFmus.Path(2, "Tank"))));
        spec.Components.Add(new ComponentSpec(PidRequest("Pid")));
        foreach (var (name, value) in new[] { ("kp", "2"), ("ki", "0"), ("uMin", "0"), ("uMax", "1"), ("setpoint", "1") })
            spec.Parameters.Add(new ParameterValue(new VariableRef("Pid", name), value));
        spec.Connections.Add(new Connection(new VariableRef("Tank", "level"), new VariableRef("Pid", "measurement")));
        spec.Connections.Add(new Connection(new VariableRef("Pid", "u"), new VariableRef("Tank", "valve")));
        using (var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance)) run.Run().Outcome.ShouldBe(RunOutcome.Completed);
        var s = (-1 + Math.Sqrt(1 + 64)) / 8;
        var level = ResultCsv.Load(spec.Output).Values("Tank.level")[^1];
        level.ShouldBe(s * s, 1e-6);
    }

    [Test]
    public void Run_TankLoopWithThePidPluginInPlaceOfThePiFmu_SameLevelAsTheFmu()
    {
        var fmuLoop = ExampleSystems.BuildSsp("TankLoop", _dir);
        var pluginLoop = TankLoopWithPid(Path.Combine(_dir, "TankLoopPid"));
        var fmu = RunTankLoop(SspImporter.Load(fmuLoop, Path.Combine(_dir, "cache")), "fmu.csv");
        var plugin = RunTankLoop(SspImporter.Load(pluginLoop), "plugin.csv");
        plugin.Times.ShouldBe(fmu.Times);
        var fmuLevel = fmu.Values("Tank.level");
        var pluginLevel = plugin.Values("Tank.level");
        for (var i = 0; i < fmuLevel.Length; i++) pluginLevel[i].ShouldBe(fmuLevel[i], 1e-9, $"t = {fmu.Times[i]}");
        fmuLevel[^1].ShouldBe(1, 0.05); // and the loop does control the level
    }

    private ResultCsv RunTankLoop(RunSpecification spec, string output)
    {
        spec.Stop = 120;
        spec.Step = 0.1;
        spec.Output = Path.Combine(_dir, output);
        using (var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance)) run.Run().Outcome.ShouldBe(RunOutcome.Completed);
        return ResultCsv.Load(spec.Output);
    }

    /// <summary>The TankLoop example as an SSP folder whose Controller is the PID plugin (its build output copied into resources/pid/).</summary>
    private static string TankLoopWithPid(string folder)
    {
        var source = ExampleSystems.SourceFolder("TankLoop");
        Directory.CreateDirectory(Path.Combine(folder, "resources", "pid"));
        foreach (var f in Directory.GetFiles(Path.Combine(source, "resources"))) File.Copy(f, Path.Combine(folder, "resources", Path.GetFileName(f)));
        foreach (var model in new[] { "Pump", "Tank" }) File.Copy(ExampleFmus.Path(2, model), Path.Combine(folder, "resources", model + ".fmu"));
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(ExamplePlugins.Path("CoSim.Plugins.Pid"))!))
            File.Copy(f, Path.Combine(folder, "resources", "pid", Path.GetFileName(f)));
        var ssd = File.ReadAllText(Path.Combine(source, "SystemStructure.ssd"));
        var replaced = Regex.Replace(ssd, "source=\"resources/PIController.fmu\" type=\"application/x-fmu-sharedlibrary\">",
            "source=\"resources/pid/CoSim.Plugins.Pid.dll\" type=\"application/x-cosim-plugin\">" +
            "<ssd:Annotations><ssc:Annotation type=\"org.cosim\"><Component type=\"PidController\"/></ssc:Annotation></ssd:Annotations>");
        replaced.ShouldNotBe(ssd);
        File.WriteAllText(Path.Combine(folder, "SystemStructure.ssd"), replaced);
        return folder;
    }

    private static ComponentRequest PidRequest(string name) => new(name, ExamplePlugins.Path("CoSim.Plugins.Pid"), "plugin");
}
