using CoSim.Core;
using CoSim.Runner;

namespace CoSim.Estimation;

/// <summary>One estimated value: a continuous state of a component (its position in the component's state vector) or a tunable parameter.</summary>
/// <param name="Name">As reported (bare in a run of one component, else <c>Component.variable</c>).</param>
/// <param name="Component">The component it belongs to.</param>
/// <param name="StateIndex">Position in the component's state vector, or -1 for a parameter.</param>
/// <param name="Variable">The parameter's variable index, or -1 for a state.</param>
/// <param name="Spread">Initial sigma.</param>
/// <param name="Noise">Process noise sigma per square root of a second.</param>
public sealed record EstimatedValue(string Name, string Component, int StateIndex, int Variable, double Spread, double Noise);

/// <summary>One measured output resolved: the component and variable, the data column and its sigma.</summary>
public sealed record MeasuredSignal(string Name, string Component, int Variable, int Column, double Sigma);

/// <summary>
/// What the estimator reads and sets in every member: every continuous state of every component that lets
/// them be set (<see cref="IContinuousStateAccess"/>) and the tunable parameters named in the process noise;
/// and the measured outputs. Resolved once against the first member; a name that cannot be estimated is an
/// <see cref="InputException"/> saying what can be instead.
/// </summary>
public sealed class EstimationLayout
{
    private EstimationLayout(IReadOnlyList<EstimatedValue> values, IReadOnlyList<MeasuredSignal> measured, IReadOnlyList<(string Component, int Count)> stateBlocks)
    {
        Values = values;
        Measured = measured;
        StateBlocks = stateBlocks;
    }

    /// <summary>The estimated values, in the order of the estimated vector (states by component, then parameters).</summary>
    public IReadOnlyList<EstimatedValue> Values { get; }

    /// <summary>The measured outputs, in the order of the measurement vector.</summary>
    public IReadOnlyList<MeasuredSignal> Measured { get; }

    /// <summary>The components whose states are estimated, with their state counts, in vector order.</summary>
    public IReadOnlyList<(string Component, int Count)> StateBlocks { get; }

    /// <summary>Resolves the settings' names against a prepared member.</summary>
    public static EstimationLayout Resolve(PreparedRun run, EstimationSettings settings, Telemetry.Replay.HistorianData data)
    {
        var components = run.System.Components.Select(c => c.Instance).ToList();
        var single = components.Count == 1 ? components[0].Name : null;
        var resolver = new VariableResolver(components.Select(c => c.Name).ToList(), single);
        string Display(string component, string variable) => single != null ? variable : $"{component}.{variable}";
        var settable = components.OfType<IContinuousStateAccess>().Cast<IComponent>().ToList();
        var values = new List<EstimatedValue>();
        var blocks = new List<(string, int)>();
        foreach (var c in settable)
        {
            var names = ((IContinuousStateAccess)c).ContinuousStateNames;
            blocks.Add((c.Name, names.Count));
            for (var i = 0; i < names.Count; i++)
            {
                var name = Display(c.Name, names[i]);
                values.Add(new EstimatedValue(name, c.Name, i, -1, Lookup(settings.InitialSpread, name, c.Name, names[i]), Lookup(settings.ProcessNoise, name, c.Name, names[i])));
            }
        }
        string Alternatives() => values.Count > 0
            ? $"states that can be estimated: {string.Join(", ", values.Select(v => v.Name))}"
            : "no component of this run lets its states be set: run FMUs as model exchange (--interface me), or estimate tunable parameters";

        foreach (var name in settings.ProcessNoise.Keys.Concat(settings.InitialSpread.Keys).Distinct())
        {
            if (values.Any(v => v.Name == name || $"{v.Component}.{name}" == name)) continue;
            var target = resolver.TryResolve(name) ?? throw new InputException($"--process-noise/--initial-spread {name}: {resolver.Hint}");
            var component = components.First(c => c.Name == target.Component);
            var variable = component.Variables.FirstOrDefault(v => v.Name == target.Variable)
                           ?? throw new InputException($"{name}: {component.Name} has no variable '{target.Variable}'{NameSuggestions.Suggest(target.Variable, component.Variables.Select(v => v.Name))}");
            if (component is not IContinuousStateAccess && variable.Role != VariableRole.Parameter)
                throw new InputException($"{name}: the states of '{component.Name}' ({component.KindDescription ?? "this kind"}) cannot be set during a run; {Alternatives()}");
            if (variable.Role != VariableRole.Parameter)
                throw new InputException($"{name}: '{target.Variable}' is a {variable.Role.ToString().ToLowerInvariant()} of {component.Name}, not a continuous state or parameter; {Alternatives()}");
            if (variable.Variability != "tunable")
                throw new InputException($"{name}: '{target.Variable}' is a {variable.Variability ?? "fixed"} parameter of {component.Name}: only tunable parameters can change during a run; {Alternatives()}");
            if (!settings.ProcessNoise.ContainsKey(name))
                throw new InputException($"--initial-spread {name}: a parameter is estimated only when it has --process-noise (it is then a slowly varying state)");
            values.Add(new EstimatedValue(Display(component.Name, variable.Name), component.Name, -1, variable.Index,
                settings.InitialSpread.GetValueOrDefault(name), settings.ProcessNoise[name]));
        }
        if (values.Count == 0) throw new InputException($"nothing to estimate: {Alternatives()}");

        var measured = new List<MeasuredSignal>();
        foreach (var m in settings.Measurements)
        {
            var target = resolver.TryResolve(m.Output) ?? throw new InputException($"--estimate {m.Output}: {resolver.Hint}");
            var component = components.First(c => c.Name == target.Component);
            var variable = component.Variables.FirstOrDefault(v => v.Name == target.Variable)
                           ?? throw new InputException($"--estimate {m.Output}: {component.Name} has no variable '{target.Variable}'{NameSuggestions.Suggest(target.Variable, component.Variables.Select(v => v.Name))}");
            if (variable.Kind != ValueKind.Real) throw new InputException($"--estimate {m.Output}: '{target.Variable}' is {variable.TypeName}; only real-valued signals can be measured");
            int column;
            try
            {
                column = data.ColumnIndex(m.Column);
            }
            catch (InputException e)
            {
                throw new InputException($"--estimate {m.Output}={m.Column}: {e.Message}{NameSuggestions.Suggest(m.Column, data.Columns)}");
            }
            measured.Add(new MeasuredSignal(Display(component.Name, variable.Name), component.Name, variable.Index, column, m.Sigma));
        }
        return new EstimationLayout(values, measured, blocks);
    }

