using System.CommandLine;
using CoSim.Engine.Specification;
using CoSim.Runner;
using CoSim.Ssp;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim run SYSTEM.ssp</c>: co-simulate a system of FMUs imported from SSP and write its results as CSV; <c>cosim run SCENARIO.csx</c>: run a scenario script.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var system = new Argument<string>("SYSTEM")
        {
            Description = "The system: an .ssp archive or a folder holding SystemStructure.ssd; or a scenario script SCENARIO.csx " +
                          $"(the script sets the rest; of the options, {OverrideOptions.Names(FrontEnds.Script)} and --verbose apply to it).",
        };
        var common = new RunOptions(FrontEnds.System | FrontEnds.Script,
            inputHelp: "CSV of input signals: header 'time,Component.input,...'; interpolation as for 'cosim simulate --input'.",
            recordHelp: "Record the variables whose Component.variable names match this glob (* and ?; repeatable). Default: every output of every component.");
        var command = new Command("run",
            "Co-simulate a system (SSP 1.0/2.0) of FMUs in lockstep and write its results as CSV, one column per Component.variable. " +
            "The system is validated first and every problem reported at once. A scenario script (.csx) runs with its events, faults and assertions.")
        {
            system,
        };
        common.AddTo(command);
        command.SetAction(parse => CliOptions.Run(parse, log =>
        {
            var path = parse.GetValue(system)!;
            if (ScenarioCommand.IsScript(path)) return ScenarioCommand.Run(parse, path, common.Overrides(parse), log);
            RunSpecification Build()
            {
                var spec = SspImporter.Load(path);
                // A system of one FMU stays about that FMU beside plugins and a shadow: bare names and its default experiment.
                spec.MainComponent = spec.Components.Count == 1 ? spec.Components[0].Name : null;
                common.Apply(parse, spec, log, defaultComponent: spec.MainComponent);
                return spec;
            }
            var overrides = common.Overrides(parse);
            return overrides.Estimate.Count > 0
                ? EstimationDriver.Execute(Build, () => common.ReplayData, overrides, log)
                : RunDriver.Execute(Build(), overrides, log);
        }));
        return command;
    }
}
