using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Fmi.Archive;
using CoSim.Isolation;
using CoSim.Fmi.CoSimulation;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;
using CoSim.Results;
using CoSim.Telemetry.Replay;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim simulate FMU</c>: run one FMU over time and write its results as CSV.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var fmu = new Argument<string>("FMU") { Description = "Path of the .fmu archive (or an extracted FMU folder)." };
        var iface = new Option<string?>("--interface") { Description = "cs (co-simulation) or me (model exchange). Default: cs when the FMU has it, else me." };
        iface.AcceptOnlyFromAmong("cs", "me");
        var start = new Option<double?>("--start") { Description = "Start time [s]. Default: the FMU's default experiment, else 0." };
        var stop = new Option<double?>("--stop") { Description = "Stop time [s]. Default: the FMU's default experiment, else start + 1." };
        var step = new Option<double?>("--step") { Description = "Communication step [s] (model exchange: the output interval; the integrator chooses its own steps and also stops at events). Default: the default experiment's step size, else (stop - start)/500." };
        var tolerance = new Option<double?>("--tolerance") { Description = "Relative tolerance handed to the FMU. Default: the default experiment's, if any." };
        var input = new Option<string?>("--input") { Description = "CSV of input signals: header 'time,<input>,...'. Continuous inputs are interpolated linearly, discrete ones held; a repeated time stamp is a discontinuity." };
        var output = new Option<string?>("--output", "-o") { Description = "Result CSV. Default: <FMU name>_out.csv in the current folder." };
        var set = new Option<string[]>("--set") { Description = "Set a parameter or start value before initialization: NAME=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
        var record = new Option<string[]>("--record") { Description = "Record the variables whose names match this glob (* and ?; repeatable). Default: every output." };
        var solver = new Option<string>("--solver")
        {
            Description = "Model exchange only: cvode (SUNDIALS, BDF; stiff and general), cvode-adams, dopri5 (adaptive Dormand-Prince 5(4)) or euler (fixed step).",
            DefaultValueFactory = _ => "cvode",
        };
        solver.AcceptOnlyFromAmong("cvode", "cvode-adams", "dopri5", "euler");
        var maxStep = new Option<double?>("--max-step") { Description = "Model exchange only: largest integrator step [s] (euler: its fixed step, default 1e-3)." };
        var absTolerance = new Option<double?>("--abs-tolerance") { Description = "Model exchange only: absolute tolerance. Default: relative tolerance x each state's nominal value." };
        var logFmu = new Option<bool>("--log-fmu") { Description = "Turn on the FMU's own logging (loggingOn) and show its messages." };
        var command = new Command("simulate",
            "Simulate one FMU and write its results as CSV. Communication points are start + n*step, the last one exactly at stop. " +
            "Results are written as the run goes; on failure, the rows recorded so far stay on disk.")
        {
            fmu, iface, start, stop, step, tolerance, input, output, set, record, solver, maxStep, absTolerance, logFmu,
        };
        IsolationCli.AddTo(command);
        command.SetAction(parse => CliOptions.Run(parse, log =>
        {
            var isolation = IsolationCli.Read(parse);
            var options = new SimulateOptions(
                parse.GetValue(fmu)!, parse.GetValue(iface), parse.GetValue(start), parse.GetValue(stop), parse.GetValue(step),
                parse.GetValue(tolerance), parse.GetValue(input), parse.GetValue(output),
                parse.GetValue(set) ?? [], parse.GetValue(record) ?? [], parse.GetValue(logFmu),
                parse.GetValue(solver)!, parse.GetValue(maxStep), parse.GetValue(absTolerance),
                parse.GetResult(solver) is { Implicit: false } || parse.GetValue(maxStep) != null || parse.GetValue(absTolerance) != null);
            if (options.LogFmu && log is ConsoleLogSink console) console.Minimum = LogLevel.Debug;
            return Simulate(options, isolation, log);
        }));
        return command;
    }

    private sealed record SimulateOptions(
        string Fmu, string? Interface, double? Start, double? Stop, double? Step, double? Tolerance,
        string? Input, string? Output, string[] Set, string[] Record, bool LogFmu,
        string Solver, double? MaxStep, double? AbsTolerance, bool SolverOptionsGiven);

    private static int Simulate(SimulateOptions o, IsolationCli.Request isolation, ILogSink log)
    {
        var archive = FmuArchive.Open(o.Fmu);
        var md = archive.Model; // throws with every error when the description cannot run
        foreach (var w in archive.Report.Warnings) log.Log(LogLevel.Debug, "validate", w.ToString());

        var useMe = o.Interface == "me" || (o.Interface == null && md.CoSimulation == null);
        if (useMe && md.ModelExchange == null)
            throw new InputException(md.CoSimulation == null
                ? $"{o.Fmu}: the FMU has neither a co-simulation nor a model-exchange interface"
                : $"{o.Fmu}: the FMU has no model-exchange interface; use --interface cs");
        if (!useMe && md.CoSimulation == null) throw new InputException($"{o.Fmu}: the FMU has no co-simulation interface; use --interface me");
        if (!useMe && o.SolverOptionsGiven)
            throw new InputException("--solver, --max-step and --abs-tolerance apply to model exchange (--interface me); a co-simulation FMU brings its own solver");

        var de = md.DefaultExperiment;
        var t0 = o.Start ?? de?.StartTime ?? 0;
        var t1 = o.Stop ?? de?.StopTime ?? t0 + 1;
        var h = o.Step ?? de?.StepSize ?? (t1 - t0) / 500;
        var schedule = StepSchedule.Create(t0, t1, h);
        var table = o.Input == null ? null : InputTable.Load(o.Input);
        var outputPath = o.Output ?? Path.GetFileNameWithoutExtension(o.Fmu.TrimEnd('/')) + "_out.csv";

        isolation.CheckNames([md.ModelName], "model");
        using ISimulationUnit unit = isolation.Any
            ? new IsolatedUnit(archive, md.ModelName, log, useMe, useMe ? SolverFor(o) : null, o.LogFmu, isolation.Options)
            : useMe
            ? new FmuModelExchangeUnit(archive, md.ModelName, log, SolverFor(o), o.LogFmu)
            : new FmuCoSimulationUnit(archive, md.ModelName, log, o.LogFmu);
        var startValues = o.Set.Select(s => ParseSet(s, unit)).ToList();
        var signals = SelectSignals(unit, o.Record);
        var manipulators = new List<IManipulator>();
        if (table != null) manipulators.Add(new TableInput(table, unit, o.Input!));

        using var recorder = new CsvRecorder(outputPath, signals.Select(v => new RecordedSignal(unit, v.Index, v.Name)).ToList());
        using var progress = ProgressBar.ForStandardError();
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var execution = new SingleUnitExecution(unit, schedule, manipulators, [recorder])
            {
                StartValues = startValues,
                Tolerance = o.Tolerance ?? de?.Tolerance,
                Progress = progress == null ? null : progress.Report,
            };
            RunReport report;
            try
            {
                report = execution.Run(cancel.Token);
            }
            catch (SimulationException)
            {
                progress?.Clear();
                if (unit is FmuModelExchangeUnit me) Console.Error.WriteLine("integrator: " + me.Statistics);
                Console.Error.WriteLine($"{recorder.Rows} rows recorded up to the failure are in {outputPath}");
                throw;
            }
            progress?.Clear();
            var summary = $"{md.ModelName} (FMI {md.FmiVersionText}, {(useMe ? "model exchange" : "co-simulation")}): {report.Steps} steps to t={report.EndTime.Seconds.ToString("R", CultureInfo.InvariantCulture)} s " +
                          $"in {report.WallTime.TotalSeconds:0.###} s; {recorder.Rows} rows -> {outputPath}";
            Console.WriteLine(summary);
            if (unit is FmuModelExchangeUnit meUnit) Console.WriteLine("integrator: " + meUnit.Statistics);
            if (report.Outcome != RunOutcome.Completed) Console.WriteLine($"ended early: {report.Reason}");
            return CliOptions.Success;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static SolverOptions SolverFor(SimulateOptions o)
    {
        var options = o.Solver switch
        {
            "cvode-adams" => new SolverOptions { Kind = SolverKind.Cvode, CvodeMethod = CvodeMethod.Adams },
            "dopri5" => new SolverOptions { Kind = SolverKind.DormandPrince54 },
            "euler" => new SolverOptions { Kind = SolverKind.Euler, FixedStep = o.MaxStep },
            _ => new SolverOptions { Kind = SolverKind.Cvode, CvodeMethod = CvodeMethod.Bdf },
        };
        options = options with { RelativeTolerance = o.Tolerance, AbsoluteTolerance = o.AbsTolerance, MaxStep = o.Solver == "euler" ? null : o.MaxStep };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InputException(e.Message, e);
        }
        return options;
    }

    private static (int, string) ParseSet(string assignment, ISimulationUnit unit)
    {
        var eq = assignment.IndexOf('=');
        if (eq <= 0) throw new InputException($"--set '{assignment}': expected NAME=VALUE");
        var name = assignment[..eq].Trim();
        var value = assignment[(eq + 1)..];
        var variable = unit.Variables.FirstOrDefault(v => v.Name == name)
                       ?? throw new InputException($"--set {name}: no variable of that name in '{unit.Name}'{Suggest(name, unit)}");
        if (variable.Role is VariableRole.Output or VariableRole.CalculatedParameter or VariableRole.Independent)
            throw new InputException($"--set {name}: it is {Article(variable.Role)} {Describe(variable.Role)}, which cannot be set; set parameters, inputs or start values");
        return (variable.Index, value);
    }

    private static string Article(VariableRole r) => r is VariableRole.Output or VariableRole.Input or VariableRole.Independent ? "an" : "a";

    private static string Describe(VariableRole r) => r switch
    {
        VariableRole.CalculatedParameter => "calculated parameter",
        VariableRole.StructuralParameter => "structural parameter",
        _ => r.ToString().ToLowerInvariant(),
    };

    private static string Suggest(string name, ISimulationUnit unit)
    {
        var close = unit.Variables.Select(v => v.Name)
            .Where(n => n.Contains(name, StringComparison.OrdinalIgnoreCase) || name.Contains(n, StringComparison.OrdinalIgnoreCase) || Distance(n.ToLowerInvariant(), name.ToLowerInvariant()) <= 2)
            .Take(5).ToList();
        return close.Count == 0 ? " (see 'cosim info')" : $"; did you mean {string.Join(", ", close.Select(c => $"'{c}'"))}?";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    private static List<UnitVariable> SelectSignals(ISimulationUnit unit, string[] globs)
    {
        bool Numeric(UnitVariable v) => v.Kind is ValueKind.Real or ValueKind.Integer or ValueKind.Boolean;
        if (globs.Length == 0)
            return unit.Variables.Where(v => v.Role == VariableRole.Output && Numeric(v)).ToList();
        var patterns = globs.Select(g => (Glob: g, Regex: new Regex("^" + Regex.Escape(g).Replace("\\*", ".*").Replace("\\?", ".") + "$"))).ToList();
        foreach (var p in patterns)
            if (!unit.Variables.Any(v => p.Regex.IsMatch(v.Name)))
                throw new InputException($"--record '{p.Glob}' matches no variable of '{unit.Name}'{Suggest(p.Glob.Trim('*', '?'), unit)}");
        var selected = unit.Variables.Where(v => patterns.Any(p => p.Regex.IsMatch(v.Name))).ToList();
        var skipped = selected.Where(v => !Numeric(v)).Select(v => v.Name).ToList();
        if (skipped.Count > 0 && selected.Count == skipped.Count)
            throw new InputException($"--record: only non-numeric variables matched ({string.Join(", ", skipped)}); CSV results hold numbers and Booleans");
        return selected.Where(Numeric).ToList();
    }
}
