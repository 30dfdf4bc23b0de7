using CoSim.Core;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// A strongly coupled group's variables: every member's variables named <c>Member.variable</c>, in member
/// order; an input fed by an internal connection becomes a local, the others stay inputs. Maps group variable
/// indices to (member, variable) and back, and gives the group's structure: which group outputs depend directly
/// on which group inputs, following feedthrough through the members and the internal connections.
/// </summary>
internal sealed class GroupVariables
{
    private readonly IReadOnlyList<FmuModelExchangeComponent> _members;
    private readonly int[] _offset;
    private readonly (int Member, int Variable)[] _owner;

    public GroupVariables(IReadOnlyList<FmuModelExchangeComponent> members, GroupConnections connections)
    {
        _members = members;
        var connectedInputs = connections.Links.Select(l => (l.Connection.ToMember, l.Connection.ToVariable)).ToHashSet();
        var variables = new List<ComponentVariable>();
        var owners = new List<(int, int)>();
        _offset = new int[members.Count];
        var units = new Dictionary<string, BaseUnit>();
        for (var m = 0; m < members.Count; m++)
        {
            _offset[m] = variables.Count;
            foreach (var v in members[m].Variables)
            {
                var role = v.Role == VariableRole.Input && connectedInputs.Contains((m, v.Index)) ? VariableRole.Local : v.Role;
                variables.Add(v with { Index = variables.Count, Name = $"{members[m].Name}.{v.Name}", Role = role });
                owners.Add((m, v.Index));
            }
            foreach (var (unit, definition) in members[m].Structure.UnitDefinitions) units.TryAdd(unit, definition);
        }
        Variables = variables;
        _owner = owners.ToArray();
        Structure = new ComponentStructure(Dependencies(connections.Links), units);
    }

    public IReadOnlyList<ComponentVariable> Variables { get; }

    public ComponentStructure Structure { get; }

    /// <summary>The member and its variable index behind group variable <paramref name="variable"/>.</summary>
    public (int Member, int Variable) Owner(int variable) => _owner[variable];

    /// <summary>Index of member <paramref name="member"/>'s variable <paramref name="variable"/> among the group's variables.</summary>
    public int Index(int member, int variable) => _offset[member] + variable;

    /// <summary>Group output -> group inputs it depends on directly, following feedthrough through internal connections.</summary>
    private Dictionary<int, IReadOnlyList<int>> Dependencies(IReadOnlyList<GroupLink> links)
    {
        var result = new Dictionary<int, IReadOnlyList<int>>();
        for (var m = 0; m < _members.Count; m++)
            foreach (var v in _members[m].Variables.Where(v => v.Role == VariableRole.Output))
            {
                var inputs = new HashSet<int>();
                var seen = new HashSet<(int, int)>();
                Collect(m, v.Index, inputs, seen);
                result[Index(m, v.Index)] = inputs.ToList();
            }
        return result;

        void Collect(int member, int output, HashSet<int> inputs, HashSet<(int, int)> seen)
        {
            if (!seen.Add((member, output))) return;
            foreach (var input in _members[member].Variables.Where(x => x.Role == VariableRole.Input))
            {
                if (!_members[member].Structure.DependsOn(output, input.Index)) continue;
                var feeding = links.Where(l => l.Connection.ToMember == member && l.Connection.ToVariable == input.Index).ToList();
                if (feeding.Count == 0) inputs.Add(Index(member, input.Index));
                foreach (var l in feeding) Collect(l.Connection.FromMember, l.Connection.FromVariable, inputs, seen);
            }
        }
    }
}
