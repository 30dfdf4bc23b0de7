using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;
using CoSim.Runner;
using CoSim.TestSupport;

namespace CoSim.Runner.Tests;

/// <summary><see cref="RunSpecification.StrongGroups"/> made real by <see cref="PreparedRun"/> on the split mass-spring-damper FMUs.</summary>
public class StrongGroupRunTests
{
    private static ComponentSpec Fmu(string model, string name) => new(new ComponentRequest(name, ExampleFmus.Path(2, model), "fmu"));

    private static RunSpecification SplitMsd()
    {
        var spec = new RunSpecification { Name = "msd", Start = 0, Stop = 1, Step = 0.1 };
        spec.Components.Add(Fmu("MsdMass1", "Mass1"));
        spec.Components.Add(Fmu("MsdMass2", "Mass2"));
        spec.Connections.Add(new Connection(VariableRef.Parse("Mass1.x1"), VariableRef.Parse("Mass2.x1")));
        spec.Connections.Add(new Connection(VariableRef.Parse("Mass1.v1"), VariableRef.Parse("Mass2.v1")));
        spec.Connections.Add(new Connection(VariableRef.Parse("Mass2.F"), VariableRef.Parse("Mass1.F")));
        return spec;
    }

    [Test]
    public void Prepare_StrongGroup_OneComponentWithMemberParametersMapped()
    {
        var spec = SplitMsd();
        spec.StrongGroups.Add(new StrongGroupSpec("G", ["Mass1", "Mass2"]));
        spec.Parameters.Add(new ParameterValue(VariableRef.Parse("Mass2.x2_0"), "0.2"));
        using var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance);
        run.System.Components.Select(c => c.Name).ShouldBe(["G"]);
        run.System.Connections.ShouldBeEmpty(); // the group's own now
        run.Run();
        var g = run.System.Components[0].Instance;
        // F = c2 (x2 - x1) + ...: the parameter reached Mass2 inside the group, and the connections work.
        double Get(string name) => double.Parse(g.GetAsText(g.Variables.Single(v => v.Name == name).Index), System.Globalization.CultureInfo.InvariantCulture);
        Get("Mass2.x2_0").ShouldBe(0.2);
        Get("Mass2.F").ShouldBe(50 * (Get("Mass2.x2") - Get("Mass1.x1")) + 0.5 * (Get("Mass2.v2") - Get("Mass1.v1")), 1e-9);
        Get("Mass1.F").ShouldBe(Get("Mass2.F"));
    }

    [Test]
    public void Prepare_BadStrongGroups_ReportsEveryProblemAtOnce()
    {
        var spec = SplitMsd();
        spec.StrongGroups.Add(new StrongGroupSpec("G", ["Mass1", "Nobody"]));
        spec.StrongGroups.Add(new StrongGroupSpec("Mass2", ["Mass1"]));
        var e = Should.Throw<InputException>(() => PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance));
        TestContext.Out.WriteLine(e.Message);
        e.Message.ShouldContain("strongly coupled group 'G': no component 'Nobody'");
        e.Message.ShouldContain("strongly coupled group 'Mass2': a component has that name already");
        e.Message.ShouldContain("component 'Mass1' is in several strongly coupled groups (G, Mass2)");
    }

    [Test]
    public void Prepare_MembersAskingForAJacobian_TheGroupUsesItAndRefusesDisagreement()
    {
        var spec = SplitMsd();
        spec.StrongGroups.Add(new StrongGroupSpec("G", ["Mass1", "Mass2"]));
        for (var i = 0; i < 2; i++)
            spec.Components[i] = spec.Components[i] with { Request = spec.Components[i].Request! with { Options = new Dictionary<string, string> { ["jacobian"] = "dense" } } };
        using (var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance))
        {
            run.Run();
            (run.System.Components[0].Instance.SolverStatistics ?? "").ShouldContain("dense differences (4 states)");
        }

        spec.Components[1] = spec.Components[1] with { Request = spec.Components[1].Request! with { Options = new Dictionary<string, string> { ["jacobian"] = "colored" } } };
        Should.Throw<InputException>(() => PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance))
            .Message.ShouldContain("strongly coupled group 'G': its members' solver settings differ");
    }

    [Test]
    public void Prepare_UnknownJacobianOption_IsAnInputErrorNamingTheComponent()
    {
        var spec = SplitMsd();
        spec.Components[0] = spec.Components[0] with { Request = spec.Components[0].Request! with { Options = new Dictionary<string, string> { ["jacobian"] = "exact" } } };
        Should.Throw<InputException>(() => PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance))
            .Message.ShouldContain("component 'Mass1': jacobian 'exact' is not one of auto, dense, colored, directional");
    }
}
