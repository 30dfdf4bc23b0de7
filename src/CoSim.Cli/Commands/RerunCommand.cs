using System.CommandLine;
using CoSim.Core;
using CoSim.Results;
using CoSim.Runner;

namespace CoSim.Cli.Commands;

/// <summary>
/// <c>cosim rerun RESULT.provenance.json</c>: runs the recorded arguments again (in this process, in
/// the recorded folder) into a temporary result file and says whether it is byte-identical to the
/// recorded result.
/// </summary>
internal static class RerunCommand
{
    public const int Different = 1;

    public static Command Create()
    {
        var provenance = new Argument<string>("PROVENANCE") { Description = "A result's provenance file, RESULT.provenance.json, as every run writes beside its result." };
        var command = new Command("rerun",
            "Run a recorded run again (its recorded arguments, in its recorded folder, output to a temporary file) and compare the new result with the recorded one byte for byte. " +
            "A run coupled to Kafka (--kafka) reads the messages it consumed again, from the offsets its provenance recorded (--kafka-replay). " +
            "Exit 0: identical; 1: different (the first differing row is shown); 2: the provenance, the recorded result or an input is missing, or an input file (FMU, system, input table, replayed historian file) changed since.")
        {
            provenance,
        };
        command.SetAction(parse => CliOptions.Run(parse, _ => Rerun(parse.GetValue(provenance)!)));
        return command;
    }

    private static int Rerun(string provenancePath)
    {
        var recorded = Provenance.Read(provenancePath);
        var folder = recorded.WorkingDirectory;
        if (!Directory.Exists(folder)) throw new InputException($"{provenancePath}: the run's folder {folder} does not exist");
        string InFolder(string p) => Path.Combine(folder, p);
        var result = InFolder(recorded.Result);
        if (!File.Exists(result)) throw new InputException($"{provenancePath}: the recorded result {result} does not exist");
        CheckUnchanged(provenancePath, "system file", recorded.SystemFile, InFolder, mustExist: true);
        foreach (var input in recorded.Inputs) CheckUnchanged(provenancePath, "input file", input, InFolder, mustExist: true);
        // An SSP archive's FMUs are unpacked to a temporary folder that is gone; the archive's hash covers them.
        foreach (var c in recorded.Components)
            if (c.Source != null)
                CheckUnchanged(provenancePath, $"component '{c.Name}' source", new ProvenanceFile(c.Source, c.Sha256), InFolder, mustExist: recorded.SystemFile == null);

        var format = ResultRecorders.FormatOf(recorded.Result, recorded.ResultFormat);
        var scratch = Directory.CreateTempSubdirectory("cosim-rerun-").FullName;
        var fresh = Path.Combine(scratch, "rerun" + Path.GetExtension(recorded.Result));
        var args = WithOutput(recorded.Arguments, fresh);
        // A live Kafka run (--kafka, or a scenario script's Kafka verb) is rerun from the offsets it recorded (the stream
        // has moved on): the same messages, not live.
        static bool Given(string[] a, string option) => a.Any(x => x == option || x.StartsWith(option + "=", StringComparison.Ordinal));
        if (!Given(args, "--kafka-replay") && recorded.Reports.Keys.Any(k => k.StartsWith(Kafka.KafkaSource.ReportPrefix, StringComparison.Ordinal)))
            args = [.. args, "--kafka-replay", Path.GetFullPath(provenancePath)];
        var previousFolder = Environment.CurrentDirectory;
        var previousCommandLine = RunDriver.CommandLine;
        try
        {
            Console.WriteLine($"rerun in {folder}: cosim {string.Join(" ", args)}");
            Environment.CurrentDirectory = folder;
            RunDriver.CommandLine = [recorded.CommandLine.FirstOrDefault() ?? "cosim", .. args];
            var exit = CliApp.Invoke(args);
            // Bad input (an input gone or changed, recorded Kafka offsets no longer readable): the run cannot be redone, which is not a difference.
            if (exit == CliOptions.BadInput) return CliOptions.BadInput;
            // A sweep case's result (NAME.case-N.csv): the rerun writes every case beside its output; the same case is compared.
            var sweepCase = System.Text.RegularExpressions.Regex.Match(Path.GetFileNameWithoutExtension(recorded.Result), @"\.case-\d+$");
            if (sweepCase.Success) fresh = Path.Combine(scratch, "rerun" + sweepCase.Value + Path.GetExtension(recorded.Result));
            if (!File.Exists(fresh))
            {
                Console.WriteLine($"different: the rerun (exit {exit}) wrote no result");
                return Different;
            }
            var difference = ResultComparison.FirstDifference(result, fresh, format);
            if (difference == null)
            {
                Console.WriteLine($"identical: {result} (rerun exit {exit}, recorded outcome {recorded.Outcome})");
                return CliOptions.Success;
            }
            Console.WriteLine($"different: {result}: {difference}");
            return Different;
        }
        finally
        {
            Environment.CurrentDirectory = previousFolder;
            RunDriver.CommandLine = previousCommandLine;
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static void CheckUnchanged(string provenancePath, string what, ProvenanceFile? file, Func<string, string> inFolder, bool mustExist)
    {
        if (file?.Sha256 == null) return;
        var path = inFolder(file.Path);
        if (!File.Exists(path))
        {
            if (mustExist) throw new InputException($"{provenancePath}: {what} {path} does not exist");
            return;
        }
        var now = Provenance.Sha256Of(path);
        if (now != file.Sha256)
            throw new InputException($"{provenancePath}: {what} {path} changed since the run (SHA-256 {file.Sha256[..12]}... recorded, {now[..12]}... now)");
    }

    /// <summary>The arguments with the output replaced by (or, when none was given, extended with) <paramref name="output"/>.</summary>
    private static string[] WithOutput(IReadOnlyList<string> args, string output)
    {
        var result = new List<string>();
        var replaced = false;
        for (var i = 0; i < args.Count; i++)
        {
            if ((args[i] is "-o" or "--output") && i + 1 < args.Count)
            {
                result.Add(args[i]);
                result.Add(output);
                i++;
                replaced = true;
            }
            else if (args[i] == "--report" && i + 1 < args.Count)
            {
                i++; // the rerun compares results; it leaves the recorded run's report alone
            }
            else if (args[i].StartsWith("--output=", StringComparison.Ordinal) || args[i].StartsWith("-o=", StringComparison.Ordinal))
            {
                result.Add("--output=" + output);
                replaced = true;
            }
            else result.Add(args[i]);
        }
        if (!replaced) result.AddRange(["-o", output]);
        return result.ToArray();
    }
}
