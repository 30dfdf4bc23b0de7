using System.Diagnostics;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Telemetry.Replay;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Estimation;

/// <summary>
/// The estimator: N members (each a full instance of the system from <c>newSpecification</c>, see
/// <see cref="Member"/>) step in parallel, each on its own thread, and meet at a barrier at every
/// synchronization point (the start and every communication point that has a data row, within half a step).
/// There, on one thread while all members wait, the analysis reads every member's estimated vector and
/// predicted outputs, updates them (<see cref="KalmanAnalysis"/>), records the row, adds the process noise
/// of the interval ahead and writes the states back. A member whose values are not finite is replaced by a
/// copy of a random healthy member (counted); one whose run fails is rebuilt (<see cref="Member"/>).
/// </summary>
public sealed class Ensemble : IDisposable
{
    private const double Z90 = 1.6448536269514722; // standard normal quantile of 0.95: the central 90 %

    private readonly EstimationSettings _settings;
    private readonly HistorianData _data;
    private readonly List<Member> _members = [];
    private readonly MemberAccess?[] _access;
    private readonly Dictionary<long, int> _rowAt = [];
    private readonly long[] _syncTicks;
    private readonly Random _random;
    private readonly Barrier _barrier;
    private readonly CancellationTokenSource _stop = new();
    private Matrix<double>? _last;
    private Vector<double>? _ukfMean;
    private Matrix<double>? _ukfCovariance;
    private long _pendingTicks;
    private Exception? _failure;
    private readonly Stopwatch _analysisTime = new();
    private readonly Forecaster? _forecaster;
    private long _syncs;

    /// <summary>Prepares the members (every problem of the run or the settings as an <see cref="InputException"/>).</summary>
    public Ensemble(Func<RunSpecification> newSpecification, HistorianData data, EstimationSettings settings, ILogSink log)
    {
        var problems = settings.Problems().ToList();
        if (problems.Count > 0) throw new InputException(string.Join(Environment.NewLine, problems));
        _settings = settings;
        _data = data;
        _random = new Random(settings.Seed);
        var first = new Member(this, 0, newSpecification, log);
        _members.Add(first);
        try
        {
            Layout = EstimationLayout.Resolve(first.Run, settings, data);
            Schedule = first.Run.Schedule;
            if (first.Run.Specification.Algorithm == MasterAlgorithm.VariableStep)
                throw new InputException("state estimation needs fixed communication steps (not --algorithm variable-step)");
            var count = settings.Kind == EstimatorKind.Ukf ? 2 * Layout.Values.Count : settings.Ensemble;
            for (var i = 1; i < count; i++) _members.Add(new Member(this, i, newSpecification, log));
        }
        catch
        {
            foreach (var m in _members) m.Dispose();
            throw;
        }
        _access = new MemberAccess?[_members.Count];
        var step = Schedule.Step.Ticks;
        for (var r = 0; r < data.RowCount; r++)
        {
            var t = SimTime.FromSeconds(data.Times[r]);
            if (t < Schedule.Start || t > Schedule.Stop) continue;
            var n = (long)Math.Round((double)(t - Schedule.Start).Ticks / step);
            var point = Schedule.Point(n);
            if (Math.Abs((point - t).Ticks) <= step / 2) _rowAt[point.Ticks] = r;
        }
        _syncTicks = _rowAt.Keys.Append(Schedule.Start.Ticks).Distinct().Order().ToArray();
        _barrier = new Barrier(_members.Count, _ => Analyze());
        if (settings.ForecastHorizon is { } horizon) _forecaster = new Forecaster(newSpecification, Layout, horizon, log);
        Result = new EstimationResult(Layout, settings.ForecastHorizon != null);
    }

    /// <summary>What is estimated and measured.</summary>
    public EstimationLayout Layout { get; }

    /// <summary>The members' schedule.</summary>
    public StepSchedule Schedule { get; }

    /// <summary>The members.</summary>
    public int Size => _members.Count;

    /// <summary>The rows and statistics, filled while running.</summary>
    public EstimationResult Result { get; }

    internal CancellationToken Cancel => _stop.Token;
    internal Exception? Failure => Volatile.Read(ref _failure);
    internal double? LastSync { get; private set; }

    /// <summary>Runs the ensemble to the stop time; a failure of the estimation (all rebuilds spent, a failed analysis) throws after every member stopped, the rows so far kept in <see cref="Result"/>.</summary>
    public EstimationResult Run(CancellationToken cancel = default)
    {
        using var link = cancel.Register(() => _stop.Cancel());
        var wall = Stopwatch.StartNew();
        foreach (var m in _members) m.Start();
        foreach (var m in _members) m.Join();
        Result.WallTime = wall.Elapsed;
        Result.AnalysisTime = _analysisTime.Elapsed;
        Result.MemberSteps = _members.Count * Schedule.StepCount;
        if (_failure is { } f) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(f).Throw();
        return Result;
    }

