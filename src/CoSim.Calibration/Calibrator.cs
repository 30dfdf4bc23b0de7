using System.Diagnostics;
using CoSim.Core;
using CoSim.Fmi;
using CoSim.Solvers;
using CoSim.Telemetry.Replay;

namespace CoSim.Calibration;

/// <summary>Everything a calibration needs: the model, the data, what is fitted and what is estimated.</summary>
public sealed record CalibrationSettings
{
    /// <summary>The model: an FMU or an SSP.</summary>
    public required string Model { get; init; }

    /// <summary>FMU interface (null: co-simulation when offered).</summary>
    public FmuInterface? Interface { get; init; }

    /// <summary>Model exchange solver settings.</summary>
    public SolverOptions? Solver { get; init; }

    /// <summary>The data files, one experiment each.</summary>
    public required IReadOnlyList<string> Data { get; init; }

    /// <summary>How to read them (as <c>--replay</c>).</summary>
    public HistorianCsvOptions Csv { get; init; } = new();

    /// <summary>Columns that drive inputs.</summary>
    public IReadOnlyList<InputMapSpec> Maps { get; init; } = [];

    /// <summary>Outputs compared with columns.</summary>
    public required IReadOnlyList<FitSpec> Fits { get; init; }

    /// <summary>Which rows are fitted.</summary>
    public FitSelection Selection { get; init; } = new();

    /// <summary>What a missing measured value does.</summary>
    public MissingValues Missing { get; init; } = MissingValues.Fail;

    /// <summary>The parameters to estimate.</summary>
    public required IReadOnlyList<ParameterSpec> Parameters { get; init; }

    /// <summary>Communication step [s]; null: the data's spacing when even, else the model's default.</summary>
    public double? Step { get; init; }

    /// <summary>Model instances run at once; null: the processor count.</summary>
    public int? Threads { get; init; }

    /// <summary>Optimizer settings.</summary>
    public LeastSquaresOptions Optimizer { get; init; } = new();

    /// <summary>Files not used for fitting, on which the calibrated model is validated (every row).</summary>
    public IReadOnlyList<string> Validate { get; init; } = [];

    /// <summary>Start points of the optimizer: the given start and Starts - 1 Latin-hypercube points (<see cref="MultiStart"/>).</summary>
    public int Starts { get; init; } = 1;

    /// <summary>The optimizer.</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.LevenbergMarquardt;

    /// <summary>Seed of the Latin hypercube of <see cref="Starts"/>.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>How the calibrated model does on data not used for fitting, per file and output.</summary>
/// <param name="File">The validation file.</param>
/// <param name="Output">The output.</param>
/// <param name="Column">The measured column.</param>
/// <param name="Points">Points compared.</param>
/// <param name="Rmse">Root mean square error, in the output's unit.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Mape">Mean absolute percentage error [%] over the points whose measured value is not 0.</param>
/// <param name="Inside90">Share of measured points inside the 90 % prediction band [%].</param>
public sealed record ValidationQuality(string File, string Output, string Column, int Points, double Rmse, double Mae, double Mape, double Inside90);

/// <summary>One estimated parameter.</summary>
/// <param name="Name">Its name (<c>NAME[experiment]</c> for a per-experiment value).</param>
/// <param name="Target">The variable it sets.</param>
/// <param name="Value">The estimate.</param>
/// <param name="Start">Where the search started.</param>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="StdErr">Standard error (+inf: not determined by the data; NaN: not computed).</param>
/// <param name="Lower95">Lower end of the 95 % interval.</param>
/// <param name="Upper95">Upper end of the 95 % interval.</param>
public sealed record ParameterEstimate(string Name, VariableRef Target, double Value, double Start, double Lower, double Upper, double StdErr, double Lower95, double Upper95);

/// <summary>Goodness of fit of one output: before (at the start values) and after calibration.</summary>
/// <param name="Output">The fitted output.</param>
/// <param name="Column">The measured column.</param>
/// <param name="Points">Measured points compared.</param>
/// <param name="RmseBefore">RMSE at the start values, in the output's unit.</param>
/// <param name="RmseAfter">RMSE at the estimates.</param>
public sealed record FitQuality(string Output, string Column, int Points, double RmseBefore, double RmseAfter);

/// <summary>What a calibration found and how sure it is.</summary>
public sealed class CalibrationResult
{
    /// <summary>The estimates, in the order of the parameter vector.</summary>
    public required IReadOnlyList<ParameterEstimate> Parameters { get; init; }

