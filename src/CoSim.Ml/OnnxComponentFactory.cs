using CoSim.Core;

namespace CoSim.Ml;

/// <summary>
/// The <c>onnx</c> component kind: the request's source is an <c>.onnx</c> file; its options
/// <c>tensor.NAME=a,b,c</c> name the elements of tensor NAME as variables (see <see cref="OnnxComponent"/>).
/// </summary>
public sealed class OnnxComponentFactory : IComponentFactory
{
    public const string KindName = "onnx";

    public string Kind => KindName;

    public bool Recognizes(string source) => source.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    public IComponent Create(ComponentRequest request, ILogSink log) => new OnnxComponent(request.Name, request.Source, request.Options);
}
