using System.CommandLine;
using CoSim.Core;
using CoSim.Engine.Specification;

namespace CoSim.Cli.Commands;

/// <summary>The options every run command shares, and how they fill a <see cref="RunSpecification"/>.</summary>
internal sealed class RunOptions(string startHelp, string stopHelp, string stepHelp, string outputHelp, string setHelp, string inputHelp, string recordHelp)
{
    private readonly Option<double?> _start = CliOptions.Number("--start", startHelp);
    private readonly Option<double?> _stop = CliOptions.Number("--stop", stopHelp);
    private readonly Option<double?> _step = CliOptions.Number("--step", stepHelp);
    private readonly Option<double?> _tolerance = CliOptions.Number("--tolerance",
        "Relative tolerance handed to the FMUs at initialization, only when given: without it co-simulation FMUs are told no tolerance and use their own setting " +
        "(some exporters' solvers misbehave when handed one). Model exchange: CoSim's integrator tolerance (default: the FMU's default experiment's, else 1e-6), which the FMU is told too.");
    private readonly Option<string?> _input = new("--input") { Description = inputHelp };
    private readonly Option<string?> _output = new("--output", "-o") { Description = outputHelp };
    private readonly Option<string[]> _set = new("--set") { Description = setHelp, AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> _record = new("--record") { Description = recordHelp };
    private readonly Option<bool> _logFmu = new("--log-fmu") { Description = "Turn on the FMUs' own logging (loggingOn, every category) and show their messages." };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _start, _stop, _step, _tolerance, _input, _output, _set, _record, _logFmu }) command.Add(o);
    }

    /// <summary>Fills <paramref name="spec"/> from the parsed options; bare variable names belong to <paramref name="defaultComponent"/>.</summary>
    public void Apply(ParseResult parse, RunSpecification spec, ILogSink log, string? defaultComponent)
    {
        spec.Start = parse.GetValue(_start) ?? spec.Start;
        spec.Stop = parse.GetValue(_stop) ?? spec.Stop;
        spec.Step = parse.GetValue(_step) ?? spec.Step;
        spec.Tolerance = parse.GetValue(_tolerance);
        if (spec.Tolerance is <= 0) throw new InputException($"--tolerance {spec.Tolerance}: must be positive");
        spec.Output = CliOptions.OutputFile(parse.GetValue(_output) ?? RunDefaults.OutputPath(spec)); // a bad path fails before anything loads
        foreach (var s in parse.GetValue(_set) ?? [])
        {
            var (name, value) = CliOptions.SplitAssignment("--set", s, "NAME=VALUE");
            spec.Parameters.Add(new Engine.Systems.ParameterValue(Target(spec, name, defaultComponent), value));
        }
        if (parse.GetValue(_input) is { } input) spec.Inputs.Add(new InputTableSpec(input) { Component = defaultComponent });
        spec.Record.AddRange(parse.GetValue(_record) ?? []);
        if (parse.GetValue(_logFmu))
        {
            if (log is ConsoleLogSink console) console.Minimum = LogLevel.Debug;
            for (var i = 0; i < spec.Components.Count; i++)
                if (spec.Components[i].Request is { } request)
                    spec.Components[i] = spec.Components[i] with { Request = request with { Logging = true } };
        }
    }

    private static VariableRef Target(RunSpecification spec, string name, string? defaultComponent)
    {
        var dot = name.IndexOf('.');
        if (dot > 0 && spec.Components.Any(c => c.Name == name[..dot])) return new VariableRef(name[..dot], name[(dot + 1)..]);
        if (defaultComponent != null) return new VariableRef(defaultComponent, name);
        throw new InputException($"--set {name}: write Component.variable (components: {string.Join(", ", spec.Components.Select(c => c.Name))})");
    }
}
