using CoSim.Core;
using CoSim.Fmi.Description;
using CoSim.Fmi.Native;
using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// What a model-exchange FMU's model structure says about its partial derivatives, by value
/// reference: its states and derivatives in state-vector order, the states and inputs ("knowns")
/// each derivative and each output depends on (null: on all of them), and whether the FMU computes
/// directional derivatives. Only for FMUs whose variables are all scalars (an array element has no
/// value reference of its own).
/// </summary>
internal sealed class MemberPartials
{
    private MemberPartials(uint[] states, uint[] derivatives, uint[]?[] derivativeDependencies, Dictionary<uint, uint[]?> outputDependencies,
        uint[] inputs, bool directional)
    {
        States = states;
        Derivatives = derivatives;
        DerivativeDependencies = derivativeDependencies;
        OutputDependencies = outputDependencies;
        Inputs = inputs;
        Directional = directional;
    }

    public uint[] States { get; }
    public uint[] Derivatives { get; }
    public uint[]?[] DerivativeDependencies { get; }
    public Dictionary<uint, uint[]?> OutputDependencies { get; }
    public uint[] Inputs { get; }

    /// <summary>The model description offers directional derivatives and the binary exports the function.</summary>
    public bool Directional { get; }

    /// <summary>The structure of an FMU, or null when it has array variables.</summary>
    public static MemberPartials? From(ModelDescription md, InterfaceInfo me, IModelExchangeInstance instance)
    {
        if (md.Variables.Any(v => v.Dimensions.Count > 0)) return null;
        uint Vr(int index) => md.Variables[index].ValueReference;
        uint[]? Dependencies(Unknown u) => u.Dependencies?.Select(Vr).ToArray();
        var derivatives = md.Structure.ContinuousStateDerivatives;
        if (derivatives.Any(d => md.Variables[d.Variable].DerivativeOf == null)) return null;
        return new MemberPartials(
            derivatives.Select(d => Vr(md.Variables[d.Variable].DerivativeOf!.Value)).ToArray(),
            derivatives.Select(d => Vr(d.Variable)).ToArray(),
            derivatives.Select(Dependencies).ToArray(),
            md.Structure.Outputs.ToDictionary(o => Vr(o.Variable), Dependencies),
            md.Variables.Where(v => v.Causality == Causality.Input).Select(v => v.ValueReference).ToArray(),
            me.ProvidesDirectionalDerivatives && instance.ExportsDirectionalDerivative);
    }
}

/// <summary>An output -> input connection inside a <see cref="GroupJacobian"/>, by member and value reference, in evaluation order.</summary>
internal readonly record struct JacobianLink(int FromMember, uint Output, int ToMember, uint Input, double Factor);

/// <summary>
/// The Jacobian ∂f/∂x of the ODE of one or more model-exchange FMUs joined by connections (a strongly
/// coupled group; a single FMU is a group of one without links):
/// <list type="bullet">
/// <item>its <b>sparsity</b> follows each derivative's dependencies through the connections to the
/// states they finally depend on (inputs from outside are constant during integration);</item>
/// <item>its <b>values</b>, when every member offers directional derivatives, by forward propagation
/// of a seed through the members in connection order (the chain rule across FMUs), one propagation
/// per color of structurally independent columns (<see cref="ColoredJacobian"/>) — exact up to
/// rounding, where difference quotients lose half the digits.</item>
/// </list>
/// The members must be at the point (t, x) when <see cref="Compute"/> is called.
/// </summary>
internal sealed class GroupJacobian
{
    private readonly IModelExchangeInstance[] _instances;
    private readonly MemberPartials[] _members;
    private readonly int[] _stateOffset;
    private readonly int[] _memberOfState;
    private readonly JacobianLink[] _links;
    private readonly int _n;
    private readonly uint[][] _knowns; // per member: its states, then its internally connected inputs
    private readonly double[][] _seed; // per member, aligned with _knowns
    private readonly int[] _linkInputPosition; // per link: position of its input in the receiving member's knowns
    private readonly double[] _sensitivity, _one = new double[1];
    private ColoredJacobian? _coloring;

    private GroupJacobian(IModelExchangeInstance[] instances, MemberPartials[] members, int[] stateOffset, JacobianLink[] links, int n, bool directional)
    {
        _instances = instances;
        _members = members;
        _stateOffset = stateOffset;
        _memberOfState = new int[n];
        for (var m = 0; m < members.Length; m++) _memberOfState.AsSpan(stateOffset[m], members[m].States.Length).Fill(m);
        _links = links;
        _n = n;
        _knowns = members.Select((m, i) => m.States.Concat(links.Where(l => l.ToMember == i).Select(l => l.Input)).ToArray()).ToArray();
        _seed = _knowns.Select(k => new double[k.Length]).ToArray();
        _linkInputPosition = links.Select(l => Array.IndexOf(_knowns[l.ToMember], l.Input)).ToArray();
        _sensitivity = new double[n];
        Sparsity = ComputeSparsity();
        Directional = directional && members.All(m => m.Directional);
    }

    /// <summary>
    /// The Jacobian of members whose state counts are <paramref name="states"/>, or null when a
    /// member's structure is unknown (array variables) or disagrees with its state count; with
    /// <paramref name="directional"/> false only the sparsity is used (e.g. across an algebraic loop).
    /// </summary>
    public static GroupJacobian? Create(IReadOnlyList<IModelExchangeInstance> instances, IReadOnlyList<MemberPartials?> members, IReadOnlyList<int> states,
        IReadOnlyList<JacobianLink> links, bool directional = true)
    {
        if (members.Any(m => m == null)) return null;
        var offsets = new int[members.Count];
        var n = 0;
        for (var i = 0; i < members.Count; i++)
        {
            if (members[i]!.States.Length != states[i]) return null;
            offsets[i] = n;
            n += states[i];
        }
        return n == 0 ? null : new GroupJacobian(instances.ToArray(), members.Select(m => m!).ToArray(), offsets, links.ToArray(), n, directional);
    }

