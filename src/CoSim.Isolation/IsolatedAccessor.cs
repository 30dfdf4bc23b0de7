using CoSim.Core;

namespace CoSim.Isolation;

/// <summary>
/// Values of an <see cref="IsolatedFmuComponent"/> by accessor: reads are served from <see cref="Cache"/> while it is
/// current (filled by the last step's answer or read), else asked from the host; writes are queued for the next call.
/// </summary>
internal sealed class IsolatedAccessor(IsolatedFmuComponent owner, int id, int[] variables) : IValueAccessor
{
    /// <summary>The accessor's id in the host.</summary>
    public int Id { get; } = id;
    public int[] Variables { get; } = variables;

    /// <summary>The values last received, valid while <see cref="CacheVersion"/> is the component's values version.</summary>
    public double[] Cache { get; } = new double[variables.Length];
    public int CacheVersion { get; set; } = -1;

    /// <summary>Whether the values travel back with every step's answer (after the first read).</summary>
    public bool Prefetch { get; set; }

    IReadOnlyList<int> IValueAccessor.Variables => Variables;

    public void Read(Span<double> values)
    {
        if (CacheVersion == owner.ValuesVersion)
        {
            Cache.CopyTo(values);
            return;
        }
        owner.ReadRemote(this, values);
    }

    public void Write(ReadOnlySpan<double> values) => owner.QueueWrite(this, values);
}

/// <summary>A state saved in the host of <see cref="Owner"/> (in host generation <see cref="Generation"/>); disposing queues freeing it.</summary>
internal sealed class IsolatedState(IsolatedFmuComponent owner, int id, int generation) : IComponentState
{
    private bool _disposed;
    public IsolatedFmuComponent Owner { get; } = owner;
    public int Id { get; } = id;
    public int Generation { get; } = generation;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Owner.QueueFree(this);
    }
}
