using System.Globalization;
using CoSim.Core;
using CoSim.Telemetry.Replay;
using CoSim.Telemetry.Signals;
using CoSim.Telemetry.Units;

namespace CoSim.Telemetry.Shadow;

/// <summary>
/// A simulated output compared with a measured column: <paramref name="Output"/> is <c>Component.variable</c>,
/// <paramref name="Unit"/> the column's unit (the engine converts the output into it on the connection),
/// <paramref name="Band"/> the allowed |residual - bias|; null: learned as k·sigma on the fitting part.
/// </summary>
public sealed record ShadowSignal(string Output, string Column, string? Unit = null, double? Band = null);

/// <summary>How the shadow compares and flags.</summary>
public sealed record ShadowOptions
{
    /// <summary>The shadow's component name (its result columns are <c>NAME.Component.variable.residual</c>...).</summary>
    public string Name { get; init; } = "shadow";

    /// <summary>The first rows of the file are the fitting part: bias and sigma of each residual are learned there, nothing is flagged or scored.</summary>
    public int FitRows { get; init; }

    /// <summary>Band = <see cref="K"/> · sigma of the residual on the fitting part (for signals without a given band); bias = its median, sigma = 1.4826 · its median absolute deviation.</summary>
    public double K { get; init; } = 4;

    /// <summary>A residual is flagged once it has stayed outside its band for this long [s] (0: at once).</summary>
    public double MinDuration { get; init; } = 5;

    /// <summary>How measured columns are sampled at communication points: linear, no comparison (NaN) inside gaps longer than 10 s.</summary>
    public SignalPolicy Measured { get; init; } = new(Interpolation.Linear, GapPolicy.Missing, 10);

    /// <summary>A 0/1 label column of the file (e.g. SKAB's <c>anomaly</c>) to score the flags against, row by row after the fitting part.</summary>
    public string? LabelColumn { get; init; }
}

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

/// <summary>
/// Shadow mode as a component of the system: for each <see cref="ShadowSignal"/> an input
/// <c>Component.variable.simulated</c> (connected from the simulated output; the engine converts units)
/// and outputs <c>.measured</c> (the column sampled at the communication point), <c>.residual</c>
/// (measured - simulated) and <c>.flag</c> (1 once |residual - bias| has stayed above the band for
/// <see cref="ShadowOptions.MinDuration"/>), plus <c>flag</c> (any signal flagged) and, with a label column,
/// <c>label</c>. Being a component, its outputs are recorded like any other (result files, both formats).
/// Outputs are computed from the inputs and the time at every read, so they are those at the
/// communication point whatever the master algorithm; the last read at a point is committed into the
/// statistics when the component steps on (or terminates). <see cref="Report"/> and <see cref="Score"/>
/// give the summary.
/// </summary>
public sealed class ShadowComponent : IComponent, IReadsDataFiles, IRunReporter
{
    private readonly ShadowSignal[] _signals;
    private readonly ShadowOptions _options;
    private readonly SignalBuffer[] _measured;
    private readonly SignalBuffer? _label;
    private readonly double _fitEnd;
    private readonly List<ComponentVariable> _variables = [];
    private readonly double[] _inputs;
    private readonly Stats[] _stats;
    private readonly double[] _values; // all variables' current values, by index
    private double _time;
    private double _pendingTime = double.NaN; // the communication point the values were last evaluated at
    private bool _fitted;
    private long _tp, _fp, _tn, _fn;
    private long _points, _flagged; // communication points after the fitting part, and those with the overall flag

    /// <inheritdoc />
    public IEnumerable<string> DataFiles { get; }

