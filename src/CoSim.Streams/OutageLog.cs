namespace CoSim.Streams;

/// <summary>
/// When a stream's brokers could not be reached: an outage begins with the consumer's first connection error and ends with the
/// next message (or with the run). Written by the consumer thread, read by the simulation thread; thread-safe.
/// </summary>
public sealed class OutageLog
{
    private readonly Lock _lock = new();
    private readonly List<Outage> _outages = [];
    private DateTime? _start;

    /// <summary>Whether an outage is going on.</summary>
    public bool Ongoing
    {
        get
        {
            lock (_lock) return _start != null;
        }
    }

    /// <summary>A connection error: the outage begins now unless one is going on.</summary>
    public void Begin()
    {
        lock (_lock) _start ??= DateTime.UtcNow;
    }

    /// <summary>Ends the outage going on; its length [s], or null when there was none.</summary>
    public double? End()
    {
        lock (_lock)
        {
            if (_start is not { } s) return null;
            var outage = new Outage(s, (DateTime.UtcNow - s).TotalSeconds);
            _outages.Add(outage);
            _start = null;
            return outage.Seconds;
        }
    }

    /// <summary>The outages so far (ended ones).</summary>
    public List<Outage> Snapshot()
    {
        lock (_lock) return [.. _outages];
    }
}

/// <summary>A time the brokers could not be reached: when (UTC) and for how long [s].</summary>
public sealed record Outage(DateTime StartUtc, double Seconds);
