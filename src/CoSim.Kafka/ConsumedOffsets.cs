namespace CoSim.Kafka;

/// <summary>
/// The simulation thread's record of what it took from each partition: the offset range (for the provenance and a
/// replay), the order in which the partitions delivered (run-length coded, <see cref="SourceRecord.Order"/>), and which
/// taken messages are not yet applied. Offsets commit in order, so after a point only the messages up to the first one
/// still pending are done (<see cref="Applied"/>).
/// </summary>
internal sealed class ConsumedOffsets
{
    private readonly Dictionary<int, (long Start, long End)> _taken = [];
    private readonly Dictionary<int, Queue<(long Offset, double Time)>> _pending = [];
    private readonly List<PartitionRun> _order = [];

    /// <summary>A message was taken; it is done once a point at or after <paramref name="effectiveTime"/> is applied (-inf: done at once, e.g. skipped).</summary>
    public void Took(int partition, long offset, double effectiveTime)
    {
        if (_order.Count > 0 && _order[^1].Partition == partition) _order[^1] = _order[^1] with { Count = _order[^1].Count + 1 };
        else _order.Add(new PartitionRun(partition, 1));
        _taken[partition] = _taken.TryGetValue(partition, out var r) ? (r.Start, offset + 1) : (offset, offset + 1);
        if (!_pending.TryGetValue(partition, out var queue)) _pending[partition] = queue = new Queue<(long, double)>();
        queue.Enqueue((offset, effectiveTime));
    }

    /// <summary>The point was applied: per partition, the offset after the last message now done (the next to commit), where it moved.</summary>
    public IEnumerable<(int Partition, long NextOffset)> Applied(double point)
    {
        foreach (var (partition, queue) in _pending)
        {
            long? next = null;
            while (queue.Count > 0 && queue.Peek().Time <= point) next = queue.Dequeue().Offset + 1;
            if (next is { } n) yield return (partition, n);
        }
    }

    /// <summary>Per partition: the first offset taken and the one after the last.</summary>
    public List<PartitionRange> Ranges => _taken.OrderBy(t => t.Key).Select(t => new PartitionRange(t.Key, t.Value.Start, t.Value.End)).ToList();

    /// <summary>The order the partitions delivered in.</summary>
    public List<PartitionRun> Order => [.. _order];
}
