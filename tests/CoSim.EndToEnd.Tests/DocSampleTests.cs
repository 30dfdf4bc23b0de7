using System.Diagnostics;
using System.Text.RegularExpressions;
using CoSim.Core;
using CoSim.Scripting;
using CoSim.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CoSim.EndToEnd.Tests;

/// <summary>
/// The code samples of README.md and docs/*.md, extracted and compiled (and run where they are meant to be),
/// so that a sample a reader copies works. Each C# sample carries a marker on the line before its fence
/// that says how it is checked:
/// <c>&lt;!-- sample: scenario --&gt;</c> a scenario script (compiled as <c>cosim run</c> compiles it),
/// <c>&lt;!-- sample: file PATH --&gt;</c> quoted from a repository file (which must hold its lines; compiled there),
/// <c>&lt;!-- sample: api --&gt;</c> C# against CoSim's assemblies (a program's top-level statements with its own usings),
/// <c>&lt;!-- sample: plugin --&gt;</c> a plugin class library (the SDK's implicit usings only),
/// <c>&lt;!-- sample: first-hour --&gt;</c> README's walkthrough (run command by command, see <see cref="FirstHour_EveryCommandRunsAsTheReadmeSays"/>).
/// </summary>
[NonParallelizable]
public partial class DocSampleTests
{
    /// <summary>A fenced code block of a document.</summary>
    public sealed record Sample(string Document, int Line, string Language, string Kind, string Argument, string Code)
    {
        public override string ToString() => $"{Document}:{Line} ({Kind})";
    }

    private static string Root => ExampleFmus.RepoRoot;

