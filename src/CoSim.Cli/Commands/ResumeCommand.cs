using System.CommandLine;
using CoSim.Core;
using CoSim.Runner;
using CoSim.Runner.Checkpoints;

namespace CoSim.Cli.Commands;

/// <summary>
/// <c>cosim resume CHECKPOINT [-o FILE]</c>: continues a run from one of its checkpoints (written by
/// <c>--checkpoint-every</c>) to its original stop: the recorded arguments are run again in the recorded folder
/// with <c>--resume-from CHECKPOINT</c>. The result (the run's own file, or FILE) holds the rows up to the checkpoint
/// followed by the rows computed after it: bit for bit the file of a run that was never interrupted.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("CHECKPOINT") { Description = "A checkpoint file, DIR/t=T.ckpt, as 'cosim run|simulate ... --checkpoint-every T --checkpoint-dir DIR' writes them." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the result here instead of into the run's own result file (whose rows up to the checkpoint are copied first)." };
        var command = new Command("resume",
            "Continue a run from a checkpoint to its original stop, with its recorded arguments in its recorded folder. " +
            "Into the run's own result file (default), the rows after the checkpoint are written again: after a crash the file ends as an uninterrupted run's would. " +
            "Refused (exit 2) when the checkpoint was written by another CoSim build, or when the system file, an FMU or an input file changed since.")
        {
            checkpoint,
            output,
        };
        command.SetAction(parse => CliOptions.Run(parse, _ => Resume(parse.GetValue(checkpoint)!, parse.GetValue(output))));
        return command;
    }

    private static int Resume(string checkpointPath, string? output)
    {
        var path = Path.GetFullPath(checkpointPath);
        var manifest = CheckpointFile.ReadManifest(path);
        if (CheckpointFile.Refusal(path, manifest) is { } refusal) throw new InputException(refusal);
        var folder = manifest.Run.WorkingDirectory;
        if (!Directory.Exists(folder)) throw new InputException($"{path}: the run's folder {folder} does not exist");
        var args = manifest.Run.Arguments.ToList();
        if (output != null) args = ReplaceOutput(args, Path.GetFullPath(output));
        args.AddRange(["--resume-from", path]);
        var previousFolder = Environment.CurrentDirectory;
        var previousCommandLine = RunDriver.CommandLine;
        try
        {
            Console.WriteLine($"resume from t={manifest.Time} s in {folder}: cosim {string.Join(" ", args)}");
            Environment.CurrentDirectory = folder;
            RunDriver.CommandLine = [manifest.Run.CommandLine.FirstOrDefault() ?? "cosim", .. args];
            return CliApp.Invoke(args.ToArray());
        }
        finally
        {
            Environment.CurrentDirectory = previousFolder;
            RunDriver.CommandLine = previousCommandLine;
        }
    }

    /// <summary>The arguments with the output replaced by (or, when none was given, extended with) <paramref name="output"/>.</summary>
    private static List<string> ReplaceOutput(List<string> args, string output)
    {
        var result = new List<string>();
        var replaced = false;
        for (var i = 0; i < args.Count; i++)
        {
            if ((args[i] is "-o" or "--output") && i + 1 < args.Count)
            {
                result.AddRange([args[i], output]);
                i++;
                replaced = true;
            }
            else if (args[i].StartsWith("--output=", StringComparison.Ordinal) || args[i].StartsWith("-o=", StringComparison.Ordinal))
            {
                result.Add("--output=" + output);
                replaced = true;
            }
            else result.Add(args[i]);
        }
        if (!replaced) result.AddRange(["-o", output]);
        return result;
    }
}