    /// <summary>Called by a member at every communication point: waits at the barrier when it is a synchronization point.</summary>
    internal void Arrive(SimTime time)
    {
        if (Array.BinarySearch(_syncTicks, time.Ticks) < 0) return;
        Volatile.Write(ref _pendingTicks, time.Ticks);
        try
        {
            _barrier.SignalAndWait(_stop.Token);
        }
        catch (BarrierPostPhaseException e)
        {
            Fail(e.InnerException ?? e);
        }
        catch (OperationCanceledException)
        {
            // Stopped (Ctrl+C, or another member's failure): the member's run ends below like any other stop.
        }
        if (Failure != null || _stop.IsCancellationRequested)
            throw new SimulationException("estimation stopped: " + (Failure?.Message ?? "on request"), operation: "estimate", time: time);
    }

    internal void Fail(Exception e)
    {
        if (Interlocked.CompareExchange(ref _failure, e, null) == null) _stop.Cancel();
    }

    internal void Leave()
    {
        try { _barrier.RemoveParticipant(); }
        catch (InvalidOperationException) { /* already left */ }
    }

    internal void MemberFailed(Member member, Exception e)
    {
        if (_settings.Kind == EstimatorKind.Ukf)
            throw new SimulationException($"sigma-point member {member.Index} failed ({e.Message}); the UKF cannot replace a sigma point", operation: "estimate");
        Interlocked.Increment(ref Result.RebuiltCount);
    }

    /// <summary>A rebuilt member's state at the last synchronization: a random other member's, with fresh process noise.</summary>
    internal void WriteResampled(Member member)
    {
        var source = _last!.Column(Pick(member.Index));
        Access(member).Write(source.ToArray());
    }

    private int Pick(int except)
    {
        lock (_random)
        {
            int j;
            do j = _random.Next(_members.Count); while (j == except && _members.Count > 1);
            return j;
        }
    }

    private MemberAccess Access(Member m)
    {
        var a = _access[m.Index];
        if (a == null || a.Run != m.Run) _access[m.Index] = a = new MemberAccess(m.Run, Layout);
        return a;
    }

    /// <summary>The analysis at the pending synchronization point (runs once per phase, all members waiting).</summary>
    private void Analyze()
    {
        _analysisTime.Start();
        try
        {
            var ticks = Volatile.Read(ref _pendingTicks);
            var time = new SimTime(ticks).Seconds;
            var n = Layout.Values.Count;
            var size = _members.Count;
            var first = LastSync == null;
            var forecast = first ? Initial(n, size) : ReadStates();
            if (first) WriteAll(forecast);
            var predicted = ReadOutputs();
            if (_settings.Kind == EstimatorKind.EnKF) ReplaceDiverged(forecast, predicted);
            else if (!AllFinite(forecast) || !AllFinite(predicted))
                throw new SimulationException("a sigma-point member is not finite; the UKF cannot go on", operation: "estimate", time: new SimTime(ticks));

            AnalysisStatistics? stats = null;
            Matrix<double> analysis;
            var measuredRows = _rowAt.TryGetValue(ticks, out var row) ? Layout.Measured.Select((m, i) => (m, i)).Where(p => double.IsFinite(_data.Values[p.m.Column][row])).ToList() : [];
            if (measuredRows.Count > 0)
            {
                var y = Vector<double>.Build.DenseOfEnumerable(measuredRows.Select(p => _data.Values[p.m.Column][row]));
                var sigma = Vector<double>.Build.DenseOfEnumerable(measuredRows.Select(p => p.m.Sigma));
                var yPred = Matrix<double>.Build.DenseOfRowVectors(measuredRows.Select(p => predicted.Row(p.i)));
                if (_settings.Kind == EstimatorKind.EnKF)
                    (analysis, stats) = KalmanAnalysis.Ensemble(forecast, yPred, y, sigma, _settings.Inflation, _random);
                else
                {
                    (_ukfMean, _ukfCovariance, stats) = KalmanAnalysis.Unscented(forecast, yPred, y, sigma);
                    analysis = KalmanAnalysis.SigmaPoints(_ukfMean, _ukfCovariance);
                }
                WriteAll(analysis);
                predicted = ReadOutputs();
                Result.Analyses++;
                Result.NisSum += stats.Nis;
            }
            else
            {
                analysis = forecast;
                if (_settings.Kind == EstimatorKind.Ukf)
                    (_ukfMean, _ukfCovariance) = (forecast.RowSums() / size, Covariance(forecast));
            }
            Result.Add(ticks, analysis, predicted, Weight, measuredRows.Select(p => p.i).ToArray(), stats);

            // The process noise of the interval up to the next synchronization, then the states the members go on from.
            var next = Array.BinarySearch(_syncTicks, ticks) + 1;
            var dt = next < _syncTicks.Length ? new SimTime(_syncTicks[next] - ticks).Seconds : 0;
            var noise = Vector<double>.Build.DenseOfEnumerable(Layout.Values.Select(v => v.Noise * v.Noise * dt));
            Matrix<double> propagate;
            if (_settings.Kind == EstimatorKind.EnKF)
                propagate = analysis + Matrix<double>.Build.Dense(n, size, (i, _) => noise[i] > 0 ? Normal.Sample(_random, 0, Math.Sqrt(noise[i])) : 0);
            else
                propagate = KalmanAnalysis.SigmaPoints(_ukfMean!, _ukfCovariance! + Matrix<double>.Build.DiagonalOfDiagonalVector(noise));
            if (dt > 0) WriteAll(propagate);
            _last = propagate;
            if (_forecaster != null && _syncs++ % _settings.ForecastEvery == 0 && time + _forecaster.Horizon <= Schedule.Stop.Seconds + 1e-9)
            {
                var (states, outputs) = _forecaster.Run(time, propagate, _syncTicks, _random, _settings.Kind == EstimatorKind.Ukf);
                Result.AddForecast(SimTime.FromSeconds(time + _forecaster.Horizon).Ticks, states, outputs, Weight);
                Result.Forecasts++;
            }
            LastSync = time;
        }
        finally
        {
            _analysisTime.Stop();
        }
    }

