using CoSim.Core;

namespace CoSim.Results;

/// <summary>
/// Which rows a recorder keeps: every <see cref="Every"/>-th communication point, and of those only one
/// at least <see cref="MinInterval"/> seconds after the last kept row. The first row (the initial values)
/// and the last one (where the run ended) are always kept.
/// </summary>
public sealed record Decimation(int Every = 1, double MinInterval = 0)
{
    /// <summary>Every row.</summary>
    public static readonly Decimation None = new();
}

/// <summary>The running state of a <see cref="Decimation"/>: asked once per row, in time order.</summary>
internal sealed class DecimationFilter(Decimation decimation)
{
    private readonly long _every = decimation.Every;
    private readonly long _minTicks = SimTime.FromSeconds(decimation.MinInterval).Ticks;
    private long _n = -1;
    private SimTime _last;

    /// <summary>Whether the row at <paramref name="time"/> is kept.</summary>
    public bool Keep(SimTime time)
    {
        _n++;
        if (_n == 0) return Kept(time);
        if (_n % _every != 0 || (time - _last).Ticks < _minTicks) return false;
        return Kept(time);
    }

    /// <summary>Checkpoint: the position in the decimation.</summary>
    public void Save(BinaryWriter w)
    {
        w.Write(_n);
        w.Write(_last.Ticks);
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public void Restore(BinaryReader r)
    {
        _n = r.ReadInt64();
        _last = new SimTime(r.ReadInt64());
    }

    private bool Kept(SimTime time)
    {
        _last = time;
        return true;
    }
}
