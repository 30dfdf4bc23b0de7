using CoSim.Core;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Algorithms;

/// <summary>An algebraic loop: connected inputs whose values depend, through direct feedthrough, on themselves.</summary>
public sealed class AlgebraicLoop(string description, (CoupledComponent Component, int Slot, Incoming Source)[] unknowns, CoupledComponent[] components)
{
    /// <summary>The cycle, e.g. "A.u -> A.y -> B.u -> B.y -> A.u".</summary>
    public string Description { get; } = description;
    public (CoupledComponent Component, int Slot, Incoming Source)[] Unknowns { get; } = unknowns;
    public CoupledComponent[] Components { get; } = components;
}

/// <summary>
/// A validated <see cref="SystemModel"/> compiled for stepping: components with their buffers,
/// connections as slot-to-slot transfers with their unit conversion, the Gauss-Seidel order and
/// the algebraic loops found in the graph of connections and direct feedthrough.
/// </summary>
public sealed class CoupledSystem
{
    /// <summary>
    /// Compiles <paramref name="model"/> (validated: every error is thrown at once). Besides the
    /// connections, the engine manages the inputs in <paramref name="extraInputs"/> (written by
    /// manipulators) and reads the variables in <paramref name="extraOutputs"/> (observed), both as
    /// (component index, variable index).
    /// </summary>
    public CoupledSystem(SystemModel model, IEnumerable<(int Component, int Variable)>? extraInputs = null, IEnumerable<(int Component, int Variable)>? extraOutputs = null)
    {
        model.Validate().ThrowIfErrors();
        var moreInputs = (extraInputs ?? []).ToLookup(x => x.Component, x => x.Variable);
        var moreOutputs = (extraOutputs ?? []).ToLookup(x => x.Component, x => x.Variable);
        var comps = model.Components;
        var byName = new Dictionary<string, int>();
        for (var i = 0; i < comps.Count; i++) byName[comps[i].Name] = i;
        var resolved = model.Connections.Select(c =>
        {
            var from = byName[c.From.Component];
            var to = byName[c.To.Component];
            return (Conn: c, From: from, FromVar: comps[from].FindVariable(c.From.Variable), To: to, ToVar: comps[to].FindVariable(c.To.Variable));
        }).ToList();

        Components = comps.Select((c, i) =>
        {
            var connected = resolved.Where(r => r.To == i).Select(r => r.ToVar).ToHashSet();
            var inputs = connected.Concat(moreInputs[i]).Distinct().Order().ToArray();
            var outputs = resolved.Where(r => r.From == i).Select(r => r.FromVar).Concat(moreOutputs[i]).Distinct().Order().ToArray();
            return new CoupledComponent(c, i, inputs, inputs.Select(connected.Contains).ToArray(), outputs);
        }).ToArray();

        foreach (var comp in Components)
        {
            comp.Incoming = resolved.Where(r => r.To == comp.Index).Select(r =>
            {
                var src = Components[r.From];
                var t = SystemModel.EffectiveTransform(r.Conn, comps[r.From], comps[r.From].Instance.Variables[r.FromVar], comps[r.To], comps[r.To].Instance.Variables[r.ToVar]);
                var feedthrough = comp.Instance.Variables.Any(v => v.Role == VariableRole.Output && comp.Component.DependsOn(v.Index, r.ToVar));
                return new Incoming(src, src.OutputSlot(r.FromVar), comp.InputSlot(r.ToVar), t.Factor, t.Offset,
                    Continuous: src.Instance.Variables[r.FromVar].IsContinuous, Feedthrough: feedthrough);
            }).ToArray();
        }
        foreach (var comp in Components)
        {
            comp.HasFeedthrough = HasFeedthrough(comp);
            comp.RefreshAfterStep = NeedsRefresh(comp);
        }
        GaussSeidelOrder = OrderForGaussSeidel();
        Loops = FindLoops();
    }

    public CoupledComponent[] Components { get; }

    /// <summary>Components ordered so that each steps after its providers where the graph allows.</summary>
    public CoupledComponent[] GaussSeidelOrder { get; }

    public AlgebraicLoop[] Loops { get; }

    /// <summary>Whether a component's read output <paramref name="outSlot"/> depends directly on managed input <paramref name="inSlot"/>.</summary>
    private static bool Feedthrough(CoupledComponent c, int outSlot, int inSlot) =>
        c.Instance.Variables[c.OutputVars[outSlot]].Role == VariableRole.Output && c.Component.DependsOn(c.OutputVars[outSlot], c.InputVars[inSlot]);

