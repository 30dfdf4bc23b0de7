using CoSim.Ml.Onnx;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace CoSim.Ml.Training;

/// <summary>
/// A small multilayer perceptron: tanh hidden layers, a linear output layer, and the input and
/// output standardisation (z-scores of the training data) as part of the model, so that callers and
/// the exported ONNX graph work in the data's own units. Weights are stored as [out, in] matrices,
/// the layout of ONNX Gemm with transB = 1.
/// </summary>
public sealed class Mlp
{
    internal Mlp(IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, Matrix<double>[] weights, Vector<double>[] biases,
                 double[] inMean, double[] inScale, double[] outMean, double[] outScale)
    {
        Inputs = inputs;
        Outputs = outputs;
        Weights = weights;
        Biases = biases;
        InputMean = inMean;
        InputScale = inScale;
        OutputMean = outMean;
        OutputScale = outScale;
    }

    /// <summary>Names of the input and output elements (become component variables).</summary>
    public IReadOnlyList<string> Inputs { get; }
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Layer weights [out, in] and biases, in the standardised space.</summary>
    public Matrix<double>[] Weights { get; }
    public Vector<double>[] Biases { get; }

    /// <summary>Standardisation: x_std = (x - mean) / scale, y = y_std * scale + mean.</summary>
    public double[] InputMean { get; }
    public double[] InputScale { get; }
    public double[] OutputMean { get; }
    public double[] OutputScale { get; }

    /// <summary>Layer widths, inputs to outputs, e.g. 2-16-16-1.</summary>
    public string Shape => string.Join("-", new[] { Weights[0].ColumnCount }.Concat(Weights.Select(w => w.RowCount)));

    /// <summary>Predicts the outputs of each row of <paramref name="x"/> (rows: samples, in data units).</summary>
    public Matrix<double> Predict(Matrix<double> x)
    {
        var a = Standardise(x, InputMean, InputScale);
        for (var l = 0; l < Weights.Length; l++)
        {
            a = Layer(a, l);
            if (l < Weights.Length - 1) a.PointwiseTanh(a);
        }
        return a.MapIndexed((_, j, v) => v * OutputScale[j] + OutputMean[j]);
    }

    /// <summary>Predicts one row.</summary>
    public double[] Predict(IReadOnlyList<double> x) => Predict(DenseMatrix.OfRowArrays(x.ToArray())).Row(0).ToArray();

    /// <summary>The network as an ONNX model: input "x" [N, inputs], output "y" [N, outputs], float32.</summary>
    public OnnxModelBuilder ToOnnx(string name, string doc)
    {
        var b = new OnnxModelBuilder(name, doc).Input("x", Inputs).Output("y", Outputs);
        b.Constant("x_mean", [Inputs.Count], InputMean.Select(v => (float)v))
         .Constant("x_scale", [Inputs.Count], InputScale.Select(v => (float)v))
         .Node("Sub", ["x", "x_mean"], "x_centred")
         .Node("Div", ["x_centred", "x_scale"], "a0");
        for (var l = 0; l < Weights.Length; l++)
        {
            var w = Weights[l];
            b.Constant($"W{l + 1}", [w.RowCount, w.ColumnCount], RowMajor(w))
             .Constant($"b{l + 1}", [w.RowCount], Biases[l].Select(v => (float)v));
            var last = l == Weights.Length - 1;
            b.Node("Gemm", [$"a{l}", $"W{l + 1}", $"b{l + 1}"], last ? "y_std" : $"z{l + 1}", ("transB", 1));
            if (!last) b.Node("Tanh", [$"z{l + 1}"], $"a{l + 1}");
        }
        return b.Constant("y_scale", [Outputs.Count], OutputScale.Select(v => (float)v))
                .Constant("y_mean", [Outputs.Count], OutputMean.Select(v => (float)v))
                .Node("Mul", ["y_std", "y_scale"], "y_scaled")
                .Node("Add", ["y_scaled", "y_mean"], "y");
    }

    internal Matrix<double> Layer(Matrix<double> a, int l)
    {
        var z = a.TransposeAndMultiply(Weights[l]);
        var bias = Biases[l];
        z.MapIndexedInplace((_, j, v) => v + bias[j]);
        return z;
    }

    internal static Matrix<double> Standardise(Matrix<double> x, double[] mean, double[] scale) =>
        x.MapIndexed((_, j, v) => (v - mean[j]) / scale[j]);

    private static IEnumerable<float> RowMajor(Matrix<double> m)
    {
        for (var i = 0; i < m.RowCount; i++)
            for (var j = 0; j < m.ColumnCount; j++)
                yield return (float)m[i, j];
    }
}
