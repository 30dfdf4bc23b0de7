using CoSim.Core;

namespace CoSim.Telemetry.Replay;

/// <summary>
/// Manipulator that feeds an <see cref="InputTable"/> into a unit's inputs at each communication
/// point: continuous (Real, continuous) inputs interpolated, the others held.
/// </summary>
public sealed class TableInput : IManipulator
{
    private readonly InputTable _table;
    private readonly int[] _tableColumns;
    private readonly bool[] _continuous;
    private readonly IValueAccessor _accessor;
    private readonly double[] _sampled;
    private readonly double[] _values;

    /// <summary>Binds table columns to unit variables by name; every column must name an input (or a tunable parameter) of the unit.</summary>
    public TableInput(InputTable table, ISimulationUnit unit, string tableSource)
    {
        _table = table;
        var byName = unit.Variables.ToDictionary(v => v.Name);
        var vars = new List<int>();
        var cols = new List<int>();
        var problems = new List<string>();
        for (var c = 0; c < table.Names.Count; c++)
        {
            var name = table.Names[c];
            if (!byName.TryGetValue(name, out var v))
                problems.Add($"column '{name}' is not a variable of '{unit.Name}'");
            else if (v.Role != VariableRole.Input)
                problems.Add($"column '{name}' is {Article(v.Role)} {v.Role.ToString().ToLowerInvariant()} of '{unit.Name}', not an input");
            else if (v.Kind is ValueKind.String or ValueKind.Binary or ValueKind.Clock)
                problems.Add($"column '{name}' is a {v.TypeName} input; only numeric and Boolean inputs can be read from CSV");
            else
            {
                vars.Add(v.Index);
                cols.Add(c);
            }
        }
        if (problems.Count > 0)
            throw new InputException($"{tableSource}: " + string.Join("; ", problems));
        _tableColumns = cols.ToArray();
        _continuous = new bool[table.Names.Count];
        foreach (var (c, v) in cols.Zip(vars))
            _continuous[c] = unit.Variables[v].Kind == ValueKind.Real && unit.Variables[v].IsContinuous;
        _accessor = unit.CreateAccessor(vars);
        _sampled = new double[table.Names.Count];
        _values = new double[vars.Count];
    }

    private static string Article(VariableRole role) => "aeiouAEIOU".Contains(role.ToString()[0]) ? "an" : "a";

    public void Initialize(SimTime start) => Apply(start);

    public void StepCommencing(SimTime time) => Apply(time);

    private void Apply(SimTime time)
    {
        _table.Sample(time.Seconds, _continuous, _sampled);
        for (var i = 0; i < _tableColumns.Length; i++) _values[i] = _sampled[_tableColumns[i]];
        _accessor.Write(_values);
    }
}
