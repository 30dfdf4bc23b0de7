using System.Globalization;
using CoSim.Core;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Clocks;
using CoSim.Fmi.CoSimulation;
using CoSim.Fmi.Description;
using CoSim.Fmi.ModelExchange;
using CoSim.Solvers;

namespace CoSim.Fmi;

/// <summary>Which FMI interface of an FMU a component uses.</summary>
public enum FmuInterface
{
    /// <summary>Co-simulation: the FMU brings its own solver and steps itself.</summary>
    CoSimulation,
    /// <summary>Model exchange: CoSim integrates the FMU's equations with its own solver.</summary>
    ModelExchange,
    /// <summary>Scheduled execution (FMI 3): CoSim activates the FMU's model partitions when their clocks tick.</summary>
    ScheduledExecution,
}

/// <summary>
/// Makes components of FMUs: the one place that decides co-simulation vs model exchange. The
/// engine sees only <see cref="IComponent"/> (with its <see cref="ComponentStructure"/> from
/// the model description).
/// </summary>
public static class FmuComponents
{
    /// <summary>
    /// Opens the FMU's <paramref name="iface"/>; without one, co-simulation when the FMU has it,
    /// else model exchange integrated by CoSim with <paramref name="solver"/> (common among
    /// Modelica exports that ship model exchange only). A co-simulation FMU is told the stop time only
    /// with <paramref name="tellStopTime"/> (<see cref="FmuCoSimulationComponent.TellStopTime"/>).
    /// </summary>
    public static IComponent Create(FmuArchive archive, string name, ILogSink log, FmuInterface? iface = null,
        SolverOptions? solver = null, bool loggingOn = false, bool tellStopTime = false, ClockOptions? clocks = null)
    {
        var md = archive.Model; // throws with every error when the description cannot run
        var chosen = ChooseInterface(archive, iface);
        // A Jacobian preference alone is harmless to a co-simulation FMU (e.g. --jacobian for a whole system); other settings are a mistake.
        if (chosen == FmuInterface.CoSimulation && solver != null && solver with { Jacobian = JacobianStrategy.Auto } != new SolverOptions())
            throw new InputException($"{archive.SourcePath}: solver settings apply to model exchange; a co-simulation FMU brings its own solver");
        if (chosen == FmuInterface.ScheduledExecution) return new ScheduledExecutionComponent(archive, name, log, loggingOn, clocks);
        // FMI 3 co-simulation with clocks needs Event Mode for them; without it the FMU handles its clocks itself.
        if (chosen == FmuInterface.CoSimulation && md.CoSimulation is { HasEventMode: true } && md.Variables.Any(v => v.Type == VariableType.Clock))
            return new ClockedCoSimulationComponent(archive, name, log, loggingOn);
        return chosen == FmuInterface.ModelExchange
            ? new FmuModelExchangeComponent(archive, name, log, solver, loggingOn)
            : new FmuCoSimulationComponent(archive, name, log, loggingOn) { TellStopTime = tellStopTime };
    }

    /// <summary>
    /// The engine's view of the FMU's model structure (output dependencies) and unit definitions, by
    /// the variable indices every component of this FMU exposes (in or out of process).
    /// </summary>
    public static ComponentStructure StructureOf(ModelDescription md) => FmuStructure.From(md, FmuVariables.Map(md));

    /// <summary>The start, stop and step the FMU's default experiment suggests (its tolerance deliberately not).</summary>
    public static ExperimentDefaults? DefaultsOf(ModelDescription md) =>
        md.DefaultExperiment is { } de ? new ExperimentDefaults(de.StartTime, de.StopTime, de.StepSize) : null;

    /// <summary>The model description's warnings as <c>file:line: message</c>.</summary>
    public static IReadOnlyList<string> WarningsOf(FmuArchive archive) =>
        archive.Report.Warnings.Select(w => $"{w.File}:{w.Line}: {w.Message}").ToList();

    /// <summary>The interface a component of this FMU uses when <paramref name="requested"/> (or the default when null).</summary>
    public static FmuInterface ChooseInterface(FmuArchive archive, FmuInterface? requested)
    {
        var md = archive.Model;
        switch (requested)
        {
            case FmuInterface.ModelExchange when md.ModelExchange == null:
                throw new InputException(md.CoSimulation == null
                    ? $"{archive.SourcePath}: the FMU has neither a co-simulation nor a model-exchange interface"
                    : $"{archive.SourcePath}: the FMU has no model-exchange interface; use co-simulation");
            case FmuInterface.CoSimulation when md.CoSimulation == null:
                throw new InputException($"{archive.SourcePath}: the FMU has no co-simulation interface; use model exchange");
            case FmuInterface.ScheduledExecution when md.ScheduledExecution == null:
                throw new InputException($"{archive.SourcePath}: the FMU has no scheduled-execution interface");
            case { } r:
                return r;
        }
        if (md.CoSimulation != null) return FmuInterface.CoSimulation;
        if (md.ModelExchange != null) return FmuInterface.ModelExchange;
        if (md.ScheduledExecution != null) return FmuInterface.ScheduledExecution;
        throw new InputException($"{archive.SourcePath}: the FMU has neither a co-simulation nor a model-exchange interface");
    }
}