    /// <summary>Half the sum of squared weighted residuals at the estimates (scipy's cost).</summary>
    public required double Cost { get; init; }

    /// <summary>Residual evaluations (Jacobian columns included).</summary>
    public required int Evaluations { get; init; }

    /// <summary>Model runs (one per experiment per evaluation).</summary>
    public required long ModelRuns { get; init; }

    /// <summary>Whether the optimizer converged (and no parameter is held at a bound by the data).</summary>
    public required bool Converged { get; init; }

    /// <summary>Why it stopped.</summary>
    public required string Message { get; init; }

    /// <summary>Trial points whose model run failed.</summary>
    public required int RejectedTrials { get; init; }

    /// <summary>Trial points whose run stopped early because their cost had already passed the current one.</summary>
    public int AbandonedTrials { get; init; }

    /// <summary>Every start point's outcome (one with <c>--starts 1</c>).</summary>
    public IReadOnlyList<StartOutcome> Starts { get; init; } = [];

    /// <summary>The cost at the start and after every accepted step.</summary>
    public required IReadOnlyList<double> CostHistory { get; init; }

    /// <summary>The uncertainty analysis; null when no Jacobian was available at the end.</summary>
    public Uncertainty? Uncertainty { get; init; }

    /// <summary>Warnings: identifiability, bounds, skipped points.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>RMSE per fitted output, before and after.</summary>
    public required IReadOnlyList<FitQuality> Quality { get; init; }

    /// <summary>Wall time of the optimization.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Number of fitted points.</summary>
    public required int Points { get; init; }

    /// <summary>Worker threads used.</summary>
    public required int Threads { get; init; }

    /// <summary>The residual function (for bands and further evaluations).</summary>
    public required ResidualFunction Function { get; init; }

    /// <summary>The residuals at the estimates.</summary>
    public required double[] Residuals { get; init; }

    /// <summary>The experiments.</summary>
    public required IReadOnlyList<Experiment> Experiments { get; init; }