    /// <summary>Every fenced block of README.md and docs/*.md with the marker before it (kind "" when unmarked).</summary>
    public static IReadOnlyList<Sample> All()
    {
        var samples = new List<Sample>();
        foreach (var doc in new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Root, f)).Order()))
        {
            var lines = File.ReadAllLines(Path.Combine(Root, doc));
            for (var i = 0; i < lines.Length; i++)
            {
                var open = Fence().Match(lines[i]);
                if (!open.Success) continue;
                var end = Array.FindIndex(lines, i + 1, l => l.TrimEnd() == "```");
                if (end < 0) throw new InvalidOperationException($"{doc}:{i + 1}: a code fence that is never closed");
                var marker = i > 0 ? Marker().Match(lines[i - 1]) : Match.Empty;
                samples.Add(new Sample(doc, i + 1, open.Groups[1].Value, marker.Success ? marker.Groups[1].Value : "", marker.Success ? marker.Groups[2].Value.Trim() : "",
                    string.Join("\n", lines[(i + 1)..end])));
                i = end;
            }
        }
        return samples;
    }

    [GeneratedRegex("^```(\\w[\\w#+-]*)\\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex("^<!-- sample: ([\\w-]+)(.*?)-->\\s*$")]
    private static partial Regex Marker();

    private static IEnumerable<TestCaseData> Checked(string kind) =>
        All().Where(s => s.Kind == kind).Select(s => new TestCaseData(s).SetName($"{kind}: {s.Document}:{s.Line}"));

    private static IEnumerable<TestCaseData> Scenarios() => Checked("scenario");
    private static IEnumerable<TestCaseData> Quoted() => Checked("file");
    private static IEnumerable<TestCaseData> Api() => Checked("api");
    private static IEnumerable<TestCaseData> Plugins() => Checked("plugin");

    [Test]
    public void Samples_EveryCSharpBlock_SaysHowItIsChecked()
    {
        var csharp = All().Where(s => s.Language is "csharp" or "cs" or "c#").ToList();

        csharp.Count.ShouldBeGreaterThan(5);
        csharp.Where(s => s.Kind is not ("scenario" or "file" or "api" or "plugin" or "first-hour"))
            .ShouldBeEmpty("mark each C# sample with <!-- sample: scenario|file PATH|api|plugin|first-hour --> on the line before its fence");
    }

    [TestCaseSource(nameof(Scenarios))]
    public void ScenarioSample_Compiles(Sample sample)
    {
        var dir = Directory.CreateTempSubdirectory("cosim-doc-").FullName;
        try
        {
            var path = Path.Combine(dir, "sample.csx");
            File.WriteAllText(path, sample.Code);
            Should.NotThrow(() => ScenarioScripts.Host(NullLogSink.Instance, cacheRoot: null).Load(path), sample.ToString());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestCaseSource(nameof(Quoted))]
    public void QuotedSample_IsInItsFileAndCompilesThere(Sample sample)
    {
        var file = Path.Combine(Root, sample.Argument);
        File.Exists(file).ShouldBeTrue($"{sample}: {sample.Argument} does not exist");
        var text = File.ReadAllLines(file).Select(Code).ToList();
        // The sample's lines (its first, a comment naming the file, aside) appear in the file in order.
        var at = 0;
        foreach (var line in sample.Code.Split('\n').Skip(1).Select(Code).Where(l => l.Length > 0))
        {
            var found = text.FindIndex(at, l => l == line);
            found.ShouldBeGreaterThanOrEqualTo(0, $"{sample}: '{line}' is not in {sample.Argument} (after line {at})");
            at = found + 1;
        }
        if (file.EndsWith(".csx", StringComparison.Ordinal))
            Should.NotThrow(() => ScenarioScripts.Host(NullLogSink.Instance, cacheRoot: null).Load(file), sample.ToString());
    }

    // A line's code without its end-of-line comment and surrounding blanks (the docs annotate quoted lines).
    private static string Code(string line)
    {
        var comment = line.IndexOf("//", StringComparison.Ordinal);
        return (comment >= 0 ? line[..comment] : line).Trim();
    }

    [TestCaseSource(nameof(Api))]
    public void ApiSample_CompilesAsAProgram(Sample sample) => ShouldCompile(sample, OutputKind.ConsoleApplication);

    [TestCaseSource(nameof(Plugins))]
    public void PluginSample_CompilesAsAClassLibrary(Sample sample) => ShouldCompile(sample, OutputKind.DynamicallyLinkedLibrary);

    /// <summary>
    /// Compiles a sample as an SDK project would (implicit usings, nullable on) against the framework and CoSim's assemblies:
    /// an API sample as a program's top-level statements (what a reader pastes into Program.cs), a plugin as a class library.
    /// </summary>
    private static void ShouldCompile(Sample sample, OutputKind kind)
    {
        var compilation = CSharpCompilation.Create("DocSample",
            [CSharpSyntaxTree.ParseText(ImplicitUsings), CSharpSyntaxTree.ParseText(sample.Code)],
            CoSimAssemblies().Select(a => MetadataReference.CreateFromFile(a)),
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();

        errors.ShouldBeEmpty(sample.ToString());
    }

    // What an SDK project (ImplicitUsings=enable) imports by itself.
    private const string ImplicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
                                          "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    /// <summary>The framework's assemblies and CoSim's (beside the tests).</summary>
    private static IEnumerable<string> CoSimAssemblies() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
        .Concat(Directory.GetFiles(AppContext.BaseDirectory, "CoSim.*.dll"))
        .DistinctBy(Path.GetFileName);

    [Test]
    public void PluginSample_BuiltWithTheDocumentedProject_RunsAndLeavesNoDebugBuildInTheTree()
    {
        var project = All().Single(s => s.Kind == "plugin-project");
        var code = All().Single(s => s.Kind == "plugin");
        var dir = Directory.CreateTempSubdirectory("cosim-doc-plugin-").FullName;
        var debugOutputs = new[] { "CoSim.Core", "CoSim.Plugins.Sdk" }.Select(p => Path.Combine(Root, "src", p, "bin", "Debug")).ToList();
        var before = debugOutputs.ToDictionary(d => d, Directory.Exists);
        try
        {
            File.WriteAllText(Path.Combine(dir, "Lag.csproj"), project.Code.Replace("path/to/cosim/", Root + "/"));
            File.WriteAllText(Path.Combine(dir, "Lag.cs"), code.Code);

            var build = Process(dir, "dotnet", "build", "-nologo", "-v", "quiet");

            build.ExitCode.ShouldBe(0, build.Output);
            foreach (var d in debugOutputs.Where(d => !before[d])) Directory.Exists(d).ShouldBeFalse($"building the plugin built {d}: {build.Output}");
            var dll = Directory.GetFiles(Path.Combine(dir, "bin"), "Lag.dll", SearchOption.AllDirectories).Single();
            var run = CosimProcess.Run(dir, "simulate", ExampleFmus.Path(2, "Feedthrough"), "--plugin", dll + "=Lag", "--connect", "Feedthrough.ramp=Lag.u",
                "--stop", "2", "--step", "0.1", "-o", Path.Combine(dir, "lag.csv"), "--record", "Lag.y");
            run.ExitCode.ShouldBe(0, run.ToString());
            // T dy/dt = ramp - y with T = 1 s and y(0) = 0, ramp = t: y(t) = t - 1 + exp(-t); the plugin's exact step on a held input lags by at most one step.
            var y = ResultCsv.Load(Path.Combine(dir, "lag.csv"));
            y.At("Lag.y", 2).ShouldBe(2 - 1 + Math.Exp(-2), 0.1);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// README's "Your first hour", run as written: its bash blocks in one <c>bash -e</c> script (in a folder laid
    /// out like a checkout: <c>scripts/cosim</c> runs the cosim beside the tests, <c>build/fmus</c> is the repository's),
    /// its C# block written to the file its first line names, where it stands in the text.
    /// </summary>
    [Test]
    public void FirstHour_EveryCommandRunsAsTheReadmeSays()
    {
        var steps = All().Where(s => s.Kind == "first-hour" && s.Document == "README.md").ToList();
        steps.Count(s => s.Language == "bash").ShouldBeGreaterThanOrEqualTo(2);
        var root = Directory.CreateTempSubdirectory("cosim-first-hour-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "scripts"));
            Directory.CreateDirectory(Path.Combine(root, "build"));
            Directory.CreateSymbolicLink(Path.Combine(root, "build", "fmus"), ExampleFmus.Folder);
            var cosim = Path.Combine(root, "scripts", "cosim");
            File.WriteAllText(cosim, $"#!/usr/bin/env bash\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "cosim.dll")}' \"$@\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cosim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var script = new System.Text.StringBuilder("set -euo pipefail\n");
            foreach (var step in steps)
            {
                if (step.Language == "bash") script.Append(step.Code).Append('\n');
                else
                {
                    var name = Code(step.Code.Split('\n')[0].TrimStart('/', ' '));
                    script.Append($"cat > {name} <<'COSIM_SAMPLE'\n{step.Code}\nCOSIM_SAMPLE\n");
                }
            }
            File.WriteAllText(Path.Combine(root, "first-hour.sh"), script.ToString());

            var run = Process(root, "bash", "first-hour.sh");

            run.ExitCode.ShouldBe(0, run.Output);
            foreach (var made in new[] { "ball.csv", "ball.csv.provenance.json", "ball.html", "ball.png", "bounce.csx", "test.html", "junit.xml" })
                File.Exists(Path.Combine(root, "first-hour", made)).ShouldBeTrue($"{made} was not written: {run.Output}");
            run.Output.ShouldContain("pass never above the drop height", Case.Sensitive, run.Output);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    private static (int ExitCode, string Output) Process(string dir, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        return (p.ExitCode, output.Result + error.Result);
    }
}
