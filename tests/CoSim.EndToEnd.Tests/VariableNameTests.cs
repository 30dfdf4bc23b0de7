using CoSim.Core;
using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// Variable names as users write them (<c>--set</c>, input columns, replay mappings, Kafka signals): <c>Component.variable</c>
/// when the part before the first dot is a component, else a bare name of the default component. One resolver
/// (<see cref="VariableResolver"/>) for every front end; here on its own and through the real CLI.
/// </summary>
public class VariableNameTests
{
    private static readonly string[] Components = ["Source", "Gain"];

    [TestCase("Gain.k", "Gain", "k")]
    [TestCase("Gain.pipe.flow", "Gain", "pipe.flow")]
    public void TryResolve_KnownComponentBeforeTheFirstDot_ThatComponentsVariable(string name, string component, string variable)
    {
        new VariableResolver(Components, null).TryResolve(name).ShouldBe(new VariableRef(component, variable));
    }

    [TestCase("k")]
    [TestCase("Valve.k")]
    [TestCase(".k")]
    public void TryResolve_NoKnownComponentWithADefault_TheDefaultComponentsVariableOfThatName(string name)
    {
        new VariableResolver(Components, "Gain").TryResolve(name).ShouldBe(new VariableRef("Gain", name));
    }

    [Test]
    public void Resolve_NoKnownComponentAndNoDefault_InputExceptionListingTheComponents()
    {
        var resolver = new VariableResolver(Components, null);

        resolver.TryResolve("Valve.k").ShouldBeNull();
        Should.Throw<InputException>(() => resolver.Resolve("k")).Message.ShouldBe("write Component.variable (components: Source, Gain)");
    }

    [Test]
    public void RunSet_BareNameInASystemOfTwoComponents_OneLineListingTheComponentsAndExit2()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cosim-names-" + Guid.NewGuid().ToString("N"));
        try
        {
            var ssp = ExampleSystems.BuildSsp("FeedthroughChain", dir);

            var run = CosimProcess.Run(dir, "run", ssp, "--set", "k=2");

            run.ExitCode.ShouldBe(2, run.ToString());
            run.StdErr.Trim().ShouldBe("error: --set k: write Component.variable (components: Source, Gain)", run.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