    /// <summary>Builds the shadow from a historian file read with every signal's column (and the label column).</summary>
    public ShadowComponent(HistorianData data, IReadOnlyList<ShadowSignal> signals, ShadowOptions options)
    {
        if (signals.Count == 0) throw new InputException("shadow: no signal to compare");
        if (options.FitRows < 0 || options.FitRows >= data.RowCount)
            throw new InputException($"shadow: {options.FitRows} fitting rows, but {data.Path} has {data.RowCount} rows");
        if (options.K <= 0 || options.MinDuration < 0) throw new InputException("shadow: k must be positive and the minimum duration not negative");
        _signals = signals.ToArray();
        _options = options;
        DataFiles = [data.Path];
        _fitEnd = options.FitRows > 0 ? data.Times[options.FitRows] : double.NegativeInfinity;
        if (options.FitRows == 0)
            foreach (var s in signals.Where(s => s.Band == null))
                throw new InputException($"shadow {s.Output}: give a band or fitting rows to learn it from");
        _measured = signals.Select(s => data.Buffer(s.Column, options.Measured)).ToArray();
        _label = options.LabelColumn != null ? data.Buffer(options.LabelColumn, new SignalPolicy(Interpolation.Hold)) : null;
        var units = new Dictionary<string, BaseUnit>();
        foreach (var s in signals)
        {
            if (s.Unit != null)
                units[s.Unit] = KnownUnits.Find(s.Unit) ?? throw new InputException($"shadow {s.Output}: unit '{s.Unit}' is unknown (known: {string.Join(", ", KnownUnits.Names)})");
            Add($"{s.Output}.simulated", VariableRole.Input, ValueKind.Real, s.Unit, $"simulated {s.Output}");
            Add($"{s.Output}.measured", VariableRole.Output, ValueKind.Real, s.Unit, $"column '{s.Column}' of {Path.GetFileName(data.Path)}");
            Add($"{s.Output}.residual", VariableRole.Output, ValueKind.Real, s.Unit, "measured - simulated");
            Add($"{s.Output}.flag", VariableRole.Output, ValueKind.Boolean, null, "residual out of its band for the minimum duration");
        }
        Add("flag", VariableRole.Output, ValueKind.Boolean, null, "any signal flagged");
        if (_label != null) Add("label", VariableRole.Output, ValueKind.Real, null, $"column '{options.LabelColumn}'");
        Structure = new ComponentStructure(null, units);
        _inputs = new double[signals.Count];
        _values = new double[_variables.Count];
        _stats = signals.Select(s => new Stats { Band = s.Band ?? double.NaN }).ToArray();
    }

    private void Add(string name, VariableRole role, ValueKind kind, string? unit, string description) =>
        _variables.Add(new ComponentVariable(_variables.Count, name, kind, role, kind == ValueKind.Real, unit, description, role == VariableRole.Input ? "0" : null));

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <inheritdoc />
    public IReadOnlyList<ComponentVariable> Variables => _variables;

    /// <inheritdoc />
    public ComponentStructure Structure { get; }

    /// <inheritdoc />
    public string? KindDescription => "shadow comparison";

    /// <summary>The connections that feed the shadow: each simulated output to its <c>.simulated</c> input.</summary>
    public IEnumerable<(VariableRef From, VariableRef To)> Connections()
    {
        foreach (var s in _signals)
        {
            var dot = s.Output.IndexOf('.');
            if (dot <= 0) throw new InputException($"shadow '{s.Output}': write Component.variable");
            yield return (new VariableRef(s.Output[..dot], s.Output[(dot + 1)..]), new VariableRef(Name, s.Output + ".simulated"));
        }
    }

    /// <inheritdoc />
    public bool CanSaveState => false;

    /// <inheritdoc />
    public void Instantiate()
    {
    }

