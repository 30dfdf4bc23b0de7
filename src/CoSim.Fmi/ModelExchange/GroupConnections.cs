using CoSim.Core;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// The internal connections of a <see cref="StronglyCoupledGroup"/>, algebraic equations between its members:
/// <see cref="Propagate"/> sets every connected input from its output. The links run in dependency order (an
/// output is read only after every input it depends on directly has been set, from the members' model
/// structure); when direct feedthrough runs all the way round, all connected values are solved together
/// (<see cref="GroupLoop"/>). An input is written only when its value changed (bit for bit).
/// </summary>
internal sealed class GroupConnections
{
    private readonly GroupLink[] _links;
    private readonly GroupLoop? _loop;

    /// <summary>Validates and orders <paramref name="connections"/>; throws <see cref="InputException"/> on one that names no member.</summary>
    public GroupConnections(string group, IReadOnlyList<FmuModelExchangeComponent> members, IReadOnlyList<InternalConnection> connections)
    {
        var links = new List<GroupLink>();
        foreach (var c in connections)
        {
            if (c.FromMember < 0 || c.FromMember >= members.Count || c.ToMember < 0 || c.ToMember >= members.Count)
                throw new InputException($"strongly coupled group '{group}': connection {c} names no member");
            var from = members[c.FromMember];
            var to = members[c.ToMember];
            links.Add(new GroupLink(c, from.CreateAccessor([c.FromVariable]), to.CreateAccessor([c.ToVariable]),
                $"{from.Name}.{from.Variables[c.FromVariable].Name} -> {to.Name}.{to.Variables[c.ToVariable].Name}"));
        }
        var order = DependencyOrder(links, members);
        if (order.Length == links.Count)
        {
            _links = order;
            return;
        }
        // An algebraic loop: every connected value is an unknown of Newton's method.
        _links = links.ToArray();
        LoopConnections = links.Where(l => !order.Contains(l)).Select(l => l.Text).ToList();
        _loop = new GroupLoop(group, _links, string.Join(", ", LoopConnections));
    }

    /// <summary>The links in evaluation order (declaration order when they form an algebraic loop).</summary>
    public IReadOnlyList<GroupLink> Links => _links;

    /// <summary>Whether the connections form an algebraic loop.</summary>
    public bool HasLoop => _loop != null;

    /// <summary>The connections on an algebraic loop; empty when none.</summary>
    public IReadOnlyList<string> LoopConnections { get; } = [];

    /// <summary>Newton iterations spent on the algebraic loop so far.</summary>
    public long LoopIterations => _loop?.Iterations ?? 0;

    /// <summary>Sets every connected input from its output (group time <paramref name="time"/>, for errors); true when any value changed.</summary>
    public bool Propagate(double time)
    {
        if (_loop != null) return _loop.Solve(time);
        var changed = false;
        foreach (var link in _links)
        {
            var v = link.Read();
            if (v.Equals(link.Last)) continue; // an unchanged input is not set again (bit-identical)
            link.Last = v;
            link.Write(v);
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// The links that can be ordered so that each output is read after the inputs it depends on are set
    /// (all of them unless there is an algebraic loop): link b comes after link a when a sets an input of
    /// b's source member that b's output depends on.
    /// </summary>
    private static GroupLink[] DependencyOrder(List<GroupLink> links, IReadOnlyList<FmuModelExchangeComponent> members)
    {
        var after = links.Select(_ => new List<int>()).ToArray();
        var pending = new int[links.Count];
        for (var b = 0; b < links.Count; b++)
        for (var a = 0; a < links.Count; a++)
        {
            var cb = links[b].Connection;
            var ca = links[a].Connection;
            if (ca.ToMember != cb.FromMember || !members[cb.FromMember].Structure.DependsOn(cb.FromVariable, ca.ToVariable)) continue;
            after[a].Add(b);
            pending[b]++;
        }
        var order = new List<GroupLink>();
        var ready = new Queue<int>(Enumerable.Range(0, links.Count).Where(i => pending[i] == 0));
        while (ready.Count > 0)
        {
            var i = ready.Dequeue();
            order.Add(links[i]);
            foreach (var j in after[i])
                if (--pending[j] == 0) ready.Enqueue(j);
        }
        return order.ToArray();
    }
}