    private static double Lookup(IReadOnlyDictionary<string, double> map, string display, string component, string variable) =>
        map.TryGetValue(display, out var v) || map.TryGetValue($"{component}.{variable}", out v) ? v : 0;
}

/// <summary>The accessors of one member run: reads and writes the estimated vector, reads the measured outputs.</summary>
internal sealed class MemberAccess
{
    private readonly (IContinuousStateAccess Access, int Offset, int Count)[] _states;
    private readonly (IValueAccessor Accessor, int Offset)[] _parameters;
    private readonly IValueAccessor[] _outputs;
    private readonly double[] _one = new double[1];

    public MemberAccess(PreparedRun run, EstimationLayout layout)
    {
        Run = run;
        IComponent Find(string name) => run.System.Components.First(c => c.Name == name).Instance;
        var offset = 0;
        _states = layout.StateBlocks.Select(b =>
        {
            var entry = ((IContinuousStateAccess)Find(b.Component), offset, b.Count);
            offset += b.Count;
            return entry;
        }).ToArray();
        _parameters = layout.Values.Select((v, i) => (v, i)).Where(p => p.v.StateIndex < 0)
            .Select(p => (Find(p.v.Component).CreateAccessor([p.v.Variable]), p.i)).ToArray();
        _outputs = layout.Measured.Select(m => Find(m.Component).CreateAccessor([m.Variable])).ToArray();
    }

    /// <summary>The run these accessors belong to.</summary>
    public PreparedRun Run { get; }

    public void Read(Span<double> z)
    {
        foreach (var (access, offset, count) in _states) access.GetContinuousStates(z.Slice(offset, count));
        foreach (var (accessor, index) in _parameters) accessor.Read(z.Slice(index, 1));
    }

    public void Write(ReadOnlySpan<double> z)
    {
        foreach (var (access, offset, count) in _states) access.SetContinuousStates(z.Slice(offset, count));
        foreach (var (accessor, index) in _parameters) accessor.Write(z.Slice(index, 1));
    }

    public void ReadOutputs(Span<double> y)
    {
        for (var i = 0; i < _outputs.Length; i++)
        {
            _outputs[i].Read(_one);
            y[i] = _one[0];
        }
    }
}
