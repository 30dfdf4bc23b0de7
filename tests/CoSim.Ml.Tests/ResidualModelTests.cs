using System.Globalization;
using System.Text;
using CoSim.Ml.Training;
using CoSim.TestSupport;

namespace CoSim.Ml.Tests;

public class ResidualModelTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-residual-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A model output and a measurement that differs from it by 2 speed - 0.5 valve + 3 (+ small noise).</summary>
    private string WriteData()
    {
        var rng = new Random(2);
        var sb = new StringBuilder("time,Pump.flowRate,Pump.speed,Pump.valve,flowMeter\n");
        for (var i = 0; i < 300; i++)
        {
            double speed = 10 * rng.NextDouble(), valve = rng.NextDouble(), flow = 50 + 20 * rng.NextDouble();
            var measured = flow + 2 * speed - 0.5 * valve + 3 + 1e-3 * (rng.NextDouble() - 0.5);
            sb.AppendLine(string.Join(",", R(i), R(flow), R(speed), R(valve), R(measured)));
        }
        var path = Path.Combine(_dir, "plant.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Test]
    public void Fit_LinearResidual_RecoversTheCoefficients()
    {
        var (model, report) = ResidualModel.Fit(DataTable.Load(WriteData()), ColumnChoice.Parse("Pump.flowRate"), "flowMeter",
            ColumnChoice.ParseList(["Pump.speed,Pump.valve"], "--features"), "flowCorrected");
        model.Coefficients[0].ShouldBe(2, 1e-3);
        model.Coefficients[1].ShouldBe(-0.5, 1e-2);
        model.Intercept.ShouldBe(3, 1e-2);
        report.RmseBefore.ShouldBeGreaterThan(5);
        report.RmseAfter.ShouldBeLessThan(1e-3);
    }

    [Test]
    public void Residual_Cli_ModelRunsAsComponentGivingBasePlusCorrection()
    {
        var model = Path.Combine(_dir, "residual.onnx");
        var run = CosimProcess.Run(_dir, "surrogate", "residual", WriteData(), "--base", "Pump.flowRate", "--measured", "flowMeter",
            "--features", "Pump.speed,Pump.valve", "-o", model);
        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("flowRateCorrected = flowRate + 2");
        using var c = new OnnxComponent("Correction", model, new Dictionary<string, string>());
        c.Variables.Select(v => v.Name).ShouldBe(["flowRate", "speed", "valve", "flowRateCorrected", "flowRateCorrection"]);
        c.CreateAccessor([0, 1, 2]).Write([60.0, 4.0, 0.5]);
        var y = new double[2];
        c.CreateAccessor([3, 4]).Read(y);
        y[0].ShouldBe(60 + 2 * 4 - 0.5 * 0.5 + 3, 1e-2);
        y[1].ShouldBe(2 * 4 - 0.5 * 0.5 + 3, 1e-2);
    }
}
