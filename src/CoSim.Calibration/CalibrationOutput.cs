using System.Globalization;
using System.Text;
using System.Text.Json;
using CoSim.Runner;

namespace CoSim.Calibration;

/// <summary>Writes a calibration's results: the JSON record, the SSP parameter values, the fitted points with their bands.</summary>
public static class CalibrationOutput
{
    /// <summary>
    /// The JSON record: the estimates with standard errors and 95 % intervals, cost, evaluations,
    /// convergence and why, the correlation matrix (null where undetermined), warnings, the cost
    /// history, RMSE before/after per output, and provenance (model and data files with SHA-256, method, settings).
    /// </summary>
    public static void WriteJson(string path, CalibrationResult result, CalibrationSettings settings, IReadOnlyList<string> commandLine)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("parameters");
            foreach (var p in result.Parameters)
            {
                w.WriteStartObject();
                w.WriteString("name", p.Name);
                w.WriteString("variable", p.Target.ToString());
                Number(w, "value", p.Value);
                Number(w, "stderr", p.StdErr);
                Number(w, "lower95", p.Lower95);
                Number(w, "upper95", p.Upper95);
                Number(w, "start", p.Start);
                Number(w, "lower", p.Lower);
                Number(w, "upper", p.Upper);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Number(w, "cost", result.Cost);
            w.WriteNumber("evaluations", result.Evaluations);
            w.WriteNumber("modelRuns", result.ModelRuns);
            w.WriteBoolean("converged", result.Converged);
            w.WriteString("message", result.Message);
            w.WriteNumber("rejectedTrials", result.RejectedTrials);
            w.WriteNumber("abandonedTrials", result.AbandonedTrials);
            w.WriteNumber("points", result.Points);
            if (result.Uncertainty is { } u)
            {
                w.WriteNumber("degreesOfFreedom", u.DegreesOfFreedom);
                Number(w, "residualVariance", u.Variance);
                w.WriteStartArray("correlation");
                for (var i = 0; i < result.Parameters.Count; i++)
                {
                    w.WriteStartArray();
                    for (var j = 0; j < result.Parameters.Count; j++) Number(w, null, u.Correlation(i, j));
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            }
            else w.WriteNull("correlation");
            w.WriteStartArray("warnings");
            foreach (var warning in result.Warnings) w.WriteStringValue(warning);
            w.WriteEndArray();
            w.WriteStartArray("quality");
            foreach (var q in result.Quality)
            {
                w.WriteStartObject();
                w.WriteString("output", q.Output);
                w.WriteString("column", q.Column);
                w.WriteNumber("points", q.Points);
                Number(w, "rmseBefore", q.RmseBefore);
                Number(w, "rmseAfter", q.RmseAfter);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("validation");
            foreach (var v in result.Validation)
            {
                w.WriteStartObject();
                w.WriteString("file", v.File);
                w.WriteString("output", v.Output);
                w.WriteString("column", v.Column);
                w.WriteNumber("points", v.Points);
                Number(w, "rmse", v.Rmse);
                Number(w, "mae", v.Mae);
                Number(w, "mape", v.Mape);
                Number(w, "inside90", v.Inside90);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("costHistory");
            foreach (var c in result.CostHistory) Number(w, null, c);
            w.WriteEndArray();
            w.WriteString("method", settings.Method == CalibrationMethod.NelderMead
                ? "nelder-mead (MathNet NelderMeadSimplex on the cost, bounds by projection and penalty)"
                : "levenberg-marquardt (bounded, forward-difference Jacobian)");
            w.WriteStartObject("settings");
            Number(w, "costTolerance", settings.Optimizer.CostTolerance);
            Number(w, "stepTolerance", settings.Optimizer.StepTolerance);
            Number(w, "gradientTolerance", settings.Optimizer.GradientTolerance);
            w.WriteNumber("maxEvaluations", settings.Optimizer.MaxEvaluations);
            w.WriteNumber("threads", result.Threads);
            w.WriteNumber("starts", settings.Starts);
            w.WriteNumber("seed", settings.Seed);
            w.WriteEndObject();
            w.WriteStartArray("starts");
            foreach (var o in result.Starts)
            {
                w.WriteStartObject();
                w.WriteStartArray("start");
                foreach (var v in o.Start) Number(w, null, v);
                w.WriteEndArray();
                if (o.X is { } x)
                {
                    w.WriteStartArray("end");
                    foreach (var v in x) Number(w, null, v);
                    w.WriteEndArray();
                }
                Number(w, "cost", o.Cost);
                w.WriteBoolean("converged", o.Converged);
                w.WriteString("message", o.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Number(w, "elapsedSeconds", result.Elapsed.TotalSeconds);
            w.WriteStartObject("provenance");
            w.WriteString("model", settings.Model);
            w.WriteString("modelSha256", File.Exists(settings.Model) ? Provenance.Sha256Of(settings.Model) : null);
            w.WriteStartArray("data");
            foreach (var e in result.Experiments)
            {
                w.WriteStartObject();
                w.WriteString("experiment", e.Name);
                w.WriteString("path", e.Data.Path);
                w.WriteString("sha256", Provenance.Sha256Of(e.Data.Path));
                w.WriteNumber("rows", e.Data.RowCount);
                w.WriteNumber("points", e.PointCount);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("commandLine");
            foreach (var a in commandLine) w.WriteStringValue(a);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        WriteAtomically(path, stream.ToArray());
    }

    /// <summary>
    /// The shared estimates as SSP parameter values (bare names for an FMU, <c>Component.variable</c>
    /// for a system), with convergence, cost and the model's hash in a CoSim annotation; a set from a
    /// calibration that did not converge says so in a comment at the top and in the annotation.
    /// </summary>
    public static void WriteSsv(string path, CalibrationResult result, CalibrationSettings settings, string? singleComponent)
    {
        var shared = result.Parameters.Where((_, j) => result.Function.Unknowns[j].Experiment < 0)
            .Select(p => (singleComponent != null && p.Target.Component == singleComponent ? p.Target.Variable : p.Target.ToString(), p.Value)).ToList();
        var annotation = new Dictionary<string, string>
        {
            ["converged"] = result.Converged ? "true" : "false",
            ["message"] = result.Message,
            ["cost"] = result.Cost.ToString("R", CultureInfo.InvariantCulture),
            ["model"] = settings.Model,
            ["modelSha256"] = File.Exists(settings.Model) ? Provenance.Sha256Of(settings.Model) : "",
            ["data"] = string.Join(";", result.Experiments.Select(e => e.Data.Path)),
        };
        var perExperiment = result.Parameters.Where((_, j) => result.Function.Unknowns[j].Experiment >= 0).ToList();
        if (perExperiment.Count > 0)
            annotation["perExperiment"] = string.Join(";", perExperiment.Select(p => $"{p.Name}={p.Value.ToString("R", CultureInfo.InvariantCulture)}"));
        Ssp.SsvFile.Write(path, "calibration", shared, annotation,
            result.Converged ? null : $"NOT CONVERGED: best set found, use with care ({result.Message})");
    }

    /// <summary>
    /// Every fitted point: experiment, output, time, measured, fitted, and the 95 % confidence band
    /// of the fitted curve and prediction band of a new measurement.
    /// </summary>
    public static void WritePredictions(string path, CalibrationResult result)
    {
        var scales = new double[result.Residuals.Length];
        foreach (var (_, s, offset) in result.Function.Points())
            for (var i = 0; i < s.Rows.Length; i++) scales[offset + i] = s.Scale;
        var (confidence, prediction) = result.Uncertainty?.Bands(scales) ?? (new double[scales.Length], new double[scales.Length]);
        var fitted = result.Function.Simulated(result.Residuals);
        var text = new StringBuilder("experiment,output,time,measured,fitted,lower95,upper95,prediction_lower95,prediction_upper95\n");
        foreach (var (e, s, offset) in result.Function.Points())
            for (var i = 0; i < s.Rows.Length; i++)
            {
                var k = offset + i;
                text.Append(CultureInfo.InvariantCulture, $"{result.Experiments[e].Name},{s.Fit.Output},{F(s.Times[i])},{F(s.Measured[i])},{F(fitted[k])},");
                text.Append(CultureInfo.InvariantCulture, $"{F(fitted[k] - confidence[k])},{F(fitted[k] + confidence[k])},{F(fitted[k] - prediction[k])},{F(fitted[k] + prediction[k])}\n");
            }
        WriteAtomically(path, Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    // JSON has no infinity or NaN: an undetermined value is null.
    private static void Number(Utf8JsonWriter w, string? name, double value)
    {
        if (name != null) w.WritePropertyName(name);
        if (double.IsFinite(value)) w.WriteNumberValue(value);
        else w.WriteNullValue();
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}
