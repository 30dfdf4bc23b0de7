using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Ssp;
using CoSim.Results;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim run SYSTEM.ssp</c>: co-simulate a system of FMUs imported from SSP and write its results as CSV.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var system = new Argument<string>("SYSTEM") { Description = "The system: an .ssp archive or a folder holding SystemStructure.ssd." };
        var start = new Option<double?>("--start") { Description = "Start time [s]. Default: the SSD's default experiment, else 0." };
        var stop = new Option<double?>("--stop") { Description = "Stop time [s]. Default: the SSD's default experiment, else start + 1." };
        var step = new Option<double?>("--step") { Description = "Communication step [s] (for variable step: the first step). Default: (stop - start)/1000." };
        var algorithm = new Option<string>("--algorithm") { Description = "Master algorithm: jacobi (parallel), gauss-seidel (ordered by the connection graph) or variable (step-size control with rollback).", DefaultValueFactory = _ => "jacobi" };
        algorithm.AcceptOnlyFromAmong("jacobi", "gauss-seidel", "variable");
        var hold = new Option<string>("--gs-hold")
        {
            Description = "Gauss-Seidel: a continuous input whose provider already stepped holds the mean of its values at t and t+h (mean), or its value at t+h (end, the textbook scheme).",
            DefaultValueFactory = _ => "mean",
        };
        hold.AcceptOnlyFromAmong("mean", "end");
        var tolerance = new Option<double?>("--tolerance") { Description = "Variable step: tolerance on the coupling error of a step (default 1e-3)." };
        var threads = new Option<int?>("--threads") { Description = "Threads stepping units in parallel (default: the processor count). Results do not depend on it." };
        var realTime = new Option<double>("--real-time") { Description = "Pace the run at this multiple of the wall clock (1 = real time); 0 = as fast as possible.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--output", "-o") { Description = "Result CSV. Default: <system name>_out.csv in the current folder." };
        var record = new Option<string[]>("--record") { Description = "Record the variables whose Component.variable names match this glob (* and ?; repeatable). Default: every output of every component." };
        var command = new Command("run",
            "Co-simulate a system (SSP 1.0/2.0) of FMUs in lockstep and write its results as CSV, one column per Component.variable. " +
            "The system is validated first and every problem reported at once.")
        {
            system, start, stop, step, algorithm, hold, tolerance, threads, realTime, output, record,
        };
        IsolationCli.AddTo(command);
        command.SetAction(parse => CliOptions.Run(parse, log => Run(IsolationCli.Read(parse),
            parse.GetValue(system)!, parse.GetValue(start), parse.GetValue(stop), parse.GetValue(step), parse.GetValue(algorithm)!,
            parse.GetValue(hold) == "end" ? GaussSeidelHold.End : GaussSeidelHold.Mean, parse.GetValue(tolerance), parse.GetValue(threads), parse.GetValue(realTime), parse.GetValue(output), parse.GetValue(record) ?? [], log)));
        return command;
    }

    private static int Run(IsolationCli.Request isolation, string path, double? start, double? stop, double? step, string algorithm, GaussSeidelHold hold, double? tolerance, int? threads,
        double realTime, string? output, string[] record, ILogSink log)
    {
        if (realTime < 0 || !double.IsFinite(realTime)) throw new InputException($"--real-time {realTime}: must be 0 (as fast as possible) or positive");
        if (threads is < 1) throw new InputException($"--threads {threads}: must be at least 1");
        using var ssp = SspImporter.Load(path, log, isolation.Factory(log));
        isolation.CheckNames(ssp.System.Components.Select(c => c.Name), "component");
        var model = ssp.System;
        var validation = model.Validate();
        foreach (var w in validation.Warnings) log.Log(LogLevel.Warning, ssp.Name, w.Message);
        validation.ThrowIfErrors();

        var t0 = start ?? ssp.StartTime ?? 0;
        var t1 = stop ?? ssp.StopTime ?? t0 + 1;
        var schedule = StepSchedule.Create(t0, t1, step ?? (t1 - t0) / 1000);
        var options = new SystemRunOptions
        {
            Schedule = schedule,
            Algorithm = algorithm switch { "gauss-seidel" => MasterAlgorithm.GaussSeidel, "variable" => MasterAlgorithm.VariableStep, _ => MasterAlgorithm.Jacobi },
            GaussSeidelHold = hold,
            Threads = threads ?? Environment.ProcessorCount,
            RealTimeFactor = realTime,
            VariableStep = tolerance is { } tol ? new VariableStepOptions { Tolerance = tol } : new VariableStepOptions(),
        };
        var signals = SelectSignals(model, record);
        var outputPath = output ?? ssp.Name + "_out.csv";
        using var recorder = new CsvRecorder(outputPath, signals);
        var execution = new SystemExecution(model, options, observers: [recorder]);
        foreach (var loop in execution.AlgebraicLoops) log.Log(LogLevel.Info, ssp.Name, "algebraic loop: " + loop);

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            SystemRunReport report;
            try
            {
                report = execution.Run(cancel.Token);
            }
            catch (SimulationException)
            {
                Console.Error.WriteLine($"{recorder.Rows} rows recorded up to the failure are in {outputPath}");
                throw;
            }
            var s = report.Statistics;
            string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
            Console.WriteLine($"{ssp.Name}: {model.Components.Count} components, {options.Algorithm}, {s.Steps} steps to t={F(report.EndTime.Seconds)} s " +
                              $"in {report.WallTime.TotalSeconds:0.###} s; {recorder.Rows} rows -> {outputPath}");
            if (options.Algorithm == MasterAlgorithm.VariableStep)
                Console.WriteLine($"steps: {s.RejectedSteps} rejected (coupling error), {s.DiscardedSteps} discarded by a unit and retried; step {F(s.SmallestStep.Seconds)}..{F(s.LargestStep.Seconds)} s");
            if (s.LoopSolves > 0)
                Console.WriteLine($"algebraic loops: {execution.AlgebraicLoops.Count}, {s.LoopSolves} solves, {s.LoopIterations} iterations, {s.NewtonFallbacks} Newton fallbacks");
            if (realTime > 0)
                Console.WriteLine($"real time x{F(realTime)}: {s.Overruns} overruns (max {s.MaxOverrun.TotalMilliseconds:0.###} ms, total {s.TotalOverrun.TotalMilliseconds:0.###} ms)");
            if (report.Outcome != RunOutcome.Completed) Console.WriteLine($"ended early: {report.Reason}");
            return CliOptions.Success;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static List<RecordedSignal> SelectSignals(Engine.Systems.SystemModel model, string[] globs)
    {
        static bool Numeric(UnitVariable v) => v.Kind is ValueKind.Real or ValueKind.Integer or ValueKind.Boolean;
        var all = model.Components.SelectMany(c => c.Unit.Variables.Where(Numeric).Select(v => (c.Unit, v, Column: $"{c.Name}.{v.Name}"))).ToList();
        if (globs.Length == 0)
            return all.Where(a => a.v.Role == VariableRole.Output).Select(a => new RecordedSignal(a.Unit, a.v.Index, a.Column)).ToList();
        var patterns = globs.Select(g => (Glob: g, Regex: new Regex("^" + Regex.Escape(g).Replace("\\*", ".*").Replace("\\?", ".") + "$"))).ToList();
        foreach (var p in patterns)
            if (!all.Any(a => p.Regex.IsMatch(a.Column)))
                throw new InputException($"--record '{p.Glob}' matches no numeric variable (names are Component.variable, e.g. '{all.FirstOrDefault().Column}')");
        return all.Where(a => patterns.Any(p => p.Regex.IsMatch(a.Column))).Select(a => new RecordedSignal(a.Unit, a.v.Index, a.Column)).ToList();
    }
}
