using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Algorithms;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;

namespace CoSim.Runner;

/// <summary>The front ends that run something: which of them accept a <see cref="RunOption"/>.</summary>
[Flags]
public enum FrontEnds
{
    /// <summary><c>cosim simulate FMU</c>.</summary>
    Simulate = 1,
    /// <summary><c>cosim run SYSTEM.ssp</c>.</summary>
    System = 2,
    /// <summary><c>cosim run SCENARIO.csx</c>.</summary>
    Script = 4,
    /// <summary><c>cosim test PATH...</c> (every scenario, every sweep case).</summary>
    Test = 8,
    /// <summary>Every front end.</summary>
    All = Simulate | System | Script | Test,
}

/// <summary>What a <see cref="RunOption"/> takes on the command line.</summary>
public enum RunOptionKind
{
    /// <summary>A finite number.</summary>
    Number,
    /// <summary>A whole number.</summary>
    Integer,
    /// <summary>A word or a path.</summary>
    Text,
    /// <summary>A word, repeatable (every value kept in order).</summary>
    Repeated,
}

/// <summary>
/// One option of <see cref="RunOverrides"/>: its command-line name, its help, what it takes, which front
/// ends accept it, and where its value goes. Front ends generate their options and help from
/// <see cref="RunOverrides.Options"/>, so an option is declared once.
/// </summary>
/// <param name="Name">The option, e.g. <c>--stop</c>.</param>
/// <param name="Help">What it does and its default.</param>
/// <param name="Kind">What it takes.</param>
/// <param name="AcceptedBy">The front ends that accept it.</param>
/// <param name="Apply">Puts a parsed value (double, int, string or string[]) into the overrides.</param>
public sealed record RunOption(string Name, string Help, RunOptionKind Kind, FrontEnds AcceptedBy, Func<RunOverrides, object, RunOverrides> Apply)
{
    /// <summary>Other names (e.g. <c>-o</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The only values allowed (null: any).</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>Not shown in help: set by another command (e.g. <c>--resume-from</c>, which <c>cosim resume</c> adds).</summary>
    public bool Hidden { get; init; }
}

/// <summary>
/// What the user says about a run besides its specification (the command line of every front end), in
/// one record: time, tolerance, parameters, pacing, threads, result file and decimation, report,
/// wall-clock budget, and for a system the master algorithm. <see cref="RunSession"/> applies it to each
/// run (a sweep's every case). Adding an option: a property here, its entry in <see cref="Options"/>, and
/// (when it is not a specification setting) its use in <see cref="RunSession"/>.
/// </summary>
public sealed record RunOverrides
{
    /// <summary>Nothing overridden.</summary>
    public static RunOverrides None { get; } = new();

    public double? Start { get; init; }
    public double? Stop { get; init; }
    public double? Step { get; init; }
    public double? Tolerance { get; init; }

    /// <summary><c>NAME=VALUE</c> assignments applied after the specification's parameters (later ones win).</summary>
    public IReadOnlyList<string> Set { get; init; } = [];

    /// <summary>--parameters: an SSP parameter values file (e.g. from <c>cosim calibrate -o</c>), applied before <see cref="Set"/>.</summary>
    public string? ParameterFile { get; init; }

    public double? RealTimeFactor { get; init; }
    public int? Threads { get; init; }

    /// <summary>The result file; null: the specification's, else <c>NAME_out.csv</c>.</summary>
    public string? Output { get; init; }

    /// <summary>The result format (<c>csv</c>, <c>parquet</c>); null: the specification's, else from the output's extension.</summary>
    public string? Format { get; init; }

    public int? RecordEvery { get; init; }
    public double? RecordInterval { get; init; }

    /// <summary>A self-contained HTML report written after the run (the front end writes it from the session's result).</summary>
    public string? Report { get; init; }

    /// <summary>Wall-clock budget of a run [s]: the run stops cleanly when it is spent, keeps its results so far, and fails.</summary>
    public double? MaxWallTime { get; init; }

