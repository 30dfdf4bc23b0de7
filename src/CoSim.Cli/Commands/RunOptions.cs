using System.CommandLine;
using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Runner;

namespace CoSim.Cli.Commands;

/// <summary>
/// The options of <c>cosim simulate</c> and <c>cosim run SYSTEM</c> that describe what runs (inputs, recording,
/// isolation, replay, shadow, Kafka, plugins, replacements), and how they fill a <see cref="RunSpecification"/>.
/// How it runs (time, parameters, result file, budget...) is one <see cref="RunOverrides"/> record, read by <see cref="OverrideOptions"/>.
/// </summary>
internal sealed class RunOptions(FrontEnds frontEnds, string inputHelp, string recordHelp)
{
    private readonly Option<string?> _input = new("--input") { Description = inputHelp };
    private readonly Option<string[]> _record = new("--record") { Description = recordHelp };
    private readonly OverrideOptions _overrides = new(frontEnds);
    private readonly Option<bool> _logFmu = new("--log-fmu") { Description = "Turn on the FMUs' own logging (loggingOn, every category) and show their messages." };
    private readonly Option<string[]> _isolate = new("--isolate")
    {
        Description = "Run this component's FMU (simulate: the FMU) in its own host process, or 'all': a crash, hang or leak of the FMU " +
                      "becomes an error naming it instead of ending cosim (repeatable). Costs about 2 us per step.",
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly Option<double?> _isolationTimeout = CliOptions.Number("--isolation-timeout",
        "Isolated FMUs: seconds one call (e.g. a step) may take before the FMU is taken to hang and its process killed. Default 60.");
    private readonly Option<double?> _isolationMemory = CliOptions.Number("--isolation-memory",
        "Isolated FMUs: resident memory in MiB above which an FMU's process is killed. Default: no limit.");
    private readonly Option<string?> _onCrash = new("--on-crash")
    {
        Description = "Isolated FMUs: stop (default: the fault ends the run) or restart (restart the FMU from the state saved after the last step and retry; " +
                      "co-simulation FMUs that can serialize their state).",
    };
    private readonly ReplayOptions _replay = new();

    private readonly Option<string?> _jacobian = new("--jacobian")
    {
        Description = "Model exchange and strongly coupled groups: how CVODE gets its Jacobian. auto (default): difference quotients colored on the " +
                      "sparsity the FMUs' model structure declares when that saves calls, else dense; the FMUs' directional derivatives only from 64 " +
                      "states on and only after the first Jacobian agreed with difference quotients (else a warning naming the FMU); " +
                      "dense, colored, directional force one (directional unchecked; an error when the FMUs cannot).",
    };

    private readonly Option<bool> _tellStopTime = new("--tell-stop-time")
    {
        Description = "Tell co-simulation FMUs the stop time at initialization (stopTimeDefined = true). Off by default, as in OMSimulator and FMPy: " +
                      "some exporters' FMUs (OpenModelica 1.13) told a stop time integrate to it in their first step and return its values at every point.",
    };

    private readonly Option<string[]> _replace = new("--replace")
    {
        Description = "Run a model file in place of a component: NAME=FILE, e.g. Pump=pump.onnx (an ONNX surrogate from 'cosim surrogate fit'); " +
                      "the new component keeps NAME, so connections and parameters find its variables by name (repeatable).",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly PluginOptions _plugins = new();

    private readonly Option<string?> _kafka = new("--kafka")
    {
        Description = "Couple the run to Kafka: a JSON file of brokers, client properties (SASL, TLS: Confluent's names), sources (topic -> inputs by event time: " +
                      "time field and format, signal paths, interpolation, allowed lateness, late policy) and sinks (outputs -> topic every N steps). See docs/kafka.md.",
    };
    public void AddTo(Command command)
    {
        _jacobian.AcceptOnlyFromAmong("auto", "dense", "colored", "directional");
        command.Add(_jacobian);
        command.Add(_tellStopTime);
        command.Add(_replace);
        _plugins.AddTo(command);
        _onCrash.AcceptOnlyFromAmong("stop", "restart");
        _overrides.AddTo(command);
        foreach (var o in new Option[] { _input, _record, _logFmu, _isolate, _isolationTimeout, _isolationMemory, _onCrash, _kafka })
            command.Add(o);
        _replay.AddTo(command);
    }

    /// <summary>The overrides given on the command line (time, parameters, result file, report, budget, algorithm...).</summary>
    public RunOverrides Overrides(ParseResult parse) => _overrides.Read(parse);

    /// <summary>Fills <paramref name="spec"/> from the parsed options; bare variable names belong to <paramref name="defaultComponent"/>.</summary>
    public void Apply(ParseResult parse, RunSpecification spec, ILogSink log, string? defaultComponent)
    {
        _plugins.Apply(parse, spec); // first: --set and --isolate may name the plugin components
        if (parse.GetValue(_input) is { } input) spec.Inputs.Add(new InputTableSpec(input) { Component = defaultComponent });
        spec.Record.AddRange(parse.GetValue(_record) ?? []);
        if (parse.GetValue(_logFmu))
        {
            if (log is ConsoleLogSink console) console.Minimum = LogLevel.Debug;
            for (var i = 0; i < spec.Components.Count; i++)
                if (spec.Components[i].Request is { } request)
                    spec.Components[i] = spec.Components[i] with { Request = request with { Logging = true } };
        }
        ComponentReplacement.Apply(spec, parse.GetValue(_replace) ?? []);
        ApplyIsolation(parse, spec);
        _replay.Apply(parse, spec, defaultComponent, Overrides(parse).Estimate.Select(MeasuredColumn).ToList());
        ApplyKafka(parse, spec, log, defaultComponent);
    }

    /// <summary>The replay file read by the last <see cref="Apply"/>, or null.</summary>
    public Telemetry.Replay.HistorianData? ReplayData => _replay.Data;

    // The COLUMN of --estimate OUTPUT=COLUMN@SIGMA (the whole text when malformed: the estimator then says how to write it).
    private static string MeasuredColumn(string estimate)
    {
        int eq = estimate.IndexOf('='), at = estimate.LastIndexOf('@');
        return eq > 0 && at > eq + 1 ? estimate[(eq + 1)..at] : estimate;
    }

    /// <summary>--kafka: sources become manipulators, sinks observers.</summary>
    private void ApplyKafka(ParseResult parse, RunSpecification spec, ILogSink log, string? defaultComponent)
    {
        var replay = Overrides(parse).KafkaReplay;
        if (parse.GetValue(_kafka) is not { } config)
        {
            if (replay != null) throw new InputException("--kafka-replay needs --kafka CONFIG.json (the configuration of the run it replays)");
            return;
        }
        var kafka = Kafka.KafkaAttachments.Load(config, defaultComponent, replay, log);
        spec.Manipulators.AddRange(kafka.Sources);
        spec.Observers.AddRange(kafka.Sinks);
    }

    /// <summary>--isolate and its settings become options of the named components' requests (and --jacobian, --tell-stop-time of every FMU's).</summary>
    private void ApplyIsolation(ParseResult parse, RunSpecification spec)
    {
        var names = parse.GetValue(_isolate) ?? [];
        var unknown = names.Where(n => n != "all" && spec.Components.All(c => c.Name != n)).ToList();
        if (unknown.Count > 0)
            throw new InputException($"--isolate {string.Join(", ", unknown)}: no such component (have: {string.Join(", ", spec.Components.Select(c => c.Name))})");
        var settings = new Dictionary<string, string>();
        if (parse.GetValue(_isolationTimeout) is { } t) settings["isolation-timeout"] = CliOptions.Text(t);
        if (parse.GetValue(_isolationMemory) is { } m) settings["isolation-memory"] = CliOptions.Text(m);
        if (parse.GetValue(_onCrash) is { } c) settings["on-crash"] = c;
        for (var i = 0; i < spec.Components.Count; i++)
        {
            if (spec.Components[i].Request is not { } request) continue;
            var options = new Dictionary<string, string>(request.Options);
            if (names.Contains("all") || names.Contains(request.Name)) options["isolated"] = "true";
            if (parse.GetValue(_jacobian) is { } jacobian && request.Kind is null or "fmu") options["jacobian"] = jacobian;
            if (parse.GetValue(_tellStopTime) && request.Kind is null or "fmu") options["tell-stop-time"] = "true";
            if (options.ContainsKey("isolated"))
                foreach (var (k, v) in settings) options[k] = v;
            spec.Components[i] = spec.Components[i] with { Request = request with { Options = options } };
        }
    }
}
