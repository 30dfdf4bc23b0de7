using CoSim.Core;
using CoSim.Telemetry.Signals;
using CoSim.Telemetry.Units;

namespace CoSim.Telemetry.Replay;

/// <summary>
/// One file column fed into one input: <paramref name="Target"/> is <c>Component.variable</c> (or a bare
/// variable of the run's only component); <paramref name="Unit"/> is the column's physical unit,
/// converted to the variable's; <paramref name="Policy"/> null: linear for a continuous Real input, else hold, never a gap.
/// </summary>
public sealed record ReplayMapping(string Column, string Target, string? Unit = null, SignalPolicy? Policy = null);

/// <summary>
/// Manipulator that replays historian columns (<see cref="HistorianData"/>) into component inputs:
/// before every step each mapped column is sampled at the step's start by its <see cref="SignalBuffer"/>
/// (interpolation and gap policy per signal), converted to the input's unit and <see cref="InputWriter.Set"/>.
/// A gap with policy <see cref="GapPolicy.Fail"/> ends the run with a <see cref="SimulationException"/>
/// naming file, line, signal and time; the rows recorded before it stay on disk.
/// Pacing against the wall clock is the engine's (<c>RealTimeFactor</c>), not the replay's.
/// </summary>
public sealed class ReplayInput(HistorianData data, IReadOnlyList<ReplayMapping> mappings, string? defaultComponent = null) : IManipulator, IReadsDataFiles, IRunReporter
{
    private SignalBuffer[] _buffers = [];
    private InputHandle[] _inputs = [];
    private LinearTransform[] _transforms = [];

    /// <summary>The file replayed.</summary>
    public HistorianData Data => data;

    /// <inheritdoc />
    public IEnumerable<string> DataFiles => [data.Path];

    /// <summary>Samples written so far (one per mapped signal and communication point).</summary>
    public long SamplesWritten { get; private set; }

    /// <inheritdoc />
    public string ReportKey => "replay:" + data.Path;

    /// <summary>The summary line: rows read, malformed rows skipped (with the first reason), samples written.</summary>
    public IEnumerable<string> Summary() =>
        [$"replay {data.Path}: {data.RowCount} rows{(data.SkippedRows > 0 ? $", {data.SkippedRows} malformed rows skipped (first: {data.SkipReasons[0]})" : "")}, {SamplesWritten} samples written"];

    /// <inheritdoc />
    public object Record() => new { data.Path, Rows = data.RowCount, data.SkippedRows, SamplesWritten };

    /// <inheritdoc />
    public void Attach(IManipulationSetup setup)
    {
        var problems = new List<string>();
        var buffers = new List<SignalBuffer>();
        var inputs = new List<InputHandle>();
        var transforms = new List<LinearTransform>();
        foreach (var m in mappings)
        {
            try
            {
                var target = Target(m.Target, setup);
                var variable = setup.VariablesOf(target.Component).FirstOrDefault(v => v.Name == target.Variable)
                               ?? throw new InputException($"'{target.Variable}' is not a variable of '{target.Component}'");
                if (variable.Role != VariableRole.Input && variable.Role != VariableRole.Parameter)
                    throw new InputException($"{target} is not an input");
                var transform = m.Unit != null && variable.Unit != null ? KnownUnits.Between(m.Unit, variable.Unit, $"column '{m.Column}' -> {target}") : LinearTransform.Identity;
                var policy = m.Policy ?? new SignalPolicy(variable.Kind == ValueKind.Real && variable.IsContinuous ? Interpolation.Linear : Interpolation.Hold);
                var buffer = data.Buffer(m.Column, policy);
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
            inputs.Set(_inputs[i], _transforms[i].Apply(v));
        }
        SamplesWritten += _buffers.Length;
    }
}