    /// <summary>A system's master algorithm: jacobi, gauss-seidel, multi-rate, variable or strong (every component in one strongly coupled group).</summary>
    public string? Algorithm { get; init; }

    /// <summary>Gauss-Seidel: end or mean.</summary>
    public string? GaussSeidelHold { get; init; }

    /// <summary>Multi-rate: <c>COMPONENT=N</c> step multiples.</summary>
    public IReadOnlyList<string> Rates { get; init; } = [];

    /// <summary>Variable step: tolerance on the coupling error.</summary>
    public double? CouplingTolerance { get; init; }

    /// <summary>A result's provenance whose recorded Kafka offsets the run's Kafka sources read again.</summary>
    public string? KafkaReplay { get; init; }

    /// <summary>--checkpoint-every: save a checkpoint every so many seconds of simulated time (with <see cref="CheckpointDirectory"/>).</summary>
    public double? CheckpointEvery { get; init; }

    /// <summary>--checkpoint-dir: the folder of the checkpoint files (<c>t=150.ckpt</c>).</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>--resume-from: continue from this checkpoint file (what <c>cosim resume</c> runs).</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>--estimate: measured signals <c>OUTPUT=COLUMN@SIGMA</c> of the --replay file; any turns the run into a state estimation (CoSim.Estimation).</summary>
    public IReadOnlyList<string> Estimate { get; init; } = [];

    /// <summary>--ensemble: members of the ensemble Kalman filter.</summary>
    public int? Ensemble { get; init; }

    /// <summary>--seed: the estimator's random numbers.</summary>
    public int? Seed { get; init; }

    /// <summary>--process-noise: <c>NAME=SIGMA</c> (per square root of a second) on states and tunable parameters.</summary>
    public IReadOnlyList<string> ProcessNoise { get; init; } = [];

    /// <summary>--initial-spread: <c>NAME=SIGMA</c> around the model's start values.</summary>
    public IReadOnlyList<string> InitialSpread { get; init; } = [];

    /// <summary>--estimator: enkf or ukf.</summary>
    public string? Estimator { get; init; }

    /// <summary>--inflation: multiplicative inflation of the ensemble anomalies (EnKF).</summary>
    public double? Inflation { get; init; }

    /// <summary>--forecast: lead time [s] of the forecasts made at every analysis.</summary>
    public double? Forecast { get; init; }

    /// <summary>--forecast-every: forecast at every K-th analysis.</summary>
    public int? ForecastEvery { get; init; }

