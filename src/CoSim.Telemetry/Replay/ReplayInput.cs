using CoSim.Core;
using CoSim.Telemetry.Signals;
using CoSim.Telemetry.Units;

namespace CoSim.Telemetry.Replay;

/// <summary>
/// One file column fed into one input: <paramref name="Target"/> is <c>Component.variable</c> (or a bare
/// variable of the run's only component); <paramref name="Unit"/> is the column's physical unit,
/// converted to the variable's; <paramref name="Policy"/> null: linear for a continuous Real input, else hold, and gaps
/// held beyond <see cref="SignalPolicy.DefaultGapFactor"/> x the column's median record interval (<see cref="SignalPolicy.AutoMaxGap"/>).
/// </summary>
public sealed record ReplayMapping(string Column, string Target, string? Unit = null, SignalPolicy? Policy = null);

/// <summary>What a replay records in the provenance: rows read, malformed rows skipped, samples written, and the gaps.</summary>
public sealed record ReplayRecord(int Rows, int SkippedRows, long SamplesWritten, IReadOnlyList<ReplayGapRecord> Gaps);

/// <summary>One gap in the provenance: the column, from and to [s], the file line after it, the maximum gap it exceeds and whether that was the default.</summary>
public sealed record ReplayGapRecord(string Column, double From, double To, int Line, double MaxGap, bool DefaultMaxGap);

/// <summary>A gap of a replayed column: where, the maximum gap it exceeds, and whether that maximum was the default (not chosen by the user).</summary>
public sealed record ReplayGap(string Column, SignalGap Gap, double MaxGap, bool DefaultMaxGap);

/// <summary>
/// Manipulator that replays historian columns (<see cref="HistorianData"/>) into component inputs:
/// before every step each mapped column is sampled at the step's start by its <see cref="SignalBuffer"/>
/// (interpolation and gap policy per signal), converted to the input's unit and <see cref="InputWriter.Set"/>.
/// A gap with policy <see cref="GapPolicy.Fail"/> ends the run with a <see cref="SimulationException"/>
/// naming file, line, signal and time; the rows recorded before it stay on disk.
/// Pacing against the wall clock is the engine's (<c>RealTimeFactor</c>), not the replay's.
/// The gaps of every mapped column are known before the run (<see cref="Gaps"/>); those found by the default
/// maximum gap, which the user did not choose, are <see cref="Warnings"/>: a hole is never bridged without a word.
/// </summary>
public sealed class ReplayInput(HistorianData data, IReadOnlyList<ReplayMapping> mappings, string? defaultComponent = null) : IManipulator, IReadsDataFiles, IRunReporter, ICheckpointable
{
    private readonly (GapPolicy Gap, double MaxGap, bool Auto)[] _gapRules = GapRules(data, mappings);
    private SignalBuffer[] _buffers = [];
    private InputHandle[] _inputs = [];
    private LinearTransform[] _transforms = [];
    private (string Column, double Time)? _firstMissing;

    // Per mapping: its gap policy, the maximum gap (the default one resolved from the column's records) and whether it was the default.
    private static (GapPolicy, double, bool)[] GapRules(HistorianData data, IReadOnlyList<ReplayMapping> mappings) =>
        mappings.Select(m =>
        {
            var policy = m.Policy ?? new SignalPolicy(MaxGap: SignalPolicy.AutoMaxGap);
            var resolved = data.Columns.Contains(m.Column) ? policy.ForRecords(data.Buffer(m.Column, policy)) : policy; // Attach names a missing column
            return (resolved.Gap, resolved.MaxGap, policy.MaxGapIsAuto);
        }).ToArray();

    /// <summary>Every gap of the mapped columns (records further apart than the column's maximum gap), in mapping then time order.</summary>
    public IReadOnlyList<ReplayGap> Gaps => _gaps ??= mappings
        .Select((m, i) => (m.Column, Rule: _gapRules[i])).Where(x => data.Columns.Contains(x.Column))
        .SelectMany(x => data.Buffer(x.Column, new SignalPolicy(Gap: x.Rule.Gap, MaxGap: x.Rule.MaxGap)).Gaps()
            .Select(g => new ReplayGap(x.Column, g, x.Rule.MaxGap, x.Rule.Auto)))
        .ToList();

    private List<ReplayGap>? _gaps;

    /// <summary>
    /// The gaps the default maximum gap found (each held at its last record), one line each naming file, line, column, times
    /// and the option that chooses otherwise; none where the user chose the gap policy.
    /// </summary>
    public IEnumerable<string> Warnings =>
        Gaps.Where(g => g.DefaultMaxGap).Select(g =>
            $"{data.Path}{(g.Gap.Line > 0 ? $":{g.Gap.Line}" : "")}: column '{g.Column}': no record for {F(g.Gap.Seconds)} s (t={F(g.Gap.From)} to {F(g.Gap.To)} s), " +
            $"more than {F(g.MaxGap)} s ({F(SignalPolicy.DefaultGapFactor)} x the median record interval): held at the last record, not interpolated " +
            $"(to choose: --replay-gap '{g.Column}=hold|interpolate|missing|fail:MAXGAP')");

    /// <summary>The file replayed.</summary>
    public HistorianData Data => data;

    /// <inheritdoc />
    public IEnumerable<string> DataFiles => [data.Path];

