using CoSim.Streams;

namespace CoSim.Kafka;

/// <summary>Where a replay reads one partition: from <see cref="Start"/> up to (excluding) <see cref="End"/>.</summary>
public sealed record PartitionRange(int Partition, long Start, long End);

/// <summary>A stretch of consecutive messages the run took from one partition (<see cref="SourceRecord.Order"/>).</summary>
public sealed record PartitionRun(int Partition, long Count);

/// <summary>What a source recorded of its run (in the provenance), and what a replay reads back.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="GroupId">The consumer group of the live run.</param>
/// <param name="Epoch">The event time (in the time format's unit) that was simulation time 0.</param>
/// <param name="Partitions">Per partition: the offsets of the first message taken and after the last (<see cref="PartitionRange.End"/>).</param>
/// <param name="Committed">Per partition: the offset committed for the group (every message before it was applied).</param>
/// <param name="Counts">What became of the messages.</param>
/// <param name="Outages">When the brokers could not be reached.</param>
/// <param name="Order">
/// The order in which the run took the messages of its partitions, run-length coded (one entry while a single partition
/// delivers). Values at a point depend on that order only (lateness is judged against the messages before), so a replay
/// of several partitions hands them over in this order; absent (an older record): in the order they arrive.
/// </param>
public sealed record SourceRecord(string Topic, string GroupId, double? Epoch, IReadOnlyList<PartitionRange> Partitions, IReadOnlyDictionary<string, long> Committed,
    SourceCounts Counts, IReadOnlyList<Outage> Outages, IReadOnlyList<PartitionRun>? Order = null);

/// <summary>What became of a source's messages.</summary>
/// <remarks><paramref name="LateDeferred"/> late messages were deferred to the next point; of them <paramref name="LateSuperseded"/> never reached an input (a newer sample came first).</remarks>
public sealed record SourceCounts(long Received, long InOrder, long Reordered, long LateDropped, long LateDeferred, long Malformed, long Duplicates, long OverflowDropped, long Pauses,
    long LateSuperseded = 0);
