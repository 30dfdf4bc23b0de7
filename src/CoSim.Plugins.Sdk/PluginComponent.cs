using DescriptionAttribute = System.ComponentModel.DescriptionAttribute;
using System.Globalization;
using System.Reflection;
using CoSim.Core;

namespace CoSim.Plugins.Sdk;

/// <summary>
/// The convenience base class of a C# component: declare the variables once in the constructor
/// (<see cref="Real"/>, <see cref="Integer"/>, <see cref="Boolean"/>), implement <see cref="Step(double, double)"/>,
/// and the engine sees an <see cref="IComponent"/> like any FMU. A plugin assembly exposes every public,
/// non-abstract subclass with a public parameterless constructor as a component type; a
/// <see cref="DescriptionAttribute"/> on the class is shown by <c>cosim info</c>.
/// <para>
/// Values live in one array of doubles, so batched reads and writes are copies and the state
/// (<see cref="IComponent.SaveState"/>) is captured whole: keep the state in Local variables (which can then be
/// recorded too), or override <see cref="CaptureState"/> / <see cref="RestoreCapturedState"/> for what is not a
/// variable. Outputs computed in <see cref="Step(double, double)"/> from the inputs held at the step start have no
/// direct feedthrough (the default); a component whose outputs follow its inputs at the same instant sets
/// <see cref="DirectFeedthrough"/> and computes them in <see cref="Evaluate"/>, which runs before outputs are read
/// whenever inputs, parameters or the time changed.
/// </para>
/// Exceptions thrown here are reported by the host as a failure of this component, its operation and time.
/// </summary>
public abstract partial class PluginComponent : IComponent
{
    private readonly List<ComponentVariable> _variables = [];
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private double[] _values = new double[8];
    private bool _instantiated;
    private bool _dirty = true;
    private bool _terminateRequested;

    /// <summary>Instance name, unique within a system; set by the host before <see cref="IComponent.Instantiate"/>.</summary>
    public string Name { get; set; } = "";

    /// <inheritdoc />
    public IReadOnlyList<ComponentVariable> Variables => _variables;

    /// <summary>
    /// Whether outputs depend on inputs at the same instant (computed in <see cref="Evaluate"/>). False (the
    /// default): outputs change only in steps, which breaks algebraic loops through this component.
    /// </summary>
    protected bool DirectFeedthrough { get; set; }

    /// <inheritdoc />
    public ComponentStructure Structure => DirectFeedthrough
        ? ComponentStructure.Opaque
        : new ComponentStructure(_variables.Where(v => v.Role == VariableRole.Output).ToDictionary(v => v.Index, _ => (IReadOnlyList<int>)[]), null);

    /// <inheritdoc />
    public string? KindDescription => $"C# plugin {GetType().FullName}";

    /// <summary>A plugin's state is its value array and what <see cref="CaptureState"/> adds: always capturable.</summary>
    public virtual bool CanSaveState => true;

    /// <summary>Simulation time the component has reached [s].</summary>
    protected double Time { get; private set; }

    /// <summary>The start time of the run [s].</summary>
    protected double StartTime { get; private set; }

    /// <summary>The stop time of the run [s], when known.</summary>
    protected double? StopTime { get; private set; }

    /// <summary>The value array (by variable index); the typed handles read and write it.</summary>
    internal double[] Values => _values;

    /// <summary>The value of a variable by name, as a double (booleans 0/1); for generic code, prefer the typed handles.</summary>
    public double this[string name]
    {
        get => _values[IndexOf(name)];
        set
        {
            _values[IndexOf(name)] = value;
            _dirty = true;
        }
    }

    /// <summary>Declares a real variable; call from the constructor.</summary>
    protected RealVariable Real(string name, VariableRole role, double start = 0, string? unit = null, string? description = null, bool continuous = true) =>
        new(this, Declare(name, ValueKind.Real, "Float64", role, continuous, unit, description, start, Text(start)));

