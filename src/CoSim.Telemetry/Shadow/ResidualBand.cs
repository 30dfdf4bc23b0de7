namespace CoSim.Telemetry.Shadow;

/// <summary>
/// The band a residual may move in: its bias and half-width, learned from the residuals of the fitting part and then
/// frozen. Robust: the bias is their median and the band k x 1.4826 x their median absolute deviation (k sigma for normal
/// noise), so that the model's start-up transient in the first rows does not widen it. A band given by the user is kept.
/// </summary>
internal sealed class ResidualBand(double? given)
{
    private readonly List<double> _fit = [];

    /// <summary>The residual's usual offset (0 until frozen).</summary>
    public double Bias { get; private set; }

    /// <summary>The allowed |residual - bias| (NaN until frozen unless given).</summary>
    public double Band { get; private set; } = given ?? double.NaN;

    /// <summary>One residual of the fitting part.</summary>
    public void Learn(double residual) => _fit.Add(residual);

    /// <summary>Ends the learning: bias and band from what was learned (bias 0 and band 0 from nothing).</summary>
    public void Freeze(double k)
    {
        Bias = _fit.Count > 0 ? Median(_fit) : 0;
        if (double.IsNaN(Band)) Band = _fit.Count > 1 ? k * 1.4826 * Median(_fit.Select(r => Math.Abs(r - Bias)).ToList()) : 0;
        _fit.Clear();
    }

    /// <summary>Whether <paramref name="residual"/> is outside the band.</summary>
    public bool IsOutside(double residual) => Math.Abs(residual - Bias) > Band;

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
}

/// <summary>
/// Debouncing of one signal's flag: a residual outside its band is flagged once it has stayed outside for the minimum
/// duration. <see cref="Flags"/> answers for a point without changing anything (a point may be evaluated several times);
/// <see cref="Commit"/> takes the point into the state.
/// </summary>
internal sealed class FlagDebounce(double minDuration)
{
    private double? _outSince; // when the residual left the band (committed points only); null while inside

    /// <summary>Whether the signal is flagged at <paramref name="time"/> with the residual <paramref name="outside"/> its band.</summary>
    public bool Flags(bool outside, double time) => outside && time - (_outSince ?? time) >= minDuration;

    /// <summary>Takes the point at <paramref name="time"/> into the state.</summary>
    public void Commit(bool outside, double time) => _outSince = outside ? _outSince ?? time : null;
}

/// <summary>Residual statistics of one signal over the scored points: RMSE, MAE, MAPE, the largest error, flagged points.</summary>
internal sealed class ResidualStatistics
{
    public long Count { get; private set; }
    public double SumSquares { get; private set; }
    public double SumAbs { get; private set; }
    public double SumPercent { get; private set; }
    public long PercentCount { get; private set; }
    public double Max { get; private set; }
    public long Flagged { get; private set; }

    /// <summary>One scored point: the residual, the measured value (MAPE skips zeros) and whether it was flagged.</summary>
    public void Add(double residual, double measured, bool flagged)
    {
        Count++;
        SumSquares += residual * residual;
        SumAbs += Math.Abs(residual);
        Max = Math.Max(Max, Math.Abs(residual));
        if (measured != 0)
        {
            SumPercent += Math.Abs(residual / measured);
            PercentCount++;
        }
        if (flagged) Flagged++;
    }
}
