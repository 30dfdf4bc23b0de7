namespace CoSim.Core;

/// <summary>
/// What a system asks for when it needs "a component of kind K from source S": the engine and the
/// front ends (CLI, SSP, scenario scripts) describe components this way, and a
/// <see cref="ComponentRegistry"/> finds the factory that makes them. Nothing here knows FMI.
/// </summary>
/// <param name="Name">Instance name, unique within the system.</param>
/// <param name="Source">Where the component comes from: a file or folder path (an FMU, a plugin assembly), or a name a factory knows.</param>
/// <param name="Kind">The factory kind ("fmu", "plugin", ...); null lets the registry choose from the source.</param>
public sealed record ComponentRequest(string Name, string Source, string? Kind = null)
{
    /// <summary>Factory-specific settings, e.g. <c>interface=me</c>, <c>solver=cvode</c>, <c>isolated=true</c>.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the component's own logging is turned on in full.</summary>
    public bool Logging { get; init; }

    /// <summary>The option's value, or null.</summary>
    public string? Option(string key) => Options.TryGetValue(key, out var v) ? v : null;
}

/// <summary>Makes components of one kind (FMU, plugin, ...). Implementations live in adapter projects.</summary>
public interface IComponentFactory
{
    /// <summary>The kind this factory makes, e.g. "fmu".</summary>
    string Kind { get; }

    /// <summary>Whether this factory recognises <paramref name="source"/> (used when a request names no kind).</summary>
    bool Recognizes(string source);

    /// <summary>
    /// Creates the component; throws <see cref="InputException"/> for a source that cannot be used,
    /// naming the source and the reason. The caller owns (disposes) the result.
    /// </summary>
    IComponent Create(ComponentRequest request, ILogSink log);
}

/// <summary>The factories a run can draw on; front ends register the adapters they ship with.</summary>
public sealed class ComponentRegistry
{
    private readonly List<IComponentFactory> _factories = [];

    /// <summary>Adds a factory; a later factory of the same kind replaces the earlier one.</summary>
    public ComponentRegistry Register(IComponentFactory factory)
    {
        _factories.RemoveAll(f => f.Kind == factory.Kind);
        _factories.Add(factory);
        return this;
    }

    /// <summary>The registered kinds.</summary>
    public IReadOnlyList<string> Kinds => _factories.Select(f => f.Kind).ToList();

    /// <summary>Creates the component the request describes, by its kind or, without one, by the first factory that recognises its source.</summary>
    public IComponent Create(ComponentRequest request, ILogSink log)
    {
        IComponentFactory? factory;
        if (request.Kind != null)
            factory = _factories.FirstOrDefault(f => f.Kind == request.Kind)
                      ?? throw new InputException($"component '{request.Name}': unknown kind '{request.Kind}' (known: {string.Join(", ", Kinds)})");
        else
            factory = _factories.FirstOrDefault(f => f.Recognizes(request.Source))
                      ?? throw new InputException($"component '{request.Name}': '{request.Source}' is not a kind of component CoSim knows (known: {string.Join(", ", Kinds)})");
        return factory.Create(request, log);
    }
}
