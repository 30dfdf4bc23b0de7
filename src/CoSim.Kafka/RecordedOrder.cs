using CoSim.Streams;

namespace CoSim.Kafka;

/// <summary>
/// A replay of several partitions: holds the messages as they arrive and releases them in the order the
/// recorded run took them (<see cref="SourceRecord.Order"/>). Holds at most the recorded range.
/// </summary>
internal sealed class RecordedOrder(IReadOnlyList<PartitionRun> order)
{
    private readonly Dictionary<int, Queue<StreamMessage>> _held = [];
    private int _run;
    private long _leftInRun = order.Count > 0 ? order[0].Count : 0;

    public bool Done => _run >= order.Count;

    public void Add(StreamMessage m)
    {
        if (!_held.TryGetValue(m.Partition, out var q)) _held[m.Partition] = q = new Queue<StreamMessage>();
        q.Enqueue(m);
    }

    /// <summary>Hands over every held message whose turn it is; false when <paramref name="deliver"/> gave up (the run is stopping).</summary>
    public bool Release(Func<StreamMessage, bool> deliver)
    {
        while (!Done && _held.TryGetValue(order[_run].Partition, out var q) && q.Count > 0)
        {
            if (!deliver(q.Dequeue())) return false;
            if (--_leftInRun == 0 && ++_run < order.Count) _leftInRun = order[_run].Count;
        }
        return true;
    }

    public string Describe() => Done ? "done" : $"waiting for partition {order[_run].Partition}, stretch {_run + 1} of {order.Count}";
}
