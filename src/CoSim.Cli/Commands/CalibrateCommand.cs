using System.CommandLine;
using System.Globalization;
using CoSim.Calibration;
using CoSim.Core;
using CoSim.Fmi;
using CoSim.Solvers;
using CoSim.Telemetry.Replay;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim calibrate MODEL</c>: estimate parameters from measured data, with standard errors, intervals and identifiability.</summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "The model: an FMU (.fmu or extracted folder) or an SSP (.ssp, .ssd)." };
        var data = Repeatable("--data",
            "A data file (repeatable: one experiment each, each its own run from its own initial state): CSV with a time column in seconds, or a historian file " +
            "(delimiter, decimal separator and date-times detected as for --replay; see the --data-* options). Its first record is time 0 unless the times are plain seconds.");
        var map = Repeatable("--map", "COLUMN[unit]=INPUT: drive an input from a data column, as --replay-map (repeatable).");
        var fit = Repeatable("--fit",
            "OUTPUT=COLUMN[unit][@SIGMA|:WEIGHT]: compare an output with a measured column (repeatable). [unit]: the column's unit, converted to the output's. " +
            "@SIGMA: the known measurement standard deviation (then the intervals use it); :WEIGHT: a weight on the squared residuals. Default: weight 1, sigma estimated from the fit.");
        var fitRows = CliOptions.Integer("--fit-rows", "Fit only the first N rows of each file (SKAB's rule: 400).");
        var fitWindow = new Option<string?>("--fit-window") { Description = "FROM..TO: fit only rows with FROM <= time <= TO [s]." };
        var param = Repeatable("--param",
            "NAME=LO..HI[@START]: estimate a parameter, a constant input or a start value (initial=\"exact\") between LO and HI, starting at START " +
            "(default: the model's start value when inside the bounds, else the middle) (repeatable).");
        var perExperiment = Repeatable("--param-per-experiment", "NAME=LO..HI[@START]: as --param, but one value per data file (e.g. an initial temperature) (repeatable).");
        var output = new Option<string?>("--output", "-o") { Description = "Write the estimates as SSP parameter values (FILE.ssv), usable with 'cosim run|simulate --parameters FILE.ssv' and SSP ParameterBindings." };
        var json = new Option<string?>("--json") { Description = "Write the full record as JSON: estimates, standard errors, 95 % intervals, cost, correlation, warnings, cost history, provenance." };
        var predictions = new Option<string?>("--predictions") { Description = "Write every fitted point as CSV: measured, fitted, 95 % confidence band of the fit and 95 % prediction band of a measurement." };
        var validate = Repeatable("--validate",
            "A data file not used for fitting (repeatable): the calibrated model runs on every row; RMSE, MAE, MAPE per output and the share of points inside the 90 % prediction band.");
        var step = CliOptions.Number("--step", "Communication step [s]. Default: the data's spacing when even, else the model's default step; outputs are interpolated to the data's times.");
        var threads = CliOptions.Integer("--threads", "Model instances run at once (the Jacobian's perturbed runs, the experiments). Default: the processor count.");
        var maxEvaluations = CliOptions.Integer("--max-evaluations", "Most residual evaluations (each Jacobian counts one per parameter). Default 1000.");
        var tolerance = CliOptions.Number("--tolerance", "Relative tolerance of the cost and of the step at which the fit has converged. Default 1e-12 (cost), 1e-10 (step).");
        var starts = CliOptions.Integer("--starts",
            "Run the optimizer from N start points: the given start and N-1 more spread over the bounds by a seeded Latin hypercube (for cost surfaces with several minima); " +
            "the best converged end point wins and every start's outcome is reported. Default 1.");
        var method = new Option<string?>("--method")
        {
            Description = "The optimizer: lm (default: bounded Levenberg-Marquardt, concurrent finite-difference Jacobian) or nelder-mead (derivative-free: MathNet's simplex " +
                          "on the cost, for outputs too noisy or discontinuous in the parameters for differences; the uncertainty is then computed at its end point).",
        };
        method.AcceptOnlyFromAmong("lm", "nelder-mead");
        var seed = CliOptions.Integer("--seed", "Seed of --starts' Latin hypercube (the same seed gives the same start points). Default 1.");
        var missing = new Option<string?>("--missing") { Description = "A measured cell without a value: fail (default: an error naming file:line) or skip (left out of the fit, counted)." };
        var iface = new Option<string?>("--interface") { Description = "FMU: cs (co-simulation) or me (model exchange). Default: cs when the FMU has it." };
        var solver = new Option<string?>("--solver") { Description = "Model exchange: cvode (default), cvode-adams, dopri5 or euler." };
        var time = new Option<string?>("--data-time") { Description = "Time column format: auto (default), datetime, epoch-s, epoch-ms, seconds (as --replay-time)." };
        var timeColumn = new Option<string?>("--data-time-column") { Description = "Name of the time column. Default: the first column." };
        var zone = new Option<string?>("--data-zone") { Description = "Time zone (IANA id) of date-times written without one. Default: UTC." };
        var t0 = new Option<string?>("--data-t0") { Description = "The file time (written like the file's) that is time 0. Default: the first record's (plain seconds: 0)." };
        var delimiter = new Option<string?>("--data-delimiter") { Description = "Field delimiter (a character, or 'tab'). Default: detected." };
        var decimalSeparator = new Option<string?>("--data-decimal") { Description = "Decimal separator, . or ,. Default: detected." };
        var badRows = new Option<string?>("--data-bad-rows") { Description = "Malformed rows: fail (default) or skip (counted)." };
        iface.AcceptOnlyFromAmong("cs", "me");
        solver.AcceptOnlyFromAmong("cvode", "cvode-adams", "dopri5", "euler");
        missing.AcceptOnlyFromAmong("fail", "skip");
        time.AcceptOnlyFromAmong("auto", "datetime", "epoch-s", "epoch-ms", "seconds");
        badRows.AcceptOnlyFromAmong("fail", "skip");
        var command = new Command("calibrate",
            "Estimate model parameters from measured data: bounded Levenberg-Marquardt on the residuals (simulated - measured), the Jacobian by finite differences " +
            "whose runs are independent model instances run concurrently; standard errors and 95 % intervals from s²(JᵀJ)⁻¹, correlations, identifiability warnings. " +
            "Exit 0 converged, 1 not converged (the best set found is still written, marked) or the model failed, 2 bad input. See docs/calibration.md.")
        {
            model, data, map, fit, fitRows, fitWindow, param, perExperiment, output, json, predictions, validate, step, threads, maxEvaluations, tolerance, method, starts, seed, missing, iface, solver,
            time, timeColumn, zone, t0, delimiter, decimalSeparator, badRows,
        };
        command.SetAction(parse => CliOptions.Run(parse, log =>
        {
            if (parse.GetValue(output) is { } o && !o.EndsWith(".ssv", StringComparison.OrdinalIgnoreCase))
                throw new InputException($"--output {o}: the estimates are written as SSP parameter values; give a FILE.ssv");
            foreach (var file in new[] { parse.GetValue(output), parse.GetValue(json), parse.GetValue(predictions) })
                if (file != null) CliOptions.OutputFile(file, "--output", "fit.ssv");
            var tol = parse.GetValue(tolerance);
            if (tol is <= 0) throw new InputException($"--tolerance {tol}: must be positive");
            var settings = new CalibrationSettings
            {
                Model = parse.GetValue(model)!,
                Interface = parse.GetValue(iface) switch { "cs" => FmuInterface.CoSimulation, "me" => FmuInterface.ModelExchange, _ => null },
                Solver = parse.GetValue(solver) is { } s ? SolverFrom(s) : null,
                Data = parse.GetValue(data) ?? [],
                Csv = CsvOptions(parse.GetValue(time), parse.GetValue(timeColumn), parse.GetValue(zone), parse.GetValue(t0), parse.GetValue(delimiter), parse.GetValue(decimalSeparator), parse.GetValue(badRows)),
                Maps = (parse.GetValue(map) ?? []).Select(m => InputMapSpec.Parse(m)).ToList(),
                Fits = (parse.GetValue(fit) ?? []).Select(f => FitSpec.Parse(f)).ToList(),
                Selection = new FitSelection { Rows = parse.GetValue(fitRows), Window = parse.GetValue(fitWindow) is { } w ? FitSelection.ParseWindow(w) : null },
                Missing = parse.GetValue(missing) == "skip" ? MissingValues.Skip : MissingValues.Fail,
                Parameters = (parse.GetValue(param) ?? []).Select(p => ParameterSpec.Parse(p))
                    .Concat((parse.GetValue(perExperiment) ?? []).Select(p => ParameterSpec.Parse(p, "--param-per-experiment", perExperiment: true))).ToList(),
                Validate = parse.GetValue(validate) ?? [],
                Step = parse.GetValue(step),
                Threads = parse.GetValue(threads),
                Starts = parse.GetValue(starts) ?? 1,
                Method = parse.GetValue(method) == "nelder-mead" ? CalibrationMethod.NelderMead : CalibrationMethod.LevenbergMarquardt,
                Seed = parse.GetValue(seed) ?? 1,
                Optimizer = new LeastSquaresOptions
                {
                    MaxEvaluations = parse.GetValue(maxEvaluations) ?? 1000,
                    CostTolerance = tol ?? 1e-12,
                    StepTolerance = tol ?? 1e-10,
                },
            };
            CalibrationResult result;
            try
            {
                result = Calibrator.Run(settings, log);
            }
            catch (OptimizationFailedException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return CliOptions.Failed;
            }
            Print(result, settings);
            if (parse.GetValue(output) is { } ssv)
            {
                CalibrationOutput.WriteSsv(ssv, result, settings, result.Function.Unknowns.Select(u => u.Target.Component).Distinct().Count() == 1 && !IsSystem(settings.Model) ? result.Function.Unknowns[0].Target.Component : null);
                Console.WriteLine($"parameters -> {ssv}{(result.Converged ? "" : " (marked: not converged)")}");
            }
            if (parse.GetValue(json) is { } j)
            {
                CalibrationOutput.WriteJson(j, result, settings, Environment.GetCommandLineArgs());
                Console.WriteLine($"record -> {j}");
            }
            if (parse.GetValue(predictions) is { } p)
            {
                CalibrationOutput.WritePredictions(p, result);
                Console.WriteLine($"fitted points -> {p}");
            }
            return result.Converged ? CliOptions.Success : CliOptions.Failed;
        }));
        return command;
    }

    private static bool IsSystem(string model) => model.EndsWith(".ssp", StringComparison.OrdinalIgnoreCase) || model.EndsWith(".ssd", StringComparison.OrdinalIgnoreCase);

    private static void Print(CalibrationResult result, CalibrationSettings settings)
    {
        static string G(double v) => double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : double.IsPositiveInfinity(v) ? "inf" : "-";
        Console.WriteLine($"{Path.GetFileName(settings.Model.TrimEnd('/'))}: {result.Parameters.Count} parameters, {result.Experiments.Count} experiment(s), {result.Points} points, {result.Threads} thread(s)");
        var rows = result.Parameters.Select(p => new[] { p.Name, G(p.Value), G(p.StdErr), $"[{G(p.Lower95)}, {G(p.Upper95)}]", $"{G(p.Lower)}..{G(p.Upper)}", G(p.Start) }).ToList();
        Table.Print(["parameter", "estimate", "stderr", "95 % interval", "bounds", "start"], rows);
        foreach (var q in result.Quality)
            Console.WriteLine($"{q.Output} vs '{q.Column}': RMSE {G(q.RmseBefore)} at the start -> {G(q.RmseAfter)} ({q.Points} points)");
        var rate = result.Elapsed.TotalSeconds > 0 ? result.Evaluations / result.Elapsed.TotalSeconds : 0;
        Console.WriteLine($"{(result.Converged ? "converged" : "NOT CONVERGED")}: {result.Message}");
        if (result.Starts.Count > 1)
        {
            var others = result.Starts.Where(o => o.X != null && o.Cost > result.Cost * (1 + 1e-6)).Select(o => G(o.Cost)).ToList();
            var failed = result.Starts.Count(o => o.X == null);
            Console.WriteLine($"starts: {MultiStart.ReachedBest(result.Starts, result.Cost)} of {result.Starts.Count} reached the best cost {G(result.Cost)}" +
                              (others.Count > 0 ? $"; the others ended at costs {string.Join(", ", others)}" : "") +
                              (failed > 0 ? $"; {failed} could not start (the model failed there)" : ""));
        }
        Console.WriteLine($"cost {G(result.Cost)} after {result.CostHistory.Count - 1} steps, {result.Evaluations} evaluations ({result.ModelRuns} model runs, {result.RejectedTrials} rejected trials, {result.AbandonedTrials} losing trials stopped early) " +
                          $"in {result.Elapsed.TotalSeconds:0.###} s ({rate:0.#} evaluations/s)");
        if (result.Uncertainty is { } u && result.Parameters.Count is > 1 and <= 10)
        {
            Console.WriteLine("correlation:");
            var names = result.Parameters.Select(p => p.Name).ToList();
            Table.Print(["", .. names], names.Select((n, i) => new[] { n }.Concat(names.Select((_, j) => u.Correlation(i, j).ToString("0.000", CultureInfo.InvariantCulture))).ToArray()).ToList());
        }
        foreach (var w in result.Warnings) Console.WriteLine("warning: " + w);
        if (result.Validation.Count > 0)
        {
            Console.WriteLine("validation (data not used for fitting):");
            Table.Print(["file", "output", "points", "RMSE", "MAE", "MAPE %", "inside 90 % band %"],
                result.Validation.Select(v => new[] { Path.GetFileName(v.File), v.Output, v.Points.ToString(CultureInfo.InvariantCulture), G(v.Rmse), G(v.Mae), G(v.Mape), G(v.Inside90) }).ToList());
        }
    }

    private static SolverOptions SolverFrom(string name) => FmuComponentFactory.SolverFrom(new ComponentRequest("model", "model.fmu", "fmu")
    {
        Options = new Dictionary<string, string> { ["solver"] = name },
    })!;

    private static HistorianCsvOptions CsvOptions(string? time, string? timeColumn, string? zone, string? t0, string? delimiter, string? decimalSeparator, string? badRows) => new()
    {
        TimeFormat = time switch
        {
            "datetime" => TimeFormat.DateTime,
            "epoch-s" => TimeFormat.EpochSeconds,
            "epoch-ms" => TimeFormat.EpochMilliseconds,
            "seconds" => TimeFormat.Seconds,
            _ => TimeFormat.Auto,
        },
        TimeColumn = timeColumn,
        Zone = zone == null ? null : TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var z) ? z : throw new InputException($"--data-zone {zone}: no such time zone on this machine (IANA ids, e.g. Europe/Berlin)"),
        TimeZero = t0,
        Delimiter = delimiter switch
        {
            null => null,
            "tab" => '\t',
            { Length: 1 } d => d[0],
            _ => throw new InputException($"--data-delimiter '{delimiter}': one character, or 'tab'"),
        },
        DecimalSeparator = decimalSeparator switch
        {
            null => null,
            "." => '.',
            "," => ',',
            _ => throw new InputException($"--data-decimal '{decimalSeparator}': . or ,"),
        },
        Malformed = badRows == "skip" ? MalformedRows.Skip : MalformedRows.Fail,
    };

    private static Option<string[]> Repeatable(string name, string description) => new(name) { Description = description, AllowMultipleArgumentsPerToken = false };
}
