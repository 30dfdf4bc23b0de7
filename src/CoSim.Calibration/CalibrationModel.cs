using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Fmi;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.Solvers;

namespace CoSim.Calibration;

/// <summary>
/// The model being calibrated, as a fresh <see cref="RunSpecification"/> per run: an FMU (one
/// component, its archive unpacked and its description read once, a new in-memory instance per
/// run) or an SSP system (imported once per run). Resolves the names the user gives and says
/// which variables can be estimated and why others cannot.
/// </summary>
public sealed class CalibrationModel
{
    private readonly FmuArchive? _fmu;
    private readonly FmuInterface? _interface;
    private readonly SolverOptions? _solver;
    private readonly Dictionary<string, (IReadOnlyList<ComponentVariable> Variables, ModelDescription? Description)> _components;

    private CalibrationModel(string path, FmuArchive? fmu, FmuInterface? iface, SolverOptions? solver, string? single,
        Dictionary<string, (IReadOnlyList<ComponentVariable>, ModelDescription?)> components)
    {
        Path = path;
        _fmu = fmu;
        _interface = iface;
        _solver = solver;
        SingleComponent = single;
        _components = components;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>The component that bare names belong to (an FMU's), or null for a system of several.</summary>
    public string? SingleComponent { get; }

    /// <summary>Opens an FMU (<c>.fmu</c> or extracted folder) or an SSP (<c>.ssp</c>/<c>.ssd</c>); <paramref name="iface"/> and <paramref name="solver"/> apply to an FMU.</summary>
    public static CalibrationModel Open(string path, FmuInterface? iface = null, SolverOptions? solver = null)
    {
        if (path.EndsWith(".ssp", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ssd", StringComparison.OrdinalIgnoreCase))
        {
            var spec = Ssp.SspImporter.Load(path);
            var components = new Dictionary<string, (IReadOnlyList<ComponentVariable>, ModelDescription?)>();
            foreach (var c in spec.Components)
            {
                if (c.Request is not { } request) continue;
                var archive = FmuArchive.Open(request.Source);
                using var unit = FmuComponents.Create(archive, request.Name, NullLogSink.Instance);
                components[request.Name] = (unit.Variables, archive.Model);
            }
            return new CalibrationModel(path, null, null, null, null, components);
        }
        if (!path.EndsWith(".fmu", StringComparison.OrdinalIgnoreCase) && !File.Exists(System.IO.Path.Combine(path, "modelDescription.xml")))
            throw new InputException($"{path}: calibrate takes an FMU (.fmu or an extracted folder) or an SSP (.ssp, .ssd)");
        var fmu = FmuArchive.Open(path);
        var name = System.IO.Path.GetFileNameWithoutExtension(path.TrimEnd('/')).Replace('.', '_');
        using (var unit = FmuComponents.Create(fmu, name, NullLogSink.Instance, iface, solver))
            return new CalibrationModel(path, fmu, iface, solver, name,
                new Dictionary<string, (IReadOnlyList<ComponentVariable>, ModelDescription?)> { [name] = (unit.Variables, fmu.Model) });
    }

    /// <summary>A new specification of the model (new component instances); safe to call from several threads.</summary>
    public RunSpecification NewSpecification(ILogSink log)
    {
        if (_fmu == null) return Ssp.SspImporter.Load(Path);
        var spec = new RunSpecification { Name = SingleComponent!, Source = Path };
        spec.Components.Add(new ComponentSpec(FmuComponents.Create(_fmu, SingleComponent!, log, _interface, _solver)));
        return spec;
    }

    /// <summary>
    /// Runs the model once with <paramref name="values"/> (name = value, names as for <see cref="Resolve"/>)
    /// and returns <paramref name="outputs"/> at every communication point from 0 to <paramref name="stop"/>
    /// (e.g. the truth behind synthetic data). Bad names throw <see cref="InputException"/>, a failed run <see cref="SimulationException"/>.
    /// </summary>
    public (double[] Times, double[][] Values) Simulate(IReadOnlyDictionary<string, double> values, IReadOnlyList<string> outputs, double step, double stop)
    {
        var spec = NewSpecification(NullLogSink.Instance);
        spec.Start = 0;
        spec.Stop = stop;
        spec.Step = step;
        foreach (var (name, value) in values)
            spec.Parameters.Add(new Engine.Systems.ParameterValue(Resolve(name, "parameter").Ref, value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var times = Enumerable.Range(0, (int)Math.Round(stop / step) + 1).Select(i => i * step).ToArray();
        var recorder = new FitRecorder(outputs.Select(o => Resolve(o, "output").Ref).ToList(), times);
        spec.Observers.Add(recorder);
        using var run = Runner.PreparedRun.Prepare(spec, Runner.PreparedRun.DefaultRegistry(), NullLogSink.Instance);
        run.Run();
        return (times, recorder.Values);
    }

    /// <summary>
    /// The variable <paramref name="name"/> means (<c>Component.variable</c>, or a bare name of a
    /// single-component model); an unknown one throws <see cref="InputException"/> with the closest names.
    /// </summary>
    public (VariableRef Ref, ComponentVariable Variable, ModelVariable? Model) Resolve(string name, string option)
    {
        var dot = name.IndexOf('.');
        string component, variable;
        if (dot > 0 && _components.ContainsKey(name[..dot]))
            (component, variable) = (name[..dot], name[(dot + 1)..]);
        else if (SingleComponent != null)
            (component, variable) = (SingleComponent, name);
        else
            throw new InputException($"{option} {name}: write Component.variable (components: {string.Join(", ", _components.Keys)})");
        var (variables, description) = _components[component];
        var v = variables.FirstOrDefault(x => x.Name == variable)
                ?? throw new InputException($"{option} {name}: {component} has no variable '{variable}'{NameSuggestions.Suggest(variable, variables.Select(x => x.Name))}");
        var model = description?.Variables.FirstOrDefault(x => x.Name == variable);
        return (new VariableRef(component, variable), v, model);
    }

    /// <summary>Why <paramref name="name"/> cannot be estimated (the rule it breaks), or null when it can.</summary>
    public string? TunabilityProblem(string name, ComponentVariable v, ModelVariable? model)
    {
        if (v.Kind != ValueKind.Real) return $"'{name}' is {v.TypeName}; only real-valued variables can be estimated";
        if (model != null)
        {
            if (model.Variability == Variability.Constant) return $"'{name}' is a constant (variability=\"constant\", modelDescription.xml:{model.Line}): its value is fixed in the model";
            switch (model.Causality)
            {
                case Causality.CalculatedParameter:
                    return $"'{name}' is a calculated parameter (modelDescription.xml:{model.Line}): the model computes it from others; estimate those";
                case Causality.Independent:
                    return $"'{name}' is the independent variable (time)";
                case Causality.StructuralParameter:
                    return $"'{name}' is a structural parameter (modelDescription.xml:{model.Line}): it changes the model's structure, not a value to fit";
                case Causality.Parameter or Causality.Input:
                    return null;
            }
            return model.Initial == Initial.Exact
                ? null
                : $"'{name}' is an {model.Causality.ToString().ToLowerInvariant()} with initial=\"{(model.Initial == Initial.Unspecified ? "calculated" : model.Initial.ToString().ToLowerInvariant())}\" " +
                  $"(modelDescription.xml:{model.Line}): only parameters, inputs and initial=\"exact\" start values can be set before initialization";
        }
        return v.Role is VariableRole.Parameter or VariableRole.Input ? null : $"'{name}' is a {v.Role} variable: only parameters and inputs can be estimated";
    }

    /// <summary>The variable's start value as a number, or null.</summary>
    public static double? StartOf(ComponentVariable v) =>
        double.TryParse(v.Start, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
}
