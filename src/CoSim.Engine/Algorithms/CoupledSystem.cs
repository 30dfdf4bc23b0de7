using CoSim.Core;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Algorithms;

/// <summary>
/// A compiled connection into one input slot: <c>input = Factor * source.Outputs[SourceSlot] + Offset</c>.
/// <paramref name="Continuous"/> is false for a discrete (sampled,
/// piecewise-constant) source: its jumps are events, not coupling error a smaller step would reduce.
/// <paramref name="MeanHoldAllowed"/>: continuous, and the target input feeds through to no output of its
/// unit, so Gauss-Seidel's mean hold cannot show up in an output at the communication point.
/// </summary>
internal readonly record struct Incoming(CoupledComponent Source, int SourceSlot, int TargetSlot, double Factor, double Offset,
    bool Continuous = true, bool MeanHoldAllowed = false);

/// <summary>
/// A component as the algorithms see it: preallocated buffers for its connected inputs and its
/// connected outputs, and one batched accessor for each, so that a step allocates nothing.
/// </summary>
internal sealed class CoupledComponent
{
    public CoupledComponent(SystemComponent component, int index, int[] inputVars, int[] outputVars)
    {
        Component = component;
        Unit = component.Unit;
        Index = index;
        InputVars = inputVars;
        OutputVars = outputVars;
        Inputs = new double[inputVars.Length];
        Outputs = new double[outputVars.Length];
        Scratch = new double[outputVars.Length];
        Held = new double[inputVars.Length];
        InputAccessor = Unit.CreateAccessor(inputVars);
        OutputAccessor = Unit.CreateAccessor(outputVars);
        Multiple = component.StepMultiple;
    }

    public SystemComponent Component { get; }
    public ISimulationUnit Unit { get; }
    public int Index { get; }
    public string Name => Unit.Name;
    public int[] InputVars { get; }
    public int[] OutputVars { get; }
    /// <summary>Values of the connected inputs, as last written to the unit.</summary>
    public double[] Inputs { get; }
    /// <summary>Published values of the connected outputs (what consumers see).</summary>
    public double[] Outputs { get; }
    /// <summary>Outputs read after a parallel step, published once every unit has stepped.</summary>
    public double[] Scratch { get; }
    /// <summary>The published outputs at the start of the current system step (for Gauss-Seidel's mean hold).</summary>
    public double[] PreviousOutputs { get; private set; } = [];
    /// <summary>Whether the unit has already stepped in the current Gauss-Seidel sweep.</summary>
    public bool SteppedThisSweep;
    /// <summary>The connected inputs written at the start of the unit's current step and held over it.</summary>
    public double[] Held { get; }
    public IValueAccessor InputAccessor { get; }
    public IValueAccessor OutputAccessor { get; }
    public Incoming[] Incoming { get; set; } = [];
    public int Multiple { get; }
    /// <summary>Whether some connected output depends directly on some connected input.</summary>
    public bool HasFeedthrough { get; set; }
    /// <summary>
    /// Whether some output, connected or not (recorded outputs count), depends directly on some connected
    /// input: after a step its inputs at the communication point must be written before outputs are read.
    /// </summary>
    public bool RefreshAfterStep { get; set; }
    /// <summary>Stopwatch ticks spent inside <see cref="ISimulationUnit.Step"/>.</summary>
    public long StepTicks;
    /// <summary>Result of the last step (set by the stepping code, read after the parallel section).</summary>
    public StepResult LastResult;

    /// <summary>Remembers the published outputs at the start of a Gauss-Seidel sweep.</summary>
    public void BeginSweep()
    {
        if (PreviousOutputs.Length != Outputs.Length) PreviousOutputs = new double[Outputs.Length];
        Outputs.AsSpan().CopyTo(PreviousOutputs);
        SteppedThisSweep = false;
    }

    /// <summary>
    /// Gauss-Seidel with the mean hold: a continuous input without direct feedthrough whose provider has
    /// already stepped in this sweep holds the mean of the provider's outputs at both ends of the step, the
    /// best constant approximation of a signal known at t and t+h; other inputs (feedthrough, discrete, and
    /// multi-rate units, whose steps differ from their providers') are as <see cref="ComputeInputs"/>.
    /// </summary>
    public void ComputeInputsMeanHold()
    {
        foreach (var c in Incoming)
        {
            var end = c.Source.Outputs[c.SourceSlot];
            // Both ends must span this unit's step: with multi-rate units they need not, and the end value is used.
            var mean = c.MeanHoldAllowed && c.Source.SteppedThisSweep && Multiple == 1 && c.Source.Multiple == 1;
            var value = mean ? 0.5 * (c.Source.PreviousOutputs[c.SourceSlot] + end) : end;
            Inputs[c.TargetSlot] = c.Factor * value + c.Offset;
        }
    }