    /// <summary>Samples written so far (one per mapped signal and communication point).</summary>
    public long SamplesWritten { get; private set; }

    /// <inheritdoc />
    public void Attach(IManipulationSetup setup)
    {
        var problems = new List<string>();
        var buffers = new List<SignalBuffer>();
        var inputs = new List<InputHandle>();
        var transforms = new List<LinearTransform>();
        for (var i = 0; i < mappings.Count; i++)
        {
            var m = mappings[i];
            try
            {
                var target = Target(m.Target, setup);
                var variable = setup.VariablesOf(target.Component).FirstOrDefault(v => v.Name == target.Variable)
                               ?? throw new InputException($"'{target.Variable}' is not a variable of '{target.Component}'");
                if (variable.Role != VariableRole.Input && variable.Role != VariableRole.Parameter)
                    throw new InputException($"{target} is not an input");
                var transform = m.Unit != null && variable.Unit != null ? KnownUnits.Between(m.Unit, variable.Unit, $"column '{m.Column}' -> {target}") : LinearTransform.Identity;
                var interpolation = m.Policy?.Interpolation ?? (variable.Kind == ValueKind.Real && variable.IsContinuous ? Interpolation.Linear : Interpolation.Hold);
                var (gap, maxGap, _) = _gapRules[i];
                var buffer = data.Buffer(m.Column, new SignalPolicy(interpolation, gap, maxGap));
                if (buffer.Count == 0) throw new InputException($"column '{m.Column}' has no values");
                inputs.Add(setup.Input(target));
                buffers.Add(buffer);
                transforms.Add(transform);
            }
            catch (InputException e)
            {
                problems.Add($"{data.Path}: replay '{m.Column}' -> {m.Target}: {e.Message}");
            }
        }
        if (problems.Count > 0) throw new InputException(string.Join("; ", problems));
        _buffers = buffers.ToArray();
        _inputs = inputs.ToArray();
        _transforms = transforms.ToArray();
    }

    private VariableRef Target(string name, IManipulationSetup setup) => new VariableResolver(setup.Components, defaultComponent).Resolve(name);

    /// <inheritdoc />
    public void Initialize(SimTime start, InputWriter inputs) => Apply(start, inputs);

    /// <inheritdoc />
    public void StepCommencing(SimTime time, InputWriter inputs) => Apply(time, inputs);

    private void Apply(SimTime time, InputWriter inputs)
    {
        var t = time.Seconds;
        for (var i = 0; i < _buffers.Length; i++)
        {
            double v;
            try
            {
                v = _buffers[i].Sample(t);
            }
            catch (SignalGapException e)
            {
                throw new SimulationException(e.Message, operation: "replay", time: time);
            }
            if (double.IsNaN(v) && _firstMissing == null) _firstMissing = (_buffers[i].Name, t);
            inputs.Set(_inputs[i], _transforms[i].Apply(v));
        }
        SamplesWritten += _buffers.Length;
    }

    /// <summary>
    /// Checkpoint: the counters of the summary. The read positions in the signals are search hints (a sample is a function
    /// of its time), so the first sample after a restore finds its place again.
    /// </summary>
    public void SaveCheckpoint(BinaryWriter writer, SimTime time)
    {
        writer.Write(SamplesWritten);
        writer.Write(_firstMissing.HasValue);
        writer.Write(_firstMissing?.Column ?? "");
        writer.Write(_firstMissing?.Time ?? 0);
    }

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        SamplesWritten = reader.ReadInt64();
        var missing = reader.ReadBoolean();
        var column = reader.ReadString();
        var at = reader.ReadDouble();
        _firstMissing = missing ? (column, at) : null;
    }

    /// <summary>
    /// The run summary (also after a failure): rows, skipped malformed rows, samples written, gaps; and, when a gap handed
    /// NaN to an input (policy missing), which policy to use for an FMU that refuses NaN.
    /// </summary>
    public IEnumerable<string> Summary()
    {
        var skipped = data.SkippedRows > 0 ? $", {data.SkippedRows} malformed rows skipped (first: {data.SkipReasons[0]})" : "";
        var gaps = Gaps.Count == 0 ? ", no gaps" : $", {Gaps.Count} gap{(Gaps.Count == 1 ? "" : "s")} (longest {F(Gaps.Max(g => g.Gap.Seconds))} s)";
        yield return $"replay {data.Path}: {data.RowCount} rows{skipped}, {SamplesWritten} samples written{gaps}";
        if (_firstMissing is { } m)
            yield return $"replay {data.Path}: column '{m.Column}' gave NaN inside a gap from t={F(m.Time)} s (gap policy missing); an FMU that refuses NaN " +
                         $"fails there: use --replay-gap '{m.Column}=hold:MAXGAP' (or interpolate:MAXGAP) instead";
    }

    /// <inheritdoc />
    public string ReportKey => "replay:" + data.Path;

    /// <inheritdoc />
    public object Record() => new ReplayRecord(data.RowCount, data.SkippedRows, SamplesWritten,
        Gaps.Select(g => new ReplayGapRecord(g.Column, g.Gap.From, g.Gap.To, g.Gap.Line, g.MaxGap, g.DefaultMaxGap)).ToList());

    private static string F(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
