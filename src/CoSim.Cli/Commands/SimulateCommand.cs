using System.CommandLine;
using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Runner;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim simulate FMU</c>: run one FMU (a system of one component) and write its results as CSV.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var fmu = new Argument<string>("FMU") { Description = "Path of the .fmu archive (or an extracted FMU folder)." };
        var iface = new Option<string?>("--interface")
        {
            Description = "cs (co-simulation), me (model exchange) or se (FMI 3 scheduled execution). Default: cs when the FMU has it, else me, else se.",
        };
        iface.AcceptOnlyFromAmong("cs", "me", "se");
        var clockLink = new Option<string[]>("--clock-link")
        {
            Description = "Scheduled execution: IN=OUT makes triggered input clock IN tick whenever output clock OUT ticks (repeatable). See docs/clocks.md.",
            AllowMultipleArgumentsPerToken = false,
        };
        var clockInterval = new Option<string[]>("--clock-interval")
        {
            Description = "Scheduled execution: CLOCK=SECONDS sets the interval of a clock with intervalVariability=\"fixed\" (repeatable; default: the XML's).",
            AllowMultipleArgumentsPerToken = false,
        };
        var solver = new Option<string?>("--solver")
        {
            Description = "Model exchange only: cvode (SUNDIALS, BDF; stiff and general; the default), cvode-adams, dopri5 (adaptive Dormand-Prince 5(4)) or euler (fixed step).",
        };
        solver.AcceptOnlyFromAmong("cvode", "cvode-adams", "dopri5", "euler");
        var maxStep = CliOptions.Number("--max-step", "Model exchange only: largest integrator step [s] (euler: its fixed step, default 1e-3).");
        var absTolerance = CliOptions.Number("--abs-tolerance", "Model exchange only: absolute tolerance. Default: relative tolerance x each state's nominal value.");
        var common = new RunOptions(FrontEnds.Simulate,
            inputHelp: "CSV of input signals: header 'time,<input>,...'. Continuous inputs are interpolated linearly, discrete ones held; a repeated time stamp is a discontinuity.",
            recordHelp: "Record the variables whose names match this glob (* and ?; repeatable). Default: every output.");
        var command = new Command("simulate",
            "Simulate one FMU and write its results as CSV. Communication points are start + n*step, the last one exactly at stop. " +
            "Results are written as the run goes; on failure, the rows recorded so far stay on disk.")
        {
            fmu, iface, solver, maxStep, absTolerance, clockLink, clockInterval,
        };
        common.AddTo(command);
        command.SetAction(parse => CliOptions.Run(parse, log =>
        {
            var path = parse.GetValue(fmu)!;
            var name = ComponentName(path);
            var options = new Dictionary<string, string>();
            if (parse.GetValue(iface) is { } i) options["interface"] = i;
            if (parse.GetValue(solver) is { } s) options["solver"] = s;
            if (parse.GetValue(maxStep) is { } m) options["max-step"] = CliOptions.Text(m);
            if (parse.GetValue(absTolerance) is { } a) options["abs-tolerance"] = CliOptions.Text(a);
            if (parse.GetValue(clockLink) is { Length: > 0 } links) options["clock-links"] = string.Join(",", links);
            if (parse.GetValue(clockInterval) is { Length: > 0 } intervals) options["clock-intervals"] = string.Join(",", intervals);
            RunSpecification Build()
            {
                // The FMU is what the run is about, also beside plugins and a shadow: its default experiment is the run's.
                var spec = new RunSpecification { Name = Path.GetFileNameWithoutExtension(path.TrimEnd('/')), MainComponent = name };
                spec.Components.Add(new ComponentSpec(new ComponentRequest(name, path, "fmu") { Options = options }));
                common.Apply(parse, spec, log, defaultComponent: name);
                return spec;
            }
            var overrides = common.Overrides(parse);
            return overrides.Estimate.Count > 0
                ? EstimationDriver.Execute(Build, () => common.ReplayData, overrides, log)
                : RunDriver.Execute(Build(), overrides, log);
        }));
        return command;
    }

    /// <summary>The component's instance name: the FMU's file name (a '.' would read as Component.variable, so it becomes '_').</summary>
    private static string ComponentName(string path) => Path.GetFileNameWithoutExtension(path.TrimEnd('/')).Replace('.', '_');
}