    /// <summary>Validation on the <see cref="CalibrationSettings.Validate"/> files.</summary>
    public IReadOnlyList<ValidationQuality> Validation { get; init; } = [];
}

/// <summary>
/// <c>cosim calibrate</c>'s engine: checks the settings against the model and the data (every
/// name resolved, every rule said in one line), runs <see cref="BoundedLevenbergMarquardt"/> on
/// the <see cref="ResidualFunction"/>, and analyses the optimum (<see cref="Uncertainty"/>).
/// </summary>
public static class Calibrator
{
    /// <summary>Prepares the problem: resolves and checks every name; bad input throws <see cref="InputException"/>.</summary>
    public static ResidualFunction Prepare(CalibrationSettings settings, ILogSink log, out IReadOnlyList<Experiment> experiments)
    {
        if (settings.Data.Count == 0) throw new InputException("give at least one data file (--data FILE)");
        if (settings.Fits.Count == 0) throw new InputException("say which outputs to fit (--fit OUTPUT=COLUMN)");
        if (settings.Parameters.Count == 0) throw new InputException("say which parameters to estimate (--param NAME=LO..HI[@START])");
        if (settings.Threads is < 1) throw new InputException($"--threads {settings.Threads}: must be at least 1");
        if (settings.Starts < 1) throw new InputException($"--starts {settings.Starts}: must be at least 1");
        if (settings.Step is <= 0) throw new InputException($"--step {settings.Step}: must be positive");
        var model = CalibrationModel.Open(settings.Model, settings.Interface, settings.Solver);

        var outputs = new List<VariableRef>();
        var units = new List<string?>();
        foreach (var f in settings.Fits)
        {
            var (target, variable, _) = model.Resolve(f.Output, "--fit");
            if (variable.Kind is ValueKind.String or ValueKind.Binary or ValueKind.Clock) throw new InputException($"--fit {f.Output}: a {variable.TypeName} cannot be compared with numbers");
            outputs.Add(target);
            units.Add(f.Unit != null ? variable.Unit ?? f.Unit : null);
        }
        foreach (var m in settings.Maps) model.Resolve(m.Input, "--map");
        var seen = new HashSet<string>();
        foreach (var p in settings.Parameters)
        {
            var (target, variable, md) = model.Resolve(p.Name, p.PerExperiment ? "--param-per-experiment" : "--param");
            if (!seen.Add(target.ToString())) throw new InputException($"--param {p.Name}: given twice");
            if (model.TunabilityProblem(p.Name, variable, md) is { } why) throw new InputException($"--param {p.Name}: cannot be estimated: {why}");
        }

        var names = UniqueNames(settings.Data);
        experiments = settings.Data.Select((d, i) => Experiment.Load(names[i], d, settings.Csv, settings.Fits, units, settings.Maps, settings.Selection, settings.Missing)).ToList();
        foreach (var e in experiments.Where(e => e.SkippedMissing > 0))
            log.Log(LogLevel.Warning, e.Name, $"{e.SkippedMissing} measured points without a value left out of the fit (--missing skip)");

        var unknowns = new List<Unknown>();
        foreach (var p in settings.Parameters.Where(p => !p.PerExperiment))
            unknowns.Add(new Unknown(p.Name, p, model.Resolve(p.Name, "--param").Ref, -1, StartOf(model, p)));
        foreach (var p in settings.Parameters.Where(p => p.PerExperiment))
            for (var e = 0; e < experiments.Count; e++)
                unknowns.Add(new Unknown($"{p.Name}[{experiments[e].Name}]", p, model.Resolve(p.Name, "--param-per-experiment").Ref, e, StartOf(model, p)));
        var maps = settings.Maps.Select(m => new ReplayMapping(m.Column, m.Input, m.Unit)).ToList();
        var points = experiments.Sum(e => e.PointCount);
        if (points <= unknowns.Count) throw new InputException($"{points} measured points for {unknowns.Count} parameters: give more data (or fewer parameters)");
        return new ResidualFunction(model, experiments, unknowns, outputs, maps, settings.Step, settings.Threads ?? Environment.ProcessorCount, new OnceLogSink(log))
        {
            OutputUnits = units,
        };
    }

