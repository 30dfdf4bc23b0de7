using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace CoSim.Ml.Training;

/// <summary>How to train an <see cref="Mlp"/>.</summary>
public sealed record MlpOptions
{
    /// <summary>Hidden layer widths.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [16, 16];
    public int Epochs { get; init; } = 300;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 0.01;
    /// <summary>Share of the rows held out for validation (chosen at random with <see cref="Seed"/>).</summary>
    public double ValidationFraction { get; init; } = 0.2;
    public int Seed { get; init; } = 1;
}

/// <summary>What training achieved: root-mean-square errors per output, in the outputs' units.</summary>
/// <remarks>
/// <paramref name="ValidationR2"/>: per output, 1 - (validation mean squared error) / (variance of the output over the validation rows);
/// near 0 the model predicts little more than the mean (the data may hold no relation between the inputs and that output); NaN without validation rows.
/// </remarks>
public sealed record TrainingReport(int TrainingRows, int ValidationRows, int BestEpoch, double[] TrainingRmse, double[] ValidationRmse, double[] ValidationR2)
{
    /// <summary>Below this R² an output is reported as not learned (<see cref="ValidationR2"/>).</summary>
    public const double LowR2 = 0.1;
}

/// <summary>
/// Trains an <see cref="Mlp"/> by mini-batch Adam on the mean squared error of the standardised
/// outputs, on a seeded random split; the weights of the epoch with the lowest validation error are kept.
/// The same data, options and seed give the same network.
/// </summary>
public static class MlpTrainer
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    public static (Mlp Model, TrainingReport Report) Train(Matrix<double> x, Matrix<double> y, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, MlpOptions options)
    {
        if (x.RowCount != y.RowCount) throw new ArgumentException("one output row per input row");
        if (options.Hidden.Count == 0 || options.Hidden.Any(h => h < 1)) throw new ArgumentException("hidden layer widths must be positive");
        var rng = new Random(options.Seed);
        var order = Enumerable.Range(0, x.RowCount).OrderBy(_ => rng.Next()).ToArray();
        var nValidation = (int)Math.Round(x.RowCount * options.ValidationFraction);
        if (x.RowCount - nValidation < 2 || (options.ValidationFraction > 0 && nValidation < 1))
            throw new Core.InputException($"{x.RowCount} rows are too few to train and validate on");
        var validation = order[..nValidation];
        var training = order[nValidation..];
        var xt = Rows(x, training);
        var yt = Rows(y, training);

        var (inMean, inScale) = Moments(xt);
        var (outMean, outScale) = Moments(yt);
        var widths = new[] { x.ColumnCount }.Concat(options.Hidden).Append(y.ColumnCount).ToArray();
        var weights = new Matrix<double>[widths.Length - 1];
        var biases = new Vector<double>[widths.Length - 1];
        for (var l = 0; l < weights.Length; l++)
        {
            var limit = Math.Sqrt(6.0 / (widths[l] + widths[l + 1])); // Glorot uniform
            weights[l] = DenseMatrix.Create(widths[l + 1], widths[l], (_, _) => (2 * rng.NextDouble() - 1) * limit);
            biases[l] = new DenseVector(widths[l + 1]);
        }
        var model = new Mlp(inputs, outputs, weights, biases, inMean, inScale, outMean, outScale);
        var xs = Mlp.Standardise(xt, inMean, inScale);
        var ys = Mlp.Standardise(yt, outMean, outScale);
        var xv = Rows(x, validation);
        var yv = Rows(y, validation);

        // Adam moments, one pair per parameter array (weights and biases, in their storage order).
        var parameters = weights.Select(w => ((DenseMatrix)w).Values).Concat(biases.Select(b => ((DenseVector)b).Values)).ToArray();
        var m = parameters.Select(p => new double[p.Length]).ToArray();
        var v = parameters.Select(p => new double[p.Length]).ToArray();
        var best = double.PositiveInfinity;
        var bestEpoch = 0;
        var bestParameters = parameters.Select(p => (double[])p.Clone()).ToArray();
        var step = 0;
        var batch = Enumerable.Range(0, xs.RowCount).ToArray();
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            rng.Shuffle(batch);
            for (var start = 0; start < batch.Length; start += options.BatchSize)
            {
                var rows = batch[start..Math.Min(batch.Length, start + options.BatchSize)];
                var gradients = Gradients(model, Rows(xs, rows), Rows(ys, rows));
                step++;
                var c1 = 1 - Math.Pow(Beta1, step);
                var c2 = 1 - Math.Pow(Beta2, step);
                for (var p = 0; p < parameters.Length; p++)
                {
                    var (param, g, mp, vp) = (parameters[p], gradients[p], m[p], v[p]);
                    for (var i = 0; i < param.Length; i++)
                    {
                        mp[i] = Beta1 * mp[i] + (1 - Beta1) * g[i];
                        vp[i] = Beta2 * vp[i] + (1 - Beta2) * g[i] * g[i];
                        param[i] -= options.LearningRate * (mp[i] / c1) / (Math.Sqrt(vp[i] / c2) + Epsilon);
                    }
                }
            }
            // Without a validation set the last epoch is kept.
            var score = nValidation > 0 ? Rmse(model.Predict(xv), yv, outScale).Sum() : 0;
            if (score <= best)
            {
                best = score;
                bestEpoch = epoch;
                for (var p = 0; p < parameters.Length; p++) Array.Copy(parameters[p], bestParameters[p], parameters[p].Length);
            }
        }
        for (var p = 0; p < parameters.Length; p++) Array.Copy(bestParameters[p], parameters[p], parameters[p].Length);
        var ones = Enumerable.Repeat(1.0, y.ColumnCount).ToArray();
        var validationRmse = nValidation > 0 ? Rmse(model.Predict(xv), yv, ones) : new double[y.ColumnCount];
        var r2 = Enumerable.Range(0, y.ColumnCount).Select(j => nValidation > 1 ? 1 - validationRmse[j] * validationRmse[j] / Variance(yv.Column(j).ToArray()) : double.NaN).ToArray();
        var report = new TrainingReport(training.Length, nValidation, bestEpoch, Rmse(model.Predict(xt), yt, ones), validationRmse, r2);
        return (model, report);
    }

    // Population variance (the mean squared deviation: the squared RMSE of predicting the mean), to compare with a mean squared error.
    private static double Variance(double[] v)
    {
        var mean = v.Average();
        return v.Sum(x => (x - mean) * (x - mean)) / v.Length;
    }

    /// <summary>Root-mean-square error of each column, divided by <paramref name="scale"/>.</summary>
    public static double[] Rmse(Matrix<double> predicted, Matrix<double> actual, double[] scale) =>
        Enumerable.Range(0, actual.ColumnCount)
            .Select(j => Math.Sqrt((predicted.Column(j) - actual.Column(j)).PointwisePower(2).Average()) / scale[j]).ToArray();

    /// <summary>Gradients of 0.5 * mean over the batch of the squared error, in the order of the model's parameter arrays.</summary>
    private static double[][] Gradients(Mlp model, Matrix<double> x, Matrix<double> y)
    {
        var layers = model.Weights.Length;
        var activations = new Matrix<double>[layers + 1];
        activations[0] = x;
        for (var l = 0; l < layers; l++)
        {
            var z = model.Layer(activations[l], l);
            if (l < layers - 1) z.PointwiseTanh(z);
            activations[l + 1] = z;
        }
        var gw = new double[layers][];
        var gb = new double[layers][];
        var delta = (activations[layers] - y) / x.RowCount;
        for (var l = layers - 1; l >= 0; l--)
        {
            gw[l] = ((DenseMatrix)delta.TransposeThisAndMultiply(activations[l])).Values;
            gb[l] = delta.ColumnSums().ToArray();
            if (l == 0) break;
            var a = activations[l];
            delta = (delta * model.Weights[l]).PointwiseMultiply(a.Map(v => 1 - v * v)); // tanh' = 1 - tanh^2
        }
        return gw.Concat(gb).ToArray();
    }

    private static Matrix<double> Rows(Matrix<double> m, int[] rows) => DenseMatrix.Create(rows.Length, m.ColumnCount, (i, j) => m[rows[i], j]);

    private static (double[] Mean, double[] Scale) Moments(Matrix<double> m)
    {
        var mean = new double[m.ColumnCount];
        var scale = new double[m.ColumnCount];
        for (var j = 0; j < m.ColumnCount; j++)
        {
            var col = m.Column(j);
            mean[j] = col.Average();
            var sd = Math.Sqrt((col - mean[j]).PointwisePower(2).Average());
            scale[j] = sd > 1e-12 * Math.Max(1, Math.Abs(mean[j])) ? sd : 1; // a constant column is only centred
        }
        return (mean, scale);
    }
}
