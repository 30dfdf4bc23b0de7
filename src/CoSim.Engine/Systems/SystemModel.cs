using CoSim.Core;

namespace CoSim.Engine.Systems;

/// <summary>
/// A system of components connected output -> input, with parameter values. Build it in code
/// (<see cref="Add(SystemComponent)"/>, <see cref="Connect(string, string, LinearTransform?)"/>, <see cref="SetParameter(string, string)"/>)
/// or import it from SSP (<c>Ssp.SspImporter</c>), check it with <see cref="Validate"/> and run it
/// with <see cref="Execution.SystemExecution"/>. The system owns its components: disposing it disposes them.
/// </summary>
public sealed class SystemModel : IDisposable
{
    private readonly List<SystemComponent> _components = [];
    private readonly List<Connection> _connections = [];
    private readonly List<ParameterValue> _parameters = [];

    public IReadOnlyList<SystemComponent> Components => _components;
    public IReadOnlyList<Connection> Connections => _connections;
    public IReadOnlyList<ParameterValue> Parameters => _parameters;

    /// <summary>Adds a component (its unit's name must be unique; checked by <see cref="Validate"/>).</summary>
    public SystemComponent Add(SystemComponent component)
    {
        _components.Add(component);
        return component;
    }

    /// <summary>Adds a component with default metadata (every output depends on every input, no unit definitions, step multiple 1).</summary>
    public SystemComponent Add(IComponent unit) => Add(new SystemComponent(unit));

    /// <summary>Connects an output to an input, both written <c>Component.variable</c>.</summary>
    public Connection Connect(string from, string to, LinearTransform? transform = null) =>
        Connect(VariableRef.Parse(from), VariableRef.Parse(to), transform);

    public Connection Connect(VariableRef from, VariableRef to, LinearTransform? transform = null)
    {
        var c = new Connection(from, to, transform);
        _connections.Add(c);
        return c;
    }

    /// <summary>Sets a parameter or start value (<c>Component.variable</c>) before initialization; later settings win.</summary>
    public void SetParameter(string target, string value) => SetParameter(VariableRef.Parse(target), value);

    public void SetParameter(VariableRef target, string value) => _parameters.Add(new ParameterValue(target, value));

    /// <summary>The component with this name, or null.</summary>
    public SystemComponent? Find(string name) => _components.FirstOrDefault(c => c.Name == name);

    /// <summary>
    /// Checks the whole system and returns every problem at once: unknown components or variables,
    /// causality the wrong way round, type mismatches, inputs connected twice, incompatible units,
    /// bad parameters (errors); unconnected inputs and unchecked units (warnings).
    /// </summary>
    /// <param name="drivenInputs">
    /// Inputs written from outside the system (an input table, a scenario): they get no "not connected"
    /// warning. A system of one component gets none either: it has nothing to connect to.
    /// </param>
    public SystemValidation Validate(IReadOnlySet<VariableRef>? drivenInputs = null)
    {
        var problems = new List<SystemProblem>();
        void Error(string m) => problems.Add(new SystemProblem(ProblemSeverity.Error, m));
        void Warn(string m) => problems.Add(new SystemProblem(ProblemSeverity.Warning, m));

        foreach (var g in _components.GroupBy(c => c.Name).Where(g => g.Count() > 1))
            Error($"component name '{g.Key}' is used {g.Count()} times");
        foreach (var c in _components)
        {
            if (c.Name.Contains('.')) Error($"component name '{c.Name}' contains a '.', which separates component and variable names");
            if (c.StepMultiple < 1) Error($"component '{c.Name}': step multiple {c.StepMultiple} must be at least 1");
        }

        (SystemComponent C, ComponentVariable V)? Resolve(VariableRef r, string what)
        {
            var comp = Find(r.Component);
            if (comp == null)
            {
                Error($"{what}: unknown component '{r.Component}'" + NameSuggestions.Suggest(r.Component, _components.Select(c => c.Name)));
                return null;
            }
            var index = comp.FindVariable(r.Variable);
            if (index < 0)
            {
                Error($"{what}: component '{r.Component}' has no variable '{r.Variable}'" + NameSuggestions.Suggest(r.Variable, comp.Instance.Variables.Select(v => v.Name)));
                return null;
            }
            return (comp, comp.Instance.Variables[index]);
        }

        var inputsConnected = new Dictionary<VariableRef, List<Connection>>();
        foreach (var conn in _connections)
        {
            var what = $"connection {conn}";
            var from = Resolve(conn.From, what);
            var to = Resolve(conn.To, what);
            if (from is not { } f || to is not { } t) continue;
            if (!inputsConnected.TryGetValue(conn.To, out var list)) inputsConnected[conn.To] = list = [];
            list.Add(conn);
            if (f.V.Role != VariableRole.Output)
                Error($"{what}: the start '{conn.From}' is {Article(f.V.Role)} {Describe(f.V.Role)}; a connection goes from an output" +
                      (f.V.Role == VariableRole.Input && t.V.Role == VariableRole.Output ? " to an input (the causality is the wrong way round: swap the ends)" : ""));
            if (t.V.Role != VariableRole.Input)
                Error($"{what}: the end '{conn.To}' is {Article(t.V.Role)} {Describe(t.V.Role)}; a connection goes to an input");
            if (!Exchangeable(f.V.Kind) || !Exchangeable(t.V.Kind))
                Error($"{what}: {f.V.TypeName} -> {t.V.TypeName}: only numeric and Boolean variables can be connected");
            else if (f.V.Kind != t.V.Kind)
                Error($"{what}: type mismatch, {conn.From} is {f.V.TypeName} but {conn.To} is {t.V.TypeName}");
            if (conn.Transform is { } tr && (f.V.Kind != ValueKind.Real || t.V.Kind != ValueKind.Real) && tr != LinearTransform.Identity)
                Error($"{what}: a linear transformation applies only to real variables");
            CheckUnits(conn, f.C, f.V, t.C, t.V, Error, Warn);
        }
        foreach (var (input, conns) in inputsConnected.Where(p => p.Value.Count > 1))
            Error($"input '{input}' is connected {conns.Count} times (from {string.Join(", ", conns.Select(c => c.From))}); an input takes one connection");

        foreach (var p in _parameters)
        {
            if (Resolve(p.Target, $"parameter {p.Target}") is not { } r) continue;
            if (r.V.Role is VariableRole.Output or VariableRole.CalculatedParameter or VariableRole.Independent)
                Error($"parameter {p.Target}: it is {Article(r.V.Role)} {Describe(r.V.Role)}, which cannot be set");
        }

        foreach (var c in _components)
            foreach (var v in c.Instance.Variables.Where(v => v.Role == VariableRole.Input))
            {
                var r = new VariableRef(c.Name, v.Name);
                if (_components.Count > 1 && !inputsConnected.ContainsKey(r) && _parameters.All(p => p.Target != r) && drivenInputs?.Contains(r) != true)
                    Warn($"input '{r}' is not connected; it keeps its start value{(v.Start != null ? $" ({v.Start})" : "")}");
            }
        return new SystemValidation(problems);
    }

