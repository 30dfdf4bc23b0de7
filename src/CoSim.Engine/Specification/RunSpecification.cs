using CoSim.Core;
using CoSim.Engine.Algorithms;
using CoSim.Engine.Execution;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Specification;

/// <summary>A component of a run: made from a <see cref="ComponentRequest"/> through the registry, or given already made.</summary>
public sealed record ComponentSpec
{
    /// <summary>A component the registry makes (an FMU, a plugin).</summary>
    public ComponentSpec(ComponentRequest request) => Request = request;

    /// <summary>A component made by the caller (code, tests, an inline script component); the run disposes it.</summary>
    public ComponentSpec(IComponent instance) => Instance = instance;

    /// <summary>What to make, or null when <see cref="Instance"/> is given.</summary>
    public ComponentRequest? Request { get; init; }

    /// <summary>The component itself, or null when <see cref="Request"/> describes it.</summary>
    public IComponent? Instance { get; init; }

    /// <summary>The component's instance name.</summary>
    public string Name => Request?.Name ?? Instance!.Name;

    /// <summary>Multi-rate: the component steps every this many base steps.</summary>
    public int StepMultiple { get; init; } = 1;

    /// <summary>Where it was declared (<c>file:line</c>), for messages; null when not from a file.</summary>
    public string? Location { get; init; }
}

/// <summary>
/// A strongly coupled group: components (FMUs with a model-exchange interface) whose continuous
/// states one integrator advances together, their connections solved inside every right-hand-side
/// evaluation. To the rest of the system the group is one component named <see cref="Name"/>,
/// whose variables are <c>Member.variable</c> (so <c>Name.Member.variable</c> in the system).
/// </summary>
/// <param name="Name">The group's component name.</param>
/// <param name="Members">The member components' names.</param>
public sealed record StrongGroupSpec(string Name, IReadOnlyList<string> Members);

/// <summary>
/// A table of input signals (CSV: first column time) replayed into component inputs. Columns are
/// named <c>Component.variable</c>, or bare variable names of <see cref="Component"/>.
/// </summary>
/// <param name="Path">The CSV file.</param>
public sealed record InputTableSpec(string Path)
{
    /// <summary>The component that bare column names belong to (the only one, in a run of one component).</summary>
    public string? Component { get; init; }
}

/// <summary>
/// What to run, independent of where it was said (command line, SSP file, scenario script): the
/// components, how they are connected and parameterised, what drives their inputs, what is
/// recorded, and how time advances. Front ends fill it; <see cref="RunDefaults"/> decides what the
/// user left open, in one place; <see cref="Problems"/> lists everything wrong at once. Nothing here
/// knows FMI, SSP or the command line.
/// </summary>
public sealed class RunSpecification
{
    /// <summary>Name of the run (the system or model name): names the default result file.</summary>
    public string Name { get; set; } = "run";

    /// <summary>Where the specification came from (a file), for messages; null when built in code.</summary>
    public string? Source { get; set; }

    /// <summary>The components, in order.</summary>
    public List<ComponentSpec> Components { get; } = [];

    /// <summary>Output -> input connections.</summary>
    public List<Connection> Connections { get; } = [];

    /// <summary>Parameter and start values, applied in order before initialization (later ones win).</summary>
    public List<ParameterValue> Parameters { get; } = [];

    /// <summary>Physical unit definitions the system file gives for names its components use without defining.</summary>
    public Dictionary<string, BaseUnit> SystemUnits { get; } = [];

    /// <summary>Tables replayed into inputs.</summary>
    public List<InputTableSpec> Inputs { get; } = [];

    /// <summary>
    /// Globs (<c>*</c>, <c>?</c>) on <c>Component.variable</c> names of the signals to record; in a run of
    /// one component also on bare variable names. Empty: every output of every component.
    /// </summary>
    public List<string> Record { get; } = [];

    /// <summary>The result file; null: no file.</summary>
    public string? Output { get; set; }

    /// <summary>The result file's format (<c>csv</c>, <c>parquet</c>); null: from the output's extension (<c>.parquet</c>, else CSV).</summary>
    public string? OutputFormat { get; set; }

    /// <summary>Record every n-th communication point (1: all); the first and the last are always recorded.</summary>
    public int RecordEvery { get; set; } = 1;

    /// <summary>Record a point only when at least this many seconds after the last recorded one (0: no minimum).</summary>
    public double RecordInterval { get; set; }

