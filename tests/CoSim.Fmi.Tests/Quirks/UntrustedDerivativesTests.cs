using CoSim.Core;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;
using static CoSim.Fmi.Tests.ModelExchange.ModelExchangeRun;

namespace CoSim.Fmi.Tests.Quirks;

/// <summary>
/// Exporters' directional derivatives are not trusted blindly (issue 21, point 2): <c>--jacobian auto</c> leaves them
/// alone below <see cref="JacobianCheck.DirectionalMinimumStates"/> states (QuirkDirectionalOverrun, which corrupts the
/// C heap when called, is never called: this project also runs under glibc's malloc checks in scripts/test), and on a
/// large system it uses them only after they agreed with difference quotients (QuirkWrongDerivatives: they do not; a
/// warning names the FMU and the results equal dense differences'). Both the single-FMU and the group path.
/// </summary>
public class UntrustedDerivativesTests
{
    [TestCase(2)]
    [TestCase(3)]
    public void Auto_OneStateFmuWithHeapCorruptingDerivatives_NeverCallsThem(int version)
    {
        using var unit = new FmuModelExchangeComponent(OpenOrIgnore(version, "QuirkDirectionalOverrun"), "overrun", NullLogSink.Instance, new SolverOptions());
        var trace = Run(unit, 1, 0.1, ["x"], tolerance: 1e-10);

        unit.DirectionalDerivativeCalls.ShouldBe(0);
        unit.SolverStatistics.ShouldNotBeNull().ShouldContain("Jacobian: dense differences (1 states)");
        for (var k = 0; k < trace.Times.Length; k++)
            trace["x"][k].ShouldBe(Math.Exp(-2 * trace.Times[k]), 1e-7); // x' = -2x, x(0) = 1
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Auto_WrongDirectionalDerivatives_WarnsNamingTheFmuAndEqualsDenseDifferences(int version)
    {
        var sink = new QuirkCorpusTests.ListSink();
        using var auto = new FmuModelExchangeComponent(OpenOrIgnore(version, "QuirkWrongDerivatives"), "wrong", sink, new SolverOptions());
        var a = Run(auto, 1, 0.1, ["x1", "x72"], tolerance: 1e-9);
        using var dense = new FmuModelExchangeComponent(OpenOrIgnore(version, "QuirkWrongDerivatives"), "dense", NullLogSink.Instance,
            new SolverOptions { Jacobian = JacobianStrategy.DenseDifferences });
        var d = Run(dense, 1, 0.1, ["x1", "x72"], tolerance: 1e-9);

        var warning = sink.Messages.Where(m => m.Level == LogLevel.Warning).ShouldHaveSingleItem();
        warning.Source.ShouldBe("wrong");
        // At CVODE's first Jacobian (after its first tiny step): the first wrong entry, x1' by x1, is +1 instead of -1.
        warning.Message.ShouldMatch(@"^the FMU's directional derivatives disagree with difference quotients at t = [0-9.E+-]+: " +
            @"the derivative of its state 0 by its state 0 is 1 from GetDirectionalDerivative, -1 from differences; " +
            @"using colored differences \(2 colors for 72 states\) instead \(--jacobian directional would use them anyway\)$");
        auto.DirectionalDerivativeCalls.ShouldBeGreaterThan(0); // the one Jacobian that was checked
        auto.SolverStatistics.ShouldNotBeNull().ShouldContain("disagreed with difference quotients");
        for (var k = 0; k < a.Times.Length; k++)
        {
            a["x1"][k].ShouldBe(Math.Exp(-a.Times[k]), 1e-6); // x1' = -x1
            a["x1"][k].ShouldBe(d["x1"][k], 1e-6);
            a["x72"][k].ShouldBe(d["x72"][k], 1e-6);
        }
    }

    [Test]
    public void AutoInAGroup_WrongDirectionalDerivatives_WarnsNamingTheMemberAndFallsBack()
    {
        var sink = new QuirkCorpusTests.ListSink();
        var member = new FmuModelExchangeComponent(OpenOrIgnore(2, "QuirkWrongDerivatives"), "Wrong", sink, new SolverOptions());
        using var group = new StronglyCoupledGroup("G", [member], []);
        var trace = Run(group, 1, 0.1, ["Wrong.x1"], tolerance: 1e-9);

        sink.Messages.Where(m => m.Level == LogLevel.Warning).ShouldHaveSingleItem().Source.ShouldBe("Wrong");
        group.Jacobian.ShouldBe("colored differences (2 colors for 72 states); the system's own Jacobian disagreed with difference quotients");
        for (var k = 0; k < trace.Times.Length; k++) trace["Wrong.x1"][k].ShouldBe(Math.Exp(-trace.Times[k]), 1e-6);
    }

    [Test]
    public void ExplicitDirectional_WrongDirectionalDerivatives_AreUsedWithoutACheck()
    {
        var sink = new QuirkCorpusTests.ListSink();
        using var unit = new FmuModelExchangeComponent(OpenOrIgnore(2, "QuirkWrongDerivatives"), "asked", sink,
            new SolverOptions { Jacobian = JacobianStrategy.Provided });
        try
        {
            Run(unit, 1, 0.1, ["x1"], tolerance: 1e-9);
        }
        catch (SimulationException)
        {
            // A Newton matrix with the wrong signs may make CVODE give up: either way they were used as asked.
        }
        unit.DirectionalDerivativeCalls.ShouldBeGreaterThan(0);
        sink.Messages.ShouldNotContain(m => m.Level == LogLevel.Warning && m.Message.Contains("difference quotients"));
    }
}