    /// <summary>Calibrates. Bad input throws <see cref="InputException"/>; a model that fails at the start values throws <see cref="OptimizationFailedException"/>.</summary>
    public static CalibrationResult Run(CalibrationSettings settings, ILogSink log)
    {
        var function = Prepare(settings, log, out var experiments);
        var clock = Stopwatch.StartNew();
        var start = function.Unknowns.Select(u => u.Start).ToArray();
        var initial = function.Evaluate(start);
        if (initial.Residuals == null) throw new OptimizationFailedException($"the model run at the start values failed: {initial.Failure}");
        var (result, starts, evaluations) = MultiStart.Minimize(function, start, initial, settings.Starts, settings.Seed, settings.Optimizer, settings.Method);
        var jacobian = result.Jacobian ?? function.Jacobian(result.X, result.Residuals);
        var sigmaKnown = settings.Fits.All(f => f.Sigma != null);
        var uncertainty = jacobian != null ? Uncertainty.Compute(jacobian, result.Residuals, result.X, function.Unknowns, sigmaKnown) : null;
        clock.Stop();

        var converged = result.Converged;
        var message = result.Message;
        var warnings = new List<string>(uncertainty?.Warnings ?? ["no Jacobian at the estimates: no uncertainty"]);
        if (jacobian != null)
        {
            var gradient = jacobian.TransposeThisAndMultiply(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(result.Residuals));
            var stuck = function.Unknowns.Select((u, j) => (u, j)).Where(x =>
                (result.X[x.j] <= x.u.Spec.Lower && gradient[x.j] > 0) || (result.X[x.j] >= x.u.Spec.Upper && gradient[x.j] < 0)).ToList();
            if (stuck.Count > 0)
            {
                converged = false;
                message = "stuck at a bound: " + string.Join(", ", stuck.Select(s =>
                    $"{s.u.Name} at its {(result.X[s.j] <= s.u.Spec.Lower ? "lower" : "upper")} bound {ParameterSpec.Fmt(result.X[s.j])} (the data pull it beyond: widen the bounds or check the model)")) + $" ({result.Message})";
            }
        }
        var estimates = function.Unknowns.Select((u, j) =>
        {
            var se = uncertainty?.StdErr(j) ?? double.NaN;
            var half = (uncertainty?.T95 ?? double.NaN) * se;
            return new ParameterEstimate(u.Name, u.Target, result.X[j], u.Start, u.Spec.Lower, u.Spec.Upper, se, result.X[j] - half, result.X[j] + half);
        }).ToList();
        return new CalibrationResult
        {
            Parameters = estimates,
            Cost = result.Cost,
            Evaluations = evaluations,
            Starts = starts,
            ModelRuns = function.ModelRuns,
            Converged = converged,
            Message = message,
            RejectedTrials = result.RejectedTrials,
            AbandonedTrials = result.AbandonedTrials,
            CostHistory = result.CostHistory,
            Uncertainty = uncertainty,
            Warnings = warnings,
            Quality = Quality(function, initial.Residuals, result.Residuals),
            Elapsed = clock.Elapsed,
            Points = function.ResidualCount,
            Threads = function.Threads,
            Function = function,
            Residuals = result.Residuals,
            Experiments = experiments,
            Validation = Validate(settings, function, result.X, uncertainty),
        };
    }

