using CoSim.Ml.Onnx.Proto;
using Google.Protobuf;

namespace CoSim.Ml.Onnx;

/// <summary>
/// Builds a standard ONNX model (one graph of default-domain operators, float weights as
/// initializers) and writes it with the protobuf classes generated from <c>Onnx/onnx.proto</c>.
/// Tensors are float32 and rows are the leading, symbolic dimension "N", so one model serves
/// single rows (a component step) and batches (training checks) alike.
/// </summary>
public sealed class OnnxModelBuilder
{
    /// <summary>IR version 8 (ONNX 1.10+), read by every current runtime and by the checker of Debian's python3-onnx 1.12.</summary>
    public const long IrVersion = 8;

    /// <summary>Operator set 13: Gemm, Tanh, Sub, Div, Mul, Add as used here have been stable since.</summary>
    public const long OpsetVersion = 13;

    /// <summary>Metadata key prefix naming a tensor's elements as component variables: <c>cosim.variables.TENSOR = a,b,c</c>.</summary>
    public const string VariablesKey = "cosim.variables.";

    private readonly GraphProto _graph;
    private readonly ModelProto _model;
    private int _nodes;

    public OnnxModelBuilder(string graphName, string docString)
    {
        _graph = new GraphProto { Name = graphName, DocString = docString };
        _model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "CoSim",
            ProducerVersion = typeof(OnnxModelBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            ModelVersion = 1,
            Graph = _graph,
        };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
    }

    /// <summary>Declares a graph input of shape [N, width], its elements named as component variables.</summary>
    public OnnxModelBuilder Input(string name, IReadOnlyList<string> elementNames)
    {
        _graph.Input.Add(RowTensor(name, elementNames.Count));
        return Metadata(VariablesKey + name, string.Join(",", elementNames));
    }

    /// <summary>Declares a graph output of shape [N, width], its elements named as component variables.</summary>
    public OnnxModelBuilder Output(string name, IReadOnlyList<string> elementNames)
    {
        _graph.Output.Add(RowTensor(name, elementNames.Count));
        return Metadata(VariablesKey + name, string.Join(",", elementNames));
    }

    /// <summary>Adds a float constant (weights, biases, scalings); <paramref name="values"/> are row-major.</summary>
    public OnnxModelBuilder Constant(string name, long[] dims, IEnumerable<float> values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(dims);
        t.FloatData.Add(values);
        if (t.FloatData.Count != dims.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"constant '{name}': {t.FloatData.Count} values for shape [{string.Join(",", dims)}]");
        _graph.Initializer.Add(t);
        return this;
    }

    /// <summary>Adds a node; <paramref name="attributes"/> are integer attributes (e.g. Gemm's transB).</summary>
    public OnnxModelBuilder Node(string opType, string[] inputs, string output, params (string Name, long Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_nodes++}" };
        node.Input.Add(inputs);
        node.Output.Add(output);
        foreach (var (n, v) in attributes)
            node.Attribute.Add(new AttributeProto { Name = n, Type = AttributeProto.Types.AttributeType.Int, I = v });
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>Adds a free-form metadata entry (read back by OnnxRuntime's custom metadata map).</summary>
    public OnnxModelBuilder Metadata(string key, string value)
    {
        _model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return this;
    }

    /// <summary>The serialized model.</summary>
    public byte[] ToBytes() => _model.ToByteArray();

    /// <summary>Writes the model to <paramref name="path"/>.</summary>
    public void Write(string path)
    {
        using var file = File.Create(path);
        _model.WriteTo(file);
    }

    private static ValueInfoProto RowTensor(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