    /// <summary>Every run option, declared once: front ends make their options and help texts from this list.</summary>
    public static IReadOnlyList<RunOption> Options { get; } =
    [
        new("--start", "Start time [s]. Default: the default experiment (the FMU's, the system file's, a --replay file's first record), a script's Start, else 0.",
            RunOptionKind.Number, FrontEnds.All, (o, v) => o with { Start = (double)v }),
        new("--stop", "Stop time [s]. Default: the default experiment (the FMU's, the system file's, a --replay file's last record), a script's Stop, else start + 1.",
            RunOptionKind.Number, FrontEnds.All, (o, v) => o with { Stop = (double)v }),
        new("--step", "Communication (base) step [s] (model exchange: the output interval, the integrator chooses its own steps and also stops at events; variable step: the first step). " +
                      $"Default: the default experiment's step size (the FMU's also beside plugins or a shadow), a script's Step, else (stop - start)/{RunDefaults.StepsWhenUnspecified}.",
            RunOptionKind.Number, FrontEnds.All, (o, v) => o with { Step = (double)v }),
        new("--tolerance", "Relative tolerance handed to the FMUs at initialization, only when given: without it co-simulation FMUs are told no tolerance and use their own setting " +
                           "(some exporters' solvers misbehave when handed one). Model exchange: CoSim's integrator tolerance (default: the FMU's default experiment's, else 1e-6), which the FMU is told too.",
            RunOptionKind.Number, FrontEnds.All, (o, v) => o with { Tolerance = (double)v }),
        new("--set", "Set a parameter, input or start value before initialization: Component.variable=VALUE, or NAME=VALUE for a variable of the run's one component " +
                     "(simulate: of the FMU); after the system's or script's own values (repeatable).",
            RunOptionKind.Repeated, FrontEnds.All, (o, v) => o with { Set = [.. o.Set, .. (string[])v] }),
        new("--parameters", "SSP parameter values (FILE.ssv, e.g. from 'cosim calibrate -o'): NAME or Component.NAME = value, applied before --set (which wins).",
            RunOptionKind.Text, FrontEnds.All, (o, v) => o with { ParameterFile = (string)v }),
        new("--real-time", "Pace the run at this multiple of the wall clock (1 = real time); 0 (default) = as fast as possible.",
            RunOptionKind.Number, FrontEnds.All, (o, v) => o with { RealTimeFactor = (double)v }),
        new("--threads", "Threads stepping components in parallel (default: the processor count; a sweep's parallel cases: 1 each). Results do not depend on it.",
            RunOptionKind.Integer, FrontEnds.All, (o, v) => o with { Threads = (int)v }),
        new("--max-wall-time", "Wall-clock budget of a run in seconds (each scenario and sweep case is a run): when spent, the run stops after the current step, " +
                               "its results so far stay on disk, and it fails (exit 1) saying so.",
            RunOptionKind.Number, FrontEnds.All, (o, v) => o with { MaxWallTime = (double)v }),
        new("--output", "Result file: CSV, or Parquet when it ends in .parquet (see --format); RESULT.provenance.json is written beside it. " +
                        "Default: <FMU file name>_out.csv (simulate), <system name>_out.csv (run), a script's Output, else <script name>.csv; .parquet with --format parquet.",
            RunOptionKind.Text, FrontEnds.Simulate | FrontEnds.System | FrontEnds.Script, (o, v) => o with { Output = (string)v }) { Aliases = ["-o"] },
        new("--format", "Result file format: csv (text, every row on disk at once, survives a crash) or parquet (columnar float64, compact and fast to write; " +
                        "on disk in row groups of up to 100,000 rows). Default: parquet when the output ends in .parquet, else csv.",
            RunOptionKind.Text, FrontEnds.All, (o, v) => o with { Format = (string)v }) { Choices = ["csv", "parquet"] },
        new("--record-every", "Record every N-th communication point only (decimation; default 1: all). The initial values and the last point are always recorded.",
            RunOptionKind.Integer, FrontEnds.All, (o, v) => o with { RecordEvery = (int)v }),
        new("--record-interval", "Record a point only when at least this many seconds of simulated time after the last recorded one (decimation; default 0). With --record-every, both apply.",
            RunOptionKind.Number, FrontEnds.All, (o, v) => o with { RecordInterval = (double)v }),
        new("--report", "Also write a self-contained HTML report to this file (summary, plots of the recorded signals, one panel per unit, provenance), " +
                        "after the run, also when it failed. Open it in any browser; it prints too.",
            RunOptionKind.Text, FrontEnds.Simulate | FrontEnds.System | FrontEnds.Script, (o, v) => o with { Report = (string)v }),
        new("--kafka-replay", "With --kafka (or for a scenario script whose Kafka(...) sources ran): read exactly the messages an earlier run consumed, from the offsets recorded in its RESULT.provenance.json " +
                              "(not live, not paced, no commits, sinks off): gives the same result file, bit for bit.",
            RunOptionKind.Text, FrontEnds.Simulate | FrontEnds.System | FrontEnds.Script, (o, v) => o with { KafkaReplay = (string)v }),
        new("--algorithm", "Master algorithm: jacobi (parallel; default), gauss-seidel (ordered by the connection graph), multi-rate (Jacobi with per-component step multiples, see --rate), " +
                           "variable (step-size control with rollback) or strong (every component's model-exchange interface integrated together by one CVODE: stiff, strongly coupled systems; see docs/algorithms.md).",
            RunOptionKind.Text, FrontEnds.System, (o, v) => o with { Algorithm = (string)v }) { Choices = ["jacobi", "gauss-seidel", "multi-rate", "variable", "strong"] },
        new("--gs-hold", "Gauss-Seidel: what an input holds when its provider already stepped: end (its value at t+h, the textbook scheme; default) " +
                         "or mean (the mean of its values at t and t+h, for continuous inputs without direct feedthrough; more accurate on oscillating systems, see docs/algorithms.md).",
            RunOptionKind.Text, FrontEnds.System, (o, v) => o with { GaussSeidelHold = (string)v }) { Choices = ["end", "mean"] },
        new("--rate", "Multi-rate: COMPONENT=N makes the component step every N base steps (repeatable).",
            RunOptionKind.Repeated, FrontEnds.System, (o, v) => o with { Rates = [.. o.Rates, .. (string[])v] }),
        new("--coupling-tolerance", "Variable step: tolerance on the coupling error of a step (default 1e-3).",
            RunOptionKind.Number, FrontEnds.System, (o, v) => o with { CouplingTolerance = (double)v }),
        new("--checkpoint-every", "Save a checkpoint of the whole run (every component's state, the engine's, the result file's position) every T seconds of simulated time, " +
                                  "as DIR/t=T.ckpt (with --checkpoint-dir DIR; each written atomically). 'cosim resume DIR/t=T.ckpt' continues the run from there to its stop. " +
                                  "Every component must be able to save its state (FMUs: canGetAndSetFMUstate and canSerializeFMUstate); the run refuses to start otherwise, naming each one. See docs/checkpoints.md.",
            RunOptionKind.Number, FrontEnds.Simulate | FrontEnds.System | FrontEnds.Script, (o, v) => o with { CheckpointEvery = (double)v }),
        new("--checkpoint-dir", "The folder for the checkpoints of --checkpoint-every (created when missing).",
            RunOptionKind.Text, FrontEnds.Simulate | FrontEnds.System | FrontEnds.Script, (o, v) => o with { CheckpointDirectory = (string)v }),
        new("--resume-from", "Continue from this checkpoint (what 'cosim resume' adds to the recorded arguments).",
            RunOptionKind.Text, FrontEnds.Simulate | FrontEnds.System | FrontEnds.Script, (o, v) => o with { ResumeFrom = (string)v }) { Hidden = true },
        new("--estimate", "State estimation (needs --replay): OUTPUT=COLUMN@SIGMA says that the replay file's COLUMN measures OUTPUT with noise SIGMA (the output's units; repeatable). " +
                          "An ensemble of the system follows the measurements; the result (default NAME_estimate.csv) holds per state and measured signal NAME, NAME.lower and NAME.upper (90 % interval), " +
                          "per measured signal NAME.innovation and NAME.nis; see docs/estimation.md.",
            RunOptionKind.Repeated, FrontEnds.Simulate | FrontEnds.System, (o, v) => o with { Estimate = [.. o.Estimate, .. (string[])v] }),
        new("--estimator", "State estimation: enkf (ensemble Kalman filter over --ensemble members; default) or ukf (unscented: 2n members at the sigma points of the n estimated values).",
            RunOptionKind.Text, FrontEnds.Simulate | FrontEnds.System, (o, v) => o with { Estimator = (string)v }) { Choices = ["enkf", "ukf"] },
        new("--ensemble", "State estimation: members of the ensemble Kalman filter, each a full instance of the system, stepped in parallel (at least 2; default 32).",
            RunOptionKind.Integer, FrontEnds.Simulate | FrontEnds.System, (o, v) => o with { Ensemble = (int)v }),
        new("--seed", "State estimation: seed of the random numbers (initial spread, process noise, perturbed observations; default 1). The same seed gives the same result.",
            RunOptionKind.Integer, FrontEnds.Simulate | FrontEnds.System, (o, v) => o with { Seed = (int)v }),
        new("--process-noise", "State estimation: NAME=SIGMA, a random walk of SIGMA per square root of a second on a continuous state or a tunable parameter " +
                               "(a parameter named here is estimated as a slowly varying state; repeatable; default 0).",
            RunOptionKind.Repeated, FrontEnds.Simulate | FrontEnds.System, (o, v) => o with { ProcessNoise = [.. o.ProcessNoise, .. (string[])v] }),
        new("--initial-spread", "State estimation: NAME=SIGMA, the uncertainty of a state's (or estimated parameter's) start value (repeatable; default 0).",
            RunOptionKind.Repeated, FrontEnds.Simulate | FrontEnds.System, (o, v) => o with { InitialSpread = [.. o.InitialSpread, .. (string[])v] }),
        new("--inflation", "State estimation (enkf): multiplicative inflation of the ensemble's spread before each analysis, against the spread a small ensemble loses (>= 1; default 1).",
            RunOptionKind.Number, FrontEnds.Simulate | FrontEnds.System, (o, v) => o with { Inflation = (double)v }),
        new("--forecast", "State estimation: at each analysis (see --forecast-every) every member runs H seconds ahead from its state, with its process noise, as fast as it can; " +
                          "the row of time t+H holds NAME.forecast, NAME.forecast_lower and NAME.forecast_upper (90 %) made at t.",
            RunOptionKind.Number, FrontEnds.Simulate | FrontEnds.System, (o, v) => o with { Forecast = (double)v }),
        new("--forecast-every", "State estimation with --forecast: forecast at every K-th analysis only (default 1: every one).",
            RunOptionKind.Integer, FrontEnds.Simulate | FrontEnds.System, (o, v) => o with { ForecastEvery = (int)v }),
    ];