    /// <summary>Declares an integer variable; call from the constructor.</summary>
    protected IntegerVariable Integer(string name, VariableRole role, long start = 0, string? unit = null, string? description = null) =>
        new(this, Declare(name, ValueKind.Integer, "Int64", role, false, unit, description, start, start.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Declares a boolean variable; call from the constructor.</summary>
    protected BooleanVariable Boolean(string name, VariableRole role, bool start = false, string? description = null) =>
        new(this, Declare(name, ValueKind.Boolean, "Boolean", role, false, null, description, start ? 1 : 0, start ? "true" : "false"));

    private ComponentVariable Declare(string name, ValueKind kind, string typeName, VariableRole role, bool continuous, string? unit, string? description, double start, string startText)
    {
        if (_instantiated) throw new InvalidOperationException($"variable '{name}' declared after instantiation; declare variables in the constructor");
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a variable needs a name", nameof(name));
        if (role is VariableRole.Independent or VariableRole.StructuralParameter)
            throw new ArgumentException($"variable '{name}': role {role} is not available to plugins", nameof(role));
        if (!_byName.TryAdd(name, _variables.Count)) throw new ArgumentException($"variable '{name}' is declared twice", nameof(name));
        var variable = new ComponentVariable(_variables.Count, name, kind, role, continuous, unit, description,
            role is VariableRole.Output or VariableRole.Local or VariableRole.CalculatedParameter ? null : startText) { TypeName = typeName };
        if (_variables.Count == _values.Length) Array.Resize(ref _values, _values.Length * 2);
        _values[variable.Index] = start;
        _variables.Add(variable);
        return variable;
    }

    private int IndexOf(string name) =>
        _byName.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException($"component '{Name}' has no variable '{name}'");

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Called once when initialization ends, with inputs and parameters set: compute initial outputs here.</summary>
    protected virtual void Initialize(double startTime) { }

    /// <summary>Advances from <paramref name="time"/> by <paramref name="step"/> [s] with the inputs held at <paramref name="time"/>.</summary>
    protected abstract void Step(double time, double step);

    /// <summary>Computes outputs that follow the inputs directly (see <see cref="DirectFeedthrough"/>); called before outputs are read when something changed.</summary>
    protected virtual void Evaluate(double time) { }

    /// <summary>Called once at the end of a successful run.</summary>
    protected virtual void Terminate() { }

    /// <summary>State that is not held in variables (e.g. a covariance matrix), as a deep copy; null when there is none.</summary>
    protected virtual object? CaptureState() => null;

    /// <summary>Returns to state captured by <see cref="CaptureState"/> (the same object may be restored more than once: copy it).</summary>
    protected virtual void RestoreCapturedState(object? state) { }

    /// <summary>Ends the simulation after the current step (the engine stops the run at the time reached).</summary>
    protected void RequestTermination() => _terminateRequested = true;

    void IComponent.Instantiate()
    {
        _instantiated = true;
        Array.Resize(ref _values, _variables.Count);
    }

    void IComponent.EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        StartTime = Time = start.Seconds;
        StopTime = stop?.Seconds;
        _dirty = true;
    }

    void IComponent.ExitInitialization()
    {
        Initialize(Time);
        _dirty = true;
    }

    StepResult IComponent.Step(SimTime time, SimTime step)
    {
        Time = time.Seconds;
        Step(time.Seconds, step.Seconds);
        var reached = time + step;
        Time = reached.Seconds;
        _dirty = true;
        return _terminateRequested ? new StepResult(StepStatus.Terminated, reached) : StepResult.Completed(reached);
    }

    void IComponent.Terminate() => Terminate();

    IValueAccessor IComponent.CreateAccessor(IReadOnlyList<int> variables)
    {
        foreach (var v in variables)
            if ((uint)v >= (uint)_variables.Count) throw new ArgumentOutOfRangeException(nameof(variables), $"component '{Name}' has no variable index {v}");
        return new Accessor(this, variables.ToArray());
    }

    void IComponent.SetFromText(int variable, string text)
    {
        var v = _variables[variable];
        var s = text.Trim();
        _values[variable] = v.Kind switch
        {
            ValueKind.Boolean when s is "true" or "1" => 1,
            ValueKind.Boolean when s is "false" or "0" => 0,
            ValueKind.Integer when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            ValueKind.Real when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw new InputException($"'{text}' is not a valid {v.TypeName} for {Name}.{v.Name}"),
        };
        _dirty = true;
    }

    string IComponent.GetAsText(int variable)
    {
        var v = _variables[variable];
        EvaluateIfChanged();
        var value = _values[variable];
        return v.Kind switch
        {
            ValueKind.Boolean => value != 0 ? "true" : "false",
            ValueKind.Integer => ((long)value).ToString(CultureInfo.InvariantCulture),
            _ => Text(value),
        };
    }

    IComponentState IComponent.SaveState() => new State((double[])_values.Clone(), Time, CaptureState());

    void IComponent.RestoreState(IComponentState state)
    {
        if (state is not State s) throw new ArgumentException("not a state of this component", nameof(state));
        s.Values.CopyTo(_values, 0);
        Time = s.Time;
        RestoreCapturedState(s.Captured);
        _terminateRequested = false;
        _dirty = true;
    }

    /// <summary>Releases what the component holds; called once, also after a failure.</summary>
    protected virtual void Dispose(bool disposing) { }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    private void EvaluateIfChanged()
    {
        if (!_dirty) return;
        _dirty = false;
        Evaluate(Time);
    }

    /// <summary>The component types a plugin assembly offers: public, non-abstract <see cref="PluginComponent"/> subclasses with a public parameterless constructor.</summary>
    public static IReadOnlyList<Type> ComponentTypes(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(PluginComponent).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) != null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();

    /// <summary>The type's description from its <see cref="DescriptionAttribute"/>, if any.</summary>
    public static string? DescriptionOf(Type type) => type.GetCustomAttribute<DescriptionAttribute>()?.Description;

    private sealed record State(double[] Values, double Time, object? Captured) : IComponentState
    {
        public void Dispose() { }
    }

    /// <summary>Batched copies between the engine's buffers and the value array.</summary>
    private sealed class Accessor(PluginComponent owner, int[] variables) : IValueAccessor
    {
        public IReadOnlyList<int> Variables => variables;

        public void Read(Span<double> values)
        {
            owner.EvaluateIfChanged();
            var source = owner._values;
            for (var i = 0; i < variables.Length; i++) values[i] = source[variables[i]];
        }

        public void Write(ReadOnlySpan<double> values)
        {
            var target = owner._values;
            for (var i = 0; i < variables.Length; i++) target[variables[i]] = values[i];
            owner._dirty = true;
        }
    }
}
