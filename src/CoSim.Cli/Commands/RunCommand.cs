using System.CommandLine;
using CoSim.Core;
using CoSim.Engine.Algorithms;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Ssp;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim run SYSTEM.ssp</c>: co-simulate a system of FMUs imported from SSP and write its results as CSV.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var system = new Argument<string>("SYSTEM") { Description = "The system: an .ssp archive or a folder holding SystemStructure.ssd; or a scenario script SCENARIO.csx (then only --output and --format apply: the script sets the rest)." };
        var algorithm = new Option<string>("--algorithm")
        {
            Description = "Master algorithm: jacobi (parallel), gauss-seidel (ordered by the connection graph), multi-rate (Jacobi with per-component step multiples, see --rate), variable (step-size control with rollback) " +
                          "or strong (every component's model-exchange interface integrated together by one CVODE: stiff, strongly coupled systems; see docs/algorithms.md).",
            DefaultValueFactory = _ => "jacobi",
        };
        algorithm.AcceptOnlyFromAmong("jacobi", "gauss-seidel", "multi-rate", "variable", "strong");
        var hold = new Option<string>("--gs-hold")
        {
            Description = "Gauss-Seidel: what an input holds when its provider already stepped: end (its value at t+h, the textbook scheme; default) " +
                          "or mean (the mean of its values at t and t+h, for continuous inputs without direct feedthrough; more accurate on oscillating systems, see docs/algorithms.md).",
            DefaultValueFactory = _ => "end",
        };
        hold.AcceptOnlyFromAmong("end", "mean");
        var rate = new Option<string[]>("--rate") { Description = "Multi-rate: COMPONENT=N makes the component step every N base steps (repeatable)." };
        var couplingTolerance = CliOptions.Number("--coupling-tolerance", "Variable step: tolerance on the coupling error of a step (default 1e-3).");
        var threads = CliOptions.Integer("--threads", "Threads stepping components in parallel (default: the processor count). Results do not depend on it.");
        var realTime = CliOptions.Number("--real-time", "Pace the run at this multiple of the wall clock (1 = real time); 0 (default) = as fast as possible.");
        var common = new RunOptions(
            startHelp: "Start time [s]. Default: the SSD's default experiment, else 0.",
            stopHelp: "Stop time [s]. Default: the SSD's default experiment, else start + 1.",
            stepHelp: $"Communication (base) step [s] (variable step: the first step). Default: (stop - start)/{RunDefaults.StepsWhenUnspecified}.",
            outputHelp: "Result file: CSV, or Parquet when it ends in .parquet (see --format); RESULT.provenance.json is written beside it. Default: <system name>_out.csv (.parquet with --format parquet) in the current folder.",
            setHelp: "Set a parameter, input or start value before initialization: Component.variable=VALUE (repeatable).",
            inputHelp: "CSV of input signals: header 'time,Component.input,...'; interpolation as for 'cosim simulate --input'.",
            recordHelp: "Record the variables whose Component.variable names match this glob (* and ?; repeatable). Default: every output of every component.");
        var command = new Command("run",
            "Co-simulate a system (SSP 1.0/2.0) of FMUs in lockstep and write its results as CSV, one column per Component.variable. " +
            "The system is validated first and every problem reported at once.")
        {
            system, algorithm, hold, rate, couplingTolerance, threads, realTime,
        };
        common.AddTo(command);
        command.SetAction(parse => CliOptions.Run(parse, log =>
        {
            if (ScenarioCommand.IsScript(parse.GetValue(system)!)) return ScenarioCommand.Run(parse, parse.GetValue(system)!, log);
            var spec = SspImporter.Load(parse.GetValue(system)!);
            spec.Algorithm = parse.GetValue(algorithm) switch
            {
                "gauss-seidel" => MasterAlgorithm.GaussSeidel,
                "multi-rate" => MasterAlgorithm.MultiRate,
                "variable" => MasterAlgorithm.VariableStep,
                _ => MasterAlgorithm.Jacobi,
            };
            if (parse.GetValue(algorithm) == "strong")
            {
                // One group of every component, named after the system; Jacobi steps it (it is then the only component).
                spec.StrongGroups.Clear();
                spec.StrongGroups.Add(new StrongGroupSpec(StrongGroupName(spec), spec.Components.Select(c => c.Name).ToList()));
            }
            spec.GaussSeidelHold = parse.GetValue(hold) == "mean" ? GaussSeidelHold.Mean : GaussSeidelHold.End;
            if (parse.GetValue(couplingTolerance) is { } ct)
            {
                if (spec.Algorithm != MasterAlgorithm.VariableStep)
                    throw new InputException("--coupling-tolerance applies to --algorithm variable; for the FMUs' own tolerance use --tolerance");
                spec.VariableStep = spec.VariableStep with { Tolerance = ct };
            }
            spec.Threads = parse.GetValue(threads);
            spec.RealTimeFactor = parse.GetValue(realTime) ?? 0;
            foreach (var r in parse.GetValue(rate) ?? []) ApplyRate(spec, r);
            common.Apply(parse, spec, log, defaultComponent: spec.Components.Count == 1 ? spec.Components[0].Name : null);
            return RunDriver.Execute(spec, log, common.ReportPath(parse));
        }));
        return command;
    }

    /// <summary>The name of the one group of <c>--algorithm strong</c>: "strong", unless a component has that name.</summary>
    private static string StrongGroupName(RunSpecification spec)
    {
        var name = "strong";
        while (spec.Components.Any(c => c.Name == name)) name += "_";
        return name;
    }

    private static void ApplyRate(RunSpecification spec, string assignment)
    {
        var (name, value) = CliOptions.SplitAssignment("--rate", assignment, "COMPONENT=N");
        if (!int.TryParse(value, out var n) || n < 1) throw new InputException($"--rate {assignment}: N must be a whole number of at least 1");
        var index = spec.Components.FindIndex(c => c.Name == name);
        if (index < 0) throw new InputException($"--rate {assignment}: no component '{name}' (the system has {string.Join(", ", spec.Components.Select(c => c.Name))})");
        spec.Components[index] = spec.Components[index] with { StepMultiple = n };
    }
}
