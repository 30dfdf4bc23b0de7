using System.CommandLine;
using CoSim.Fmi.Archive;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim validate FMU</c>: every problem of an FMU's model description, with its line.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var fmu = new Argument<string>("FMU") { Description = "Path of the .fmu archive (or an extracted FMU folder), of a C# plugin assembly (.dll: it is loaded and each component type made once), or of an .onnx model (made once: tensors, shapes, a trial inference)." };
        var command = new Command("validate",
            "Check an FMU and list every problem with its line in modelDescription.xml. " +
            "Exit code 0 when it can run (warnings allowed), 1 when it cannot.") { fmu };
        command.SetAction(parse => CliOptions.Run(parse, _ =>
        {
            var path = parse.GetValue(fmu)!;
            if (PluginInfo.IsPlugin(path)) return PluginInfo.Validate(path);
            if (OnnxInfo.Handles(path)) return OnnxInfo.Validate(path);
            var archive = FmuArchive.Open(path);
            var report = archive.Report;
            foreach (var d in report.Diagnostics) Console.WriteLine(d);
            var problems = new List<string>();
            if (report.Model is { } md)
            {
                // The binary must also load: a library it needs may be missing on this machine.
                foreach (var id in new[] { md.CoSimulation?.ModelIdentifier, md.ModelExchange?.ModelIdentifier }.OfType<string>().Distinct())
                    if (archive.BinaryProblem(id) is { } problem) problems.Add(problem);
            }
            foreach (var p in problems) Console.WriteLine("error: " + p);
            var errors = report.Errors.Count() + problems.Count;
            var warnings = report.Warnings.Count();
            Console.WriteLine(errors == 0
                ? $"{path}: can run ({warnings} warning{(warnings == 1 ? "" : "s")})"
                : $"{path}: cannot run ({errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")})");
            return errors == 0 ? CliOptions.Success : CliOptions.Failed;
        }));
        return command;
    }
}