    /// <summary>Manipulators supplied in code (scenario events, faults, live inputs).</summary>
    public List<IManipulator> Manipulators { get; } = [];

    /// <summary>Observers supplied in code (live sinks, assertions, reports).</summary>
    public List<IObserver> Observers { get; } = [];

    /// <summary>Start time [s]; null: the defaults.</summary>
    public double? Start { get; set; }

    /// <summary>Stop time [s]; null: the defaults.</summary>
    public double? Stop { get; set; }

    /// <summary>Communication (base) step [s]; null: the defaults.</summary>
    public double? Step { get; set; }

    /// <summary>
    /// The component the run is about when it has several (<c>cosim simulate</c>: the FMU, beside plugin
    /// components and a shadow comparison): its default experiment is the run's, as for a run of one.
    /// Null: only a run of one component uses its component's default experiment.
    /// </summary>
    public string? MainComponent { get; set; }

    /// <summary>What the system file (e.g. an SSD's default experiment) suggests; comes before any component's suggestion.</summary>
    public ExperimentDefaults? SystemDefaults { get; set; }

    /// <summary>Strongly coupled groups (each integrated as one component); a component is in one group at most.</summary>
    public List<StrongGroupSpec> StrongGroups { get; } = [];

    /// <summary>The master algorithm.</summary>
    public MasterAlgorithm Algorithm { get; set; } = MasterAlgorithm.Jacobi;

    /// <summary>Gauss-Seidel: what an input holds when its provider already stepped.</summary>
    public GaussSeidelHold GaussSeidelHold { get; set; } = GaussSeidelHold.End;

    /// <summary>Variable step: step-size control.</summary>
    public VariableStepOptions VariableStep { get; set; } = new();

    /// <summary>Relative tolerance handed to the components; null (default): none is handed over.</summary>
    public double? Tolerance { get; set; }

    /// <summary>Threads stepping components in parallel; null: the processor count.</summary>
    public int? Threads { get; set; }

    /// <summary>Pacing: 1 = wall clock; 0 = as fast as possible.</summary>
    public double RealTimeFactor { get; set; }

    /// <summary>Measure the time inside each component's step.</summary>
    public bool ProfileComponents { get; set; }

    /// <summary>Everything wrong with the specification itself (not yet with its components), all at once.</summary>
    public IEnumerable<string> Problems()
    {
        if (Components.Count == 0) yield return "the run has no component";
        foreach (var g in Components.GroupBy(c => c.Name).Where(g => g.Count() > 1))
            yield return $"component name '{g.Key}' is used {g.Count()} times";
        foreach (var c in Components.Where(c => c.StepMultiple < 1))
            yield return $"component '{c.Name}': step multiple {c.StepMultiple} must be at least 1";
        if (Components.Any(c => c.StepMultiple != 1) && Algorithm != MasterAlgorithm.MultiRate)
            yield return "step multiples (component rates) need the multi-rate algorithm";
        foreach (var p in SystemRunOptions.SettingProblems(Threads, RealTimeFactor, Tolerance)) yield return p;
        if (Algorithm == MasterAlgorithm.VariableStep)
            foreach (var p in VariableStep.Problems()) yield return p;
        var names = Components.Select(c => c.Name).ToHashSet();
        foreach (var g in StrongGroups)
        {
            if (g.Members.Count == 0) yield return $"strongly coupled group '{g.Name}' has no member";
            foreach (var m in g.Members.Where(m => !names.Contains(m))) yield return $"strongly coupled group '{g.Name}': no component '{m}'";
            if (names.Contains(g.Name) && !g.Members.Contains(g.Name)) yield return $"strongly coupled group '{g.Name}': a component has that name already";
        }
        foreach (var m in StrongGroups.SelectMany(g => g.Members.Distinct().Select(m => (Group: g.Name, Member: m))).GroupBy(x => x.Member).Where(x => x.Count() > 1))
            yield return $"component '{m.Key}' is in several strongly coupled groups ({string.Join(", ", m.Select(x => x.Group))})";
        if (RecordEvery < 1) yield return $"record every {RecordEvery} steps: must be at least 1";
        if (!double.IsFinite(RecordInterval) || RecordInterval < 0) yield return $"record interval {RecordInterval} s: must be a finite number >= 0";
        if (Output != null && Directory.Exists(Output)) yield return $"output '{Output}' is a folder; give a file name";
    }
}