    /// <summary>The options <paramref name="frontEnd"/> accepts, in declaration order.</summary>
    public static IEnumerable<RunOption> AcceptedBy(FrontEnds frontEnd) => Options.Where(o => (o.AcceptedBy & frontEnd) != 0);

    /// <summary>Values that are wrong whatever the run (each names its option).</summary>
    public IEnumerable<string> Problems()
    {
        if (Tolerance is <= 0) yield return $"--tolerance {Text(Tolerance.Value)}: must be positive";
        if (RecordEvery is < 1) yield return $"--record-every {RecordEvery}: must be at least 1";
        if (RecordInterval is < 0) yield return $"--record-interval {Text(RecordInterval.Value)}: must be >= 0";
        if (MaxWallTime is <= 0) yield return $"--max-wall-time {Text(MaxWallTime.Value)}: must be a positive number of seconds";
        if (CouplingTolerance != null && Algorithm != "variable")
            yield return "--coupling-tolerance applies to --algorithm variable; for the FMUs' own tolerance use --tolerance";
        if (Estimate.Count == 0 && (Ensemble != null || Seed != null || ProcessNoise.Count > 0 || InitialSpread.Count > 0 || Estimator != null || Inflation != null || Forecast != null || ForecastEvery != null))
            yield return "--ensemble, --seed, --process-noise, --initial-spread, --estimator, --inflation, --forecast and --forecast-every apply to a state estimation: give the measured signals with --estimate OUTPUT=COLUMN@SIGMA";
        if (Output != null && OutputProblem(Output, "--output", "out.csv") is { } output) yield return output;
        if (Report != null && OutputProblem(Report, "--report", "report.html") is { } report) yield return report;
    }

