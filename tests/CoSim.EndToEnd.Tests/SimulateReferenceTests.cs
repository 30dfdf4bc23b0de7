using CoSim.TestSupport;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// `cosim simulate` (co-simulation) on every example FMU with a reference, FMI 2.0 and 3.0,
/// against the reference the model's readme states (analytic, or an independent integrator).
/// </summary>
public class SimulateReferenceTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-e2e-ref-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private ResultCsv Simulate(int version, string model, params string[] extra)
    {
        var output = Path.Combine(_dir, $"{model}{version}.csv");
        var run = CosimProcess.Run(_dir, ["simulate", ExampleFmus.Path(version, model), "--output", output, .. extra]);
        run.ExitCode.ShouldBe(0, run.ToString());
        return ResultCsv.Load(output);
    }

    // (model, absolute tolerance + relative tolerance per value). The tolerances are those the
    // models' CS solvers (fixed-step RK4 with event location) reach against the stated reference.
    [TestCase(2, "Tank", 1e-9, 1e-9)]
    [TestCase(3, "Tank", 1e-9, 1e-9)]
    [TestCase(2, "BouncingBall", 1e-6, 1e-6)]
    [TestCase(3, "BouncingBall", 1e-6, 1e-6)]
    [TestCase(2, "PIController", 1e-12, 1e-12)]
    [TestCase(3, "PIController", 1e-12, 1e-12)]
    [TestCase(2, "Pump", 1e-6, 1e-6)]
    [TestCase(3, "Pump", 1e-6, 1e-6)]
    [TestCase(2, "MassSpringDamper", 1e-8, 1e-8)]
    [TestCase(3, "MassSpringDamper", 1e-8, 1e-8)]
    public void Simulate_DefaultExperiment_MatchesReferenceCsv(int version, string model, double absolute, double relative)
    {
        var result = Simulate(version, model);
        var reference = ResultCsv.Load(Path.Combine(ExampleFmus.SourceFolder(model), "reference.csv"));
        var checkedValues = 0;
        foreach (var column in reference.Columns.Skip(1))
        {
            var c = reference.Column(column);
            foreach (var row in reference.Rows)
            {
                var expected = row[c];
                result.At(column, row[0]).ShouldBe(expected, absolute + relative * Math.Abs(expected), $"{model}.{column} at t={row[0]}");
                checkedValues++;
            }
        }
        checkedValues.ShouldBeGreaterThanOrEqualTo(20);
    }

    [TestCase("Tank")]
    [TestCase("BouncingBall")]
    [TestCase("PIController")]
    [TestCase("Pump")]
    [TestCase("MassSpringDamper")]
    [TestCase("Robertson")]
    public void Simulate_Fmi2AndFmi3_IdenticalWithinRoundOff(string model)
    {
        var two = Simulate(2, model);
        var three = Simulate(3, model);
        three.Columns.ShouldBe(two.Columns);
        three.Rows.Count.ShouldBe(two.Rows.Count);
        for (var r = 0; r < two.Rows.Count; r++)
            for (var c = 0; c < two.Columns.Count; c++)
                three.Rows[r][c].ShouldBe(two.Rows[r][c], 1e-12 * (1 + Math.Abs(two.Rows[r][c])), $"{model} row {r} column {two.Columns[c]}");
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Simulate_Robertson_MatchesLiteratureValuesAtT40(int version)
    {
        var result = Simulate(version, "Robertson");
        result.Times[^1].ShouldBe(40.0);
        result.Values("y1")[^1].ShouldBe(0.7158, 1e-4);
        result.Values("y2")[^1].ShouldBe(9.185e-6, 1e-8);
        result.Values("y3")[^1].ShouldBe(0.2842, 1e-4);
    }
}
