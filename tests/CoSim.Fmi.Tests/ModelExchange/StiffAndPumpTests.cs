using CoSim.Solvers;
using static CoSim.Fmi.Tests.ModelExchange.ModelExchangeRun;

namespace CoSim.Fmi.Tests.ModelExchange;

public class StiffAndPumpTests
{
    [TestCase(2, 0.1)]
    [TestCase(3, 0.1)]
    [TestCase(2, 4.0)]
    public void Step_RobertsonToForty_CvodeBdfTakesOrdersOfMagnitudeFewerStepsThanDormandPrince(int version, double communicationStep)
    {
        using var cvode = new CoSim.Fmi.ModelExchange.FmuModelExchangeComponent(OpenOrIgnore(version, "Robertson"), "rob", CoSim.Core.NullLogSink.Instance,
            new SolverOptions { Kind = SolverKind.Cvode });
        using var dopri = MeUnit(version, "Robertson", new SolverOptions { Kind = SolverKind.DormandPrince54 });
        // Default experiment: 0..40 s, communication step 0.1 s, tolerance 1e-8 (nominal of y2 = 1e-5).
        var a = Run(cvode, 40, communicationStep, ["y1", "y2", "y3"]);
        var b = Run(dopri, 40, communicationStep, ["y1", "y2", "y3"]);
        var cs = cvode.Statistics.Integrator;
        var ds = dopri.Statistics.Integrator;
        TestContext.Out.WriteLine($"Robertson fmi{version}, communication step {communicationStep} s: {cvode.Statistics}; {dopri.Statistics}; ratio of steps {(double)ds.Steps / cs.Steps:F0}, " +
                                  $"of f-evals {(double)ds.FunctionEvaluations / cs.FunctionEvaluations:F0}");
        TestContext.Out.WriteLine($"y(40) cvode = ({a["y1"][^1]:R}, {a["y2"][^1]:R}, {a["y3"][^1]:R}); dopri5 = ({b["y1"][^1]:R}, {b["y2"][^1]:R}, {b["y3"][^1]:R})");
        // Literature values at t = 40: y1 = 0.7158, y2 = 9.185e-6, y3 = 0.2842.
        foreach (var y in new[] { a, b })
        {
            y["y1"][^1].ShouldBe(0.7158, 1e-4);
            y["y2"][^1].ShouldBe(9.185e-6, 1e-9);
            y["y3"][^1].ShouldBe(0.2842, 1e-4);
            (y["y1"][^1] + y["y2"][^1] + y["y3"][^1]).ShouldBe(1, 1e-7);
        }
        cs.Steps.ShouldBeLessThan(2000);
        ((double)ds.Steps / cs.Steps).ShouldBeGreaterThan(20);
        ((double)ds.FunctionEvaluations / cs.FunctionEvaluations).ShouldBeGreaterThan(50);
    }

    private static readonly string[] PumpOutputs = ["speed", "current", "flowRate", "pressure", "motorTemperature"];

    [TestCase(2)]
    [TestCase(3)]
    public void Step_PumpWithValveThrottled_ModelExchangeWithCvodeMatchesCoSimulation(int version)
    {
        static void Throttle(CoSim.Core.IComponent u, double t)
        {
            if (Math.Abs(t - 20) < 1e-9) u.SetFromText(u.Variables.First(v => v.Name == "valve").Index, "0.3");
        }
        using var me = new CoSim.Fmi.ModelExchange.FmuModelExchangeComponent(OpenOrIgnore(version, "Pump"), "pump", CoSim.Core.NullLogSink.Instance,
            new SolverOptions { Kind = SolverKind.Cvode, RelativeTolerance = 1e-8 });
        using var cs = CsUnit(version, "Pump");
        var a = Run(me, 60, 0.1, PumpOutputs, Throttle);
        var b = Run(cs, 60, 0.1, PumpOutputs, Throttle);
        foreach (var name in PumpOutputs)
        {
            var scale = b[name].Max(Math.Abs);
            var worst = a[name].Zip(b[name], (x, y) => Math.Abs(x - y)).Max() / scale;
            TestContext.Out.WriteLine($"Pump fmi{version} {name}: max |ME - CS| / max |CS| = {worst:E2}");
            worst.ShouldBeLessThan(1e-5, name);
        }
        TestContext.Out.WriteLine($"Pump fmi{version} ME {me.Statistics}");
        me.Statistics.InputEvents.ShouldBe(1);
    }

    [Test]
    public void Step_PumpFmi2AndFmi3WithCvode_GiveTheSameResults()
    {
        var options = new SolverOptions { Kind = SolverKind.Cvode };
        using var two = new CoSim.Fmi.ModelExchange.FmuModelExchangeComponent(OpenOrIgnore(2, "Pump"), "p2", CoSim.Core.NullLogSink.Instance, options);
        using var three = MeUnit(3, "Pump", options);
        var a = Run(two, 30, 0.1, PumpOutputs);
        var b = Run(three, 30, 0.1, PumpOutputs);
        foreach (var name in PumpOutputs)
            for (var k = 0; k < a.Times.Length; k++)
                a[name][k].ShouldBe(b[name][k], 1e-9 * Math.Max(1, Math.Abs(b[name][k])));
    }
}