    /// <summary>Computes the connected inputs from the providers' published outputs.</summary>
    public void ComputeInputs()
    {
        foreach (var c in Incoming)
            Inputs[c.TargetSlot] = c.Factor * c.Source.Outputs[c.SourceSlot] + c.Offset;
    }

    /// <summary>Computes the connected inputs from the providers' outputs read after this step (<see cref="Scratch"/>).</summary>
    public void ComputeInputsFromScratch()
    {
        foreach (var c in Incoming)
            Inputs[c.TargetSlot] = c.Factor * c.Source.Scratch[c.SourceSlot] + c.Offset;
    }

    /// <summary>Records the inputs just written as the values held over the step.</summary>
    public void Hold() => Inputs.AsSpan().CopyTo(Held);

    /// <summary>
    /// The coupling error of the step just taken: the largest change of a connected input between the value
    /// held over the step and its value at the step end (from the providers' <see cref="Outputs"/>, or
    /// <see cref="Scratch"/> when <paramref name="fromScratch"/>), relative to 1 + |held value|. NaN gives infinity.
    /// </summary>
    public double HeldInputChange(bool fromScratch)
    {
        var worst = 0.0;
        foreach (var c in Incoming)
        {
            if (!c.Continuous) continue;
            var source = fromScratch ? c.Source.Scratch : c.Source.Outputs;
            var held = Held[c.TargetSlot];
            var change = Math.Abs(c.Factor * source[c.SourceSlot] + c.Offset - held) / (1 + Math.Abs(held));
            if (double.IsNaN(change)) return double.PositiveInfinity;
            if (change > worst) worst = change;
        }
        return worst;
    }

    public void WriteInputs()
    {
        if (Inputs.Length > 0) InputAccessor.Write(Inputs);
    }

    public void ReadOutputs(double[] into)
    {
        if (into.Length > 0) OutputAccessor.Read(into);
    }

    public string InputName(int slot) => $"{Name}.{Unit.Variables[InputVars[slot]].Name}";
    public string OutputName(int slot) => $"{Name}.{Unit.Variables[OutputVars[slot]].Name}";
}

/// <summary>An algebraic loop: connected inputs whose values depend, through direct feedthrough, on themselves.</summary>
internal sealed class AlgebraicLoop(string description, (CoupledComponent Component, int Slot, Incoming Source)[] unknowns, CoupledComponent[] components)
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
internal sealed class CoupledSystem
{
    public CoupledSystem(SystemModel model)
    {
        model.Validate().ThrowIfErrors();
        var comps = model.Components;
        var byName = new Dictionary<string, int>();
        for (var i = 0; i < comps.Count; i++) byName[comps[i].Name] = i;
        var resolved = model.Connections.Select(c =>
        {
            var from = byName[c.From.Component];
            var to = byName[c.To.Component];
            return (Conn: c, From: from, FromVar: comps[from].FindVariable(c.From.Variable), To: to, ToVar: comps[to].FindVariable(c.To.Variable));
        }).ToList();

        Components = comps.Select((c, i) => new CoupledComponent(c, i,
            resolved.Where(r => r.To == i).Select(r => r.ToVar).Distinct().Order().ToArray(),
            resolved.Where(r => r.From == i).Select(r => r.FromVar).Distinct().Order().ToArray())).ToArray();

        foreach (var comp in Components)
        {
            comp.Incoming = resolved.Where(r => r.To == comp.Index).Select(r =>
            {
                var src = Components[r.From];
                var t = SystemModel.EffectiveTransform(r.Conn, comps[r.From], comps[r.From].Unit.Variables[r.FromVar], comps[r.To], comps[r.To].Unit.Variables[r.ToVar]);
                var continuous = src.Unit.Variables[r.FromVar].IsContinuous;
                // Every output counts, connected or not: a recorded output must not show the mean either.
                var feedsThrough = comp.Unit.Variables.Any(v => v.Role == VariableRole.Output && comp.Component.DependsOn(v.Index, r.ToVar));
                return new Incoming(src, Array.IndexOf(src.OutputVars, r.FromVar), Array.IndexOf(comp.InputVars, r.ToVar), t.Factor, t.Offset,
                    Continuous: continuous, MeanHoldAllowed: continuous && !feedsThrough);
            }).ToArray();
        }
        foreach (var comp in Components) comp.HasFeedthrough = HasFeedthrough(comp);
        foreach (var comp in Components)
            comp.RefreshAfterStep = comp.InputVars.Any(i => comp.Unit.Variables.Any(v => v.Role == VariableRole.Output && comp.Component.DependsOn(v.Index, i)));
        GaussSeidelOrder = OrderForGaussSeidel();
        Loops = FindLoops();
    }

