using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// Strongly coupled groups through the real <c>cosim</c>: <c>run --algorithm strong</c>, the SSP
/// annotation <c>strong-group</c>, and a group beside a co-simulation FMU; each compared with the
/// monolithic FMU's model-exchange interface integrated by the same CVODE (<c>cosim simulate</c>).
/// </summary>
public class StrongCouplingTests
{
    private string _dir = "";

    [OneTimeSetUp]
    public void Setup() => _dir = Path.Combine(Path.GetTempPath(), "cosim-strong-" + Guid.NewGuid().ToString("N"));

    [OneTimeTearDown]
    public void Clean()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The monolithic model's positions x1, x2 from <c>cosim simulate --interface me</c>.</summary>
    private ResultCsv Monolithic(string model, string tolerance, string output)
    {
        var result = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, model), "--interface", "me", "--tolerance", tolerance, "--step", "0.01", "-o", output);
        result.ExitCode.ShouldBe(0, result.ToString());
        return ResultCsv.Load(Path.Combine(_dir, output));
    }

    /// <summary>
    /// Largest |a - b| of the positions over all rows of <paramref name="reference"/>, relative to the largest |b|;
    /// <paramref name="stride"/> rows of <paramref name="run"/> per row of the reference (a finer run).
    /// </summary>
    private static double RelativeDifference(ResultCsv run, string x1, string x2, ResultCsv reference, int stride = 1)
    {
        (run.Times.Length - 1).ShouldBe((reference.Times.Length - 1) * stride);
        double scale = 0, error = 0;
        foreach (var (column, refColumn) in new[] { (x1, "x1"), (x2, "x2") })
        {
            var a = run.Values(column);
            var b = reference.Values(refColumn);
            for (var i = 0; i < b.Length; i++)
            {
                scale = Math.Max(scale, Math.Abs(b[i]));
                error = Math.Max(error, Math.Abs(a[i * stride] - b[i]));
            }
        }
        return error / scale;
    }

    [Test]
    public void Run_AlgorithmStrongOnSplitMassSpringDamper_MatchesMonolithicModel()
    {
        var ssp = ExampleSystems.BuildSsp("SplitMassSpringDamper", Path.Combine(_dir, "strong"));
        var result = CosimProcess.Run(_dir, "run", ssp, "--algorithm", "strong", "--tolerance", "1e-9", "--step", "0.01", "-o", "split.csv");
        result.ExitCode.ShouldBe(0, result.ToString());
        (result.StdOut + result.StdErr).ShouldContain("Jacobians"); // the group's solver statistics in the summary
        var csv = ResultCsv.Load(Path.Combine(_dir, "split.csv"));
        var difference = RelativeDifference(csv, "Mass1.x1", "Mass2.x2", Monolithic("MassSpringDamper", "1e-9", "msd.csv"));
        TestContext.Out.WriteLine($"strong vs monolithic MSD: {difference:G3}");
        difference.ShouldBeLessThan(1e-6);
    }

    [Test]
    public void Run_StiffDualMassWithStrongGroupAnnotation_MatchesMonolithicModel()
    {
        var ssp = ExampleSystems.BuildSsp("StiffDualMass", _dir);
        var result = CosimProcess.Run(_dir, "run", ssp, "--tolerance", "1e-9", "-o", "stiff.csv");
        result.ExitCode.ShouldBe(0, result.ToString());
        var csv = ResultCsv.Load(Path.Combine(_dir, "stiff.csv"));
        csv.Times[^1].ShouldBe(2); // the SSD's default experiment
        var difference = RelativeDifference(csv, "Mass1.x1", "Mass2.x2", Monolithic("DualMassOscillator", "1e-9", "dual.csv"));
        TestContext.Out.WriteLine($"strong vs monolithic dual mass: {difference:G3}");
        difference.ShouldBeLessThan(1e-6);
    }

    [TestCase(null, "dense differences (4 states)")] // auto: 4 states are too few for directional derivatives to pay
    [TestCase("directional", "provided by the system")]
    [TestCase("dense", "dense differences (4 states)")]
    public void Run_StiffDualMassWithJacobianOption_UsesItAndStillMatchesMonolithicModel(string? jacobian, string expected)
    {
        var ssp = ExampleSystems.BuildSsp("StiffDualMass", Directory.CreateDirectory(Path.Combine(_dir, jacobian ?? "auto")).FullName);
        string[] args = ["run", ssp, "--tolerance", "1e-9", "-o", "stiff.csv", .. jacobian != null ? new[] { "--jacobian", jacobian } : []];
        var result = CosimProcess.Run(_dir, args);
        result.ExitCode.ShouldBe(0, result.ToString());
        result.StdOut.ShouldContain(expected); // the solver statistics name the Jacobian in force
        var csv = ResultCsv.Load(Path.Combine(_dir, "stiff.csv"));
        RelativeDifference(csv, "Mass1.x1", "Mass2.x2", Monolithic("DualMassOscillator", "1e-9", "dual.csv")).ShouldBeLessThan(1e-6);
    }

    [Test]
    public void Run_GroupBesideCoSimulationFmu_ConnectsThroughTheGroupUnderJacobi()
    {
        // Only Mass1 is in the group "G" (model exchange, CVODE); Mass2 stays a co-simulation FMU. The
        // system sees G.Mass1.x1 etc.: a first-order co-simulation of the two, close to the monolithic model.
        var folder = Path.Combine(_dir, "mixed");
        Directory.CreateDirectory(Path.Combine(folder, "resources"));
        var ssd = File.ReadAllText(Path.Combine(ExampleSystems.SourceFolder("SplitMassSpringDamper"), "SystemStructure.ssd"));
        var mass1 = "<ssd:Component name=\"Mass1\" source=\"resources/MsdMass1.fmu\" type=\"application/x-fmu-sharedlibrary\">";
        ssd.ShouldContain(mass1);
        ssd = ssd.Replace(mass1, mass1 + "<ssd:Annotations><ssc:Annotation type=\"org.cosim\"><Component strong-group=\"G\"/></ssc:Annotation></ssd:Annotations>");
        File.WriteAllText(Path.Combine(folder, "SystemStructure.ssd"), ssd);
        foreach (var model in new[] { "MsdMass1", "MsdMass2" }) File.Copy(ExampleFmus.Path(2, model), Path.Combine(folder, "resources", model + ".fmu"));

        var result = CosimProcess.Run(_dir, "run", folder, "--step", "0.001", "--stop", "10", "--record", "Mass1.x1", "--record", "Mass2.x2", "-o", "mixed.csv");
        result.ExitCode.ShouldBe(0, result.ToString());
        var csv = ResultCsv.Load(Path.Combine(_dir, "mixed.csv"));
        csv.Columns.ShouldBe(["time", "Mass2.x2", "G.Mass1.x1"]); // groups come after the components that stand for themselves
        var reference = Monolithic("MassSpringDamper", "1e-9", "msd-mixed.csv");
        var difference = RelativeDifference(csv, "G.Mass1.x1", "Mass2.x2", reference, stride: 10);
        TestContext.Out.WriteLine($"mixed (group + CS FMU, Jacobi h=1e-3) vs monolithic: {difference:G3}");
        difference.ShouldBeLessThan(0.05);
    }

    [Test]
    public void Run_IsolatedMemberOfStrongGroup_FailsWithOneLineNamingComponentAndExit2()
    {
        var ssp = ExampleSystems.BuildSsp("SplitMassSpringDamper", Path.Combine(_dir, "isolate"));
        var result = CosimProcess.Run(_dir, "run", ssp, "--algorithm", "strong", "--isolate", "Mass1", "-o", "isolated.csv");
        result.ExitCode.ShouldBe(2, result.ToString());
        result.StdErr.ShouldContain("SystemStructure.ssd:");
        result.StdErr.ShouldContain("component 'Mass1': a member of a strongly coupled group runs in process");
        result.StdErr.Trim().Split('\n').Length.ShouldBe(1);
    }
}
