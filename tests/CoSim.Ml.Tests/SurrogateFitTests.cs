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
}
