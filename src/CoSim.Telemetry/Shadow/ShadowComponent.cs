using System.Globalization;
using CoSim.Core;
using CoSim.Telemetry.Replay;
using CoSim.Telemetry.Signals;
using CoSim.Telemetry.Units;

namespace CoSim.Telemetry.Shadow;

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
    private readonly ShadowLayout _layout;
    private readonly double[] _inputs;
    private readonly ResidualBand[] _bands;
    private readonly FlagDebounce[] _debounce;
    private readonly ResidualStatistics[] _stats;
    private readonly ShadowScoring? _scoring;
    private readonly double[] _values; // all variables' current values, by index (see ShadowLayout)
    private double _time;
    private double _pendingTime = double.NaN; // the communication point the values were last evaluated at
    private bool _fitted;
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
        _layout = new ShadowLayout(signals.Count);
        Add("flag", VariableRole.Output, ValueKind.Boolean, null, "any signal flagged");
        if (_label != null) Add("label", VariableRole.Output, ValueKind.Real, null, $"column '{options.LabelColumn}'");
        Structure = new ComponentStructure(null, units);
        _inputs = new double[signals.Count];
        _values = new double[_variables.Count];
        _bands = signals.Select(s => new ResidualBand(s.Band)).ToArray();
        _debounce = signals.Select(_ => new FlagDebounce(options.MinDuration)).ToArray();
        _stats = signals.Select(_ => new ResidualStatistics()).ToArray();
        _scoring = _label != null ? new ShadowScoring() : null;
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
        _inputs[ShadowLayout.SignalOf(variable)] = double.Parse(text, CultureInfo.InvariantCulture);
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
            st.PercentCount > 0 ? 100 * st.SumPercent / st.PercentCount : double.NaN, n > 0 ? st.Max : double.NaN, _bands[j].Bias, _bands[j].Band, st.Flagged);
    }).ToList();

    /// <summary>The flags scored against the label column, row by row after the fitting part; null without a label column.</summary>
    public ShadowScore? Score => _scoring?.Score;

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
            var flag = _fitted && !double.IsNaN(residual) && _debounce[j].Flags(_bands[j].IsOutside(residual), t);
            _values[ShadowLayout.Measured(j)] = measured;
            _values[ShadowLayout.Residual(j)] = residual;
            _values[ShadowLayout.Flag(j)] = flag ? 1 : 0;
            _values[ShadowLayout.Simulated(j)] = _inputs[j];
            any |= flag;
        }
        _values[_layout.AnyFlag] = any ? 1 : 0;
        if (_label != null) _values[_layout.Label] = _label.Sample(t);
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
            foreach (var band in _bands) band.Freeze(_options.K);
            _fitted = true;
            Evaluate(t); // the flags at the first scored point use the learned band
            _pendingTime = double.NaN;
        }
        for (var j = 0; j < _signals.Length; j++)
        {
            var residual = _values[ShadowLayout.Residual(j)];
            if (double.IsNaN(residual)) continue;
            if (!_fitted)
            {
                _bands[j].Learn(residual);
                continue;
            }
            _debounce[j].Commit(_bands[j].IsOutside(residual), t);
            _stats[j].Add(residual, _values[ShadowLayout.Measured(j)], _values[ShadowLayout.Flag(j)] != 0);
        }
        if (_fitted)
        {
            _points++;
            if (_values[_layout.AnyFlag] != 0) _flagged++;
        }
        if (_fitted && _label != null && _label.HasRecordAt(t))
            _scoring!.Add(predicted: _values[_layout.AnyFlag] != 0, actual: _label.Sample(t) != 0);
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
                owner._inputs[ShadowLayout.SignalOf(v)] = values[i];
            }
        }
    }
}