    /// <summary>Row i: the states derivative i depends on, through the connections.</summary>
    public IReadOnlyList<int[]> Sparsity { get; }

    /// <summary>Every member computes directional derivatives, so <see cref="Compute"/> works.</summary>
    public bool Directional { get; }

    /// <summary>Directional-derivative calls so far.</summary>
    public long Calls { get; private set; }

    private IReadOnlyList<int[]> ComputeSparsity()
    {
        var outputMemo = new Dictionary<(int, uint), HashSet<int>>();
        var rows = new int[_n][];
        for (var m = 0; m < _members.Length; m++)
            for (var k = 0; k < _members[m].Derivatives.Length; k++)
                rows[_stateOffset[m] + k] = KnownsOf(m, _members[m].DerivativeDependencies[k]).OrderBy(j => j).ToArray();
        return rows;

        // The states that a set of knowns of member m (null: all) finally depend on.
        HashSet<int> KnownsOf(int m, uint[]? dependencies)
        {
            var result = new HashSet<int>();
            var member = _members[m];
            foreach (var vr in dependencies ?? member.States.Concat(member.Inputs).ToArray())
            {
                var state = Array.IndexOf(member.States, vr);
                if (state >= 0)
                {
                    result.Add(_stateOffset[m] + state);
                    continue;
                }
                foreach (var link in _links.Where(l => l.ToMember == m && l.Input == vr)) result.UnionWith(OutputOf(link.FromMember, link.Output));
            }
            return result;
        }

        HashSet<int> OutputOf(int m, uint output)
        {
            if (outputMemo.TryGetValue((m, output), out var known)) return known;
            outputMemo[(m, output)] = []; // a cycle through direct feedthrough adds nothing new on the way round
            var result = KnownsOf(m, _members[m].OutputDependencies.TryGetValue(output, out var deps) ? deps : null);
            outputMemo[(m, output)] = result;
            return result;
        }
    }

    /// <summary>
    /// Warns through the log of the FMU whose derivative is the mismatch's row (the one that computed the wrong
    /// entry; across a link the state's FMU is named too) that its directional derivatives disagree with difference
    /// quotients and are no longer used.
    /// </summary>
    public void Reject(JacobianMismatch mismatch)
    {
        int row = _memberOfState[mismatch.Row], column = _memberOfState[mismatch.Column];
        var log = _instances[row].Log;
        var state = row == column ? $"its state {mismatch.Column - _stateOffset[column]}" : $"state {mismatch.Column - _stateOffset[column]} of {_instances[column].Log.InstanceName}";
        var ic = System.Globalization.CultureInfo.InvariantCulture;
        log.Sink.Log(LogLevel.Warning, log.InstanceName, string.Create(ic,
            $"the FMU's directional derivatives disagree with difference quotients at t = {mismatch.Time:G6}: the derivative of its state " +
            $"{mismatch.Row - _stateOffset[row]} by {state} is {mismatch.Provided:G6} from GetDirectionalDerivative, {mismatch.Differences:G6} from differences; " +
            $"using {mismatch.Fallback.Split(';')[0]} instead (--jacobian directional would use them anyway)"));
    }

    /// <summary>
    /// ∂f/∂x into <paramref name="jacobian"/> (column-major n×n, zero outside the sparsity), from
    /// directional derivatives: per color, every state of the color is seeded with 1, the seed is
    /// carried along the links (output sensitivity × the link's factor becomes the input's seed), and
    /// the derivatives' sensitivities are read off.
    /// </summary>
    public void Compute(Span<double> jacobian)
    {
        _coloring ??= new ColoredJacobian(Sparsity, _n);
        jacobian.Clear();
        Span<uint> single = stackalloc uint[1];
        foreach (var columns in _coloring.ColumnsOfColor)
        {
            foreach (var seed in _seed) Array.Clear(seed);
            foreach (var j in columns)
            {
                var m = _memberOfState[j];
                _seed[m][j - _stateOffset[m]] = 1;
            }
            for (var l = 0; l < _links.Length; l++)
            {
                var link = _links[l];
                var from = link.FromMember;
                var sensitivity = 0.0;
                if (Array.Exists(_seed[from], s => s != 0))
                {
                    single[0] = link.Output;
                    _instances[from].GetDirectionalDerivative(single, _knowns[from], _seed[from], _one);
                    Calls++;
                    sensitivity = _one[0];
                }
                _seed[link.ToMember][_linkInputPosition[l]] = link.Factor * sensitivity;
            }
            for (var m = 0; m < _members.Length; m++)
            {
                var part = _sensitivity.AsSpan(_stateOffset[m], _members[m].States.Length);
                if (!Array.Exists(_seed[m], s => s != 0))
                {
                    part.Clear();
                    continue;
                }
                _instances[m].GetDirectionalDerivative(_members[m].Derivatives, _knowns[m], _seed[m], part);
                Calls++;
            }
            foreach (var j in columns)
            {
                var column = jacobian.Slice(j * _n, _n);
                foreach (var i in _coloring.RowsOfColumn(j)) column[i] = _sensitivity[i];
            }
        }
    }
}
