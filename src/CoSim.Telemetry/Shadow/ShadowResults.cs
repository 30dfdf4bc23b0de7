namespace CoSim.Telemetry.Shadow;

/// <summary>Residual statistics of one signal after the fitting part: measured - simulated, in the column's unit.</summary>
public sealed record ShadowSignalReport(string Output, string Column, string? Unit, long Points, double Rmse, double Mae, double Mape, double MaxError,
    double Bias, double Band, long FlaggedPoints);

/// <summary>Point-wise scoring of the overall flag against a label column (SKAB's outlier metric).</summary>
public sealed record ShadowScore(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    /// <summary>2TP / (2TP + FP + FN); NaN when there is nothing to score.</summary>
    public double F1 => Ratio(2.0 * TruePositives, 2.0 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>False-alarm rate FP / (FP + TN).</summary>
    public double FalseAlarmRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>Missed-alarm rate FN / (FN + TP).</summary>
    public double MissedAlarmRate => Ratio(FalseNegatives, FalseNegatives + TruePositives);

    /// <summary>Rows scored.</summary>
    public long Rows => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    private static double Ratio(double a, double b) => b > 0 ? a / b : double.NaN;
}

/// <summary>Counts the overall flag against the label, one labelled row at a time, into a <see cref="ShadowScore"/>.</summary>
internal sealed class ShadowScoring
{
    private long _tp, _fp, _tn, _fn;

    /// <summary>One row: whether the shadow flagged it, and whether the label says it is anomalous.</summary>
    public void Add(bool predicted, bool actual)
    {
        if (predicted && actual) _tp++;
        else if (predicted) _fp++;
        else if (actual) _fn++;
        else _tn++;
    }

    /// <summary>The counts so far.</summary>
    public ShadowScore Score => new(_tp, _fp, _tn, _fn);
}
