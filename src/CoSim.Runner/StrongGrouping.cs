using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Engine.Systems;
using CoSim.Fmi.ModelExchange;

namespace CoSim.Runner;

/// <summary>
/// The strongly coupled groups of a run (<see cref="RunSpecification.StrongGroups"/>, and components
/// whose request carries the option <c>strong-group=NAME</c>, e.g. from the SSP annotation
/// <c>org.cosim</c>): which components are members, how their requests are made (model exchange,
/// in process), the groups built from the made members, and the run's references to members
/// rewritten to the group (<c>Member.x</c> becomes <c>Group.Member.x</c>; connections inside a group
/// become the group's own).
/// </summary>
internal sealed class StrongGrouping
{
    /// <summary>The option of a component request that puts it into a strongly coupled group.</summary>
    public const string Option = "strong-group";

    private readonly List<StrongGroupSpec> _groups = [];
    private readonly Dictionary<string, string> _groupOf = [];
    private readonly Dictionary<string, IComponent> _made = [];

    public StrongGrouping(RunSpecification spec)
    {
        _groups.AddRange(spec.StrongGroups);
        foreach (var g in spec.StrongGroups)
            foreach (var m in g.Members) _groupOf.TryAdd(m, g.Name);
        foreach (var byOption in spec.Components.Where(c => c.Request?.Option(Option) is { Length: > 0 } && !_groupOf.ContainsKey(c.Name))
                     .GroupBy(c => c.Request!.Option(Option)!))
        {
            _groups.Add(new StrongGroupSpec(byOption.Key, byOption.Select(c => c.Name).ToList()));
            foreach (var c in byOption) _groupOf[c.Name] = byOption.Key;
        }
    }

    /// <summary>Whether the run has any group.</summary>
    public bool Any => _groups.Count > 0;

    /// <summary>Components that stand for themselves (not members) plus one per group.</summary>
    public int ComponentCount(RunSpecification spec) => spec.Components.Count(c => !_groupOf.ContainsKey(c.Name)) + _groups.Count;

    public bool IsMember(string component) => _groupOf.ContainsKey(component);

    /// <summary>A member's request: its model-exchange interface, in process.</summary>
    public ComponentRequest MemberRequest(ComponentRequest request)
    {
        if (request.Option("interface") == "cs")
            throw new InputException("a member of a strongly coupled group uses the model-exchange interface, not interface=cs");
        if (request.Option("isolated") is "true" or "yes" or "1")
            throw new InputException("a member of a strongly coupled group runs in process; it cannot be isolated");
        return request with { Options = new Dictionary<string, string>(request.Options) { ["interface"] = "me" } };
    }

    /// <summary>Keeps a made member until its group is built.</summary>
    public void Collect(string name, IComponent component) => _made[name] = component;

    /// <summary>
    /// Builds every group whose members were all made, from the members and the connections among
    /// them; a failure is added to <paramref name="problems"/> and the group's members are disposed.
    /// </summary>
    public List<IComponent> Build(RunSpecification spec, IReadOnlyDictionary<string, BaseUnit> systemUnits, List<string> problems)
    {
        var built = new List<IComponent>();
        foreach (var g in _groups)
        {
            if (!g.Members.All(_made.ContainsKey)) continue;
            var members = new List<FmuModelExchangeComponent>();
            try
            {
                foreach (var name in g.Members)
                {
                    if (_made[name] is not FmuModelExchangeComponent me)
                        throw new InputException($"strongly coupled group '{g.Name}': component '{name}' is not an FMU's model-exchange interface, so it cannot be a member");
                    members.Add(me);
                }
                // One integrator for all: the members' solver settings (solver, tolerances, jacobian) must agree.
                var settings = members.Select(m => m.Solver).Distinct().ToList();
                if (settings.Count > 1)
                    throw new InputException($"strongly coupled group '{g.Name}': its members' solver settings differ ({string.Join(" vs ", settings)}); one integrator serves them all");
                built.Add(new StronglyCoupledGroup(g.Name, members, InternalConnections(spec, g, members, systemUnits), settings[0]));
                foreach (var name in g.Members) _made.Remove(name);
            }
            catch (InputException e)
            {
                problems.Add(e.Message); // each names the group
            }
        }
        return built;
    }

    /// <summary>Disposes members that did not end up in a group (after a failure).</summary>
    public void DisposeLeftovers()
    {
        foreach (var c in _made.Values) c.Dispose();
        _made.Clear();
    }

    private static List<InternalConnection> InternalConnections(RunSpecification spec, StrongGroupSpec g, List<FmuModelExchangeComponent> members,
        IReadOnlyDictionary<string, BaseUnit> systemUnits)
    {
        var index = g.Members.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var result = new List<InternalConnection>();
        foreach (var conn in spec.Connections.Where(c => index.ContainsKey(c.From.Component) && index.ContainsKey(c.To.Component)))
        {
            int fm = index[conn.From.Component], tm = index[conn.To.Component];
            var fv = members[fm].Variables.FirstOrDefault(v => v.Name == conn.From.Variable)
                     ?? throw new InputException($"strongly coupled group '{g.Name}': connection {conn}: '{conn.From.Component}' has no variable '{conn.From.Variable}'");
            var tv = members[tm].Variables.FirstOrDefault(v => v.Name == conn.To.Variable)
                     ?? throw new InputException($"strongly coupled group '{g.Name}': connection {conn}: '{conn.To.Component}' has no variable '{conn.To.Variable}'");
            if (tv.Role != VariableRole.Input) throw new InputException($"strongly coupled group '{g.Name}': connection {conn}: '{conn.To}' is not an input");
            // Same unit conversion as between components of the system.
            var transform = SystemModel.EffectiveTransform(conn, new SystemComponent(members[fm], systemUnits), fv, new SystemComponent(members[tm], systemUnits), tv);
            if (result.Any(r => r.ToMember == tm && r.ToVariable == tv.Index))
                throw new InputException($"strongly coupled group '{g.Name}': input '{conn.To}' is connected more than once");
            result.Add(new InternalConnection(fm, fv.Index, tm, tv.Index, transform == LinearTransform.Identity ? null : transform));
        }
        return result;
    }

    /// <summary>Whether a connection joins two members of the same group (it is then the group's own).</summary>
    public bool IsInternal(Connection conn) =>
        _groupOf.TryGetValue(conn.From.Component, out var a) && _groupOf.TryGetValue(conn.To.Component, out var b) && a == b;

    /// <summary>A reference to a member's variable as the system sees it: <c>Group.Member.variable</c>.</summary>
    public VariableRef Map(VariableRef r) => _groupOf.TryGetValue(r.Component, out var g) ? new VariableRef(g, $"{r.Component}.{r.Variable}") : r;

    /// <summary>A record glob on <c>Member.x</c> rewritten to <c>Group.Member.x</c>.</summary>
    public string MapGlob(string glob)
    {
        var dot = glob.IndexOf('.');
        return dot > 0 && _groupOf.TryGetValue(glob[..dot], out var g) ? $"{g}.{glob}" : glob;
    }
}
