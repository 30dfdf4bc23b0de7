using System.Diagnostics;
using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;
using CoSim.Ssp;

namespace CoSim.Scenarios;

/// <summary>
/// A scenario: the globals of a <c>.csx</c> script, whose public members the script calls
/// unqualified. The script's body runs first (the build phase): it adds components
/// (<see cref="Fmu"/>, <see cref="Ssp"/>, <see cref="Component(string, string, string, Dictionary{string, string}?)"/>),
/// connects and parameterises them, chooses time and algorithm, schedules events
/// (<see cref="At"/>, <see cref="When(Func{bool}, Action, string?)"/>, <see cref="Every"/>), declares
/// faults, assertions, metrics and sweeps. Then the run: event actions and conditions run at
/// communication points and may read signals (<see cref="Value"/>, <see cref="Time"/>), set inputs
/// and tunable parameters (<see cref="Set(Signal, double)"/>) and start or stop faults.
/// Signal names (<c>Component.variable</c>) are checked before the run starts, all at once.
/// </summary>
public partial class Scenario
{
    /// <summary>A scenario built in <paramref name="context"/>.</summary>
    public Scenario(ScenarioContext context)
    {
        Context = context;
        Specification = new RunSpecification { Name = context.Name, Source = context.Name };
    }

    /// <summary>Name, base folder, log and sweep case of this build.</summary>
    public ScenarioContext Context { get; }

    /// <summary>The run specification the build phase fills (components, connections, parameters, time, recording).</summary>
    public RunSpecification Specification { get; }

    internal List<AtEvent> AtEvents { get; } = [];
    internal List<EveryEvent> EveryEvents { get; } = [];
    internal List<WhenEvent> WhenEvents { get; } = [];
    internal List<Fault> Faults { get; } = [];
    internal List<(Signal Signal, string Usage)> Watched { get; } = [];
    internal List<(Signal Signal, string Usage)> TunableParameters { get; } = [];

    /// <summary>The sweep, when the script declared one.</summary>
    public Sweep? Sweep { get; private set; }

    /// <summary>The driver of the run in progress (null in the build phase).</summary>
    internal ScenarioDriver? Driver { get; set; }

    // ---- time and algorithm ----------------------------------------------------------------

    /// <summary>Start time [s]; null: the defaults (the system's or the FMU's default experiment, else 0).</summary>
    public double? Start { get => Specification.Start; set => Specification.Start = value; }

    /// <summary>Stop time [s]; null: the defaults.</summary>
    public double? Stop { get => Specification.Stop; set => Specification.Stop = value; }

    /// <summary>Communication step [s]; null: the defaults. Events trigger at communication points, so this is their time resolution.</summary>
    public double? Step { get => Specification.Step; set => Specification.Step = value; }

    /// <summary>Relative tolerance handed to the components; null: none.</summary>
    public double? Tolerance { get => Specification.Tolerance; set => Specification.Tolerance = value; }

    /// <summary>Pacing: 1 = wall clock, 0 (default) = as fast as possible.</summary>
    public double RealTimeFactor { get => Specification.RealTimeFactor; set => Specification.RealTimeFactor = value; }

    /// <summary>The master algorithm (<c>MasterAlgorithm.Jacobi</c>, <c>GaussSeidel</c>, <c>MultiRate</c>, <c>VariableStep</c>).</summary>
    public MasterAlgorithm Algorithm { get => Specification.Algorithm; set => Specification.Algorithm = value; }

    /// <summary>
    /// Integrates the model-exchange interfaces of the FMUs <paramref name="members"/> together with
    /// one CVODE, as the strongly coupled group <paramref name="group"/> (stiff coupling split across
    /// FMUs; docs/algorithms.md section 4). The group is one component: its variables are then named
    /// <c>group.Member.variable</c>. Member options (e.g. <c>jacobian=directional</c>) set its integrator.
    /// </summary>
    public void StronglyCoupled(string group, params string[] members) =>
        Specification.StrongGroups.Add(new StrongGroupSpec(group, members));

    /// <summary>The result file (relative to the script's folder); null: <c>NAME.csv</c> in the working folder, unless the runner's options say otherwise.</summary>
    public string? Output
    {
        get => _output;
        set
        {
            _output = value;
            _outputBase = Folder(); // the folder of the file that set it
        }
    }

    private string? _output;
    private string _outputBase = "";

