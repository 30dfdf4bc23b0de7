using CoSim.Core;

namespace CoSim.Fmi.ModelExchange;

/// <summary>Reads and writes a strongly coupled group's variables through one accessor per member; a write is reported to <c>written</c> (during the run, an input event).</summary>
internal sealed class GroupAccessor : IValueAccessor
{
    private readonly (IValueAccessor Accessor, int[] Positions)[] _parts;
    private readonly double[] _buffer;
    private readonly Action _written;

    public GroupAccessor(IReadOnlyList<FmuModelExchangeComponent> members, GroupVariables groupVariables, IReadOnlyList<int> variables, Action written)
    {
        Variables = variables.ToArray();
        _parts = variables.Select((v, position) => (Owner: groupVariables.Owner(v), position))
            .GroupBy(x => x.Owner.Member)
            .Select(g => (members[g.Key].CreateAccessor(g.Select(x => x.Owner.Variable).ToList()), g.Select(x => x.position).ToArray()))
            .ToArray();
        _buffer = new double[variables.Count];
        _written = written;
    }

    public IReadOnlyList<int> Variables { get; }

    public void Read(Span<double> values)
    {
        foreach (var (accessor, positions) in _parts)
        {
            var part = _buffer.AsSpan(0, positions.Length);
            accessor.Read(part);
            for (var i = 0; i < positions.Length; i++) values[positions[i]] = part[i];
        }
    }

    public void Write(ReadOnlySpan<double> values)
    {
        foreach (var (accessor, positions) in _parts)
        {
            var part = _buffer.AsSpan(0, positions.Length);
            for (var i = 0; i < positions.Length; i++) part[i] = values[positions[i]];
            accessor.Write(part);
        }
        _written();
    }
}