    /// <summary>
    /// Why a file cannot be written where asked (a folder, or a file in a folder that does not exist), named by
    /// <paramref name="option"/>; null: it can. Checked before anything loads, not as an access error from deep inside a writer.
    /// </summary>
    public static string? OutputProblem(string path, string option, string example)
    {
        if (Directory.Exists(path)) return $"{option} {path}: is a folder; give a file name, e.g. {Path.Combine(path, example)}";
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        return folder != null && !Directory.Exists(folder) ? $"{option} {path}: the folder {folder} does not exist" : null;
    }

    /// <summary>
    /// Applies these overrides to <paramref name="spec"/>: what was given replaces the specification's value;
    /// <c>--set</c> values come after its parameters. Bare names belong to <paramref name="defaultComponent"/>.
    /// </summary>
    public void ApplyTo(RunSpecification spec, string? defaultComponent)
    {
        if (Problems().FirstOrDefault() is { } problem) throw new InputException(problem);
        ApplyAlgorithm(spec);
        spec.Start = Start ?? spec.Start;
        spec.Stop = Stop ?? spec.Stop;
        spec.Step = Step ?? spec.Step;
        spec.Tolerance = Tolerance ?? spec.Tolerance;
        spec.RealTimeFactor = RealTimeFactor ?? spec.RealTimeFactor;
        spec.Threads = Threads ?? spec.Threads;
        spec.OutputFormat = Format ?? spec.OutputFormat;
        spec.RecordEvery = RecordEvery ?? spec.RecordEvery;
        spec.RecordInterval = RecordInterval ?? spec.RecordInterval;
        if (ParameterFile != null)
            foreach (var (name, value) in Ssp.SsvFile.Read(ParameterFile))
                spec.Parameters.Add(new ParameterValue(Target(spec, name, defaultComponent), value));
        foreach (var s in Set)
        {
            var (name, value) = Assignment("--set", s, "NAME=VALUE");
            spec.Parameters.Add(new ParameterValue(Target(spec, name, defaultComponent), value));
        }
    }

