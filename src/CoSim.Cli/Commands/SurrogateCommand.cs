using System.CommandLine;
using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Ml;
using CoSim.Ml.Training;

namespace CoSim.Cli.Commands;

/// <summary>
/// <c>cosim surrogate fit|residual</c>: data-driven models fitted on a CSV (a CoSim result file or
/// plant data) and written as standard ONNX files, which run as components of kind <c>onnx</c>.
/// </summary>
internal static class SurrogateCommand
{
    public static Command Create() => new("surrogate",
        "Fit data-driven models on recorded data and write them as ONNX files, which run in a system as components (kind 'onnx', " +
        "variables named after the data's columns). See docs/ml.md.")
    {
        Fit(),
        Residual(),
    };

    private static Command Fit()
    {
        var data = DataArgument();
        var inputs = Columns("--inputs", "Input columns, comma separated or repeated: COLUMN (a result column 'Pump.valve' becomes the variable 'valve') or COLUMN=NAME.");
        var outputs = Columns("--outputs", "Output columns, as --inputs.");
        var output = OutputOption();
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer widths, comma separated (tanh layers).", DefaultValueFactory = _ => "16,16" };
        var epochs = CliOptions.Integer("--epochs", "Passes over the training rows (default 300); the epoch with the lowest validation error is kept.");
        var seed = CliOptions.Integer("--seed", "Seed of the validation split, the initial weights and the batch order (default 1): same data and seed, same model.");
        var batch = CliOptions.Integer("--batch-size", "Rows per Adam step (default 32).");
        var rate = CliOptions.Number("--learning-rate", "Adam's step size (default 0.01).");
        var validation = CliOptions.Number("--validation", "Share of the rows held out, at random, to measure the error (default 0.2).");
        var lag = CliOptions.Integer("--output-lag",
            "Pair the inputs of row k with the outputs of row k+N (default 0), e.g. for plant data whose outputs respond after a known delay. " +
            "A CoSim result needs none: each row holds the inputs of the step that ended at its time and that step's outputs.");
        var skip = CliOptions.Integer("--skip-rows", "Leave out the first N data rows (default 0), e.g. the start-up transient of a simulation.");
        var command = new Command("fit",
            "Train a small MLP surrogate (tanh hidden layers, linear output, inputs and outputs standardised inside the model) with Adam on DATA " +
            "and write it as ONNX (input tensor x [N,inputs], output tensor y [N,outputs]). Prints the RMSE of each output on the validation rows. " +
            "Example: cosim surrogate fit pump.csv --inputs Pump.valve,Pump.voltage --outputs Pump.flowRate -o pump.onnx")
        {
            data, inputs, outputs, output, hidden, epochs, seed, batch, rate, validation, lag, skip,
        };
        command.SetAction(parse => CliOptions.Run(parse, _ =>
        {
            var path = CliOptions.OutputFile(parse.GetValue(output)!);
            var ins = ColumnChoice.ParseList(parse.GetValue(inputs)!, "--inputs");
            var outs = ColumnChoice.ParseList(parse.GetValue(outputs)!, "--outputs", ins);
            var options = new MlpOptions
            {
                Hidden = ParseHidden(parse.GetValue(hidden)!),
                Epochs = Positive("--epochs", parse.GetValue(epochs) ?? 300),
                Seed = parse.GetValue(seed) ?? 1,
                BatchSize = Positive("--batch-size", parse.GetValue(batch) ?? 32),
                LearningRate = parse.GetValue(rate) is { } r && r > 0 ? r : parse.GetValue(rate) == null ? 0.01 : throw new InputException("--learning-rate: must be positive"),
                ValidationFraction = parse.GetValue(validation) is { } v ? (v is >= 0 and < 1 ? v : throw new InputException("--validation: a share from 0 to below 1")) : 0.2,
            };
            var shift = parse.GetValue(lag) ?? 0;
            var first = parse.GetValue(skip) ?? 0;
            if (shift < 0 || first < 0) throw new InputException("--output-lag and --skip-rows must not be negative");
            var table = LoadData(parse.GetValue(data)!, [.. ins.Select(c => c.Column), .. outs.Select(c => c.Column)]);
            if (table.RowCount <= shift + first) throw new InputException($"{table.Path}: {table.RowCount} rows, not more than --skip-rows {first} + --output-lag {shift}");
            var x = table.Select(ins.Select(c => c.Column).ToList(), from: first, dropLast: shift);
            var y = table.Select(outs.Select(c => c.Column).ToList(), from: first + shift);
            var (model, report) = MlpTrainer.Train(x, y, ins.Select(c => c.Variable).ToList(), outs.Select(c => c.Variable).ToList(), options);
            model.ToOnnx("surrogate", $"MLP {model.Shape} (tanh) fitted by cosim surrogate fit on {Path.GetFileName(table.Path)}").Write(path);
            Console.WriteLine($"MLP {model.Shape} (tanh), {report.TrainingRows} training rows, {report.ValidationRows} validation rows, " +
                              $"{options.Epochs} epochs (kept epoch {report.BestEpoch}), seed {options.Seed}");
            Console.WriteLine("RMSE per output (validation / training):");
            for (var j = 0; j < outs.Count; j++)
                Console.WriteLine($"  {outs[j].Variable}: {G(report.ValidationRmse[j])} / {G(report.TrainingRmse[j])}, R² {report.ValidationR2[j].ToString("0.###", CultureInfo.InvariantCulture)}");
            for (var j = 0; j < outs.Count; j++)
                if (report.ValidationR2[j] < TrainingReport.LowR2)
                    Console.Error.WriteLine($"warning: {outs[j].Variable}: R² {report.ValidationR2[j].ToString("0.###", CultureInfo.InvariantCulture)} on the validation rows: the model predicts " +
                                            $"little more than the mean of '{outs[j].Column}'; the data may hold no relation between the inputs ({string.Join(", ", ins.Select(i => i.Column))}) and it");
            Console.WriteLine($"wrote {path} ({new FileInfo(path).Length} bytes): x [N,{ins.Count}] = {string.Join(", ", model.Inputs)}; y [N,{outs.Count}] = {string.Join(", ", model.Outputs)}");
            return CliOptions.Success;
        }));
        return command;
    }

    private static Command Residual()
    {
        var data = DataArgument();
        var baseColumn = new Option<string>("--base") { Description = "The model output to correct, e.g. an FMU's result column: COLUMN or COLUMN=NAME.", Required = true };
        var measured = new Option<string>("--measured") { Description = "The column of what was measured for that output.", Required = true };
        var features = Columns("--features", "Columns the correction is linear in, as for 'fit --inputs' (may include the base).");
        var name = new Option<string>("--name") { Description = "Name of the corrected output (default: the base's name + 'Corrected'; the correction alone is the base's name + 'Correction')." };
        var output = OutputOption();
        var command = new Command("residual",
            "Fit a residual hybrid model: corrected = base + w·features + c, with w and c the least-squares fit (QR) of measured - base, " +
            "and write it as ONNX (input x = base, features; output y = corrected, correction). Prints the coefficients and the RMSE before and after. " +
            "Example: cosim surrogate residual plant.csv --base Pump.flowRate --measured flowMeter --features Pump.speed,Pump.valve -o residual.onnx")
        {
            data, baseColumn, measured, features, name, output,
        };
        command.SetAction(parse => CliOptions.Run(parse, _ =>
        {
            var path = CliOptions.OutputFile(parse.GetValue(output)!);
            var b = ColumnChoice.Parse(parse.GetValue(baseColumn)!);
            var fs = ColumnChoice.ParseList(parse.GetValue(features)!, "--features");
            if (fs.FirstOrDefault(f => f.Variable == b.Variable && f.Column != b.Column) is { } clash)
                throw new InputException($"--features: column '{clash.Column}' would be the variable '{b.Variable}' of the base; name it with COLUMN=NAME");
            var table = LoadData(parse.GetValue(data)!, [b.Column, parse.GetValue(measured)!, .. fs.Select(f => f.Column)]);
            var outputName = parse.GetValue(name) ?? b.Variable + "Corrected";
            var (model, report) = ResidualModel.Fit(table, b, parse.GetValue(measured)!, fs, outputName);
            model.ToOnnx("residual", $"residual model fitted by cosim surrogate residual on {Path.GetFileName(table.Path)}").Write(path);
            var terms = model.Features.Select((f, i) => $"{Signed(model.Coefficients[i])}*{f}").Append(Signed(model.Intercept));
            Console.WriteLine($"{outputName} = {b.Variable} {string.Join(" ", terms)}");
            Console.WriteLine($"RMSE of measured - base on {report.Rows} rows: {G(report.RmseBefore)} before, {G(report.RmseAfter)} after the correction");
            Console.WriteLine($"wrote {path} ({new FileInfo(path).Length} bytes): x [N,{model.Inputs.Count}] = {string.Join(", ", model.Inputs)}; y [N,2] = {outputName}, {model.Correction}");
            return CliOptions.Success;
        }));
        return command;
    }

    /// <summary>
    /// DATA read by the replay reader (docs/telemetry.md: delimiter, decimal separator and time format detected, errors with
    /// file:line:col), the selected columns only: a CoSim result and a plant historian file alike.
    /// </summary>
    private static DataTable LoadData(string path, IEnumerable<string> columns)
    {
        var data = Telemetry.Replay.HistorianCsv.Load(path, new Telemetry.Replay.HistorianCsvOptions { Columns = columns.Distinct().ToList() });
        return DataTable.FromColumns(path, data.Columns, data.Values, data.Lines);
    }

    private static Argument<string> DataArgument() => new("DATA")
    {
        Description = "CSV with a header of column names and time first: a CoSim result file (time,Component.variable,...) or a plant historian file " +
                      "(delimiter, decimal separator and time format detected as for --replay); only the selected columns are read.",
    };

    private static Option<string[]> Columns(string name, string description) =>
        new(name) { Description = description, Required = true, AllowMultipleArgumentsPerToken = true };

    private static Option<string> OutputOption() => new("--output", "-o") { Description = "The ONNX file to write.", Required = true };

    private static IReadOnlyList<int> ParseHidden(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new List<int>();
        foreach (var p in parts)
            widths.Add(int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) && w > 0 ? w
                : throw new InputException($"--hidden '{text}': expected positive layer widths, e.g. 16,16"));
        return widths;
    }