    /// <summary>The result file's format, <c>csv</c> or <c>parquet</c>; null: from the output's extension.</summary>
    public string? OutputFormat { get => Specification.OutputFormat; set => Specification.OutputFormat = value; }

    // ---- components ----------------------------------------------------------------------

    /// <summary>
    /// Adds an FMU (path relative to the script's folder), named <paramref name="name"/> or after its
    /// file (<see cref="DefaultComponentName"/>); <paramref name="options"/> are the <c>fmu</c> factory's
    /// (e.g. <c>interface=me</c>, <c>isolated=true</c>). A missing file is refused at once, with the close names beside it.
    /// </summary>
    public ComponentHandle Fmu(string path, string? name = null, Dictionary<string, string>? options = null)
    {
        var full = ExistingPath("Fmu", path);
        return Component("fmu", full, name ?? DefaultComponentName(full), options);
    }

    /// <summary>
    /// The component name an FMU file gets by default: its file name without extension, and of a dotted
    /// (Modelica class) name its last part, e.g. <c>Modelica.Blocks.Sources.Sine.fmu</c> -> <c>Sine</c>,
    /// since a '.' separates component and variable names.
    /// </summary>
    public static string DefaultComponentName(string fmuPath)
    {
        var name = Path.GetFileNameWithoutExtension(fmuPath.TrimEnd('/', '\\'));
        var last = name[(name.LastIndexOf('.') + 1)..];
        return last.Length > 0 ? last : name.Replace('.', '_');
    }

