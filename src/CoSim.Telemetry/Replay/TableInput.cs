using CoSim.Core;

namespace CoSim.Telemetry.Replay;

/// <summary>
/// Manipulator that feeds an <see cref="InputTable"/> into component inputs at each communication
/// point: continuous (Real, continuous) inputs interpolated, the others held. Columns are named
/// <c>Component.variable</c>, or by bare variable name when a default component is given (a run
/// of one FMU). An input that is also connected keeps its connection's value.
/// </summary>
public sealed class TableInput(InputTable table, string tableSource, string? defaultComponent = null) : IManipulator, IStatelessAttachment
{
    private int[] _columns = [];
    private InputHandle[] _inputs = [];
    private bool[] _continuous = [];
    private readonly double[] _sampled = new double[table.Names.Count];

    /// <inheritdoc />
    public void Attach(IManipulationSetup setup)
    {
        var columns = new List<int>();
        var inputs = new List<InputHandle>();
        _continuous = new bool[table.Names.Count];
        var problems = new List<string>();
        for (var c = 0; c < table.Names.Count; c++)
        {
            var name = table.Names[c];
            var target = Target(name, setup);
            if (target is not { } r)
            {
                problems.Add($"column '{name}' names no component's variable (write Component.variable{(defaultComponent != null ? $", or a variable of '{defaultComponent}'" : "")})");
                continue;
            }
            var variable = setup.VariablesOf(r.Component).FirstOrDefault(v => v.Name == r.Variable);
            if (variable == null)
            {
                problems.Add($"column '{name}' is not a variable of '{r.Component}'");
                continue;
            }
            if (variable.Role != VariableRole.Input)
            {
                problems.Add($"column '{name}' is {Article(variable.Role)} {variable.Role.ToString().ToLowerInvariant()} of '{r.Component}', not an input");
                continue;
            }
            try
            {
                inputs.Add(setup.Input(r));
                columns.Add(c);
                _continuous[c] = variable.Kind == ValueKind.Real && variable.IsContinuous;
            }
            catch (InputException e)
            {
                problems.Add($"column '{name}': {e.Message}");
            }
        }
        if (problems.Count > 0) throw new InputException($"{tableSource}: " + string.Join("; ", problems));
        _columns = columns.ToArray();
        _inputs = inputs.ToArray();
    }

    private VariableRef? Target(string column, IManipulationSetup setup) => new VariableResolver(setup.Components, defaultComponent).TryResolve(column);

    private static string Article(VariableRole role) => "aeiouAEIOU".Contains(role.ToString()[0]) ? "an" : "a";

    /// <inheritdoc />
    public void Initialize(SimTime start, InputWriter inputs) => Apply(start, inputs);

    /// <inheritdoc />
    public void StepCommencing(SimTime time, InputWriter inputs) => Apply(time, inputs);

    private void Apply(SimTime time, InputWriter inputs)
    {
        table.Sample(time.Seconds, _continuous, _sampled);
        for (var i = 0; i < _columns.Length; i++) inputs.Set(_inputs[i], _sampled[_columns[i]]);
    }
}
