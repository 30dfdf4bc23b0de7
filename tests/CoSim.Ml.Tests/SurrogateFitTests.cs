using System.Globalization;
using System.Text;
using System.Text.Json;
using CoSim.Core;
using CoSim.Ml.Training;
using CoSim.TestSupport;

namespace CoSim.Ml.Tests;

public class SurrogateFitTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-fit-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Rows of a smooth plant: p = sin(a) + 0.5 b c, q = a - c^2 (a, b, c uniform in [-1.5, 1.5]).</summary>
    private string WriteData(int rows, int seed = 5)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("time,Plant.a,Plant.b,Plant.c,Plant.p,Plant.q\n");
        for (var i = 0; i < rows; i++)
        {
            double a = 3 * rng.NextDouble() - 1.5, b = 3 * rng.NextDouble() - 1.5, c = 3 * rng.NextDouble() - 1.5;
            sb.AppendLine(string.Join(",", R(i), R(a), R(b), R(c), R(Math.Sin(a) + 0.5 * b * c), R(a - c * c)));
        }
        var path = Path.Combine(_dir, "plant.csv");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [Test]
    public void Fit_Cli_WritesCheckedOnnxWhoseOutputsInOnnxRuntimeAreTheCSharpMlps()
    {
        Python.RequireOnnx();
        var data = WriteData(400);
        var model = Path.Combine(_dir, "plant.onnx");
        var run = CosimProcess.Run(_dir, "surrogate", "fit", data, "--inputs", "Plant.a,Plant.b,Plant.c", "--outputs", "Plant.p", "--outputs", "Plant.q",
            "--hidden", "12,12", "--epochs", "40", "--seed", "3", "-o", model);
        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("MLP 3-12-12-2 (tanh), 320 training rows, 80 validation rows, 40 epochs");
        run.StdOut.ShouldContain("RMSE per output (validation / training):");

        // The same data, options and seed give the same network in this process: the C# MLP's answers.
        var table = DataTable.Load(data);
        var (mlp, _) = MlpTrainer.Train(table.Select(["Plant.a", "Plant.b", "Plant.c"]), table.Select(["Plant.p", "Plant.q"]),
            ["a", "b", "c"], ["p", "q"], new MlpOptions { Hidden = [12, 12], Epochs = 40, Seed = 3 });
        var rows = new[] { new[] { 0.3, -1.2, 0.7 }, new[] { -1.4, 0.1, 1.5 }, new[] { 0.0, 0.0, 0.0 }, new[] { 1.1, 1.3, -0.9 } };

        using var component = new OnnxComponent("Plant", model, new Dictionary<string, string>());
        component.Variables.Select(v => v.Name).ShouldBe(["a", "b", "c", "p", "q"]); // names from the model's metadata
        var inputs = component.CreateAccessor([0, 1, 2]);
        var outputs = component.CreateAccessor([3, 4]);
        var y = new double[2];
        foreach (var row in rows)
        {
            var expected = mlp.Predict(row);
            inputs.Write(row);
            outputs.Read(y);
            for (var j = 0; j < 2; j++) y[j].ShouldBe(expected[j], 1e-5 * Math.Max(1, Math.Abs(expected[j])));
        }

        // ONNX's checker accepts the file, and numpy evaluating its graph agrees (an evaluation independent of OnnxRuntime).
        var rowsJson = Path.Combine(_dir, "rows.json");
        File.WriteAllText(rowsJson, JsonSerializer.Serialize(rows));
        var result = JsonDocument.Parse(Python.Run(Python.CheckAndEvaluate, model, rowsJson)).RootElement;
        result.GetProperty("ir").GetInt32().ShouldBe(8);
        result.GetProperty("names").GetProperty("cosim.variables.x").GetString().ShouldBe("a,b,c");
        var numpy = result.GetProperty("y").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        for (var i = 0; i < rows.Length; i++)
        {
            var expected = mlp.Predict(rows[i]);
            for (var j = 0; j < 2; j++) numpy[i][j].ShouldBe(expected[j], 1e-5 * Math.Max(1, Math.Abs(expected[j])));
        }
    }

    [Test]
    public void Train_SmoothPlant_ValidationErrorFarBelowTheOutputsSpread()
    {
        var table = DataTable.Load(WriteData(600));
        var y = table.Select(["Plant.p", "Plant.q"]);
        var (_, report) = MlpTrainer.Train(table.Select(["Plant.a", "Plant.b", "Plant.c"]), y, ["a", "b", "c"], ["p", "q"],
            new MlpOptions { Hidden = [16, 16], Epochs = 150, Seed = 1 });
        report.ValidationRows.ShouldBe(120);
        for (var j = 0; j < 2; j++)
        {
            var column = y.Column(j);
            var spread = Math.Sqrt((column - column.Average()).PointwisePower(2).Average());
            report.ValidationRmse[j].ShouldBeLessThan(0.05 * spread, $"output {j}");
        }
    }

    [Test]
    public void Fit_Cli_UnknownColumn_IsOneLineBadInput()
    {
        var data = WriteData(50);
        var run = CosimProcess.Run(_dir, "surrogate", "fit", data, "--inputs", "Plant.a,Plant.bb", "--outputs", "Plant.p", "-o", Path.Combine(_dir, "m.onnx"));
        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdErr.Trim().ShouldStartWith($"error: {data}:1: no column 'Plant.bb'; did you mean ");
        run.StdErr.Trim().Split('\n').Length.ShouldBe(1);
        File.Exists(Path.Combine(_dir, "m.onnx")).ShouldBeFalse();
    }

    [Test]
    public void Load_NonNumericCell_NamesFileLineAndColumn()
    {
        var path = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(path, "a,b\n1,2\n3,x\n");
        Should.Throw<InputException>(() => DataTable.Load(path)).Message.ShouldBe($"{path}:3:3: column 'b': 'x' is not a number");
    }

    [Test]
    public void Select_NaNInAChosenColumn_NamesTheLine_ButNotInAnotherColumn()
    {
        var path = Path.Combine(_dir, "nan.csv");
        File.WriteAllText(path, "a,b,c\n1,2,3\n# a comment\n4,NaN,6\n");
        var table = DataTable.Load(path);
        table.Select(["a", "c"]).Column(1).ToArray().ShouldBe([3.0, 6.0]);
        Should.Throw<InputException>(() => table.Select(["b"])).Message.ShouldBe($"{path}:4: column 'b' holds NaN, not a finite number");
    }

    /// <summary>
    /// A plant historian file as docs/ml.md promises ("plant data, any header"): ';' delimiter, decimal commas, local date-times
    /// first and a text column nobody selected. The fit reads it with the replay reader, the selected columns only.
    /// </summary>
    [Test]
    public void Fit_HistorianFileWithDateTimesCommasAndATextColumn_ReadsTheSelectedColumns()
    {
        var rng = new Random(7);
        var lines = new List<string> { "datetime;Voltage;Volume Flow RateRMS;operator" };
        var start = new DateTime(2020, 3, 9, 10, 14, 33);
        for (var i = 0; i < 300; i++)
        {
            var v = 220 + 20 * rng.NextDouble();
            var flow = 0.1 * v + 0.01 * rng.NextDouble();
            lines.Add($"{start.AddSeconds(i):yyyy-MM-dd HH:mm:ss};{R(Math.Round(v, 3)).Replace('.', ',')};{R(Math.Round(flow, 4)).Replace('.', ',')};shift {i % 3}");
        }
        var path = Path.Combine(_dir, "plant-historian.csv");
        File.WriteAllLines(path, lines);

        var run = CosimProcess.Run(_dir, "surrogate", "fit", path, "--inputs", "Voltage=voltage", "--outputs", "Volume Flow RateRMS=flowRate", "--epochs", "60",
            "-o", Path.Combine(_dir, "flow.onnx"));

        run.ExitCode.ShouldBe(0, run.ToString());
        run.StdOut.ShouldContain("240 training rows, 60 validation rows");
        var r2 = double.Parse(System.Text.RegularExpressions.Regex.Match(run.StdOut, @"flowRate: .*, R² ([-0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        r2.ShouldBeGreaterThan(0.9, run.StdOut); // flow = 0.1 V + a little noise: a relation the fit finds
        run.StdErr.ShouldNotContain("warning");
    }

    /// <summary>
    /// An output independent of the inputs: the fit can only learn its mean. R² on the validation rows (checked against numpy's
    /// formula on the same split is not possible from outside, so against its definition: near 0, not near 1) says so, with a warning.
    /// </summary>
    [Test]
    public void Fit_OutputUnrelatedToTheInputs_PrintsRSquaredNearZeroAndWarns()
    {
        var rng = new Random(11);
        var sb = new StringBuilder("time,a,noise\n");
        for (var i = 0; i < 400; i++) sb.AppendLine($"{i},{R(rng.NextDouble())},{R(rng.NextDouble())}");
        var path = Path.Combine(_dir, "unrelated.csv");
        File.WriteAllText(path, sb.ToString());

        var run = CosimProcess.Run(_dir, "surrogate", "fit", path, "--inputs", "a", "--outputs", "noise", "--epochs", "40", "-o", Path.Combine(_dir, "m.onnx"));

        run.ExitCode.ShouldBe(0, run.ToString());
        var r2 = double.Parse(System.Text.RegularExpressions.Regex.Match(run.StdOut, @"noise: .*, R² ([-0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        r2.ShouldBeLessThan(TrainingReport.LowR2, run.StdOut);
        run.StdErr.ShouldContain("warning: noise: R² ");
        run.StdErr.ShouldContain("the model predicts little more than the mean of 'noise'; the data may hold no relation between the inputs (a) and it");
    }

    /// <summary>An ONNX model given to --plugin (which loads C# assemblies) gets the options that run it, not "Bad IL format".</summary>
    [Test]
    public void Simulate_OnnxFileGivenToPlugin_SaysToUseReplaceOrTheOnnxKind()
    {
        var model = Path.Combine(_dir, "res.onnx");
        var fit = CosimProcess.Run(_dir, "surrogate", "fit", WriteData(100), "--inputs", "Plant.a", "--outputs", "Plant.p", "--epochs", "2", "-o", model);
        fit.ExitCode.ShouldBe(0, fit.ToString());

        var run = CosimProcess.Run(_dir, "simulate", ExampleFmus.Path(2, "Pump"), "--plugin", "res.onnx=Res", "--stop", "1");

        run.ExitCode.ShouldBe(2, run.ToString());
        run.StdErr.Trim().ShouldBe("error: --plugin 'res.onnx=Res': res.onnx is an ONNX model, not a plugin assembly: use --replace COMPONENT=res.onnx (in place of a component), " +
                                   "or Component(\"onnx\", ...) in a scenario script (docs/ml.md)");
    }
}
