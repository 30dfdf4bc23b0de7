using System.CommandLine;
using CoSim.Runner;
using CoSim.Scripting;

namespace CoSim.Cli.Commands;

/// <summary><c>cosim test PATH...</c>: runs scenario scripts as commissioning tests; console summary, JUnit XML, exit 0/1/2.</summary>
internal static class TestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Scenario scripts (.csx) or folders searched recursively for them. Files that another found script #loads are helpers, not tests.",
            Arity = ArgumentArity.OneOrMore,
        };
        var junit = new Option<string?>("--junit") { Description = "Write the results as JUnit XML (the Ant format GitLab, Jenkins and GitHub read) to this file." };
        var filter = new Option<string?>("--filter") { Description = "Run only scenarios whose name (file name without .csx) contains this text, or matches it as a glob (* and ?)." };
        var parallel = CliOptions.Integer("--parallel", "Scenarios run at once (default 1); a sweep's cases share the cores that remain.");
        var results = new Option<string>("--results")
        {
            Description = "Folder for the scenarios' result files (NAME.csv, sweeps NAME.case-N.csv and NAME.summary.csv). Default: cosim-test-results.",
            DefaultValueFactory = _ => "cosim-test-results",
        };
        var htmlReport = new Option<string?>("--report")
        {
            Description = "Also write one self-contained HTML report: every test case, every assertion with its verdict and failing value, " +
                          "plots of the asserted signals with the window shaded and the first violation marked, sweep tables.",
        };
        var overrides = new OverrideOptions(FrontEnds.Test);
        var command = new Command("test",
            "Run scenario scripts as commissioning tests. A scenario with assertions is a test case (with a sweep, each case is one); " +
            "one without is reported as skipped. Prints a line per scenario (and the failing assertion with its signal, time, value and bound), then a summary. " +
            "Exit codes: 0 every test passed, 1 an assertion failed (or a run failed), 2 a scenario could not run (compile error, bad name or file).")
        {
            paths, junit, filter, parallel, results, htmlReport,
        };
        overrides.AddTo(command);
        command.SetAction(parse => CliOptions.Run(parse, log =>
        {
            var scripts = ScenarioTests.Discover(parse.GetValue(paths)!, parse.GetValue(filter));
            if (scripts.Count == 0) throw new Core.InputException($"no scenario script (*.csx) under {string.Join(", ", parse.GetValue(paths)!)}" +
                                                                 (parse.GetValue(filter) is { } f ? $" matching '{f}'" : ""));
            var junitPath = parse.GetValue(junit) is { } j ? Path.GetFullPath(j) : null; // its folder is created
            string? htmlPath = null;
            if (parse.GetValue(htmlReport) is { } html)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(html))!); // as for --junit: its folder is created
                htmlPath = CliOptions.OutputFile(html, "--report", "report.html"); // a bad path fails before any run
            }
            var settings = overrides.Read(parse);
            if (settings.Problems().FirstOrDefault() is { } problem) throw new Core.InputException(problem);
            var n = parse.GetValue(parallel) ?? 1;
            if (n < 1) throw new Core.InputException($"--parallel {n}: must be at least 1");
            Console.WriteLine($"running {scripts.Count} scenario{(scripts.Count == 1 ? "" : "s")}");
            var report = ScenarioTests.Run(scripts, ScenarioScripts.Host(log), new ScenarioTestOptions(parse.GetValue(results)!)
            {
                Parallel = n,
                Log = log,
                Overrides = settings,
                Finished = Print,
            });
            if (junitPath != null) JUnitReport.Write(report, junitPath);
            if (htmlPath != null) TestReportWriter.Write(htmlPath, report, log);
            var cases = report.Cases.ToList();
            Console.WriteLine($"{report.Scenarios.Count} scenarios, {cases.Count} test cases: {cases.Count(c => c.Status == TestStatus.Passed)} passed, " +
                              $"{cases.Count(c => c.Status == TestStatus.Failed)} failed, {cases.Count(c => c.Status == TestStatus.Error)} errors, " +
                              $"{cases.Count(c => c.Status == TestStatus.Skipped)} skipped ({report.Seconds:0.#} s)" + (junitPath != null ? $"; JUnit: {junitPath}" : ""));
            return report.ExitCode;
        }));
        return command;
    }

    private static void Print(ScenarioTestResult result)
    {
        foreach (var c in result.Cases)
        {
            var status = c.Status switch { TestStatus.Passed => "PASS ", TestStatus.Failed => "FAIL ", TestStatus.Error => "ERROR", _ => "SKIP " };
            Console.WriteLine($"{status} {c.Name} ({c.Seconds:0.0} s)");
            if (c.Status == TestStatus.Passed) continue;
            if (c.Status == TestStatus.Failed)
                foreach (var d in c.Details.Where(d => d.StartsWith("FAIL", StringComparison.Ordinal))) Console.WriteLine("      " + d);
            else
                foreach (var d in c.Status == TestStatus.Error && result.CouldNotRun ? c.Details : [c.Message ?? ""]) Console.WriteLine("      " + d);
        }
    }
}
