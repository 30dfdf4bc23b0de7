using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Systems;
using CoSim.Runner;
using CoSim.Telemetry.Replay;
using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Calibration;

/// <summary>One unknown of the optimization: a parameter, or one experiment's value of a per-experiment parameter.</summary>
/// <param name="Name">As reported: the parameter's name, with <c>[experiment]</c> for a per-experiment value.</param>
/// <param name="Spec">The parameter.</param>
/// <param name="Target">The variable it sets.</param>
/// <param name="Experiment">The experiment it belongs to, or -1 when shared by all.</param>
/// <param name="Start">The start value.</param>
public sealed record Unknown(string Name, ParameterSpec Spec, VariableRef Target, int Experiment, double Start);

/// <summary>
/// The residual vector of a calibration: for every experiment, fitted output and measured point,
/// <c>scale x (simulated - measured)</c>. Every evaluation runs each experiment as its own fresh model
/// instance through <see cref="PreparedRun"/> (in memory: no file is written); the experiments of
/// one point, and the perturbed runs of a finite-difference Jacobian, run concurrently on
/// <see cref="Threads"/> threads. A run that fails is an evaluation with a failure, not an exception.
/// </summary>
public sealed class ResidualFunction : ILeastSquaresProblem
{
    private readonly CalibrationModel _model;
    private readonly IReadOnlyList<Experiment> _experiments;
    private readonly IReadOnlyList<VariableRef> _outputs;
    private readonly IReadOnlyList<ReplayMapping> _maps;
    private readonly double?[] _steps;
    private readonly double? _step;
    private readonly int[] _offsets;
    private readonly ILogSink _log;
    private long _modelRuns;

    /// <summary>Builds the residual function; names are resolved already (see <see cref="Calibrator"/>).</summary>
    public ResidualFunction(CalibrationModel model, IReadOnlyList<Experiment> experiments, IReadOnlyList<Unknown> unknowns, IReadOnlyList<VariableRef> outputs,
        IReadOnlyList<ReplayMapping> maps, double? step, int threads, ILogSink log)
    {
        _model = model;
        _experiments = experiments;
        Unknowns = unknowns;
        _outputs = outputs;
        _maps = maps;
        _log = log;
        Threads = threads;
        _step = step;
        _steps = experiments.Select(e => step ?? UniformSpacing(e.Data.Times)).ToArray();
        _offsets = new int[experiments.Count + 1];
        for (var e = 0; e < experiments.Count; e++) _offsets[e + 1] = _offsets[e] + experiments[e].PointCount;
        Lower = unknowns.Select(u => u.Spec.Lower).ToArray();
        Upper = unknowns.Select(u => u.Spec.Upper).ToArray();
        _pointsAt = experiments.Select(PointsByTime).ToArray();
    }

    // Per experiment and time index, the (series, point) pairs measured at that time: a trial's running cost.
    private readonly (int Series, int Point)[][][] _pointsAt;

    private static (int Series, int Point)[][] PointsByTime(Experiment experiment)
    {
        var lists = experiment.Times.Select(_ => new List<(int, int)>()).ToArray();
        for (var k = 0; k < experiment.Series.Count; k++)
            for (var i = 0; i < experiment.Series[k].Rows.Length; i++) lists[experiment.Series[k].TimeIndex[i]].Add((k, i));
        return lists.Select(l => l.ToArray()).ToArray();
    }

    /// <summary>The unknowns, in the order of the parameter vector.</summary>
    public IReadOnlyList<Unknown> Unknowns { get; }

    /// <summary>The model unit of each fitted output (null: none declared), in the order of the fits; measured columns are converted to it.</summary>
    public IReadOnlyList<string?> OutputUnits { get; init; } = [];

    /// <summary>Values set in every run besides the unknowns (e.g. the calibrated values during a validation refit).</summary>
    public IReadOnlyList<(VariableRef Target, double Value)> Fixed { get; init; } = [];

    /// <summary>Threads running model instances at once.</summary>
    public int Threads { get; }

    /// <inheritdoc />
    public int ParameterCount => Unknowns.Count;

    /// <inheritdoc />
    public IReadOnlyList<double> Lower { get; }

    /// <inheritdoc />
    public IReadOnlyList<double> Upper { get; }

    /// <summary>Number of residuals.</summary>
    public int ResidualCount => _offsets[^1];

    /// <summary>Model runs so far (one per experiment per evaluated point).</summary>
    public long ModelRuns => Interlocked.Read(ref _modelRuns);

    /// <summary>Simulated seconds over all model runs so far (a run stopped early counts up to where it stopped).</summary>
    public double SimulatedSeconds
    {
        get { lock (_simulatedGate) return _simulatedSeconds; }
    }

    private readonly object _simulatedGate = new();
    private double _simulatedSeconds;

