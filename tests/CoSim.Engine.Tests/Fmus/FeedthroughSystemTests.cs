using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Algorithms;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;
using CoSim.Engine.Tests.Systems;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.TestSupport;

namespace CoSim.Engine.Tests.Fmus;

/// <summary>
/// Gauss-Seidel semantics and the tolerance handed to FMUs, on the Feedthrough example FMU
/// (y = k*u + b with declared feedthrough; ramp = rampStart + slope*time without; outputs showing the tolerance it got).
/// </summary>
public class FeedthroughSystemTests
{
    private static IComponent Fmu(int version, string name) =>
        FmuComponents.Create(FmuArchive.Open(ExampleFmus.Path(version, "Feedthrough")), name, NullLogSink.Instance);

    /// <summary>Source.ramp = 9 t -> A.u; A.y = 2u + 0.5 -> B.u; B.y = -u + 1. Returns the samples of Source.ramp, A.y, B.y.</summary>
    private static (List<(double Time, double Value)> Ramp, List<(double Time, double Value)> A, List<(double Time, double Value)> B) Chain(
        int sourceVersion, int consumerVersion, MasterAlgorithm algorithm, GaussSeidelHold hold = GaussSeidelHold.End)
    {
        using var system = new SystemModel();
        // Declared consumers first: the order must come from the connection graph, not the declaration.
        system.Add(Fmu(consumerVersion, "B"));
        system.Add(Fmu(consumerVersion, "A"));
        system.Add(Fmu(sourceVersion, "Source"));
        system.Connect("Source.ramp", "A.u");
        system.Connect("A.y", "B.u");
        system.SetParameter("Source.slope", "9");
        system.SetParameter("Source.u", "0");
        system.SetParameter("A.k", "2");
        system.SetParameter("A.b", "0.5");
        system.SetParameter("B.k", "-1");
        system.SetParameter("B.b", "1");
        var ramp = new Probe(system.Find("Source")!.Instance, "ramp");
        var a = new Probe(system.Find("A")!.Instance, "y");
        var b = new Probe(system.Find("B")!.Instance, "y");
        var options = new SystemRunOptions { Schedule = StepSchedule.Create(0, 1, 0.1), Algorithm = algorithm, GaussSeidelHold = hold, Threads = 1 };
        var execution = new SystemExecution(system, options, observers: [ramp, a, b]);
        if (algorithm == MasterAlgorithm.GaussSeidel) execution.GaussSeidelOrder.ShouldBe(["Source", "A", "B"]);
        execution.Run();
        return (ramp.Samples, a.Samples, b.Samples);
    }

    [TestCase(2, 2)]
    [TestCase(3, 3)]
    [TestCase(2, 3)]
    [TestCase(3, 2)]
    public void GaussSeidel_SourceIntoFeedthroughChain_ReproducesTheSourceAtEveryPoint(int sourceVersion, int consumerVersion)
    {
        var (ramp, a, b) = Chain(sourceVersion, consumerVersion, MasterAlgorithm.GaussSeidel);

        ramp.Count.ShouldBe(11);
        for (var i = 0; i < ramp.Count; i++)
        {
            ramp[i].Value.ShouldBe(9 * ramp[i].Time, 1e-12, $"the source itself at t={ramp[i].Time}");
            // The same double operations as the FMU: equal to the last bit, no lag, no averaging.
            a[i].Value.ShouldBe(2 * ramp[i].Value + 0.5, $"A.y at t={a[i].Time}");
            b[i].Value.ShouldBe(-a[i].Value + 1, $"B.y at t={b[i].Time}");
        }
    }

    [TestCase(2)]
    [TestCase(3)]
    public void GaussSeidel_MeanHoldOnFeedthroughInputs_IsNotApplied(int version)
    {
        // The case: with the mean applied, A.y at t = 0.1 was the mean of the source's 0 and 0.9.
        var (ramp, a, _) = Chain(version, version, MasterAlgorithm.GaussSeidel, GaussSeidelHold.Mean);

        a[1].Time.ShouldBe(0.1, 1e-12);
        a[1].Value.ShouldBe(2 * 0.9 + 0.5, 1e-12);
        for (var i = 0; i < ramp.Count; i++) a[i].Value.ShouldBe(2 * ramp[i].Value + 0.5);
    }

    [Test]
    public void Jacobi_SourceIntoFeedthroughChain_FeedthroughOutputsAreReReadAtThePoint()
    {
        // Jacobi holds the inputs of t over the step but re-reads feedthrough outputs with the inputs of t+h,
        // so the published values at a communication point agree with the source as well.
        var (ramp, a, b) = Chain(2, 3, MasterAlgorithm.Jacobi);

        for (var i = 1; i < ramp.Count; i++)
        {
            a[i].Value.ShouldBe(2 * ramp[i].Value + 0.5, 1e-12);
            b[i].Value.ShouldBe(-a[i].Value + 1, 1e-12);
        }
    }

    [TestCase(2, false)]
    [TestCase(3, false)]
    [TestCase(2, true)]
    [TestCase(3, true)]
    public void Run_UnitTolerance_ReachesCoSimulationFmusOnlyWhenGiven(int version, bool given)
    {
        using var system = new SystemModel();
        system.Add(Fmu(version, "Source"));
        system.Add(Fmu(version, "Gain"));
        system.Connect("Source.ramp", "Gain.u");
        system.SetParameter("Source.u", "0");
        var units = system.Components.Select(c => c.Instance).ToList();
        var options = new SystemRunOptions { Schedule = StepSchedule.Create(0, 0.2, 0.1), ComponentTolerance = given ? 1e-5 : null };

        new SystemExecution(system, options).Run();

        foreach (var unit in units)
        {
            // Read after the run: the component keeps its last values (Terminate does not free them).
            var defined = unit.GetAsText(unit.Variables.First(v => v.Name == "toleranceDefined").Index);
            var tolerance = double.Parse(unit.GetAsText(unit.Variables.First(v => v.Name == "toleranceGiven").Index), CultureInfo.InvariantCulture);
            defined.ShouldBe(given ? "true" : "false", $"{unit.Name} FMI {version}");
            tolerance.ShouldBe(given ? 1e-5 : 0);
        }
    }
}
