using CoSim.Core;
using CoSim.Engine.Execution;

namespace CoSim.Engine.Specification;

/// <summary>
/// The one place that decides what a run uses where the user said nothing. Time: the user's value,
/// else the system file's suggestion, else (a run of one component, or the run's
/// <see cref="RunSpecification.MainComponent"/>) the component's suggestion (an FMU's default experiment), else start 0, stop start + 1, and <see cref="StepsWhenUnspecified"/>
/// steps. Tolerance: none is handed to components unless the user gives one. Result file:
/// <c>NAME_out.csv</c>.
/// </summary>
public static class RunDefaults
{
    /// <summary>Communication steps of a run whose step nobody gave.</summary>
    public const int StepsWhenUnspecified = 500;

    /// <summary>The schedule of <paramref name="spec"/> with its components <paramref name="components"/>; throws <see cref="InputException"/> when it is not valid.</summary>
    public static StepSchedule Schedule(RunSpecification spec, IReadOnlyList<IComponent> components)
    {
        var main = spec.MainComponent is { } name ? components.FirstOrDefault(c => c.Name == name) : components.Count == 1 ? components[0] : null;
        var component = main?.Defaults;
        var system = spec.SystemDefaults;
        var start = spec.Start ?? system?.Start ?? component?.Start ?? 0;
        var stop = spec.Stop ?? system?.Stop ?? component?.Stop ?? start + 1;
        var step = spec.Step ?? system?.Step ?? component?.Step ?? (stop - start) / StepsWhenUnspecified;
        return StepSchedule.Create(start, stop, step);
    }

    /// <summary>The result file when the user names none.</summary>
    public static string OutputPath(RunSpecification spec) => spec.Name + "_out.csv";

    /// <summary>Threads when the user gives none.</summary>
    public static int Threads(RunSpecification spec) => spec.Threads ?? Environment.ProcessorCount;
}