    private void ApplyAlgorithm(RunSpecification spec)
    {
        spec.Algorithm = Algorithm switch
        {
            null => spec.Algorithm,
            "gauss-seidel" => MasterAlgorithm.GaussSeidel,
            "multi-rate" => MasterAlgorithm.MultiRate,
            "variable" => MasterAlgorithm.VariableStep,
            _ => MasterAlgorithm.Jacobi,
        };
        if (Algorithm == "strong")
        {
            // One group of every component, named after the system; Jacobi steps it (it is then the only component).
            spec.StrongGroups.Clear();
            spec.StrongGroups.Add(new StrongGroupSpec(StrongGroupName(spec), spec.Components.Select(c => c.Name).ToList()));
        }
        if (GaussSeidelHold != null) spec.GaussSeidelHold = GaussSeidelHold == "mean" ? Engine.Algorithms.GaussSeidelHold.Mean : Engine.Algorithms.GaussSeidelHold.End;
        if (CouplingTolerance is { } ct) spec.VariableStep = spec.VariableStep with { Tolerance = ct };
        foreach (var r in Rates) ApplyRate(spec, r);
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
        var (name, value) = Assignment("--rate", assignment, "COMPONENT=N");
        if (!int.TryParse(value, out var n) || n < 1) throw new InputException($"--rate {assignment}: N must be a whole number of at least 1");
        var index = spec.Components.FindIndex(c => c.Name == name);
        if (index < 0) throw new InputException($"--rate {assignment}: no component '{name}' (the system has {string.Join(", ", spec.Components.Select(c => c.Name))})");
        spec.Components[index] = spec.Components[index] with { StepMultiple = n };
    }

    /// <summary>The variable a <c>--set</c> name means: <c>Component.variable</c>, or a bare name of <paramref name="defaultComponent"/>.</summary>
    public static VariableRef Target(RunSpecification spec, string name, string? defaultComponent)
    {
        var names = new VariableResolver(spec.Components.Select(c => c.Name).ToList(), defaultComponent);
        return names.TryResolve(name) ?? throw new InputException($"--set {name}: {names.Hint}");
    }

    /// <summary>Splits <c>NAME=VALUE</c>; throws a one-line error naming the option otherwise.</summary>
    public static (string Name, string Value) Assignment(string option, string text, string form)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0) throw new InputException($"{option} '{text}': expected {form}");
        return (text[..eq].Trim(), text[(eq + 1)..]);
    }

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
