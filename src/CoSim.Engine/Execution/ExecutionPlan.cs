using CoSim.Core;
using CoSim.Engine.Systems;

namespace CoSim.Engine.Execution;

/// <summary>
/// The one planning pass of a run: every observer and manipulator is attached exactly once, and what
/// that gives (the problems of their names, the inputs the manipulators drive, the handles they hold)
/// is kept for the <see cref="SystemExecution"/> built from the plan. A front end lists the problems
/// with its others and validates the system with <see cref="DrivenInputs"/> (inputs a table or a
/// scenario drives are not "unconnected") before anything is instantiated.
/// </summary>
public sealed class ExecutionPlan
{
    private readonly List<string> _problems = [];
    private readonly List<IObserver> _observers = [];
    private readonly List<IManipulator> _manipulators = [];

    /// <summary>A plan for <paramref name="model"/>, with nothing attached yet.</summary>
    public ExecutionPlan(SystemModel model)
    {
        Model = model;
        Setup = new Registrations(model);
    }

    /// <summary>The system planned for.</summary>
    public SystemModel Model { get; }

    /// <summary>What observers and manipulators refused (unknown signals, inputs that cannot be written), in attach order.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The attached observers, in attach order (the order they are called in).</summary>
    public IReadOnlyList<IObserver> Observers => _observers;

    /// <summary>The attached manipulators, in attach order (the order they are called in).</summary>
    public IReadOnlyList<IManipulator> Manipulators => _manipulators;

    /// <summary>The inputs the attached manipulators write, e.g. the columns of input tables.</summary>
    public IReadOnlySet<VariableRef> DrivenInputs =>
        Setup.Inputs.Select(i => new VariableRef(Model.Components[i.Component].Name, Model.Components[i.Component].Instance.Variables[i.Variable].Name)).ToHashSet();

    internal Registrations Setup { get; }

    /// <summary>
    /// Attaches an observer (once); what it refuses is added to <see cref="Problems"/>. <paramref name="first"/>:
    /// it is called before the observers attached so far (the result recorder: a point is on disk before
    /// another observer can fail the step).
    /// </summary>
    public ExecutionPlan Observe(IObserver observer, bool first = false)
    {
        if (Try(() => observer.Attach(Setup))) _observers.Insert(first ? 0 : _observers.Count, observer);
        return this;
    }

    /// <summary>Attaches a manipulator (once); what it refuses is added to <see cref="Problems"/>.</summary>
    public ExecutionPlan Manipulate(IManipulator manipulator)
    {
        if (Try(() => manipulator.Attach(Setup))) _manipulators.Add(manipulator);
        return this;
    }

    private bool Try(Action attach)
    {
        try
        {
            attach();
            return true;
        }
        catch (InputException e)
        {
            _problems.Add(e.Message);
            return false;
        }
    }

    /// <summary>Collects what observers read and manipulators write, before the system's buffers are laid out.</summary>
    internal sealed class Registrations(SystemModel model) : IObservationSetup, IManipulationSetup
    {
        public List<(int Component, int Variable)> Signals { get; } = [];
        public List<(int Component, int Variable)> Inputs { get; } = [];

        public IReadOnlyList<string> Components => model.Components.Select(c => c.Name).ToList();

        public IReadOnlyList<ComponentVariable> VariablesOf(string component) => Find(component).Component.Instance.Variables;

        public SignalHandle Observe(VariableRef signal)
        {
            var (c, v) = Resolve(signal);
            if (v.Kind is not (ValueKind.Real or ValueKind.Integer or ValueKind.Boolean))
                throw new InputException($"{signal} is a {v.TypeName} variable; only numeric and Boolean variables can be observed");
            Signals.Add((c, v.Index));
            return new SignalHandle(Signals.Count - 1);
        }

        public InputHandle Input(VariableRef input)
        {
            var (c, v) = Resolve(input);
            if (v.Kind is not (ValueKind.Real or ValueKind.Integer or ValueKind.Boolean))
                throw new InputException($"{input} is a {v.TypeName} variable; only numeric and Boolean inputs can be written");
            if (v.Role != VariableRole.Input && v.Role != VariableRole.Parameter)
                throw new InputException($"{input} is {Describe(v.Role)}, not an input or a parameter, so it cannot be written during the run");
            Inputs.Add((c, v.Index));
            return new InputHandle(Inputs.Count - 1);
        }

        private (int Index, SystemComponent Component) Find(string component)
        {
            for (var i = 0; i < model.Components.Count; i++)
                if (model.Components[i].Name == component) return (i, model.Components[i]);
            throw new InputException($"no component named '{component}' (the system has {string.Join(", ", model.Components.Select(c => c.Name))})");
        }

        private (int, ComponentVariable) Resolve(VariableRef r)
        {
            var (index, comp) = Find(r.Component);
            var v = comp.FindVariable(r.Variable);
            if (v < 0) throw new InputException($"component '{r.Component}' has no variable '{r.Variable}'");
            return (index, comp.Instance.Variables[v]);
        }

        private static string Describe(VariableRole role) => role switch
        {
            VariableRole.Output => "an output",
            VariableRole.Independent => "the independent variable",
            VariableRole.CalculatedParameter => "a calculated parameter",
            VariableRole.StructuralParameter => "a structural parameter",
            _ => "a " + role.ToString().ToLowerInvariant() + " variable",
        };
    }
}