    private CoupledComponent[] OrderForGaussSeidel()
    {
        var n = Components.Length;
        var successors = Enumerable.Range(0, n).Select(_ => new SortedSet<int>()).ToArray();
        foreach (var c in Components)
            foreach (var inc in c.Incoming)
                if (inc.Source.Index != c.Index) successors[inc.Source.Index].Add(c.Index);
        var sccs = Graph.StronglyConnected(n, i => successors[i]);
        var order = new List<CoupledComponent>();
        foreach (var scc in sccs) // already in topological order
        {
            var members = scc.Order().ToList();
            var placed = new HashSet<int>();
            while (placed.Count < members.Count)
            {
                var ready = members.Where(m => !placed.Contains(m) &&
                                               Components[m].Incoming.All(inc => placed.Contains(inc.Source.Index) || !members.Contains(inc.Source.Index) || inc.Source.Index == m)).ToList();
                // In a cycle nothing is ready: start with a component whose outputs do not feed through from its inputs
                // (its new outputs come from its state alone), else with the first declared.
                var next = ready.Count > 0 ? ready[0]
                    : members.Where(m => !placed.Contains(m)).OrderBy(m => Components[m].HasFeedthrough ? 1 : 0).ThenBy(m => m).First();
                placed.Add(next);
                order.Add(Components[next]);
            }
        }
        return order.ToArray();
    }

    /// <summary>Whether an output that feeds a connection depends directly on a connected input (Gauss-Seidel ordering).</summary>
    private bool HasFeedthrough(CoupledComponent c)
    {
        var feeding = Components.SelectMany(k => k.Incoming).Where(inc => inc.Source == c).Select(inc => inc.SourceSlot).ToHashSet();
        foreach (var o in feeding)
            foreach (var inc in c.Incoming)
                if (Feedthrough(c, o, inc.TargetSlot)) return true;
        return false;
    }

    /// <summary>
    /// Whether some output the engine reads (connected, or only observed) depends directly on a connected
    /// input: its value read after a step is stale once the input moves to the new point.
    /// </summary>
    private static bool NeedsRefresh(CoupledComponent c)
    {
        for (var o = 0; o < c.OutputVars.Length; o++)
            foreach (var inc in c.Incoming)
                if (Feedthrough(c, o, inc.TargetSlot)) return true;
        return false;
    }

    private AlgebraicLoop[] FindLoops()
    {
        // Nodes: every connected input slot, then every connected output slot, of every component.
        var inputBase = new int[Components.Length];
        var outputBase = new int[Components.Length];
        var total = 0;
        foreach (var c in Components)
        {
            inputBase[c.Index] = total;
            total += c.InputVars.Length;
        }
        foreach (var c in Components)
        {
            outputBase[c.Index] = total;
            total += c.OutputVars.Length;
        }
        var edges = Enumerable.Range(0, total).Select(_ => new List<int>()).ToArray();
        var names = new string[total];
        var owner = new (CoupledComponent C, int Slot, bool IsInput)[total];
        foreach (var c in Components)
        {
            for (var i = 0; i < c.InputVars.Length; i++)
            {
                names[inputBase[c.Index] + i] = c.InputName(i);
                owner[inputBase[c.Index] + i] = (c, i, true);
                for (var o = 0; o < c.OutputVars.Length; o++)
                    if (Feedthrough(c, o, i)) edges[inputBase[c.Index] + i].Add(outputBase[c.Index] + o);
            }
            for (var o = 0; o < c.OutputVars.Length; o++)
            {
                names[outputBase[c.Index] + o] = c.OutputName(o);
                owner[outputBase[c.Index] + o] = (c, o, false);
            }
            foreach (var inc in c.Incoming)
                edges[outputBase[inc.Source.Index] + inc.SourceSlot].Add(inputBase[c.Index] + inc.TargetSlot);
        }
        var loops = new List<AlgebraicLoop>();
        foreach (var scc in Graph.StronglyConnected(total, i => edges[i]))
        {
            if (scc.Count < 2) continue;
            var set = scc.ToHashSet();
            var cycle = Graph.Cycle(scc.Min(), i => edges[i].Where(set.Contains));
            var description = string.Join(" -> ", cycle.Append(cycle[0]).Select(i => names[i]));
            var unknowns = scc.Order().Where(i => owner[i].IsInput)
                .Select(i => (owner[i].C, owner[i].Slot, owner[i].C.Incoming.First(inc => inc.TargetSlot == owner[i].Slot))).ToArray();
            var members = scc.Select(i => owner[i].C).Distinct().OrderBy(c => c.Index).ToArray();
            loops.Add(new AlgebraicLoop(description, unknowns, members));
        }
        return loops.ToArray();
    }
}