    // The weight of squared anomalies in a variance: unbiased for an ensemble, exact for the sigma points.
    private double Weight => _settings.Kind == EstimatorKind.Ukf ? 1.0 / _members.Count : 1.0 / (_members.Count - 1);

    private Matrix<double> Initial(int n, int size)
    {
        var z0 = new double[n];
        Access(_members[0]).Read(z0);
        var mean = Vector<double>.Build.Dense(z0);
        if (_settings.Kind == EstimatorKind.Ukf)
            return KalmanAnalysis.SigmaPoints(mean, Matrix<double>.Build.DiagonalOfDiagonalVector(Vector<double>.Build.DenseOfEnumerable(Layout.Values.Select(v => v.Spread * v.Spread))));
        return Matrix<double>.Build.Dense(n, size, (i, _) => mean[i] + (Layout.Values[i].Spread > 0 ? Normal.Sample(_random, 0, Layout.Values[i].Spread) : 0));
    }

    private Matrix<double> ReadStates()
    {
        var z = Matrix<double>.Build.Dense(Layout.Values.Count, _members.Count);
        var column = new double[Layout.Values.Count];
        foreach (var m in _members)
        {
            Access(m).Read(column);
            z.SetColumn(m.Index, column);
        }
        return z;
    }

    private Matrix<double> ReadOutputs()
    {
        var y = Matrix<double>.Build.Dense(Layout.Measured.Count, _members.Count);
        var column = new double[Layout.Measured.Count];
        foreach (var m in _members)
        {
            Access(m).ReadOutputs(column);
            y.SetColumn(m.Index, column);
        }
        return y;
    }

    private void WriteAll(Matrix<double> z)
    {
        foreach (var m in _members) Access(m).Write(z.Column(m.Index).ToArray());
    }

    /// <summary>Members with a non-finite state or output take a copy of a random finite member (written back at once).</summary>
    private void ReplaceDiverged(Matrix<double> z, Matrix<double> y)
    {
        var healthy = Enumerable.Range(0, z.ColumnCount).Where(j => z.Column(j).All(double.IsFinite) && y.Column(j).All(double.IsFinite)).ToList();
        if (healthy.Count == z.ColumnCount) return;
        if (healthy.Count == 0) throw new SimulationException("every member of the ensemble diverged (not finite)", operation: "estimate", time: new SimTime(_pendingTicks));
        for (var j = 0; j < z.ColumnCount; j++)
        {
            if (healthy.Contains(j)) continue;
            var source = healthy[_random.Next(healthy.Count)];
            z.SetColumn(j, z.Column(source));
            y.SetColumn(j, y.Column(source));
            Access(_members[j]).Write(z.Column(j).ToArray());
            Result.ResampledCount++;
        }
    }

    private static bool AllFinite(Matrix<double> m) => m.Enumerate().All(double.IsFinite);

    private static Matrix<double> Covariance(Matrix<double> sigmaPoints)
    {
        var mean = sigmaPoints.RowSums() / sigmaPoints.ColumnCount;
        var a = sigmaPoints - Matrix<double>.Build.Dense(sigmaPoints.RowCount, sigmaPoints.ColumnCount, (i, _) => mean[i]);
        return a * a.Transpose() / sigmaPoints.ColumnCount;
    }

    /// <summary>The interval half-width factor of the central 90 % of a normal distribution.</summary>
    internal static double IntervalFactor => Z90;

    public void Dispose()
    {
        foreach (var m in _members) m.Dispose();
        _barrier.Dispose();
        _stop.Dispose();
    }
}