    private static int Positive(string option, int value) => value > 0 ? value : throw new InputException($"{option}: must be positive");

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string Signed(double v) => (v < 0 ? "- " : "+ ") + Math.Abs(v).ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary><c>cosim info model.onnx</c>: an ONNX model's tensors as the onnx component maps them to variables.</summary>
internal static class OnnxInfo
{
    public static bool Handles(string path) => new OnnxComponentFactory().Recognizes(path);

    public static int Print(string path)
    {
        using var component = new OnnxComponent(Path.GetFileNameWithoutExtension(path), path, new Dictionary<string, string>());
        Console.WriteLine($"Model          {path}");
        Console.WriteLine($"Kind           {component.KindDescription}");
        Console.WriteLine();
        Table.Print(["Variable", "Type", "Causality", "Start", "Description"],
            component.Variables.Select(v => new[] { v.Name, v.TypeName, v.Role == VariableRole.Input ? "input" : "output", v.Start ?? "", v.Description ?? "" }).ToList());
        return CliOptions.Success;
    }

    /// <summary><c>cosim validate model.onnx</c>: makes the component once (tensor names, types, shapes, a trial inference); exit 0 when it can run, 1 when not.</summary>
    public static int Validate(string path)
    {
        try
        {
            using var component = new OnnxComponent(Path.GetFileNameWithoutExtension(path), path, new Dictionary<string, string>());
            var inputs = component.Variables.Count(v => v.Role == VariableRole.Input);
            Console.WriteLine($"{path}: can run ({inputs} input{(inputs == 1 ? "" : "s")}, {component.Variables.Count - inputs} output{(component.Variables.Count - inputs == 1 ? "" : "s")}; {component.KindDescription})");
            return CliOptions.Success;
        }
        catch (InputException e)
        {
            Console.WriteLine("error: " + e.Message);
            Console.WriteLine($"{path}: cannot run (1 error)");
            return CliOptions.Failed;
        }
    }
}

/// <summary><c>--replace NAME=FILE</c>: the component NAME is made from FILE instead (its kind recognised from the file, e.g. an ONNX surrogate).</summary>
internal static class ComponentReplacement
{
    public static void Apply(RunSpecification spec, IEnumerable<string> replacements)
    {
        foreach (var text in replacements)
        {
            var (name, file) = CliOptions.SplitAssignment("--replace", text, "NAME=FILE");
            var i = spec.Components.FindIndex(c => c.Name == name);
            if (i < 0) throw new InputException($"--replace {text}: no component '{name}' (have: {string.Join(", ", spec.Components.Select(c => c.Name))})");
            if (!File.Exists(file)) throw new InputException($"--replace {text}: no such file {file}");
            spec.Components[i] = spec.Components[i] with { Request = new ComponentRequest(name, Path.GetFullPath(file)), Instance = null };
        }
    }
}
