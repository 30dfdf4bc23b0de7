using CoSim.Core;
using CoSim.Plugins.Testing;
using CoSim.TestSupport;

namespace CoSim.Plugins.FaultInjector.Tests;

public class FaultInjectorTests
{
    private static ComponentDriver Injector(params (string, string)[] parameters) => new(new SignalFaultInjector { Name = "f" }, 0, parameters);

    [Test]
    public void Evaluate_OutsideTheWindow_OutputIsTheInput()
    {
        using var f = Injector(("faultStart", "1"), ("faultEnd", "2"), ("bias", "5"), ("noise", "1"));
        f.Set("in", 3);
        f.Get("out").ShouldBe(3);
        f.StepUntil(2, 0.1);
        f.Get("out").ShouldBe(3);
    }

    [Test]
    public void Evaluate_BiasAndDrift_AddedFromTheFaultStart()
    {
        using var f = Injector(("faultStart", "1"), ("bias", "0.5"), ("drift", "0.2"));
        f.StepUntil(1, 0.25);
        f.Set("in", 2);
        f.StepUntil(3.5, 0.25);
        f.Get("out").ShouldBe(2 + 0.5 + 0.2 * 2.5, 1e-12);
        f.Get("active").ShouldBe(1);
    }

    [Test]
    public void Evaluate_Stuck_KeepsTheValueBeforeTheFault()
    {
        using var f = Injector(("faultStart", "1"), ("stuck", "true"));
        for (var k = 0; k < 20; k++)
        {
            f.Set("in", k);
            f.Step(0.1);
        }
        // The last step before t = 1 started at t = 0.9 with in = 9.
        f.Get("out").ShouldBe(9);
    }

    [Test]
    public void Evaluate_Noise_SeededGaussianWithTheGivenDeviation()
    {
        double[] Draw(string seed)
        {
            using var f = Injector(("noise", "0.5"), ("seed", seed));
            var values = new double[20_000];
            for (var k = 0; k < values.Length; k++)
            {
                f.Step(0.01);
                values[k] = f.Get("out");
            }
            return values;
        }
        var a = Draw("1");
        var mean = a.Average();
        var sd = Math.Sqrt(a.Average(x => (x - mean) * (x - mean)));
        mean.ShouldBe(0, 4 * 0.5 / Math.Sqrt(a.Length));
        sd.ShouldBe(0.5, 0.5 * 0.03);
        Draw("1").ShouldBe(a); // reproducible
        Draw("2").Zip(a).Count(p => p.First == p.Second).ShouldBeLessThan(5);
    }

    [Test]
    public void Evaluate_Dropout_LostSamplesRepeatThePreviousValueAtTheGivenRate()
    {
        using var f = Injector(("dropout", "0.25"));
        var dropped = 0;
        const int n = 10_000;
        var previous = 0.0;
        for (var k = 1; k <= n; k++)
        {
            // As the engine does: step, then write the inputs at the time reached and read the outputs.
            f.Step(0.01);
            f.Set("in", k);
            var output = f.Get("out");
            if (f.Get("dropped") == 1)
            {
                dropped++;
                output.ShouldBe(previous);
            }
            else output.ShouldBe(k);
            previous = output;
        }
        ((double)dropped / n).ShouldBe(0.25, 0.02);
    }

    [Test]
    public void RestoreState_StepAgain_SameNoiseAndDropouts()
    {
        var injector = new SignalFaultInjector { Name = "f" };
        using var f = new ComponentDriver(injector, 0, ("noise", "1"), ("dropout", "0.3"));
        f.StepUntil(1, 0.1);
        var state = ((IComponent)injector).SaveState();
        var time = f.Time;
        f.Step(0.1);
        var first = f.Get("out");
        ((IComponent)injector).RestoreState(state);
        ((IComponent)injector).Step(time, SimTime.FromSeconds(0.1));
        f.Get("out").ShouldBe(first);
    }

    [Test]
    public void CosimRun_BiasedLevelSensorInTheTankLoop_LoopSettlesOffsetByTheBias()
    {
        // The PI controller holds the *measured* level at the setpoint 1 m: with a sensor reading 0.2 m high,
        // the true level settles at 0.8 m. The injector is added and wired from the command line.
        var dir = Directory.CreateTempSubdirectory("cosim-faults-").FullName;
        try
        {
            var ssp = ExampleSystems.BuildSsp("TankLoop", dir);
            var output = Path.Combine(dir, "out.csv");
            var result = CosimProcess.Run(dir, "run", ssp, "--stop", "300", "--step", "0.1", "-o", output,
                "--plugin", ExamplePlugins.Path("CoSim.Plugins.FaultInjector") + "=Sensor",
                "--connect", "Tank.level=Sensor.in", "--connect", "Sensor.out=Controller.measurement",
                "--set", "Sensor.bias=0.2", "--set", "Sensor.faultStart=0");
            result.ExitCode.ShouldBe(0, result.ToString());
            var csv = ResultCsv.Load(output);
            csv.Values("Tank.level")[^1].ShouldBe(0.8, 0.01);
            csv.Values("Sensor.out")[^1].ShouldBe(1.0, 0.01);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