    /// <summary>
    /// Runs the calibrated model on each validation file with the shared estimates and compares it:
    /// RMSE, MAE, MAPE, and the share of points inside the 90 % prediction band of the shared
    /// parameters' uncertainty. Per-experiment parameters belong to a file, so they are estimated
    /// afresh on the validation file's fitted rows (<c>--fit-rows</c>/<c>--fit-window</c>, shared values
    /// fixed) and the comparison uses the rows after them (with <c>--fit-rows</c>) or every row.
    /// </summary>
    private static List<ValidationQuality> Validate(CalibrationSettings settings, ResidualFunction function, double[] x, Uncertainty? uncertainty)
    {
        var result = new List<ValidationQuality>();
        if (settings.Validate.Count == 0) return result;
        var shared = Enumerable.Range(0, function.Unknowns.Count).Where(j => function.Unknowns[j].Experiment < 0).ToList();
        var perExperiment = function.Unknowns.Select((u, j) => (u, j)).Where(p => p.u.Experiment >= 0).GroupBy(p => p.u.Spec)
            .Select(g => g.First().u with { Name = g.Key.Name, Experiment = -1, Start = g.Average(p => x[p.j]) }).ToList();
        var fixedShared = shared.Select(j => (function.Unknowns[j].Target, x[j])).ToList();
        foreach (var file in settings.Validate)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var own = perExperiment.Select(u => u.Start).ToArray();
            if (perExperiment.Count > 0)
            {
                var fitted = Experiment.Load(name, file, settings.Csv, settings.Fits, function.OutputUnits, settings.Maps, settings.Selection, settings.Missing);
                own = BoundedLevenbergMarquardt.Minimize(function.With([fitted], perExperiment, fixedShared), own, settings.Optimizer).X;
            }
            var compared = settings.Selection.Rows is { } rows && perExperiment.Count > 0 ? new FitSelection { FromRow = rows } : new FitSelection();
            var experiment = Experiment.Load(name, file, settings.Csv, settings.Fits, function.OutputUnits, settings.Maps, compared, settings.Missing);
            var validation = function.With([experiment], [.. shared.Select(j => function.Unknowns[j]), .. perExperiment.Select((u, k) => u with { Start = own[k] })]);
            var point = shared.Select(j => x[j]).Concat(own).ToArray();
            var evaluation = validation.Evaluate(point);
            if (evaluation.Residuals is not { } r) throw new OptimizationFailedException($"validation on {file}: the model run failed: {evaluation.Failure}");
            double[]? band = null;
            if (uncertainty != null && shared.Count > 0 && validation.Jacobian(point, r) is { } jacobian)
            {
                var scales = new double[r.Length];
                foreach (var (_, s, offset) in validation.Points())
                    for (var i = 0; i < s.Rows.Length; i++) scales[offset + i] = s.Scale;
                band = uncertainty.Bands(jacobian.SubMatrix(0, jacobian.RowCount, 0, shared.Count), shared, scales, 0.90).Prediction;
            }
            foreach (var (_, s, offset) in validation.Points())
            {
                double sq = 0, abs = 0, pct = 0;
                int pctCount = 0, inside = 0;
                for (var i = 0; i < s.Rows.Length; i++)
                {
                    var error = r[offset + i] / s.Scale;
                    sq += error * error;
                    abs += Math.Abs(error);
                    if (s.Measured[i] != 0)
                    {
                        pct += Math.Abs(error / s.Measured[i]);
                        pctCount++;
                    }
                    if (band != null && Math.Abs(error) <= band[offset + i]) inside++;
                }
                var n = s.Rows.Length;
                result.Add(new ValidationQuality(file, s.Fit.Output, s.Fit.Column, n, Math.Sqrt(sq / n), abs / n, pctCount > 0 ? 100 * pct / pctCount : double.NaN,
                    band != null ? 100.0 * inside / n : double.NaN));
            }
        }
        return result;
    }

    private static List<FitQuality> Quality(ResidualFunction function, double[] before, double[] after)
    {
        var sums = new Dictionary<FitSpec, (int N, double Before, double After)>();
        foreach (var (_, s, offset) in function.Points())
        {
            var (n, b, a) = sums.GetValueOrDefault(s.Fit);
            for (var i = 0; i < s.Rows.Length; i++)
            {
                b += Math.Pow(before[offset + i] / s.Scale, 2);
                a += Math.Pow(after[offset + i] / s.Scale, 2);
            }
            sums[s.Fit] = (n + s.Rows.Length, b, a);
        }
        return sums.Select(kv => new FitQuality(kv.Key.Output, kv.Key.Column, kv.Value.N, Math.Sqrt(kv.Value.Before / kv.Value.N), Math.Sqrt(kv.Value.After / kv.Value.N))).ToList();
    }

    private static double StartOf(CalibrationModel model, ParameterSpec p)
    {
        if (p.Start is { } s) return s;
        var modelStart = CalibrationModel.StartOf(model.Resolve(p.Name, "--param").Variable);
        return modelStart is { } m && m >= p.Lower && m <= p.Upper ? m : 0.5 * (p.Lower + p.Upper);
    }

    private static string[] UniqueNames(IReadOnlyList<string> files)
    {
        var names = files.Select(f => Path.GetFileNameWithoutExtension(f)).ToArray();
        for (var i = 0; i < names.Length; i++)
            if (names.Take(i).Contains(names[i]) || names.Skip(i + 1).Contains(names[i])) names[i] = $"{names[i]}#{i + 1}";
        return names;
    }
}

/// <summary>Passes each distinct message on once: the same warning from every evaluation's model instance is said once.</summary>
internal sealed class OnceLogSink(ILogSink inner) : ILogSink
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _seen = new();

    public void Log(LogLevel level, string source, string message)
    {
        if (_seen.TryAdd($"{level}|{source}|{message}", true)) inner.Log(level, source, message);
    }
}
