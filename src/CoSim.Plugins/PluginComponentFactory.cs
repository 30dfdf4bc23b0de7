using CoSim.Core;

namespace CoSim.Plugins;

/// <summary>
/// The "plugin" kind: a component from a C# plugin assembly (source: the .dll path; option <c>type</c>: the
/// component type's full or short name, needed only when the assembly offers several). Each component
/// gets its own load context, unloaded when the component is disposed.
/// </summary>
public sealed class PluginComponentFactory : IComponentFactory
{
    /// <summary>The request option that names the component type.</summary>
    public const string TypeOption = "type";

    /// <inheritdoc />
    public string Kind => "plugin";

    /// <inheritdoc />
    public bool Recognizes(string source) => PluginAssembly.LooksLikePlugin(source);

    /// <inheritdoc />
    public IComponent Create(ComponentRequest request, ILogSink log)
    {
        var assembly = PluginAssembly.Open(request.Source);
        try
        {
            var type = assembly.Resolve(request.Option(TypeOption));
            var plugin = assembly.CreateInstance(type, request.Name);
            return new PluginComponentHost(plugin, assembly, type.FullName);
        }
        catch
        {
            assembly.Dispose();
            throw;
        }
    }
}
