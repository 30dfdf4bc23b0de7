using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// The values event conditions and actions read (<see cref="Scenario.Value"/>): when the scenario has events every
/// numeric output of every component, plus the signals it watches (<see cref="Scenario.Watch"/>, <c>When(signal, ...)</c>).
/// Refreshed at the start and after every step, so an action at t reads the values at t. Reading a signal that is
/// not observed says whether it exists (then: watch it) or not (then: close names).
/// </summary>
internal sealed class ObservedValues
{
    private readonly Dictionary<Signal, int> _index = [];
    private readonly List<SignalHandle> _handles = [];
    private readonly List<string> _allVariables = [];
    private double[] _values = [];

    /// <summary>Asks <paramref name="setup"/> for the signals to observe; throws <see cref="InputException"/> listing every unknown watched name.</summary>
    public void Attach(IObservationSetup setup, bool everyOutput, IEnumerable<(Signal Signal, string Usage)> watched)
    {
        _index.Clear();
        _handles.Clear();
        _allVariables.Clear();
        var problems = new List<string>();
        foreach (var c in setup.Components)
            foreach (var v in setup.VariablesOf(c))
            {
                _allVariables.Add($"{c}.{v.Name}");
                if (everyOutput && v.Role == VariableRole.Output && SignalNames.Numeric(v.Kind)) Observe(setup, new Signal(c, v.Name));
            }
        foreach (var (signal, usage) in watched)
            if (SignalNames.Resolve(setup.Components, setup.VariablesOf, signal, usage, problems) != null) Observe(setup, signal);
        _values = new double[_handles.Count];
        SignalNames.ThrowIfAny(problems);
    }

    private void Observe(IObservationSetup setup, Signal signal)
    {
        if (_index.ContainsKey(signal)) return;
        _index[signal] = _handles.Count;
        _handles.Add(setup.Observe(signal.Ref));
    }

    /// <summary>Checkpoint: the values at the checkpoint (what an event's condition reads before the next step).</summary>
    public void Save(BinaryWriter w) => w.WriteDoubles(_values);

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public void Restore(BinaryReader r) => r.ReadDoubles(_values, "scenario's observed values");

    /// <summary>Takes the observed signals' values at a communication point.</summary>
    public void Update(StepValues values)
    {
        for (var i = 0; i < _handles.Count; i++) _values[i] = values[_handles[i]];
    }

    /// <summary>The value of an observed signal at the last communication point.</summary>
    public double Value(Signal signal)
    {
        if (_index.TryGetValue(signal, out var i)) return _values[i];
        var known = _allVariables.Contains(signal.ToString());
        throw new InputException(known
            ? $"Value(\"{signal}\"): not observed; events observe every output, so for another variable add Watch(\"{signal}\") to the scenario"
            : $"Value(\"{signal}\"): no such signal" + NameSuggestions.Suggest(signal.ToString(), _allVariables));
    }
}
