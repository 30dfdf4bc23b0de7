using System.Globalization;
using CoSim.Core;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CoSim.Ml;

/// <summary>
/// Any ONNX model as a component: each element of each input and output tensor is a variable
/// (see <see cref="TensorBinding"/> for the mapping), and the model is a static function of its
/// inputs, evaluated with OnnxRuntime on tensors allocated and bound once (an IO binding). Outputs are computed when they are
/// read after inputs changed (so they always belong to the current inputs, also when the master reads
/// them again after writing new inputs); a step computes them when needed and moves time on.
/// Everything that can be checked is checked when the component is made (tensor names, element
/// types, shapes against the mapping, one trial inference), not at the first step.
/// </summary>
public sealed class OnnxComponent : IComponent, ICheckpointable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly TensorBinding[] _inputs;
    private readonly TensorBinding[] _outputs;
    private readonly OrtIoBinding? _binding; // every tensor bound once: a run passes no names and allocates nothing
    private readonly double[] _values; // every variable, by index: inputs first, then outputs
    private bool _dirty = true;
    private SimTime _time;

    /// <summary>Loads <paramref name="path"/> and maps its tensors; throws <see cref="InputException"/> naming the file and the tensor for anything that does not fit.</summary>
    public OnnxComponent(string name, string path, IReadOnlyDictionary<string, string> options)
    {
        Name = name;
        Source = path;
        if (!File.Exists(path)) throw new InputException($"{path}: no such ONNX file");
        using var sessionOptions = new SessionOptions
        {
            // One row through a small network: threads would cost more than they save.
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            _session = new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            _runOptions.Dispose();
            throw new InputException($"{path}: not a model OnnxRuntime can load: {OneLine(e.Message)}");
        }
        try
        {
            var metadata = _session.ModelMetadata.CustomMetadataMap;
            TensorBinding.CheckOptions(path, options, _session.InputMetadata.Keys, _session.OutputMetadata.Keys);
            var next = 0;
            _inputs = _session.InputMetadata.Select(m => TensorBinding.Create(path, m.Key, m.Value, options, metadata, VariableRole.Input, ref next)).ToArray();
            _outputs = _session.OutputMetadata.Select(m => TensorBinding.Create(path, m.Key, m.Value, options, metadata, VariableRole.Output, ref next)).ToArray();
            Variables = _inputs.Concat(_outputs).SelectMany(b => b.Variables).ToList();
            var clash = Variables.GroupBy(v => v.Name).FirstOrDefault(g => g.Count() > 1);
            if (clash != null) throw new InputException($"{path}: two tensor elements are both named '{clash.Key}'; rename one with the option tensor.NAME=a,b,...");
            _values = new double[Variables.Count];
            _binding = _session.CreateIoBinding();
            foreach (var b in _inputs) _binding.BindInput(b.Tensor, b.Value);
            foreach (var b in _outputs) _binding.BindOutput(b.Tensor, b.Value);
            KindDescription = $"ONNX model ({(_session.ModelMetadata.ProducerName is { Length: > 0 } p ? p : "unknown producer")}, " +
                              $"{string.Join(", ", _inputs.Concat(_outputs).Select(b => b.Describe()))})";
            try
            {
                Evaluate(); // a trial inference: a shape the model rejects is found now, with the file's name
            }
            catch (SimulationException e)
            {
                throw new InputException($"{path}: a trial inference with the mapped shapes failed: {e.Message}");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    /// <summary>The model file.</summary>
    public string Source { get; }

    public IReadOnlyList<ComponentVariable> Variables { get; } = [];

    public string? KindDescription { get; }

    public bool CanSaveState => true;

    public void Instantiate() { }

    public void EnterInitialization(SimTime start, SimTime? stop, double? tolerance) => _time = start;

    public void ExitInitialization() { }

    public StepResult Step(SimTime time, SimTime step)
    {
        _time = time;
        if (_dirty) Evaluate();
        _time = time + step;
        return StepResult.Completed(_time);
    }

    public void Terminate() { }

    public IValueAccessor CreateAccessor(IReadOnlyList<int> variables)
    {
        foreach (var v in variables)
            if (v < 0 || v >= _values.Length) throw new ArgumentOutOfRangeException(nameof(variables), $"no variable {v} in '{Name}'");
        return new Accessor(this, variables.ToArray());
    }

    public void SetFromText(int variable, string text)
    {
        var v = Variables[variable];
        if (v.Role != VariableRole.Input) throw new InputException($"{Name}.{v.Name} is an output of the ONNX model; only inputs can be set");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new InputException($"{Name}.{v.Name}: '{text}' is not a number");
        _values[variable] = value;
        _dirty = true;
    }

    public string GetAsText(int variable)
    {
        if (_dirty && Variables[variable].Role == VariableRole.Output) Evaluate();
        return _values[variable].ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Checkpoint: a model is stateless (its outputs are a function of its inputs); only the variable values are written.</summary>
    public void SaveCheckpoint(BinaryWriter writer, SimTime time) => writer.WriteDoubles(_values);

    /// <inheritdoc />
    public void RestoreCheckpoint(BinaryReader reader, SimTime time)
    {
        reader.ReadDoubles(_values, $"ONNX component '{Name}' values");
        _dirty = true;
    }

    public IComponentState SaveState() => new State((double[])_values.Clone());

    public void RestoreState(IComponentState state)
    {
        Array.Copy(((State)state).Values, _values, _values.Length);
        _dirty = true;
    }

    public void Dispose()
    {
        _binding?.Dispose();
        foreach (var b in (_inputs ?? []).Concat(_outputs ?? [])) b.Dispose();
        _runOptions.Dispose();
        _session?.Dispose();
    }

    /// <summary>Runs the model on the current inputs and stores its outputs.</summary>
    private void Evaluate()
    {
        foreach (var b in _inputs) b.Load(_values);
        try
        {
            _session.RunWithBinding(_runOptions, _binding!);
        }
        catch (OnnxRuntimeException e)
        {
            throw new SimulationException(OneLine(e.Message), Name, "inference", _time);
        }
        foreach (var b in _outputs) b.Store(_values);
        _dirty = false;
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();

    private sealed class Accessor(OnnxComponent owner, int[] variables) : IValueAccessor
    {
        private readonly bool _readsOutputs = variables.Any(v => owner.Variables[v].Role == VariableRole.Output);

        public IReadOnlyList<int> Variables => variables;

        public void Read(Span<double> values)
        {
            if (_readsOutputs && owner._dirty) owner.Evaluate();
            for (var i = 0; i < variables.Length; i++) values[i] = owner._values[variables[i]];
        }

        public void Write(ReadOnlySpan<double> values)
        {
            for (var i = 0; i < variables.Length; i++)
            {
                if (owner._values[variables[i]] == values[i]) continue;
                owner._values[variables[i]] = values[i];
                owner._dirty = true;
            }
        }
    }

    private sealed class State(double[] values) : IComponentState
    {
        public double[] Values { get; } = values;
        public void Dispose() { }
    }
}

/// <summary>
/// One tensor of a model mapped to component variables, with its preallocated OrtValue. Element
/// names come from, in this order: the component option <c>tensor.NAME=a,b,c</c>; the model's
/// metadata <c>cosim.variables.NAME</c> (written by <c>cosim surrogate</c>); else <c>NAME</c> for a
/// one-element tensor and <c>NAME[0]</c>..<c>NAME[n-1]</c> otherwise. Leading symbolic dimensions
/// (a batch size) are 1; a symbolic last dimension takes its length from the mapping.
/// </summary>
internal sealed class TensorBinding : IDisposable
{
    public const string OptionPrefix = "tensor.";
    private readonly float[]? _floats;
    private readonly double[]? _doubles;
    private readonly int _first;

    private TensorBinding(string tensor, string shapeText, long[] shape, TensorElementType type, List<ComponentVariable> variables)
    {
        Tensor = tensor;
        Shape = shape;
        ShapeText = shapeText;
        Variables = variables;
        _first = variables[0].Index;
        if (type == TensorElementType.Float)
        {
            _floats = new float[variables.Count];
            Value = OrtValue.CreateTensorValueFromMemory(_floats, shape);
        }
        else
        {
            _doubles = new double[variables.Count];
            Value = OrtValue.CreateTensorValueFromMemory(_doubles, shape);
        }
    }

    public string Tensor { get; }
    public long[] Shape { get; }
    public string ShapeText { get; }
    public List<ComponentVariable> Variables { get; }
    public OrtValue Value { get; }

    public string Describe() => $"{Tensor} [{string.Join(",", Shape)}]";

    /// <summary>Copies the tensor's variables from <paramref name="values"/> into the tensor.</summary>
    public void Load(double[] values)
    {
        if (_floats != null) for (var i = 0; i < _floats.Length; i++) _floats[i] = (float)values[_first + i];
        else values.AsSpan(_first, _doubles!.Length).CopyTo(_doubles);
    }

    /// <summary>Copies the tensor into its variables in <paramref name="values"/>.</summary>
    public void Store(double[] values)
    {
        if (_floats != null) for (var i = 0; i < _floats.Length; i++) values[_first + i] = _floats[i];
        else _doubles!.CopyTo(values.AsSpan(_first));
    }

    public void Dispose() => Value.Dispose();

    /// <summary>Every <c>tensor.NAME</c> option must name a tensor of the model.</summary>
    public static void CheckOptions(string path, IReadOnlyDictionary<string, string> options, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        var known = inputs.Concat(outputs).ToList();
        foreach (var key in options.Keys.Where(k => k.StartsWith(OptionPrefix, StringComparison.Ordinal)))
        {
            var tensor = key[OptionPrefix.Length..];
            if (!known.Contains(tensor))
                throw new InputException($"{path}: option '{key}': the model has no tensor '{tensor}' (inputs: {string.Join(", ", inputs)}; outputs: {string.Join(", ", outputs)})");
        }
    }

    public static TensorBinding Create(string path, string tensor, NodeMetadata meta, IReadOnlyDictionary<string, string> options,
                                       IReadOnlyDictionary<string, string> metadata, VariableRole role, ref int nextIndex)
    {
        var what = $"{path}: {(role == VariableRole.Input ? "input" : "output")} tensor '{tensor}'";
        if (!meta.IsTensor) throw new InputException($"{what} is a {meta.OnnxValueType}; the onnx component exchanges tensors only");
        var type = meta.ElementDataType;
        if (type is not (TensorElementType.Float or TensorElementType.Double))
            throw new InputException($"{what} holds {type}; the onnx component exchanges float and double tensors");
        var dims = meta.Dimensions;
        var shapeText = "[" + string.Join(",", dims.Select((d, i) => d > 0 ? d.ToString(CultureInfo.InvariantCulture) :
            meta.SymbolicDimensions.ElementAtOrDefault(i) is { Length: > 0 } s ? s : "?")) + "]";
        var fixedCount = dims.Where(d => d > 0).Aggregate(1L, (a, b) => a * b);
        var lastSymbolic = dims.Length > 0 && dims[^1] <= 0;

        string[]? names = null;
        var source = "";
        if (options.TryGetValue(OptionPrefix + tensor, out var opt))
        {
            names = opt.Split(',', StringSplitOptions.TrimEntries);
            source = $"the option {OptionPrefix}{tensor}";
        }
        else if (metadata.TryGetValue(Onnx.OnnxModelBuilder.VariablesKey + tensor, out var md))
        {
            names = md.Split(',', StringSplitOptions.TrimEntries);
            source = "the model's metadata";
        }
        if (names != null && names.Any(n => n.Length == 0)) throw new InputException($"{what}: {source} has an empty variable name");

        long count;
        if (names == null)
        {
            if (lastSymbolic)
                throw new InputException($"{what} has shape {shapeText}: its length is not fixed; name its elements with the option {OptionPrefix}{tensor}=a,b,...");
            count = fixedCount;
        }
        else
        {
            count = names.Length;
            var fits = lastSymbolic ? count % fixedCount == 0 : count == fixedCount;
            if (!fits)
                throw new InputException($"{what}: the model's shape is {shapeText} ({fixedCount} value{(fixedCount == 1 ? "" : "s")}), " +
                                         $"but {source} maps {count} variable{(count == 1 ? "" : "s")} to it ({string.Join(", ", names)}): expected shape {Expected(dims, count)}");
        }
        if (count < 1) throw new InputException($"{what} has shape {shapeText}: no elements to map");
        names ??= count == 1 ? [tensor] : Enumerable.Range(0, (int)count).Select(i => $"{tensor}[{i}]").ToArray();

        var shape = dims.Select(d => d > 0 ? (long)d : 1L).ToArray();
        if (lastSymbolic) shape[^1] = count / fixedCount;
        var typeName = type == TensorElementType.Float ? "Float32" : "Float64";
        var variables = new List<ComponentVariable>();
        for (var i = 0; i < count; i++)
            variables.Add(new ComponentVariable(nextIndex++, names[i], ValueKind.Real, role, true, null,
                $"element {i} of the {(role == VariableRole.Input ? "input" : "output")} tensor '{tensor}' {shapeText}",
                role == VariableRole.Input ? "0" : null) { TypeName = typeName });
        return new TensorBinding(tensor, shapeText, shape, type, variables);
    }

    private static string Expected(int[] dims, long count)
    {
        // The shape the mapping asks for: the model's leading dimensions, the mapped count last.
        if (dims.Length == 0) return $"[{count}]";
        var lead = dims[..^1].Select(d => d > 0 ? d.ToString(CultureInfo.InvariantCulture) : "N");
        var leadProduct = dims[..^1].Where(d => d > 0).Aggregate(1L, (a, b) => a * b);
        return "[" + string.Join(",", lead.Append(count % leadProduct == 0 ? (count / leadProduct).ToString(CultureInfo.InvariantCulture) : "?")) + "]";
    }
}