/// <summary>
/// The <c>fmu</c> kind of component for <see cref="ComponentRegistry"/>: a <c>.fmu</c> archive or an
/// extracted FMU folder. Options: <c>interface</c> = cs | me | se; for scheduled execution <c>clock-links</c> =
/// IN=OUT,... and <c>clock-intervals</c> = CLOCK=SECONDS,... (<see cref="ClockOptions"/>); for model exchange <c>solver</c> =
/// cvode | cvode-adams | dopri5 | euler, <c>abs-tolerance</c>, <c>max-step</c>, <c>jacobian</c> =
/// auto | dense | colored | directional (how CVODE gets its Jacobian: <see cref="JacobianStrategy"/>)
/// (the relative tolerance is the run's, handed over at initialization); for co-simulation
/// <c>tell-stop-time</c> = true tells the FMU the stop time (<see cref="FmuCoSimulationComponent.TellStopTime"/>).
/// </summary>
public sealed class FmuComponentFactory : IComponentFactory
{
    /// <inheritdoc />
    public string Kind => "fmu";

    /// <inheritdoc />
    public bool Recognizes(string source) =>
        source.EndsWith(".fmu", StringComparison.OrdinalIgnoreCase) || File.Exists(Path.Combine(source, "modelDescription.xml"));

    /// <inheritdoc />
    public IComponent Create(ComponentRequest request, ILogSink log)
    {
        var archive = FmuArchive.Open(request.Source);
        var iface = request.Option("interface") switch
        {
            null => (FmuInterface?)null,
            "cs" => FmuInterface.CoSimulation,
            "me" => FmuInterface.ModelExchange,
            "se" => FmuInterface.ScheduledExecution,
            var other => throw new InputException($"component '{request.Name}': interface '{other}' is not one of cs, me, se"),
        };
        var tellStopTime = request.Option("tell-stop-time") switch
        {
            null or "false" => false,
            "true" => true,
            var other => throw new InputException($"component '{request.Name}': tell-stop-time '{other}' is neither true nor false"),
        };
        var clocks = ClockOptions.Parse(request.Name, request.Option("clock-links"), request.Option("clock-intervals"));
        return FmuComponents.Create(archive, request.Name, log, iface, SolverFrom(request), request.Logging, tellStopTime, clocks);
    }

    /// <summary>Solver settings from the request's options; null when it gives none.</summary>
    public static SolverOptions? SolverFrom(ComponentRequest request)
    {
        string? kind = request.Option("solver");
        double? Number(string key)
        {
            if (request.Option(key) is not { } text) return null;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v <= 0)
                throw new InputException($"component '{request.Name}': {key} '{text}' must be a positive number");
            return v;
        }
        var atol = Number("abs-tolerance");
        var maxStep = Number("max-step");
        var jacobian = request.Option("jacobian") switch
        {
            null => (JacobianStrategy?)null,
            "auto" => JacobianStrategy.Auto,
            "dense" => JacobianStrategy.DenseDifferences,
            "colored" => JacobianStrategy.ColoredDifferences,
            "directional" => JacobianStrategy.Provided,
            var other => throw new InputException($"component '{request.Name}': jacobian '{other}' is not one of auto, dense, colored, directional"),
        };
        if (kind == null && atol == null && maxStep == null && jacobian == null) return null;
        var options = kind switch
        {
            null or "cvode" => new SolverOptions { Kind = SolverKind.Cvode, CvodeMethod = CvodeMethod.Bdf },
            "cvode-adams" => new SolverOptions { Kind = SolverKind.Cvode, CvodeMethod = CvodeMethod.Adams },
            "dopri5" => new SolverOptions { Kind = SolverKind.DormandPrince54 },
            "euler" => new SolverOptions { Kind = SolverKind.Euler, FixedStep = maxStep },
            _ => throw new InputException($"component '{request.Name}': solver '{kind}' is not one of cvode, cvode-adams, dopri5, euler"),
        };
        options = options with { AbsoluteTolerance = atol, MaxStep = kind == "euler" ? null : maxStep, Jacobian = jacobian ?? JacobianStrategy.Auto };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InputException($"component '{request.Name}': {e.Message}", e);
        }
        return options;
    }
}
