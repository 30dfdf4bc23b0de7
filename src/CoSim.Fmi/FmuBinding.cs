using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.Fmi.Native;

namespace CoSim.Fmi;

/// <summary>
/// An FMU opened for one interface, what its co-simulation and model-exchange components share: the model
/// description with the variables and structure the engine sees, the binary loaded (<see cref="FmuLibrary"/>), the
/// standard's functions looked up and an <see cref="FmiInstance"/> over them, not yet instantiated. The one way a
/// component opens an FMU binary; <see cref="Dispose"/> frees the instance, then unloads the library, even after a failure.
/// </summary>
internal sealed class FmuBinding : IDisposable
{
    private readonly FmuLibrary _library;

    private FmuBinding(FmuArchive archive, IReadOnlyList<FmuVariable> variableMap, ComponentStructure structure, FmuLibrary library, FmiInstance instance)
    {
        Archive = archive;
        VariableMap = variableMap;
        Variables = variableMap.Select(v => v.Variable).ToArray();
        Structure = structure;
        _library = library;
        Instance = instance;
    }

    /// <summary>
    /// Opens the binary of <paramref name="modelIdentifier"/> (the interface's) in <paramref name="archive"/> for co-simulation
    /// or model exchange. Throws <see cref="InputException"/> when the binary cannot be loaded or lacks a required function.
    /// </summary>
    public static FmuBinding Open(FmuArchive archive, string modelIdentifier, string instanceName, ILogSink log, bool coSimulation)
    {
        var md = archive.Model;
        var variableMap = FmuVariables.Map(md);
        var structure = FmuStructure.From(md, variableMap);
        var library = FmuLibrary.Load(archive.BinaryPath(modelIdentifier));
        try
        {
            FmiInstance instance = md.Version == FmiVersion.Fmi2
                ? new Fmi2Instance(library, coSimulation, instanceName, md.InstantiationToken, archive.ResourcesFolder, log)
                : new Fmi3Instance(library, instanceName, md.InstantiationToken, archive.ResourcesFolder, log);
            return new FmuBinding(archive, variableMap, structure, library, instance);
        }
        catch
        {
            library.Dispose();
            throw;
        }
    }

    public FmuArchive Archive { get; }
    public ModelDescription Model => Archive.Model;

    /// <summary>The model description's variables by the index the engine uses, with value references and types.</summary>
    public IReadOnlyList<FmuVariable> VariableMap { get; }

    /// <summary>The component's variables.</summary>
    public IReadOnlyList<ComponentVariable> Variables { get; }

    /// <summary>Output dependencies from the model structure and the unit definitions.</summary>
    public ComponentStructure Structure { get; }

    public FmiInstance Instance { get; }

    /// <summary>The model description's warnings as <c>file:line: message</c>.</summary>
    public IReadOnlyList<string> Warnings => FmuComponents.WarningsOf(Archive);

    /// <summary>The default experiment's start, stop and step.</summary>
    public ExperimentDefaults? Defaults => FmuComponents.DefaultsOf(Model);

    /// <summary>"FMI 3.0, model exchange" for <paramref name="interfaceName"/> "model exchange".</summary>
    public string Describe(string interfaceName) => $"FMI {Model.FmiVersionText}, {interfaceName}";

    public void Dispose()
    {
        try
        {
            Instance.Dispose();
        }
        finally
        {
            _library.Dispose();
        }
    }
}
