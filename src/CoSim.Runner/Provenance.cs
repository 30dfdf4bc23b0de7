using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;

namespace CoSim.Runner;

/// <summary>A file the run read, with its content hash (lower-case hex SHA-256; null when it could not be read).</summary>
public sealed record ProvenanceFile(string Path, string? Sha256);

/// <summary>A component of the run and where it came from.</summary>
public sealed record ProvenanceComponent(string Name, string? Kind, string? Source, string? Sha256);

/// <summary>The run's statistics, as the summary prints them.</summary>
public sealed record ProvenanceStatistics(long Steps, long RejectedSteps, long DiscardedSteps, long LoopSolves, long LoopIterations, long NewtonFallbacks);

/// <summary>
/// How a result file came to be, written beside it as <c>RESULT.provenance.json</c>: which CoSim,
/// which command line in which folder, which inputs (with their hashes), what it was asked to do,
/// when, and how it ended. Enough for <c>cosim rerun</c> to redo the run and check the result.
/// </summary>
public sealed record Provenance
{
    public string CosimVersion { get; init; } = "";
    /// <summary>The git commit CoSim was built from, when the build knew it.</summary>
    public string? GitCommit { get; init; }
    /// <summary>The whole command line (program first).</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];
    /// <summary>The arguments after the program: what <c>cosim rerun</c> runs again.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
    /// <summary>The working folder: relative paths of the arguments are relative to it.</summary>
    public string WorkingDirectory { get; init; } = "";
    public string Result { get; init; } = "";
    public string? ResultFormat { get; init; }
    public string Name { get; init; } = "";
    public ProvenanceFile? SystemFile { get; init; }
    public IReadOnlyList<ProvenanceComponent> Components { get; init; } = [];
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public int Connections { get; init; }
    public string Algorithm { get; init; } = "";
    /// <summary>Start, stop and (base) step in force [s], after the defaults.</summary>
    public double Start { get; init; }
    public double Stop { get; init; }
    public double Step { get; init; }
    public double? Tolerance { get; init; }
    public IReadOnlyList<ProvenanceFile> Inputs { get; init; } = [];
    public DateTime StartedUtc { get; init; }
    public DateTime EndedUtc { get; init; }
    /// <summary>completed, terminated, stopped or failed.</summary>
    public string Outcome { get; init; } = "";
    /// <summary>Why it failed or ended early; null when it completed.</summary>
    public string? Error { get; init; }
    public double? EndTime { get; init; }
    /// <summary>Null when the run failed (its statistics are not reported then).</summary>
    public ProvenanceStatistics? Statistics { get; init; }
    /// <summary>The physical unit of each recorded column that has one (column name to unit, e.g. <c>m3/s</c>): plots label their axes with it.</summary>
    public IReadOnlyDictionary<string, string> Units { get; init; } = new Dictionary<string, string>();
    /// <summary>What live sources and sinks (<see cref="IRunReporter"/>) recorded, by their key: e.g. the Kafka offsets a replay reads again.</summary>
    public IReadOnlyDictionary<string, object?> Reports { get; init; } = new Dictionary<string, object?>();

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML: keep '+' in versions readable
    };

    /// <summary>Where the provenance of <paramref name="resultPath"/> is kept.</summary>
    public static string PathFor(string resultPath) => resultPath + ".provenance.json";

    /// <summary>The provenance of a run of <paramref name="spec"/> that ended with <paramref name="report"/>, or with <paramref name="failure"/>.</summary>
    public static Provenance Of(RunSpecification spec, StepSchedule schedule, IReadOnlyList<string> commandLine, DateTime startedUtc, DateTime endedUtc,
        RunReport? report, Exception? failure)
    {
        var s = report?.Statistics;
        return new Provenance
        {
            CosimVersion = Version,
            GitCommit = BuildCommit,
            CommandLine = commandLine,
            Arguments = commandLine.Skip(1).ToList(),
            WorkingDirectory = Environment.CurrentDirectory,
            Result = spec.Output ?? "",
            ResultFormat = spec.OutputFormat,
            Name = spec.Name,
            SystemFile = spec.Source is { } src && File.Exists(src) ? FileOf(src) : null,
            Components = spec.Components.Select(c => new ProvenanceComponent(c.Name, c.Request?.Kind, c.Request?.Source,
                c.Request?.Source is { } p && File.Exists(p) ? Sha256Of(p) : null)).ToList(),
            Parameters = spec.Parameters.GroupBy(p => p.Target.ToString()).ToDictionary(g => g.Key, g => g.Last().Value),
            Connections = spec.Connections.Count,
            Algorithm = spec.Algorithm.ToString(),
            Start = schedule.Start.Seconds,
            Stop = schedule.Stop.Seconds,
            Step = schedule.Step.Seconds,
            Tolerance = spec.Tolerance,
            Inputs = DataFiles(spec).Select(FileOf).ToList(),
            StartedUtc = startedUtc,
            EndedUtc = endedUtc,
            Outcome = failure != null ? "failed" : report?.Outcome switch
            {
                RunOutcome.Completed => "completed",
                RunOutcome.TerminatedByComponent => "terminated",
                RunOutcome.Stopped => "stopped",
                _ => "failed",
            },
            Error = failure is SimulationException se ? se.Describe() : failure?.Message ?? report?.Reason,
            EndTime = report?.EndTime.Seconds,
            Statistics = s == null ? null : new ProvenanceStatistics(s.Steps, s.RejectedSteps, s.DiscardedSteps, s.LoopSolves, s.LoopIterations, s.NewtonFallbacks),
            Reports = Reporters(spec).ToDictionary(r => r.ReportKey, r => r.Record()),
        };
    }

    /// <summary>The units of the columns <paramref name="recorder"/> writes, from the variables of <paramref name="system"/>.</summary>
    public static IReadOnlyDictionary<string, string> UnitsOf(Engine.Systems.SystemModel system, Results.IResultRecorder? recorder)
    {
        var units = new Dictionary<string, string>();
        foreach (var s in recorder?.Signals ?? [])
            if (system.Components.FirstOrDefault(c => c.Name == s.Signal.Component)?.Instance.Variables.FirstOrDefault(v => v.Name == s.Signal.Variable)?.Unit is { Length: > 0 } unit)
                units[s.Column] = unit;
        return units;
    }
    /// <summary>The data files the run read: its input tables, then what its manipulators, observers and components read (replayed historian files), each once.</summary>
    public static IEnumerable<string> DataFiles(RunSpecification spec) =>
        spec.Inputs.Select(i => i.Path)
            .Concat(spec.Manipulators.OfType<IReadsDataFiles>().Concat(spec.Observers.OfType<IReadsDataFiles>())
                .Concat(spec.Components.Select(c => c.Instance).OfType<IReadsDataFiles>()).SelectMany(r => r.DataFiles))
            .Distinct();

    /// <summary>The run's manipulators, observers and components that report on it (each is attached once, so listed once).</summary>
    public static IEnumerable<IRunReporter> Reporters(RunSpecification spec) =>
        spec.Manipulators.OfType<IRunReporter>().Concat(spec.Observers.OfType<IRunReporter>()).Concat(spec.Components.Select(c => c.Instance).OfType<IRunReporter>());

    /// <summary>Writes this provenance beside its result file.</summary>
    public void Write() => File.WriteAllText(PathFor(Result), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>
    /// Writes the provenance of <paramref name="run"/> beside its result file, as every run command does (also after a
    /// failure: the rows up to it are results too). Nothing when the result is not a regular file (-o /dev/stdout, a pipe,
    /// no output); a file that cannot be written is a warning in <paramref name="log"/>, not a failure of the run.
    /// </summary>
    public static void WriteFor(PreparedRun run, IReadOnlyList<string> commandLine, DateTime startedUtc, RunReport? report, Exception? failure, ILogSink log)
    {
        var spec = run.Specification;
        if (spec.Output is not { } output || !IsRegularFile(output)) return;
        try
        {
            (Of(spec, run.Schedule, commandLine, startedUtc, DateTime.UtcNow, report, failure) with { Units = UnitsOf(run.System, run.Recorder) }).Write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Log(LogLevel.Warning, spec.Name, $"{PathFor(output)}: provenance not written: {e.Message}");
        }
    }

    // Output to a device (-o /dev/stdout, a pipe) has no folder to keep a provenance file beside.
    private static bool IsRegularFile(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        return !full.StartsWith("/dev/", StringComparison.Ordinal) && !full.StartsWith("/proc/", StringComparison.Ordinal) && File.Exists(full);
    }

    /// <summary>Reads a provenance file; throws <see cref="InputException"/> naming the file when it is missing or not one.</summary>
    public static Provenance Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: no such file");
        try
        {
            var p = JsonSerializer.Deserialize<Provenance>(File.ReadAllText(path), Json);
            if (p == null || p.Arguments.Count == 0 || p.Result.Length == 0) throw new InputException($"{path}: not a CoSim provenance file (no arguments or result)");
            return p;
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}:{(e.LineNumber ?? 0) + 1}: not valid provenance JSON: {e.Message}");
        }
    }

    /// <summary>CoSim's version (the assembly's informational version).</summary>
    public static string Version { get; } =
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The commit the build embedded (MSBuild property CosimGitCommit, from the environment variable COSIM_GIT_COMMIT or git at build time).</summary>
    public static string? BuildCommit { get; } =
        typeof(Provenance).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "GitCommit")?.Value is { Length: > 0 } c ? c : null;

    /// <summary>A file with its SHA-256.</summary>
    public static ProvenanceFile FileOf(string path) => new(path, File.Exists(path) ? Sha256Of(path) : null);

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

}
