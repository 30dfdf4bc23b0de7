using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Estimation;

/// <summary>
/// The estimator's rows, one per synchronization point: for every estimated value and measured signal NAME its
/// ensemble mean <c>NAME</c> and the 90 % interval <c>NAME.lower</c> / <c>NAME.upper</c> (mean -+ 1.645 sigma of
/// the analysis ensemble), per measured signal <c>NAME.innovation</c> (measured - predicted mean) and
/// <c>NAME.nis</c> (its square over its predicted variance), and the joint <c>nis</c>; NaN where a signal had
/// no measurement at that time. Also the filter's statistics.
/// </summary>
public sealed class EstimationResult
{
    private readonly EstimationLayout _layout;
    private readonly int[] _outputColumns; // where each measured signal's mean goes, or -1 when it is an estimated value already
    private readonly List<double[]> _rows = [];

    private readonly int _forecastColumn; // first forecast column, or -1 without forecasts
    private readonly Dictionary<long, double[]> _pendingForecasts = [];

    internal long RebuiltCount;

    internal EstimationResult(EstimationLayout layout, bool forecasts = false)
    {
        _layout = layout;
        var columns = new List<string> { "time" };
        foreach (var v in layout.Values) columns.AddRange([v.Name, v.Name + ".lower", v.Name + ".upper"]);
        _outputColumns = new int[layout.Measured.Count];
        for (var i = 0; i < layout.Measured.Count; i++)
        {
            var name = layout.Measured[i].Name;
            _outputColumns[i] = columns.Contains(name) ? -1 : columns.Count;
            if (_outputColumns[i] >= 0) columns.AddRange([name, name + ".lower", name + ".upper"]);
        }
        var means = columns.Skip(1).Where((_, i) => i % 3 == 0).ToList();
        foreach (var m in layout.Measured) columns.AddRange([m.Name + ".innovation", m.Name + ".nis"]);
        columns.Add("nis");
        _forecastColumn = forecasts ? columns.Count : -1;
        if (forecasts)
            foreach (var name in means) columns.AddRange([name + ".forecast", name + ".forecast_lower", name + ".forecast_upper"]);
        Columns = columns;
    }

    /// <summary>Forecasts made.</summary>
    public long Forecasts { get; internal set; }

    /// <summary>Column names, <c>time</c> first.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows, in time order.</summary>
    public IReadOnlyList<double[]> Rows => _rows;

    /// <summary>Analyses made (synchronization points with at least one finite measurement).</summary>
    public long Analyses { get; internal set; }

    /// <summary>Sum of the joint NIS over the analyses.</summary>
    public double NisSum { get; internal set; }

    /// <summary>Members replaced by a resampled member because their values were not finite.</summary>
    public long ResampledCount { get; internal set; }

    /// <summary>Members rebuilt after their run failed (an FMU error), from a resampled state.</summary>
    public long Rebuilt => Interlocked.Read(ref RebuiltCount);

    /// <summary>Member steps run (members x communication steps).</summary>
    public long MemberSteps { get; internal set; }

    /// <summary>Wall time of the whole estimation.</summary>
    public TimeSpan WallTime { get; internal set; }

    /// <summary>Wall time spent in the analyses (all members waiting).</summary>
    public TimeSpan AnalysisTime { get; internal set; }

    /// <summary>The column's values over the rows.</summary>
    public double[] Column(string name)
    {
        var index = Columns.ToList().IndexOf(name);
        if (index < 0) throw new ArgumentException($"no column '{name}' (have: {string.Join(", ", Columns)})", nameof(name));
        return _rows.Select(r => r[index]).ToArray();
    }

    /// <summary>The summary lines: analyses, mean NIS against its expectation, replaced members, timing.</summary>
    public IEnumerable<string> Summary(int members, string estimator)
    {
        static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        var meanNis = Analyses > 0 ? NisSum / Analyses : double.NaN;
        yield return $"estimation ({estimator}, {members} members): {Analyses} analyses, mean NIS {F(meanNis)} (expected {_layout.Measured.Count} when consistent), " +
                     $"{ResampledCount} diverged members resampled, {Rebuilt} failed members rebuilt" + (Forecasts > 0 ? $", {Forecasts} forecasts" : "");
        yield return $"estimation time: {F(WallTime.TotalSeconds)} s wall, {F(AnalysisTime.TotalSeconds)} s in analyses " +
                     $"({(Analyses > 0 ? F(AnalysisTime.TotalMilliseconds * 1000 / Math.Max(1, _rows.Count)) : "-")} us per synchronization), {MemberSteps} member steps";
    }

    /// <summary>Writes the rows as CSV (invariant culture, round-trip numbers).</summary>
    public void WriteCsv(string path)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', Columns));
        foreach (var row in _rows) text.AppendLine(string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>A forecast for the row of time <paramref name="ticks"/> (filled in when that row is added; lost when there is none).</summary>
    internal void AddForecast(long ticks, Matrix<double> states, Matrix<double> outputs, double varianceWeight)
    {
        var values = new double[Columns.Count];
        values.AsSpan().Fill(double.NaN);
        var k = _forecastColumn;
        for (var i = 0; i < states.RowCount; i++, k += 3) Interval(Finite(states.Row(i)), varianceWeight, values, k);
        for (var i = 0; i < _outputColumns.Length; i++)
            if (_outputColumns[i] >= 0)
            {
                Interval(Finite(outputs.Row(i)), varianceWeight, values, k);
                k += 3;
            }
        _pendingForecasts[ticks] = values;
    }

    private static Vector<double> Finite(Vector<double> v) => Vector<double>.Build.DenseOfEnumerable(v.Where(double.IsFinite));

    internal void Add(long ticks, Matrix<double> states, Matrix<double> outputs, double varianceWeight, int[] measured, AnalysisStatistics? stats)
    {
        var row = new double[Columns.Count];
        row.AsSpan().Fill(double.NaN);
        if (_forecastColumn >= 0 && _pendingForecasts.Remove(ticks, out var forecast))
            Array.Copy(forecast, _forecastColumn, row, _forecastColumn, Columns.Count - _forecastColumn);
        row[0] = new Core.SimTime(ticks).Seconds;
        var k = 1;
        for (var i = 0; i < states.RowCount; i++, k += 3) Interval(states.Row(i), varianceWeight, row, k);
        for (var i = 0; i < _outputColumns.Length; i++)
            if (_outputColumns[i] >= 0) Interval(outputs.Row(i), varianceWeight, row, _outputColumns[i]);
        var first = (_forecastColumn >= 0 ? _forecastColumn : Columns.Count) - 1 - 2 * _layout.Measured.Count;
        if (stats != null)
        {
            for (var j = 0; j < measured.Length; j++)
            {
                row[first + 2 * measured[j]] = stats.Innovation[j];
                row[first + 2 * measured[j] + 1] = stats.Innovation[j] * stats.Innovation[j] / stats.InnovationVariance[j];
            }
            row[first + 2 * _layout.Measured.Count] = stats.Nis;
        }
        _rows.Add(row);
    }

    private static void Interval(Vector<double> members, double varianceWeight, double[] row, int at)
    {
        var mean = members.Sum() / members.Count;
        var variance = members.Select(v => (v - mean) * (v - mean)).Sum() * varianceWeight;
        var half = Ensemble.IntervalFactor * Math.Sqrt(variance);
        row[at] = mean;
        row[at + 1] = mean - half;
        row[at + 2] = mean + half;
    }
}
