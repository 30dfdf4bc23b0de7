using CoSim.Core;
using CoSim.Plugins.Sdk;

namespace CoSim.Plugins;

/// <summary>
/// A plugin's component as the engine sees it: every call is passed to the plugin's object, and an
/// exception the plugin throws becomes a <see cref="SimulationException"/> naming the component, the
/// operation and the time, like a failing FMU's. The plugin's exception object is not kept (only its
/// type name and message), so that nothing from the plugin outlives the run and its load context can
/// be collected. Owns the plugin assembly: disposing disposes the component and unloads the assembly.
/// </summary>
public sealed class PluginComponentHost : IComponent, ICheckpointable
{
    private PluginComponent? _plugin;
    private IComponent _inner; // the same object, through the contract (explicit implementations)
    private readonly PluginAssembly _assembly;
    private SimTime _time;

    /// <summary>Hosts <paramref name="plugin"/>, made from <paramref name="assembly"/>, which this host now owns.</summary>
    public PluginComponentHost(PluginComponent plugin, PluginAssembly assembly, string typeName)
    {
        _plugin = plugin;
        _inner = plugin;
        _assembly = assembly;
        TypeName = typeName;
        Name = plugin.Name;
        Variables = plugin.Variables.ToList();
        Structure = plugin.Structure;
        KindDescription = $"C# plugin {typeName} ({System.IO.Path.GetFileName(assembly.Path)})";
    }

    /// <summary>The component type's full name.</summary>
    public string TypeName { get; }

    /// <summary>The plugin's load context, weakly (see <see cref="PluginAssembly.LoadContext"/>).</summary>
    public WeakReference LoadContext => _assembly.LoadContext;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<ComponentVariable> Variables { get; }

    /// <inheritdoc />
    public ComponentStructure Structure { get; }

    /// <inheritdoc />
    public string? KindDescription { get; }

    /// <inheritdoc />
    public bool CanSaveState => Call("CanSaveState", () => _inner.CanSaveState);

    /// <inheritdoc />
    public void Instantiate() => Call("Instantiate", () => _inner.Instantiate());

    /// <inheritdoc />
    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance)
    {
        _time = start;
        Call("EnterInitialization", () => _inner.EnterInitialization(start, stop, tolerance));
    }

    /// <inheritdoc />
    public void ExitInitialization() => Call("ExitInitialization", () => _inner.ExitInitialization());

    /// <inheritdoc />
    public StepResult Step(SimTime time, SimTime step)
    {
        _time = time;
        try
        {
            var result = _inner.Step(time, step);
            _time = result.ReachedTime;
            return result;
        }
        catch (Exception e) when (Foreign(e))
        {
            throw Failure(e, "Step");
        }
    }

    /// <inheritdoc />
    public void Terminate() => Call("Terminate", () => _inner.Terminate());

    /// <inheritdoc />
    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => new Accessor(this, Call("CreateAccessor", () => _inner.CreateAccessor(variables)));

    /// <inheritdoc />
    public void SetFromText(int variable, string text) => Call("SetFromText", () => _inner.SetFromText(variable, text));

    /// <inheritdoc />
    public string GetAsText(int variable) => Call("GetAsText", () => _inner.GetAsText(variable));

    /// <inheritdoc />
    public IComponentState SaveState() => Call("SaveState", () => _inner.SaveState());

    /// <inheritdoc />
    public void RestoreState(IComponentState state) => Call("RestoreState", () => _inner.RestoreState(state));

    /// <inheritdoc />
    public string? CheckpointProblem => Call("CheckpointProblem", () => _inner is ICheckpointable c ? c.CheckpointProblem : $"the plugin {TypeName} has no checkpoint support");

    /// <inheritdoc />
    public void SaveCheckpoint(BinaryWriter writer, SimTime time) => Call("SaveCheckpoint", () => ((ICheckpointable)_inner).SaveCheckpoint(writer, time));

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        _time = time;
        Call("RestoreCheckpoint", () => ((ICheckpointable)_inner).RestoreCheckpoint(reader, time));
    }

    /// <summary>Disposes the plugin's object and unloads its assembly.</summary>
    public void Dispose()
    {
        if (_plugin == null) return;
        try
        {
            _plugin.Dispose();
        }
        finally
        {
            _plugin = null;
            _inner = Disposed.Instance;
            _assembly.Dispose();
        }
    }

    // Input errors (a bad --set value) and failures that already name their component pass unchanged.
    private static bool Foreign(Exception e) => e is not InputException && e is not SimulationException { Component: not null };

    private SimulationException Failure(Exception e, string operation) =>
        new($"{e.GetType().Name}: {e.Message}", Name, operation, _time);

    private void Call(string operation, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (Foreign(e))
        {
            throw Failure(e, operation);
        }
    }

    private T Call<T>(string operation, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (Foreign(e))
        {
            throw Failure(e, operation);
        }
    }

    /// <summary>The plugin's accessor with the same error translation (reading outputs runs the plugin's Evaluate).</summary>
    private sealed class Accessor(PluginComponentHost host, IValueAccessor inner) : IValueAccessor
    {
        public IReadOnlyList<int> Variables => inner.Variables;

        public void Read(Span<double> values)
        {
            try
            {
                inner.Read(values);
            }
            catch (Exception e) when (Foreign(e))
            {
                throw host.Failure(e, "Evaluate");
            }
        }

        public void Write(ReadOnlySpan<double> values)
        {
            try
            {
                inner.Write(values);
            }
            catch (Exception e) when (Foreign(e))
            {
                throw host.Failure(e, "Write");
            }
        }
    }

    /// <summary>What a disposed host calls: nothing of the plugin stays reachable.</summary>
    private sealed class Disposed : IComponent
    {
        public static readonly Disposed Instance = new();
        public string Name => "disposed";
        public IReadOnlyList<ComponentVariable> Variables => [];
        public bool CanSaveState => false;
        public void Instantiate() => throw Gone();
        public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance) => throw Gone();
        public void ExitInitialization() => throw Gone();
        public StepResult Step(SimTime time, SimTime step) => throw Gone();
        public void Terminate() => throw Gone();
        public IValueAccessor CreateAccessor(IReadOnlyList<int> variables) => throw Gone();
        public void SetFromText(int variable, string text) => throw Gone();
        public string GetAsText(int variable) => throw Gone();
        public IComponentState SaveState() => throw Gone();
        public void RestoreState(IComponentState state) => throw Gone();
        public void Dispose() { }
        private static ObjectDisposedException Gone() => new("plugin component");
    }
}