    /// <summary>Where experiment <paramref name="e"/>'s residuals start in the vector.</summary>
    public int Offset(int e) => _offsets[e];

    /// <inheritdoc />
    public Evaluation Evaluate(double[] x) => Evaluate(x, double.PositiveInfinity);

    /// <summary>
    /// The residuals at <paramref name="x"/>; the experiments' runs stop as soon as the cost of the
    /// points recorded so far (in all of them together) passes <paramref name="costLimit"/>: the cost
    /// only grows along a run, so the trial has lost whatever the rest would give.
    /// </summary>
    public Evaluation Evaluate(double[] x, double costLimit)
    {
        var residuals = new double[ResidualCount];
        var failures = new string?[_experiments.Count];
        using var guard = double.IsFinite(costLimit) ? new CostGuard(costLimit, _experiments.Count) : null;
        Parallel.For(0, _experiments.Count, Options(), e => failures[e] = RunExperiment(e, x, residuals.AsSpan(_offsets[e], _experiments[e].PointCount), guard));
        if (guard is { Exceeded: true }) return Evaluation.Abandoned;
        var failure = failures.FirstOrDefault(f => f != null);
        return failure != null ? new Evaluation(null, failure) : new Evaluation(residuals, null);
    }

    /// <summary>
    /// Forward differences, each perturbed run an independent instance, all concurrent; a parameter
    /// of one experiment perturbs only that experiment's run. Steps go inwards at an upper bound.
    /// </summary>
    public Matrix<double>? Jacobian(double[] x, double[] residuals)
    {
        var n = Unknowns.Count;
        var jacobian = Matrix<double>.Build.Dense(ResidualCount, n);
        var tasks = new List<(int Column, int Experiment)>();
        for (var j = 0; j < n; j++)
            for (var e = 0; e < _experiments.Count; e++)
                if (Unknowns[j].Experiment < 0 || Unknowns[j].Experiment == e) tasks.Add((j, e));
        var failed = 0;
        Parallel.ForEach(tasks, Options(), task =>
        {
            var (j, e) = task;
            var h = StepFor(j, x[j]);
            var perturbed = (double[])x.Clone();
            perturbed[j] += h;
            var count = _experiments[e].PointCount;
            var slice = new double[count];
            if (RunExperiment(e, perturbed, slice) != null)
            {
                Interlocked.Increment(ref failed);
                return;
            }
            for (var i = 0; i < count; i++) jacobian[_offsets[e] + i, j] = (slice[i] - residuals[_offsets[e] + i]) / h;
        });
        return failed > 0 ? null : jacobian;
    }

    /// <summary>The same model, outputs, inputs and settings over other experiments, with <paramref name="unknowns"/> (all shared).</summary>
    public ResidualFunction With(IReadOnlyList<Experiment> experiments, IReadOnlyList<Unknown> unknowns, IReadOnlyList<(VariableRef Target, double Value)>? fixedValues = null) =>
        new(_model, experiments, unknowns, _outputs, _maps, _step, Threads, _log) { OutputUnits = OutputUnits, Fixed = fixedValues ?? [] };

    /// <summary>The simulated values behind residuals <paramref name="residuals"/>, in the same order.</summary>
    public double[] Simulated(double[] residuals)
    {
        var simulated = new double[residuals.Length];
        foreach (var (e, s, offset) in Points())
            for (var i = 0; i < s.Rows.Length; i++) simulated[offset + i] = s.Measured[i] + residuals[offset + i] / s.Scale;
        return simulated;
    }

    /// <summary>Every fitted series with its experiment and where its residuals start.</summary>
    public IEnumerable<(int Experiment, FitSeries Series, int Offset)> Points()
    {
        for (var e = 0; e < _experiments.Count; e++)
        {
            var offset = _offsets[e];
            foreach (var s in _experiments[e].Series)
            {
                yield return (e, s, offset);
                offset += s.Rows.Length;
            }
        }
    }

    private double StepFor(int j, double value)
    {
        var u = Unknowns[j].Spec;
        var h = SqrtMachineEpsilon * Math.Max(Math.Abs(value), 1e-3 * (u.Upper - u.Lower));
        return value + h > u.Upper ? -h : h;
    }

    // The forward-difference step that balances truncation and rounding error.
    private static readonly double SqrtMachineEpsilon = Math.Sqrt(Math.Pow(2, -52));

    private ParallelOptions Options() => new() { MaxDegreeOfParallelism = Threads };

