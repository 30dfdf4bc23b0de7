using CoSim.Core;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Tests.Systems;

/// <summary>Unconnected inputs: one warning each when they are few, one summary line (the details for --verbose) when many.</summary>
public class UnconnectedInputsTests
{
    private static SystemModel WithInputs(int count)
    {
        var system = new SystemModel();
        var inputs = Enumerable.Range(0, count).Select(i => new ComponentVariable(i, $"u{i + 1}", ValueKind.Real, VariableRole.Input, true, null, null, "0")).ToArray();
        system.Add(new SystemComponent(new TestComponent("Feed", [], []) { Variables = inputs }));
        system.Add(new SystemComponent(new TestComponent("Other", [], []) { Variables = [] }));
        return system;
    }

    [Test]
    public void Validate_FifteenUnconnectedInputs_OneWarningWithTheCountAndTheFirstNames()
    {
        using var system = WithInputs(15);

        var result = system.Validate();

        var warning = result.Warnings.ShouldHaveSingleItem().Message;
        warning.ShouldBe("15 inputs are not connected and keep their start values: Feed.u1, Feed.u2, Feed.u3, ... (--verbose lists them all)");
        result.Details.Count().ShouldBe(15);
        result.Details.Last().Message.ShouldBe("input 'Feed.u15' is not connected; it keeps its start value (0)");
        result.IsValid.ShouldBeTrue();
    }

    [Test]
    public void Validate_TwoUnconnectedInputs_OneWarningEach()
    {
        using var system = WithInputs(2);

        var result = system.Validate();

        result.Warnings.Select(w => w.Message).ShouldBe(["input 'Feed.u1' is not connected; it keeps its start value (0)", "input 'Feed.u2' is not connected; it keeps its start value (0)"]);
        result.Details.ShouldBeEmpty();
    }
}
