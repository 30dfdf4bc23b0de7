using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.Results;
using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary><c>cosim run</c> on the TankLoop example system (SSP built from examples/systems/TankLoop and the example FMUs).</summary>
public class RunCommandTests
{
    private string _dir = "";
    private string _ssp = "";

    [OneTimeSetUp]
    public void BuildSystem()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cosim-run-" + Guid.NewGuid().ToString("N"));
        _ssp = ExampleSystems.BuildSsp("TankLoop", _dir);
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Run_TankLoop_SettlesAtSetpoint()
    {
        var result = CosimProcess.Run(_dir, "run", _ssp, "--step", "0.1", "--output", "tank.csv");

        result.ExitCode.ShouldBe(0, result.ToString());
        var csv = ResultCsv.Load(Path.Combine(_dir, "tank.csv"));
        csv.Columns.ShouldContain("Tank.level");
        csv.Columns.ShouldContain("Controller.u");
        csv.Times[^1].ShouldBe(600);
        csv.At("Tank.level", 0).ShouldBe(0.1, 1e-12); // h0 = 10 cm through the .ssm's linear transformation
        csv.Values("Tank.level").Where((_, i) => csv.Times[i] >= 300).ShouldAllBe(h => Math.Abs(h - 1.0) < 0.01);
    }

    [Test]
    public void Run_TankLoopVariableStep_DiscreteControllerOutputDoesNotStallTheStepControl()
    {
        // The PI controller's output jumps at every sample instant: a discrete signal, which must not
        // count as coupling error (a smaller step cannot make a jump smaller).
        var result = CosimProcess.Run(_dir, "run", _ssp, "--algorithm", "variable", "--step", "0.1", "--output", "variable.csv");
        result.ExitCode.ShouldBe(0, result.ToString());
        var csv = ResultCsv.Load(Path.Combine(_dir, "variable.csv"));
        csv.Times[^1].ShouldBe(600);
        csv.Rows.Count.ShouldBeLessThan(6000); // fewer steps than the fixed 0.1 s run
        csv.Values("Tank.level").Where((_, i) => csv.Times[i] >= 400).ShouldAllBe(h => Math.Abs(h - 1.0) < 0.01);
    }

