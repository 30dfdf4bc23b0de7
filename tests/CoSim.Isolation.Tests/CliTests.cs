using System.Diagnostics;
using CoSim.TestSupport;

namespace CoSim.Isolation.Tests;

/// <summary>The real <c>cosim</c> command with --isolate: exit codes, rows on disk, identical results, no orphan hosts.</summary>
[NonParallelizable]
public class CliTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cosim-isolation-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static List<int> WaitNoOrphans()
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var left = HostProcesses.Orphans();
            if (left.Count == 0 || DateTime.UtcNow > until) return left;
            Thread.Sleep(50);
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_FaultCrashIsolated_ExitCode1WithSignalErrorAndRowsOnDisk(int version)
    {
        var csv = Path.Combine(_dir, "crash.csv");
        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(version, "FaultCrash"), "--isolate", "all", "-o", csv);

        run.Crashed.ShouldBeFalse(run.ToString());
        run.ExitCode.ShouldBe(1, run.ToString());
        run.StdErr.ShouldContain($"error: component 'FaultCrash', fmi{version}DoStep, at t=0.9 s: the FMU host process");
        run.StdErr.ShouldContain("died of signal 11 (SIGSEGV)");
        run.StdErr.ShouldContain("10 rows recorded up to the failure");
        ResultCsv.Load(csv).Times.ShouldBe([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], tolerance: 1e-12);
        WaitNoOrphans().ShouldBeEmpty();
    }

    [Test]
    public void Run_SspAnnotationIsolatesTheCrashingComponent_ExitCode1WithSignalError()
    {
        // A system file says which component runs in its own process: CoSim's own annotation on the component.
        var folder = Path.Combine(_dir, "system");
        Directory.CreateDirectory(Path.Combine(folder, "resources"));
        File.Copy(ExampleFmus.Path(2, "FaultCrash"), Path.Combine(folder, "resources", "FaultCrash.fmu"));
        File.Copy(ExampleFmus.Path(2, "Tank"), Path.Combine(folder, "resources", "Tank.fmu"));
        File.WriteAllText(Path.Combine(folder, "SystemStructure.ssd"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <ssd:SystemStructureDescription xmlns:ssd="http://ssp-standard.org/SSP1/SystemStructureDescription"
                xmlns:ssc="http://ssp-standard.org/SSP1/SystemStructureCommon" version="1.0" name="Annotated">
              <ssd:System name="Annotated">
                <ssd:Elements>
                  <ssd:Component name="Crash" source="resources/FaultCrash.fmu">
                    <ssd:Annotations>
                      <ssc:Annotation type="org.cosim"><Component isolated="true" isolation-timeout="20"/></ssc:Annotation>
                    </ssd:Annotations>
                  </ssd:Component>
                  <ssd:Component name="Tank" source="resources/Tank.fmu"/>
                </ssd:Elements>
              </ssd:System>
            </ssd:SystemStructureDescription>
            """);
        var csv = Path.Combine(_dir, "annotated.csv");

        var run = CosimProcess.Run(_dir, "run", folder, "--stop", "2", "--step", "0.1", "-o", csv);

        run.Crashed.ShouldBeFalse(run.ToString());
        run.ExitCode.ShouldBe(1, run.ToString());
        run.StdErr.ShouldContain("component 'Crash', fmi2DoStep, at t=0.9 s: the FMU host process");
        ResultCsv.Load(csv).Times.Length.ShouldBe(10); // 0 .. 0.9: every row up to the crash
        WaitNoOrphans().ShouldBeEmpty();
    }

    [Test]
    public void Run_TankLoopIsolatedAll_SameCsvAsInProcess()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", _dir);
        var a = CosimProcess.Run(_dir, "run", ssp, "--stop", "120", "--algorithm", "gauss-seidel", "-o", "inprocess.csv");
        var b = CosimProcess.Run(_dir, "run", ssp, "--stop", "120", "--algorithm", "gauss-seidel", "--isolate", "all", "-o", "isolated.csv");
        a.ExitCode.ShouldBe(0, a.ToString());
        b.ExitCode.ShouldBe(0, b.ToString());
        File.ReadAllText(Path.Combine(_dir, "isolated.csv")).ShouldBe(File.ReadAllText(Path.Combine(_dir, "inprocess.csv")));
        File.ReadAllLines(Path.Combine(_dir, "isolated.csv")).Length.ShouldBe(1 + 501); // header + the default 500 steps (RunDefaults)
        WaitNoOrphans().ShouldBeEmpty();
    }

    [Test]
    public void Run_UnknownIsolateName_BadInputExitCode2()
    {
        var ssp = ExampleSystems.BuildSsp("TankLoop", _dir);
        var run = CosimProcess.Run(_dir, "run", ssp, "--isolate", "Tnk");
        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdErr.ShouldContain("--isolate Tnk: no such component (have: Controller, Pump, Tank)");
        WaitNoOrphans().ShouldBeEmpty();
    }

    [Test]
    public void Simulate_ParentKilledWhileTheFmuHangs_HostExitsToo()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "cosim.dll");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "simulate", ExampleFmus.Path(2, "FaultHang"), "--isolate", "all", "--isolation-timeout", "600", "-o", "hang.csv" })
            psi.ArgumentList.Add(a);
        using var cosim = Process.Start(psi)!;
        _ = cosim.StandardOutput.ReadToEndAsync();
        _ = cosim.StandardError.ReadToEndAsync();
        try
        {
            // Wait until the host is running and the run has reached the hang (rows up to t = 0.5 written).
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (HostProcesses.Of(cosim.Id).Count == 0 && DateTime.UtcNow < until) Thread.Sleep(50);
            var hosts = HostProcesses.Of(cosim.Id);
            hosts.Count.ShouldBe(1);
            Thread.Sleep(200); // the kill may come before or after the host opened the channel: both must leave nothing
        }
        finally
        {
            cosim.Kill(entireProcessTree: false); // SIGKILL: no cleanup code of cosim runs
            cosim.WaitForExit();
        }
        WaitNoOrphans().ShouldBeEmpty("the host must notice its parent is gone (its stdin pipe closes) and exit");
        Directory.GetFiles("/dev/shm", $"cosim-isolation-{cosim.Id}-*").ShouldBeEmpty("the channel file is removed");
    }
}
