using CoSim.Ml.Onnx;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace CoSim.Ml.Training;

/// <summary>What a residual fit achieved: RMSE of (measured - base) before and after the correction, on all rows.</summary>
public sealed record ResidualReport(int Rows, double RmseBefore, double RmseAfter);

/// <summary>
/// A residual hybrid model: a model's output (e.g. an FMU's) plus a correction learned from what was
/// measured, <c>corrected = base + w·features + c</c>, with w and c the least-squares fit (MathNet QR)
/// of measured - base on the features. Exported as an ONNX model (one Gemm), it runs in the ONNX
/// component beside the FMU: connect the FMU output and the features to its inputs.
/// </summary>
public sealed class ResidualModel
{
    private ResidualModel(string baseName, IReadOnlyList<string> features, double[] coefficients, double intercept, string output)
    {
        Base = baseName;
        Features = features;
        Coefficients = coefficients;
        Intercept = intercept;
        Output = output;
    }

    /// <summary>The corrected output's base value (an input of the model).</summary>
    public string Base { get; }
    /// <summary>The features of the correction (inputs of the model besides the base; may include the base itself).</summary>
    public IReadOnlyList<string> Features { get; }
    public double[] Coefficients { get; }
    public double Intercept { get; }
    /// <summary>The corrected output's name.</summary>
    public string Output { get; }

    /// <summary>The correction alone: the base's name + "Correction".</summary>
    public string Correction => Base + "Correction";

    /// <summary>The model's input elements: the base, then each feature that is not the base.</summary>
    public IReadOnlyList<string> Inputs => Features.Where(f => f != Base).Prepend(Base).ToList();

    public double Correct(double baseValue, IReadOnlyList<double> features) =>
        baseValue + Intercept + features.Select((f, i) => f * Coefficients[i]).Sum();

    /// <summary>Fits measured - base = w·features + c by least squares (QR).</summary>
    public static (ResidualModel Model, ResidualReport Report) Fit(DataTable data, ColumnChoice baseColumn, string measuredColumn, IReadOnlyList<ColumnChoice> features, string output)
    {
        var x = data.Select(features.Select(f => f.Column).ToList());
        var baseValues = data.Select([baseColumn.Column]).Column(0);
        var residual = data.Select([measuredColumn]).Column(0) - baseValues;
        if (data.RowCount <= features.Count + 1)
            throw new Core.InputException($"{data.Path}: {data.RowCount} rows are too few to fit {features.Count + 1} coefficients");
        var a = x.Append(DenseMatrix.Create(x.RowCount, 1, 1.0));
        var solution = a.QR().Solve(residual);
        if (solution.Any(v => !double.IsFinite(v)))
            throw new Core.InputException($"{data.Path}: the features {string.Join(", ", features.Select(f => f.Column))} are linearly dependent; drop one");
        var after = residual - a * solution;
        var model = new ResidualModel(baseColumn.Variable, features.Select(f => f.Variable).ToList(), solution.Take(features.Count).ToArray(), solution[^1], output);
        return (model, new ResidualReport(data.RowCount, Rms(residual), Rms(after)));
    }

    /// <summary>The model as ONNX: input "x" [N, base + features], output "y" [N, 2] = (corrected, correction).</summary>
    public OnnxModelBuilder ToOnnx(string name, string doc)
    {
        var inputs = Inputs;
        // Gemm weights [2, inputs]: row 0 gives the corrected value (base coefficient 1), row 1 the correction alone.
        var w = new float[2 * inputs.Count];
        w[0] = 1;
        for (var i = 0; i < Features.Count; i++)
        {
            var column = inputs.ToList().IndexOf(Features[i]);
            w[column] += (float)Coefficients[i];
            w[inputs.Count + column] += (float)Coefficients[i];
        }
        return new OnnxModelBuilder(name, doc)
            .Input("x", inputs)
            .Output("y", [Output, Correction])
            .Constant("W", [2, inputs.Count], w)
            .Constant("c", [2], [(float)Intercept, (float)Intercept])
            .Node("Gemm", ["x", "W", "c"], "y", ("transB", 1));
    }

    private static double Rms(Vector<double> v) => Math.Sqrt(v.PointwisePower(2).Average());
}