    [Test]
    public void Run_TankLoopVariableStep_SameTrueErrorAsFixedStepWithFarFewerSteps()
    {
        // Against a fine fixed-step reference (h = 0.005 s), the level error of the variable-step run
        // (tolerance 1e-3 on the coupling error) is below that of fixed h = 0.1 s, with a quarter of the
        // steps or less (measured: 0.0039 m in 1464 + 32 rejected attempts; fixed 0.1: 0.0050 m in 6000).
        CosimProcess.Run(_dir, "run", _ssp, "--step", "0.005", "-o", "reference.csv").ExitCode.ShouldBe(0);
        var variable = CosimProcess.Run(_dir, "run", _ssp, "--algorithm", "variable", "--step", "0.1", "--coupling-tolerance", "1e-3", "-o", "var.csv");
        variable.ExitCode.ShouldBe(0, variable.ToString());
        CosimProcess.Run(_dir, "run", _ssp, "--step", "0.1", "-o", "fixed.csv").ExitCode.ShouldBe(0);
        var reference = ResultCsv.Load(Path.Combine(_dir, "reference.csv"));
        double MaxError(string file)
        {
            var csv = ResultCsv.Load(Path.Combine(_dir, file));
            var level = csv.Values("Tank.level");
            return csv.Times.Select((t, i) => Math.Abs(level[i] - reference.At("Tank.level", t))).Max();
        }
        var accepted = long.Parse(System.Text.RegularExpressions.Regex.Match(variable.StdOut, @"(\d+) steps to t=").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var rejected = long.Parse(System.Text.RegularExpressions.Regex.Match(variable.StdOut, @"(\d+) rejected").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var variableError = MaxError("var.csv");
        var fixedError = MaxError("fixed.csv");
        TestContext.Out.WriteLine($"variable: {variableError:G3} m in {accepted} + {rejected} attempts; fixed 0.1 s: {fixedError:G3} m in 6000 steps");
        variableError.ShouldBeLessThan(fixedError);
        (accepted + rejected).ShouldBeLessThan(6000 / 4);
    }

    [Test]
    public void Run_JacobiOneAndTwoThreads_ByteIdenticalCsv()
    {
        CosimProcess.Run(_dir, "run", _ssp, "--step", "0.1", "--stop", "100", "--threads", "1", "-o", "t1.csv").ExitCode.ShouldBe(0);
        CosimProcess.Run(_dir, "run", _ssp, "--step", "0.1", "--stop", "100", "--threads", "2", "-o", "t2.csv").ExitCode.ShouldBe(0);
        File.ReadAllBytes(Path.Combine(_dir, "t2.csv")).ShouldBe(File.ReadAllBytes(Path.Combine(_dir, "t1.csv")));
    }

    [Test]
    public void Run_SameSystemBuiltInCode_GivesIdenticalCsv()
    {
        CosimProcess.Run(_dir, "run", _ssp, "--step", "0.1", "--stop", "100", "-o", "ssp.csv").ExitCode.ShouldBe(0);

        // The TankLoop system of examples/systems/TankLoop, built in C#.
        using var system = new SystemModel();
        IComponent Fmu(string model, string name) => FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(2, model)), name, NullLogSink.Instance);
        system.Add(Fmu("PIController", "Controller"));
        system.Add(Fmu("Pump", "Pump"));
        system.Add(Fmu("Tank", "Tank"));
        system.Connect("Controller.u", "Pump.valve");
        system.Connect("Pump.flowRate", "Tank.valve", new LinearTransform(1 / 150.0, 0));
        system.Connect("Tank.level", "Controller.measurement");
        system.SetParameter("Controller.uMin", "0");
        system.SetParameter("Controller.uMax", "1");
        system.SetParameter("Controller.setpoint", "1.0");
        system.SetParameter("Tank.h0", (0.01 * 10).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        system.SetParameter("Controller.kp", "0.5");
        system.SetParameter("Controller.ki", "0.05");
        system.SetParameter("Controller.Ts", "0.1");
        system.SetParameter("Pump.voltage", "230");
        var signals = system.Components.SelectMany(c => c.Instance.Variables.Where(v => v.Role == VariableRole.Output && v.Kind != ValueKind.String)
            .Select(v => new RecordedSignal(new VariableRef(c.Name, v.Name), $"{c.Name}.{v.Name}"))).ToList();
        var path = Path.Combine(_dir, "code.csv");
        using (var recorder = new CsvRecorder(path, signals))
            new SystemExecution(system, new SystemRunOptions { Schedule = StepSchedule.Create(0, 100, 0.1) }, observers: [recorder]).Run();

        File.ReadAllText(path).ShouldBe(File.ReadAllText(Path.Combine(_dir, "ssp.csv")));
    }

    [Test]
    public void Run_BadSystem_ReportsEveryProblemWithExitCode2()
    {
        var folder = Path.Combine(_dir, "bad");
        Directory.CreateDirectory(Path.Combine(folder, "resources"));
        File.Copy(ExampleFmus.Path(2, "Tank"), Path.Combine(folder, "resources", "Tank.fmu"));
        File.Copy(ExampleFmus.Path(2, "PIController"), Path.Combine(folder, "resources", "PIController.fmu"));
        File.WriteAllText(Path.Combine(folder, "SystemStructure.ssd"), """
            <ssd:SystemStructureDescription version="2.0" name="Bad" xmlns:ssd="http://ssp-standard.org/SSP1/SystemStructureDescription">
              <ssd:System name="Bad">
                <ssd:Elements>
                  <ssd:Component name="Tank" source="resources/Tank.fmu"/>
                  <ssd:Component name="Ctrl" source="resources/PIController.fmu"/>
                </ssd:Elements>
                <ssd:Connections>
                  <ssd:Connection startElement="Tank" startConnector="valve" endElement="Ctrl" endConnector="u"/>
                  <ssd:Connection startElement="Tank" startConnector="levle" endElement="Ctrl" endConnector="measurement"/>
                  <ssd:Connection startElement="Tank" startConnector="level" endElement="Ctrl" endConnector="setpoint"/>
                  <ssd:Connection startElement="Tank" startConnector="outflow" endElement="Ctrl" endConnector="setpoint"/>
                </ssd:Connections>
              </ssd:System>
            </ssd:SystemStructureDescription>
            """);

        var result = CosimProcess.Run(_dir, "run", folder);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.StdErr.ShouldContain("wrong way round");
        result.StdErr.ShouldContain("no variable 'levle'");
        result.StdErr.ShouldContain("'Ctrl.setpoint' is connected 2 times");
        result.StdErr.ShouldContain("'Tank.valve' is not connected"); // the warning comes too
    }

    [Test]
    public void Run_VariableStepWithoutStateSupport_OrWithIt_RunsAndPrintsStatistics()
    {
        var result = CosimProcess.Run(_dir, "run", _ssp, "--algorithm", "variable", "--stop", "50", "--step", "0.1", "--coupling-tolerance", "0.01", "-o", "v.csv");
        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain("rejected");
    }
}
