using System.Text.Json;
using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Runner;

namespace CoSim.Ml.Tests;

public class OnnxComponentTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("cosim-onnx-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A 3-16-2 tanh MLP built by ONNX's own Python helpers (MatMul/Add, not the Gemm CoSim writes),
    /// with its outputs for a few rows computed by numpy; argv: model path, JSON path.
    /// </summary>
    private const string BuildMlp = """
        import json, sys
        import numpy as np
        import onnx
        from onnx import helper, numpy_helper, TensorProto
        rng = np.random.default_rng(11)
        W1 = rng.normal(0, 0.8, (3, 16)).astype(np.float32); b1 = rng.normal(0, 0.3, 16).astype(np.float32)
        W2 = rng.normal(0, 0.8, (16, 2)).astype(np.float32); b2 = rng.normal(0, 0.3, 2).astype(np.float32)
        init = [numpy_helper.from_array(v, n) for v, n in [(W1, "W1"), (b1, "b1"), (W2, "W2"), (b2, "b2")]]
        nodes = [helper.make_node("MatMul", ["features", "W1"], ["h"]), helper.make_node("Add", ["h", "b1"], ["z"]),
                 helper.make_node("Tanh", ["z"], ["a"]), helper.make_node("MatMul", ["a", "W2"], ["o"]),
                 helper.make_node("Add", ["o", "b2"], ["prediction"])]
        graph = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, 3])],
                                  [helper.make_tensor_value_info("prediction", TensorProto.FLOAT, [1, 2])], init)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="numpy test")
        model.ir_version = 8
        onnx.checker.check_model(model, full_check=True)
        onnx.save(model, sys.argv[1])
        X = rng.uniform(-2, 2, (6, 3)).astype(np.float32)
        Y = np.tanh(X.astype(np.float64) @ W1 + b1) @ W2 + b2
        json.dump({"x": X.astype(np.float64).tolist(), "y": Y.tolist()}, open(sys.argv[2], "w"))
        """;

    private (string Model, double[][] X, double[][] Y) PythonMlp()
    {
        var model = Path.Combine(_dir, "mlp.onnx");
        var json = Path.Combine(_dir, "mlp.json");
        Python.Run(BuildMlp, model, json);
        var doc = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        double[][] Rows(string name) => doc.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        return (model, Rows("x"), Rows("y"));
    }

    [Test]
    public void Step_MlpBuiltByPythonOnnx_GivesNumpysOutputs()
    {
        var (model, x, y) = PythonMlp();
        using var c = new OnnxComponent("Net", model, new Dictionary<string, string> { ["tensor.features"] = "u1,u2,u3", ["tensor.prediction"] = "y1,y2" });
        c.Variables.Select(v => $"{v.Name}:{v.Role}").ShouldBe(["u1:Input", "u2:Input", "u3:Input", "y1:Output", "y2:Output"]);
        var inputs = c.CreateAccessor([0, 1, 2]);
        var outputs = c.CreateAccessor([3, 4]);
        c.Instantiate();
        c.EnterInitialization(SimTime.Zero, null, null);
        c.ExitInitialization();
        var result = new double[2];
        for (var row = 0; row < x.Length; row++)
        {
            inputs.Write(x[row]);
            c.Step(SimTime.FromSeconds(row), SimTime.FromSeconds(1)).Status.ShouldBe(StepStatus.Completed);
            outputs.Read(result);
            for (var j = 0; j < 2; j++) result[j].ShouldBe(y[row][j], 1e-5 * Math.Max(1, Math.Abs(y[row][j])), $"row {row}, output {j}");
        }
    }

    [Test]
    public void Create_NoMapping_NamesElementsAfterTheTensor()
    {
        var (model, _, _) = PythonMlp();
        using var c = new OnnxComponent("Net", model, new Dictionary<string, string>());
        c.Variables.Select(v => v.Name).ShouldBe(["features[0]", "features[1]", "features[2]", "prediction[0]", "prediction[1]"]);
        c.Variables[0].TypeName.ShouldBe("Float32");
    }

    [Test]
    public void Prepare_MappingOfWrongLength_FailsAtValidationNamingTensorAndShapes()
    {
        var (model, _, _) = PythonMlp();
        var spec = new RunSpecification { Stop = 1, Step = 0.1 };
        spec.Components.Add(new ComponentSpec(new ComponentRequest("Net", model, "onnx")
        {
            Options = new Dictionary<string, string> { ["tensor.features"] = "a,b" },
        }));
        var e = Should.Throw<InputException>(() => PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance));
        e.Message.ShouldContain($"component 'Net': {model}: input tensor 'features': the model's shape is [1,3] (3 values), " +
                                "but the option tensor.features maps 2 variables to it (a, b): expected shape [1,2]");
    }

    [Test]
    public void Create_OptionForAnUnknownTensor_ListsTheModelsTensors()
    {
        var (model, _, _) = PythonMlp();
        Should.Throw<InputException>(() => new OnnxComponent("Net", model, new Dictionary<string, string> { ["tensor.feature"] = "a,b,c" }))
            .Message.ShouldBe($"{model}: option 'tensor.feature': the model has no tensor 'feature' (inputs: features; outputs: prediction)");
    }

    [Test]
    public void Create_NotAnOnnxFile_IsBadInputNamingTheFile()
    {
        var path = Path.Combine(_dir, "junk.onnx");
        File.WriteAllText(path, "not a model");
        Should.Throw<InputException>(() => new OnnxComponent("Net", path, new Dictionary<string, string>()))
            .Message.ShouldStartWith($"{path}: not a model OnnxRuntime can load:");
    }

    /// <summary>argv: two paths: y = 2x on double tensors of shape [N,k] (length symbolic); an int64 input cast to float.</summary>
    private const string BuildOddModels = """
        import sys
        import numpy as np
        import onnx
        from onnx import helper, numpy_helper, TensorProto
        two = numpy_helper.from_array(np.array(2.0, dtype=np.float64), "two")
        g = helper.make_graph([helper.make_node("Mul", ["x", "two"], ["y"])], "double",
                              [helper.make_tensor_value_info("x", TensorProto.DOUBLE, ["N", "k"])],
                              [helper.make_tensor_value_info("y", TensorProto.DOUBLE, ["N", "k"])], [two])
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]); m.ir_version = 8
        onnx.checker.check_model(m); onnx.save(m, sys.argv[1])
        g = helper.make_graph([helper.make_node("Cast", ["count"], ["y"], to=TensorProto.FLOAT)], "int",
                              [helper.make_tensor_value_info("count", TensorProto.INT64, [1, 1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])])
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]); m.ir_version = 8
        onnx.checker.check_model(m); onnx.save(m, sys.argv[2])
        """;

    [Test]
    public void Create_DoubleTensorsOfSymbolicLength_TakeTheLengthFromTheMapping()
    {
        var doubles = Path.Combine(_dir, "double.onnx");
        Python.Run(BuildOddModels, doubles, Path.Combine(_dir, "int.onnx"));
        Should.Throw<InputException>(() => new OnnxComponent("Twice", doubles, new Dictionary<string, string>()))
            .Message.ShouldBe($"{doubles}: input tensor 'x' has shape [N,k]: its length is not fixed; name its elements with the option tensor.x=a,b,...");
        using var c = new OnnxComponent("Twice", doubles, new Dictionary<string, string> { ["tensor.x"] = "a,b,c", ["tensor.y"] = "p,q,r" });
        c.Variables[0].TypeName.ShouldBe("Float64");
        c.CreateAccessor([0, 1, 2]).Write([0.1, 1e-17, -3.3]);
        var y = new double[3];
        c.CreateAccessor([3, 4, 5]).Read(y);
        y.ShouldBe([0.2, 2e-17, -6.6]); // double all the way: exact
    }

    [Test]
    public void Create_IntegerTensor_IsRejectedNamingTheTensorAndType()
    {
        var ints = Path.Combine(_dir, "int.onnx");
        Python.Run(BuildOddModels, Path.Combine(_dir, "double.onnx"), ints);
        Should.Throw<InputException>(() => new OnnxComponent("Counter", ints, new Dictionary<string, string>()))
            .Message.ShouldBe($"{ints}: input tensor 'count' holds Int64; the onnx component exchanges float and double tensors");
    }

    [Test]
    public void Info_OnnxModel_ListsTheMappedVariables()
    {
        var (model, _, _) = PythonMlp();
        var r = CoSim.TestSupport.CosimProcess.Run(_dir, "info", model);
        r.ExitCode.ShouldBe(0, r.ToString());
        r.StdOut.ShouldContain("ONNX model (numpy test, features [1,3], prediction [1,2])");
        r.StdOut.ShouldContain("features[2]    Float32  input");
        r.StdOut.ShouldContain("prediction[1]  Float32  output");
    }

    [Test]
    public void Registry_OnnxSource_IsRecognisedWithoutAKind()
    {
        var (model, _, _) = PythonMlp();
        using var c = PreparedRun.DefaultRegistry().Create(new ComponentRequest("Net", model), NullLogSink.Instance);
        c.ShouldBeOfType<OnnxComponent>();
    }
}