    public CoupledComponent[] Components { get; }

    /// <summary>Components ordered so that each steps after its providers where the graph allows.</summary>
    public CoupledComponent[] GaussSeidelOrder { get; }

    public AlgebraicLoop[] Loops { get; }

    /// <summary>Whether a component's connected output <paramref name="outSlot"/> depends directly on input <paramref name="inSlot"/>.</summary>
    private static bool Feedthrough(CoupledComponent c, int outSlot, int inSlot) => c.Component.DependsOn(c.OutputVars[outSlot], c.InputVars[inSlot]);

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
                // In a cycle nothing is ready: start with a unit whose outputs do not feed through from its inputs
                // (its new outputs come from its state alone), else with the first declared.
                var next = ready.Count > 0 ? ready[0]
                    : members.Where(m => !placed.Contains(m)).OrderBy(m => HasFeedthrough(Components[m]) ? 1 : 0).ThenBy(m => m).First();
                placed.Add(next);
                order.Add(Components[next]);
            }
        }
        return order.ToArray();
    }

    private static bool HasFeedthrough(CoupledComponent c)
    {
        for (var o = 0; o < c.OutputVars.Length; o++)
            for (var i = 0; i < c.InputVars.Length; i++)
                if (Feedthrough(c, o, i)) return true;
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

/// <summary>Small graph algorithms on nodes 0..n-1.</summary>
internal static class Graph
{
    /// <summary>Strongly connected components (Tarjan, iterative), in topological order of the condensed graph.</summary>
    public static List<List<int>> StronglyConnected(int n, Func<int, IEnumerable<int>> successors)
    {
        var index = new int[n];
        var low = new int[n];
        var onStack = new bool[n];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var result = new List<List<int>>();
        var counter = 0;
        for (var root = 0; root < n; root++)
        {
            if (index[root] >= 0) continue;
            var work = new Stack<(int Node, IEnumerator<int> Next)>();
            void Visit(int v)
            {
                index[v] = low[v] = counter++;
                stack.Push(v);
                onStack[v] = true;
                work.Push((v, successors(v).GetEnumerator()));
            }
            Visit(root);
            while (work.Count > 0)
            {
                var (v, next) = work.Peek();
                if (next.MoveNext())
                {
                    var w = next.Current;
                    if (index[w] < 0) Visit(w);
                    else if (onStack[w]) low[v] = Math.Min(low[v], index[w]);
                    continue;
                }
                work.Pop();
                if (work.Count > 0) low[work.Peek().Node] = Math.Min(low[work.Peek().Node], low[v]);
                if (low[v] != index[v]) continue;
                var scc = new List<int>();
                int x;
                do
                {
                    x = stack.Pop();
                    onStack[x] = false;
                    scc.Add(x);
                } while (x != v);
                result.Add(scc);
            }
        }
        result.Reverse(); // Tarjan emits sinks first
        return result;
    }

    /// <summary>A shortest cycle through <paramref name="start"/> (breadth-first), as the list of its nodes starting there.</summary>
    public static List<int> Cycle(int start, Func<int, IEnumerable<int>> successors)
    {
        var parent = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in successors(v))
            {
                if (w == start)
                {
                    var path = new List<int> { v };
                    while (path[^1] != start) path.Add(parent[path[^1]]);
                    path.Reverse();
                    return path;
                }
                if (parent.ContainsKey(w)) continue;
                parent[w] = v;
                queue.Enqueue(w);
            }
        }
        return [start];
    }
}