    /// <inheritdoc />
    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance) => _time = start.Seconds;

    /// <inheritdoc />
    public void ExitInitialization()
    {
    }

    /// <inheritdoc />
    public StepResult Step(SimTime time, SimTime step)
    {
        if (_pendingTime != time.Seconds) Evaluate(time.Seconds); // nobody read the outputs at this point
        Commit();
        _time = (time + step).Seconds;
        return StepResult.Completed(time + step);
    }

    /// <inheritdoc />
    public void Terminate()
    {
        if (_pendingTime != _time) Evaluate(_time);
        Commit();
    }

    /// <inheritdoc />
    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new Accessor(this, variables.ToArray());

    /// <inheritdoc />
    public void SetFromText(int variable, string text)
    {
        if (_variables[variable].Role != VariableRole.Input) throw new InputException($"{Name}.{_variables[variable].Name} cannot be set");
        _inputs[variable / 4] = double.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public string GetAsText(int variable) => _values[variable].ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public IComponentState SaveState() => throw new NotSupportedException("the shadow keeps no restorable state");

    /// <inheritdoc />
    public void RestoreState(IComponentState state) => throw new NotSupportedException("the shadow keeps no restorable state");

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Residual statistics per signal, after the fitting part (all of the run when there is none).</summary>
    public IReadOnlyList<ShadowSignalReport> Report() => _signals.Select((s, j) =>
    {
        var st = _stats[j];
        var n = st.Count;
        return new ShadowSignalReport(s.Output, s.Column, s.Unit, n, n > 0 ? Math.Sqrt(st.SumSquares / n) : double.NaN, n > 0 ? st.SumAbs / n : double.NaN,
            st.PercentCount > 0 ? 100 * st.SumPercent / st.PercentCount : double.NaN, n > 0 ? st.Max : double.NaN, st.Bias, st.Band, st.Flagged);
    }).ToList();

    /// <summary>The flags scored against the label column, row by row after the fitting part; null without a label column.</summary>
    public ShadowScore? Score => _label != null ? new ShadowScore(_tp, _fp, _tn, _fn) : null;

    /// <inheritdoc />
    public string ReportKey => Name;

    /// <inheritdoc />
    public object Record() => new { Summary = Summary().ToList() }; // lines: residual statistics may be NaN, which JSON has not

    /// <summary>A comparison of no point compared nothing: the run did not do what it was asked.</summary>
    public string? RunProblem() => Report().Any(r => r.Points > 0) ? null
        : $"{Name}: compared 0 points with the measured data{(_options.FitRows > 0 ? $" after the first {_options.FitRows} (fitting) rows" : "")}: the run's start and stop must cover the replayed file's times";

    /// <summary>The summary lines every front end prints.</summary>
    public IEnumerable<string> Summary()
    {
        static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("0.####", CultureInfo.InvariantCulture);
        foreach (var r in Report())
            yield return $"shadow {r.Output} vs '{r.Column}'{(r.Unit != null ? $" [{r.Unit}]" : "")}: {r.Points} points, RMSE {F(r.Rmse)}, MAE {F(r.Mae)}, MAPE {F(r.Mape)} %, " +
                         $"max {F(r.MaxError)}; bias {F(r.Bias)}, band ±{F(r.Band)}; flagged {r.FlaggedPoints} points";
        yield return $"shadow flag raised at {_flagged} of {_points} points after the fitting part";
        if (Score is { } s)
            yield return $"shadow score vs '{_options.LabelColumn}' ({s.Rows} rows after the first {_options.FitRows}): F1 {F(s.F1)}, false alarms {F(s.FalseAlarmRate)}, " +
                         $"missed alarms {F(s.MissedAlarmRate)} (TP {s.TruePositives}, FP {s.FalsePositives}, TN {s.TrueNegatives}, FN {s.FalseNegatives})";
    }

    /// <summary>Computes every output at <paramref name="t"/> from the current inputs and the committed flag state, without committing.</summary>
    private void Evaluate(double t)
    {
        var any = false;
        for (var j = 0; j < _signals.Length; j++)
        {
            var measured = _measured[j].Sample(t);
            var residual = measured - _inputs[j];
            var st = _stats[j];
            var flag = false;
            if (_fitted && !double.IsNaN(residual))
            {
                var outside = Math.Abs(residual - st.Bias) > st.Band;
                flag = outside && t - (st.OutSince ?? t) >= _options.MinDuration;
            }
            _values[4 * j + 1] = measured;
            _values[4 * j + 2] = residual;
            _values[4 * j + 3] = flag ? 1 : 0;
            _values[4 * j] = _inputs[j];
            any |= flag;
        }
        _values[4 * _signals.Length] = any ? 1 : 0;
        if (_label != null) _values[4 * _signals.Length + 1] = _label.Sample(t);
        _pendingTime = t;
    }

    /// <summary>Takes the point last evaluated into the statistics, the learning and the flag state.</summary>
    private void Commit()
    {
        var t = _pendingTime;
        if (double.IsNaN(t)) return;
        _pendingTime = double.NaN;
        if (!_fitted && t >= _fitEnd)
        {
            foreach (var st in _stats) st.Freeze(_options.K);
            _fitted = true;
            Evaluate(t); // the flags at the first scored point use the learned band
            _pendingTime = double.NaN;
        }
        for (var j = 0; j < _signals.Length; j++)
        {
            var residual = _values[4 * j + 2];
            if (double.IsNaN(residual)) continue;
            var st = _stats[j];
            if (!_fitted)
            {
                st.Learn(residual);
                continue;
            }
            var outside = Math.Abs(residual - st.Bias) > st.Band;
            st.OutSince = outside ? st.OutSince ?? t : null;
            st.Add(residual, _values[4 * j + 1], _values[4 * j + 3] != 0);
        }
        if (_fitted)
        {
            _points++;
            if (_values[4 * _signals.Length] != 0) _flagged++;
        }
        if (_fitted && _label != null && _label.HasRecordAt(t))
        {
            var predicted = _values[4 * _signals.Length] != 0;
            var actual = _label.Sample(t) != 0;
            if (predicted && actual) _tp++;
            else if (predicted) _fp++;
            else if (actual) _fn++;
            else _tn++;
        }
    }

    private sealed class Stats
    {
        private readonly List<double> _fit = [];

        public double Bias { get; private set; }
        public double Band { get; set; }
        public double? OutSince { get; set; }
        public long Count { get; private set; }
        public double SumSquares { get; private set; }
        public double SumAbs { get; private set; }
        public double SumPercent { get; private set; }
        public long PercentCount { get; private set; }
        public double Max { get; private set; }
        public long Flagged { get; private set; }

        public void Learn(double r) => _fit.Add(r);

        // Robust: the median and 1.4826 x the median absolute deviation (sigma for normal noise), so that the
        // model's start-up transient in the first rows does not widen the band.
        public void Freeze(double k)
        {
            Bias = _fit.Count > 0 ? Median(_fit) : 0;
            if (double.IsNaN(Band)) Band = _fit.Count > 1 ? k * 1.4826 * Median(_fit.Select(r => Math.Abs(r - Bias)).ToList()) : 0;
            _fit.Clear();
        }

        private static double Median(List<double> values)
        {
            values.Sort();
            var n = values.Count;
            return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
        }

        public void Add(double r, double measured, bool flagged)
        {
            Count++;
            SumSquares += r * r;
            SumAbs += Math.Abs(r);
            Max = Math.Max(Max, Math.Abs(r));
            if (measured != 0)
            {
                SumPercent += Math.Abs(r / measured);
                PercentCount++;
            }
            if (flagged) Flagged++;
        }
    }

    private sealed class Accessor(ShadowComponent owner, int[] variables) : IValueAccessor
    {
        public IReadOnlyList<int> Variables => variables;

        public void Read(Span<double> values)
        {
            owner.Evaluate(owner._time);
            for (var i = 0; i < variables.Length; i++) values[i] = owner._values[variables[i]];
        }

        public void Write(ReadOnlySpan<double> values)
        {
            for (var i = 0; i < variables.Length; i++)
            {
                var v = variables[i];
                if (owner._variables[v].Role != VariableRole.Input) throw new InvalidOperationException($"{owner.Name}.{owner._variables[v].Name} is an output");
                owner._inputs[v / 4] = values[i];
            }
        }
    }
}
