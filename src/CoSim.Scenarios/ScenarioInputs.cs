using CoSim.Core;
using CoSim.Engine.Systems;

namespace CoSim.Scenarios;

/// <summary>
/// The inputs a scenario writes during a run, and the rules for writing them. It takes a handle for each fault's
/// targets (a fault on an input acts on that input; on an output, on every input the output feeds, as a failed
/// sensor does), for every numeric input when the scenario has events (actions may set any of them), and for the
/// tunable parameters; every problem (unknown names, a faulted output that feeds nothing, a fault on a parameter, a
/// tunable that is not a parameter) is reported before the run, at once. An action's write goes to an unconnected
/// input or a tunable parameter; anything else is refused with what to do instead.
/// </summary>
internal sealed class ScenarioInputs(IReadOnlyList<Connection> connections)
{
    private readonly Dictionary<VariableRef, InputHandle> _handles = [];
    private readonly Dictionary<VariableRef, VariableRole> _roles = [];

    /// <summary>Asks <paramref name="setup"/> for the handles; throws <see cref="InputException"/> listing every problem.</summary>
    public void Attach(IManipulationSetup setup, Scenario scenario, bool everyInput)
    {
        _handles.Clear();
        _roles.Clear();
        var problems = new List<string>();
        foreach (var c in setup.Components)
            foreach (var v in setup.VariablesOf(c))
                _roles[new VariableRef(c, v.Name)] = v.Role;
        foreach (var fault in scenario.Faults)
        {
            var v = SignalNames.Resolve(setup.Components, setup.VariablesOf, fault.Target, $"fault '{fault.Name}'", problems);
            if (v == null) continue;
            if (FaultWindow.Contradiction(fault) is { } contradiction) problems.Add(contradiction);
            if (v.Role == VariableRole.Output)
            {
                var consumers = Consumers(fault.Target.Ref).ToList();
                if (consumers.Count == 0) problems.Add($"fault '{fault.Name}': output {fault.Target} feeds no input, so the fault would change nothing (a fault on an output acts on the inputs it feeds)");
                foreach (var input in consumers) Register(setup, input);
            }
            else if (v.Role == VariableRole.Input) Register(setup, fault.Target.Ref);
            else problems.Add($"fault '{fault.Name}': {fault.Target} is a {v.Role.ToString().ToLowerInvariant()} variable; faults act on inputs and outputs");
        }
        if (everyInput)
            foreach (var c in setup.Components)
                foreach (var v in setup.VariablesOf(c).Where(v => v.Role == VariableRole.Input && SignalNames.Numeric(v.Kind)))
                    Register(setup, new VariableRef(c, v.Name));
        foreach (var (signal, usage) in scenario.TunableParameters)
        {
            var v = SignalNames.Resolve(setup.Components, setup.VariablesOf, signal, usage, problems);
            if (v == null) continue;
            if (v.Role is VariableRole.Parameter or VariableRole.Input) Register(setup, signal.Ref);
            else problems.Add($"{usage}: {signal} is not a parameter");
        }
        SignalNames.ThrowIfAny(problems);
    }

    private IEnumerable<VariableRef> Consumers(VariableRef output) => connections.Where(c => c.From == output).Select(c => c.To);

    private void Register(IManipulationSetup setup, VariableRef input)
    {
        if (!_handles.ContainsKey(input)) _handles[input] = setup.Input(input);
    }

    /// <summary>The handles of the inputs <paramref name="fault"/> acts on (after <see cref="Attach"/> accepted it).</summary>
    public IEnumerable<InputHandle> TargetsOf(Fault fault)
    {
        var target = fault.Target.Ref;
        var inputs = _roles.GetValueOrDefault(target) == VariableRole.Output ? Consumers(target) : [target];
        return inputs.Select(input => _handles[input]);
    }

    /// <summary>An action's write of <paramref name="value"/> to <paramref name="signal"/> through <paramref name="writer"/>; throws <see cref="InvalidOperationException"/> saying what to do instead when it cannot be written.</summary>
    public void Write(InputWriter writer, Signal signal, double value)
    {
        var r = signal.Ref;
        if (_handles.TryGetValue(r, out var handle) && !connections.Any(c => c.To == r))
        {
            writer.Set(handle, value);
            return;
        }
        if (connections.FirstOrDefault(c => c.To == r) is { } conn)
            throw new InvalidOperationException($"Set(\"{signal}\"): the input is connected ({conn}) and the connection's value wins; override it with a fault instead, e.g. StuckAt(\"{signal}\", value)");
        if (_roles.TryGetValue(r, out var role))
            throw new InvalidOperationException(role == VariableRole.Parameter
                ? $"Set(\"{signal}\") during the run: declare the parameter with Tunable(\"{signal}\") in the scenario (only tunable parameters can change during a run)"
                : $"Set(\"{signal}\"): it is a {role.ToString().ToLowerInvariant()} variable; only inputs and tunable parameters can be set during a run");
        throw new InvalidOperationException($"Set(\"{signal}\"): no such signal" + NameSuggestions.Suggest(signal.ToString(), _roles.Keys.Select(k => k.ToString())));
    }
}