    /// <summary>Runs experiment <paramref name="e"/> at <paramref name="x"/> and writes its residuals; returns why it failed, or null.</summary>
    private string? RunExperiment(int e, double[] x, Span<double> residuals, CostGuard? guard = null)
    {
        var experiment = _experiments[e];
        Interlocked.Increment(ref _modelRuns);
        double[][] values;
        try
        {
            var spec = _model.NewSpecification(_log);
            spec.Start = 0;
            spec.Stop = Math.Max(experiment.EndTime, _steps[e] ?? 0);
            if (_steps[e] is { } step) spec.Step = step;
            spec.Threads = 1;
            foreach (var (target, value) in Fixed) spec.Parameters.Add(new ParameterValue(target, value.ToString("R", CultureInfo.InvariantCulture)));
            for (var j = 0; j < Unknowns.Count; j++)
                if (Unknowns[j].Experiment < 0 || Unknowns[j].Experiment == e)
                    spec.Parameters.Add(new ParameterValue(Unknowns[j].Target, x[j].ToString("R", CultureInfo.InvariantCulture)));
            if (_maps.Count > 0) spec.Manipulators.Add(new ReplayInput(experiment.Data, _maps, _model.SingleComponent));
            FitRecorder? recorder = null;
            Action<int>? recorded = guard == null ? null : t => guard.Add(e, PointCost(e, t, recorder!.Values));
            recorder = new FitRecorder(_outputs, experiment.Times, recorded);
            spec.Observers.Add(recorder);
            using var run = PreparedRun.Prepare(spec, Registry, _log);
            var report = run.Run(guard?.Cancel ?? CancellationToken.None);
            lock (_simulatedGate) _simulatedSeconds += report.EndTime.Seconds;
            if (guard is { Exceeded: true }) return null;
            if (!recorder.Complete)
                return $"{experiment.Name}: the run ended at t = {ParameterSpec.Fmt(report.EndTime.Seconds)} s, before the last data time {ParameterSpec.Fmt(experiment.EndTime)} s ({report.Reason})";
            values = recorder.Values;
        }
        catch (SimulationException ex)
        {
            return $"{experiment.Name} at {Describe(x)}: {ex.Describe()}";
        }
        catch (InputException ex)
        {
            return $"{experiment.Name} at {Describe(x)}: {ex.Message}";
        }
        var k = 0;
        var index = 0;
        foreach (var s in experiment.Series)
        {
            var simulated = values[k++];
            for (var i = 0; i < s.Rows.Length; i++)
            {
                var v = simulated[s.TimeIndex[i]];
                if (!double.IsFinite(v)) return $"{experiment.Name} at {Describe(x)}: {s.Fit.Output} is {ParameterSpec.Fmt(v)} at t = {ParameterSpec.Fmt(s.Times[i])} s";
                residuals[index++] = s.Scale * (v - s.Measured[i]);
            }
        }
        return null;
    }

    /// <summary>Half the squared weighted residuals of experiment <paramref name="e"/>'s points at its time <paramref name="t"/>.</summary>
    private double PointCost(int e, int t, double[][] values)
    {
        var sum = 0.0;
        foreach (var (k, i) in _pointsAt[e][t])
        {
            var s = _experiments[e].Series[k];
            var r = s.Scale * (values[k][t] - s.Measured[i]);
            if (double.IsFinite(r)) sum += r * r; // a non-finite output is a failure, said when the run ends
        }
        return 0.5 * sum;
    }

    /// <summary>The running cost of one trial over all its experiments; cancels their runs once it passes the limit.</summary>
    private sealed class CostGuard(double limit, int experiments) : IDisposable
    {
        private readonly double[] _partial = new double[experiments];
        private readonly CancellationTokenSource _cancel = new();

        public CancellationToken Cancel => _cancel.Token;

        public bool Exceeded => _cancel.IsCancellationRequested;

        /// <summary>Adds experiment <paramref name="e"/>'s cost of one time (each experiment's runs on one thread; the others' sums are read as they are).</summary>
        public void Add(int e, double cost)
        {
            _partial[e] += cost;
            var total = 0.0;
            foreach (var p in _partial) total += p;
            if (total > limit && !_cancel.IsCancellationRequested) _cancel.Cancel();
        }

        public void Dispose() => _cancel.Dispose();
    }

    private static readonly Core.ComponentRegistry Registry = PreparedRun.DefaultRegistry();

    private string Describe(double[] x) => string.Join(", ", Unknowns.Select((u, j) => $"{u.Name}={x[j].ToString("G6", CultureInfo.InvariantCulture)}"));

    /// <summary>The spacing of times that are evenly spaced (to 1e-6 relative), else null (the model's default step then applies).</summary>
    internal static double? UniformSpacing(double[] times)
    {
        if (times.Length < 2) return null;
        var dt = times[1] - times[0];
        if (dt <= 0) return null;
        for (var i = 2; i < times.Length; i++)
            if (Math.Abs(times[i] - times[i - 1] - dt) > 1e-6 * dt) return null;
        return dt;
    }
}