    /// <summary>
    /// <paramref name="path"/> made absolute (<see cref="Resolve"/>); an <see cref="InputException"/> naming the close file names when nothing
    /// is there, which starts with <c>verb("path")</c>, or with <paramref name="verb"/> alone when not <paramref name="quoted"/>.
    /// </summary>
    private string ExistingPath(string verb, string path, bool quoted = true)
    {
        var full = Resolve(path);
        if (File.Exists(full) || Directory.Exists(full)) return full;
        var folder = Path.GetDirectoryName(full);
        var near = folder != null && Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder).Select(f => Path.GetFileName(f)) : [];
        throw new InputException((quoted ? $"{verb}(\"{path}\")" : verb) + $": no such file {full}" + NameSuggestions.Suggest(Path.GetFileName(full), near));
    }

    /// <summary>Adds a component that a registered factory makes (<paramref name="kind"/> e.g. <c>fmu</c>, <c>plugin</c>); a relative source that exists beside the script is taken from there.</summary>
    public ComponentHandle Component(string kind, string source, string name, Dictionary<string, string>? options = null)
    {
        // The built-in kinds read a file: a missing one is refused here, at the script's line, with the close names.
        var candidate = kind is "fmu" or "plugin" or "onnx" ? ExistingPath($"Component(\"{kind}\", \"{source}\", ...)", source, quoted: false) : Resolve(source);
        var request = new ComponentRequest(name, File.Exists(candidate) || Directory.Exists(candidate) ? candidate : source, kind)
        {
            Options = options ?? new Dictionary<string, string>(),
        };
        Specification.Components.Add(new ComponentSpec(request));
        return new ComponentHandle(name);
    }

    /// <summary>
    /// Adds a component written in code (e.g. a class in the script deriving from <c>PluginComponent</c>); the
    /// run disposes it. A plugin component without a name is named after its class (<c>new Lag()</c> -> <c>Lag</c>);
    /// set <c>Name</c> to add two of a kind (<c>new Lag { Name = "lag2" }</c>).
    /// </summary>
    public ComponentHandle Component(IComponent instance)
    {
        if (string.IsNullOrEmpty(instance.Name))
        {
            if (instance is Plugins.Sdk.PluginComponent plugin) plugin.Name = plugin.GetType().Name;
            else throw new ArgumentException($"Component(new {instance.GetType().Name}(...)): the component's Name is empty; give it one", nameof(instance));
        }
        Specification.Components.Add(new ComponentSpec(instance));
        return new ComponentHandle(instance.Name);
    }

    /// <summary>
    /// Adds an SSP system (<c>.ssp</c> archive or folder): its components, connections, parameter
    /// bindings and units join the scenario's; its default experiment applies unless the scenario sets time.
    /// </summary>
    public SystemHandle Ssp(string path)
    {
        var system = SspImporter.Load(ExistingPath("Ssp", path));
        Specification.Components.AddRange(system.Components);
        Specification.Connections.AddRange(system.Connections);
        Specification.Parameters.AddRange(system.Parameters);
        Specification.Inputs.AddRange(system.Inputs);
        Specification.StrongGroups.AddRange(system.StrongGroups);
        foreach (var (unit, definition) in system.SystemUnits) Specification.SystemUnits.TryAdd(unit, definition);
        Specification.SystemDefaults ??= system.SystemDefaults;
        return new SystemHandle(system.Name, system.Components.Select(c => c.Name));
    }

    /// <summary>Connects an output to an input, optionally through <c>factor * value + offset</c>.</summary>
    public void Connect(Signal from, Signal to, double factor = 1, double offset = 0)
    {
        var connection = new Connection(from.Ref, to.Ref, factor == 1 && offset == 0 ? null : new LinearTransform(factor, offset));
        Specification.Connections.Add(connection);
        RememberLine($"connection {connection}");
    }

    // ---- values ----------------------------------------------------------------------------

    /// <summary>
    /// In the build phase: a parameter's or input's start value (later ones win). During the run (in
    /// an event's action): an unconnected input's or a <see cref="Tunable"/> parameter's new value, held
    /// from the current communication point on.
    /// </summary>
    public void Set(Signal target, double value)
    {
        if (Driver != null) Driver.Write(target, value);
        else
        {
            Specification.Parameters.Add(new ParameterValue(target.Ref, value.ToString("R", CultureInfo.InvariantCulture)));
            RememberLine($"parameter {target}");
        }
    }

    /// <summary>A Boolean parameter or input (see <see cref="Set(Signal, double)"/>).</summary>
    public void Set(Signal target, bool value) => Set(target, value ? 1.0 : 0.0);

    /// <summary>In the build phase: a parameter's start value as text, parsed by the variable's type (strings, enumerations).</summary>
    public void Set(Signal target, string value)
    {
        if (Driver != null) throw new InvalidOperationException($"Set(\"{target}\", text) works only in the build phase; during the run set numbers");
        Specification.Parameters.Add(new ParameterValue(target.Ref, value));
        RememberLine($"parameter {target}");
    }

    /// <summary>Declares a parameter that event actions change during the run (it must be tunable in its component).</summary>
    public void Tunable(Signal parameter) => TunableParameters.Add((parameter, Usage($"Tunable(\"{parameter}\")")));

    /// <summary>
    /// Why <paramref name="variable"/> may not change during the run, or null when it may: an FMU's
    /// parameter must be <c>tunable</c> (a <c>fixed</c> one is fixed at initialization, FMI 2.0.4 section 2.2.7).
    /// </summary>
    internal static string? TunableRefusal(string usage, Signal signal, ComponentVariable variable) =>
        variable.Role is VariableRole.Parameter or VariableRole.StructuralParameter && variable.Variability is { } variability && variability != "tunable"
            ? $"{usage}: {signal} is a {variability} parameter in its FMU; only tunable parameters (and inputs) can change during a run, so set it before the run with Set(\"{signal}\", value)"
            : null;

    /// <summary>Replays a CSV table (first column time; columns <c>Component.variable</c>, or bare names of <paramref name="component"/>) into inputs.</summary>
    public void Input(string path, string? component = null) =>
        Specification.Inputs.Add(new InputTableSpec(ExistingPath("Input", path)) { Component = component });

    /// <summary>
    /// Replays columns of a historian CSV file (path relative to the script) into inputs: delimiter,
    /// decimal separator and time format detected, the first record at time 0, linear interpolation,
    /// gaps held (docs/telemetry.md; <c>cosim run --replay-*</c> offers every setting). Each mapping is
    /// (column, input); a column's unit in brackets (<c>"Voltage[V]"</c>) is converted to the input's.
    /// </summary>
    public void Replay(string path, params (string Column, Signal Input)[] columns)
    {
        static (string Name, string? Unit) Split(string column) =>
            column.EndsWith(']') && column.LastIndexOf('[') is > 0 and var open ? (column[..open], column[(open + 1)..^1]) : (column, null);
        var mapped = columns.Select(c => (Column: Split(c.Column), c.Input)).ToList();
        var data = Telemetry.Replay.HistorianCsv.Load(ExistingPath("Replay", path), new Telemetry.Replay.HistorianCsvOptions { Columns = mapped.Select(m => m.Column.Name).Distinct().ToList() });
        Specification.Manipulators.Add(new Telemetry.Replay.ReplayInput(data,
            mapped.Select(m => new Telemetry.Replay.ReplayMapping(m.Column.Name, m.Input.ToString(), m.Column.Unit)).ToList()));
    }

    /// <summary>
    /// Couples live Kafka streams as configured in <paramref name="configPath"/> (relative to the
    /// script; the format of <c>cosim run --kafka</c>, docs/kafka.md): sources drive inputs by event time,
    /// sinks publish outputs. Run with <c>--kafka-replay RESULT.provenance.json</c>, the sources read the
    /// offsets that run recorded instead (and the sinks are left out), as <c>cosim rerun</c> does.
    /// </summary>
    public void Kafka(string configPath)
    {
        var kafka = CoSim.Kafka.KafkaAttachments.Load(ExistingPath("Kafka", configPath), null, Context.KafkaReplay, Context.Log);
        Specification.Manipulators.AddRange(kafka.Sources);
        Specification.Observers.AddRange(kafka.Sinks);
    }

    /// <summary>Records the signals matching these globs (<c>*</c>, <c>?</c> on <c>Component.variable</c>) in the result file; none given: every output.</summary>
    public void Record(params string[] globs)
    {
        Specification.Record.AddRange(globs);
        foreach (var glob in globs) RememberLine($"recording pattern '{glob}'");
    }

    /// <summary>Observes signals that event conditions and actions read with <see cref="Value"/> besides the outputs (which are observed whenever the scenario has events).</summary>
    public void Watch(params Signal[] signals)
    {
        foreach (var s in signals) Watched.Add((s, Usage($"Watch(\"{s}\")")));
    }

    /// <summary>During the run: the current communication point [s].</summary>
    public double Time => (Driver ?? throw new InvalidOperationException("Time is known only during the run, in an event's condition or action")).Now.Seconds;

    /// <summary>During the run: a signal's value at the current communication point (an output, or a <see cref="Watch"/>ed variable).</summary>
    public double Value(Signal signal) =>
        (Driver ?? throw new InvalidOperationException($"Value(\"{signal}\") is known only during the run, in an event's condition or action")).Value(signal);

    /// <summary>A sweep case's value of <paramref name="name"/>, or <paramref name="fallback"/> in a plain run.</summary>
    public double Case(string name, double fallback)
    {
        CaseNamesRead.Add(name);
        return Context.CaseParameters.TryGetValue(name, out var v) ? v : fallback;
    }

    /// <summary>The names the script read with <see cref="Case"/> (a swept name that is neither read nor <c>Component.variable</c> would change nothing).</summary>
    internal HashSet<string> CaseNamesRead { get; } = [];

    // ---- sweeps ----------------------------------------------------------------------------

    /// <summary>
    /// A full grid: one case per combination of the axes' values. A name <c>Component.variable</c> is
    /// set as a start value in each case; any other name is read by the script with <see cref="Case"/>.
    /// </summary>
    public void SweepGrid(params (string Name, double[] Values)[] axes) => Sweep = Sweep.Grid(axes);

    /// <summary><paramref name="count"/> cases drawn uniformly from the ranges, reproducible by <paramref name="seed"/>.</summary>
    public void SweepRandom(int count, int seed, params (string Name, double Min, double Max)[] ranges) => Sweep = Sweep.Random(count, seed, ranges);

    /// <summary>The output path, resolved against the folder of the script file that set it.</summary>
    internal string? OutputPath => Output == null ? null : Path.GetFullPath(Output, _outputBase);

    /// <summary>A path relative to the script's folder (or, in a <c>#load</c>ed file, to that file's folder) made absolute.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, Folder());

    /// <summary>The folder relative paths start from: the calling script file's when the script loads others, else the script's.</summary>
    private string Folder()
    {
        if (!Context.LoadsFiles) return Context.BaseDirectory;
        return ScriptFrame() is { } frame ? Path.GetDirectoryName(frame.GetFileName()) ?? Context.BaseDirectory : Context.BaseDirectory;
    }

    /// <summary>The nearest stack frame in a script file (its embedded PDB gives the file): the script code that made this call; null outside a script.</summary>
    private static StackFrame? ScriptFrame() =>
        new StackTrace(2, fNeedFileInfo: true).GetFrames().FirstOrDefault(f => f.GetFileName() is { } file && file.EndsWith(".csx", StringComparison.OrdinalIgnoreCase));

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
