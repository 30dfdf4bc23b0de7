using CoSim.Core;
using CoSim.Fmi.Description;
using CoSim.Fmi.Native;

namespace CoSim.Fmi;

/// <summary>
/// Batched access to a fixed list of FMU variables, grouped by FMI type so that each batch is one
/// native call per type. The common case (only Float64 scalars) reads straight into the caller's span.
/// </summary>
internal sealed class FmuAccessor : IValueAccessor
{
    private sealed record Group(VariableType Type, uint[] References, int[] Positions, int[] Elements, int ValuesPerCall);

    private readonly IFmiInstance _instance;
    private readonly Group[] _groups;
    private readonly double[] _scratch;
    private readonly bool _direct; // one Float64 group, scalars, positions 0..n-1
    private readonly int _count;

    public FmuAccessor(IFmiInstance instance, IReadOnlyList<FmuVariable> all, IReadOnlyList<int> variables)
    {
        _instance = instance;
        Variables = variables.ToArray();
        _count = variables.Count;
        foreach (var i in variables)
        {
            if ((uint)i >= (uint)all.Count) throw new ArgumentOutOfRangeException(nameof(variables), i, "no such variable");
            if (all[i].Variable.Kind is ValueKind.String or ValueKind.Binary or ValueKind.Clock)
                throw new InputException($"variable '{all[i].Variable.Name}' ({all[i].Model.Type}) cannot be exchanged as a number");
        }
        // Arrays are read whole (FMI 3 returns every element of a reference) and the wanted elements picked out.
        _groups = variables.Select((v, pos) => (v, pos)).GroupBy(p => all[p.v].Model.Type).Select(g =>
        {
            var refs = new List<uint>();
            var offsets = new Dictionary<uint, int>();
            var total = 0;
            foreach (var (v, _) in g)
            {
                var fv = all[v];
                if (offsets.ContainsKey(fv.ValueReference)) continue;
                offsets[fv.ValueReference] = total;
                refs.Add(fv.ValueReference);
                total += fv.ElementCount;
            }
            var positions = g.Select(p => p.pos).ToArray();
            var elements = g.Select(p => offsets[all[p.v].ValueReference] + all[p.v].Element).ToArray();
            return new Group(g.Key, refs.ToArray(), positions, elements, total);
        }).ToArray();
        _scratch = new double[_groups.Length == 0 ? 0 : _groups.Max(g => g.ValuesPerCall)];
        _direct = _groups.Length == 1 && _groups[0].Type == VariableType.Float64 &&
                  _groups[0].ValuesPerCall == _count &&
                  _groups[0].Positions.SequenceEqual(Enumerable.Range(0, _count)) &&
                  _groups[0].Elements.SequenceEqual(Enumerable.Range(0, _count));
    }

    public IReadOnlyList<int> Variables { get; }

    public void Read(Span<double> values)
    {
        if (_direct)
        {
            _instance.GetNumeric(VariableType.Float64, _groups[0].References, values[.._count]);
            return;
        }
        foreach (var g in _groups)
        {
            var buffer = _scratch.AsSpan(0, g.ValuesPerCall);
            _instance.GetNumeric(g.Type, g.References, buffer);
            for (var k = 0; k < g.Positions.Length; k++) values[g.Positions[k]] = buffer[g.Elements[k]];
        }
    }

    public void Write(ReadOnlySpan<double> values)
    {
        if (_direct)
        {
            _instance.SetNumeric(VariableType.Float64, _groups[0].References, values[.._count]);
            return;
        }
        foreach (var g in _groups)
        {
            var buffer = _scratch.AsSpan(0, g.ValuesPerCall);
            if (g.ValuesPerCall != g.Positions.Length)
                _instance.GetNumeric(g.Type, g.References, buffer); // keep the array elements not written
            for (var k = 0; k < g.Positions.Length; k++) buffer[g.Elements[k]] = values[g.Positions[k]];
            _instance.SetNumeric(g.Type, g.References, buffer);
        }
    }
}
