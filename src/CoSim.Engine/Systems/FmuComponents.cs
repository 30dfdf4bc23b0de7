using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.CoSimulation;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;
using CoSim.Fmi.Description;

namespace CoSim.Engine.Systems;

/// <summary>Makes system components of FMUs (co-simulation or model exchange), with the metadata their model description gives.</summary>
public static class FmuComponents
{
    /// <summary>
    /// Instantiates the FMU's co-simulation interface (model exchange with CVODE when it has no
    /// co-simulation interface) as a component named <paramref name="name"/>.
    /// Output dependencies come from the model structure (an output without a dependency list
    /// depends on every input), unit definitions from the unit definitions, plus
    /// <paramref name="extraUnits"/> for names the FMU uses without defining (e.g. from an SSP file).
    /// </summary>
    public static SystemComponent Create(FmuArchive archive, string name, ILogSink log, int stepMultiple = 1,
        IReadOnlyDictionary<string, BaseUnit>? extraUnits = null, bool loggingOn = false)
    {
        // A model-exchange-only FMU (common among Modelica exports) is integrated by CoSim instead.
        if (archive.Model.CoSimulation == null && archive.Model.ModelExchange != null)
            return CreateModelExchange(archive, name, log, null, stepMultiple, extraUnits, loggingOn);
        var unit = new FmuCoSimulationUnit(archive, name, log, loggingOn);
        try
        {
            return FromUnit(unit, archive.Model, stepMultiple, extraUnits);
        }
        catch
        {
            unit.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Instantiates the FMU's model-exchange interface, integrated by CoSim with <paramref name="solver"/>,
    /// as a component: to the master algorithm it is a unit like any other.
    /// </summary>
    public static SystemComponent CreateModelExchange(FmuArchive archive, string name, ILogSink log, SolverOptions? solver = null,
        int stepMultiple = 1, IReadOnlyDictionary<string, BaseUnit>? extraUnits = null, bool loggingOn = false)
    {
        var unit = new FmuModelExchangeUnit(archive, name, log, solver, loggingOn);
        try
        {
            return FromUnit(unit, archive.Model, stepMultiple, extraUnits);
        }
        catch
        {
            unit.Dispose();
            throw;
        }
    }

    /// <summary>The component for an already created unit whose variables follow <paramref name="md"/>.</summary>
    public static SystemComponent FromUnit(ISimulationUnit unit, ModelDescription md, int stepMultiple = 1, IReadOnlyDictionary<string, BaseUnit>? extraUnits = null)
    {
        var byName = new Dictionary<string, int>();
        foreach (var v in unit.Variables) byName[v.Name] = v.Index;
        var dependencies = new Dictionary<int, IReadOnlyList<int>>();
        foreach (var output in md.Structure.Outputs)
        {
            if (output.Dependencies is not { } deps) continue; // absent: depends on all
            if (output.Variable < 0 || output.Variable >= md.Variables.Count || !byName.TryGetValue(md.Variables[output.Variable].Name, out var outIndex)) continue;
            var inputs = new List<int>();
            foreach (var d in deps)
            {
                if (d < 0 || d >= md.Variables.Count) continue;
                var dv = md.Variables[d];
                if (dv.Causality == Causality.Input && byName.TryGetValue(dv.Name, out var inIndex)) inputs.Add(inIndex);
            }
            dependencies[outIndex] = inputs;
        }
        var units = new Dictionary<string, BaseUnit>();
        foreach (var (key, value) in extraUnits ?? new Dictionary<string, BaseUnit>()) units[key] = value;
        foreach (var u in md.Units)
            if (u.BaseUnit is { } b) units[u.Name] = b; // the FMU's own definitions win
        return new SystemComponent(unit) { OutputDependencies = dependencies, UnitDefinitions = units, StepMultiple = stepMultiple };
    }
}