    /// <summary>
    /// The transformation a connection applies: its own linear transformation, then conversion from
    /// the source's unit to the target's when both units are defined and differ.
    /// </summary>
    public static LinearTransform EffectiveTransform(Connection conn, SystemComponent from, ComponentVariable fromVar, SystemComponent to, ComponentVariable toVar)
    {
        var t = conn.Transform ?? LinearTransform.Identity;
        if (fromVar.Unit is { } fu && toVar.Unit is { } tu && fu != tu &&
            from.UnitDefinitions.TryGetValue(fu, out var fb) && to.UnitDefinitions.TryGetValue(tu, out var tb) && UnitConversion.Compatible(fb, tb))
            t = UnitConversion.Compose(t, UnitConversion.Between(fb, tb));
        return t;
    }

    private static void CheckUnits(Connection conn, SystemComponent fc, ComponentVariable fv, SystemComponent tc, ComponentVariable tv, Action<string> error, Action<string> warn)
    {
        if (fv.Unit is not { } fu || tv.Unit is not { } tu || fu == tu) return;
        var known = fc.UnitDefinitions.TryGetValue(fu, out var fb) & tc.UnitDefinitions.TryGetValue(tu, out var tb);
        if (!known)
        {
            warn($"connection {conn}: units '{fu}' and '{tu}' differ and are not both defined; the value is passed without conversion");
            return;
        }
        if (!UnitConversion.Compatible(fb!, tb!))
            error($"connection {conn}: incompatible units, '{fu}' ({UnitConversion.Describe(fb!)}) cannot be converted to '{tu}' ({UnitConversion.Describe(tb!)})");
    }

    private static bool Exchangeable(ValueKind k) => k is ValueKind.Real or ValueKind.Integer or ValueKind.Boolean;

    private static string Article(VariableRole r) => r is VariableRole.Output or VariableRole.Input or VariableRole.Independent ? "an" : "a";

    private static string Describe(VariableRole r) => r switch
    {
        VariableRole.CalculatedParameter => "calculated parameter",
        VariableRole.StructuralParameter => "structural parameter",
        _ => r.ToString().ToLowerInvariant(),
    };

    /// <summary>Disposes every component (each even if another fails).</summary>
    public void Dispose()
    {
        List<Exception>? failures = null;
        foreach (var c in _components)
        {
            try { c.Instance.Dispose(); }
            catch (Exception e) { (failures ??= []).Add(e); }
        }
        if (failures != null) throw new AggregateException("disposing components failed", failures);
    }
}
