namespace CoSim.Core;

/// <summary>
/// A failure the user should see as one clear message: what failed (<see cref="Exception.Message"/>),
/// where (<see cref="Component"/>, <see cref="Operation"/>) and when (<see cref="Time"/>).
/// Anything that is not a SimulationException reaching the CLI is a bug in CoSim.
/// </summary>
public class SimulationException : Exception
{
    /// <summary>A failure with its message and, where known, the component, the operation and the time.</summary>
    public SimulationException(string message, string? component = null, string? operation = null, SimTime? time = null, Exception? inner = null)
        : base(message, inner)
    {
        Component = component;
        Operation = operation;
        Time = time;
    }

    /// <summary>Instance name of the component that failed, if any.</summary>
    public string? Component { get; }

    /// <summary>The call that failed, e.g. "fmi2DoStep".</summary>
    public string? Operation { get; }

    /// <summary>Simulation time of the failure, when known.</summary>
    public SimTime? Time { get; set; }

    /// <summary>The message with its place: "component 'tank', fmi2DoStep, at t=0.5 s: ...".</summary>
    public string Describe()
    {
        var where = new List<string>();
        if (Component != null) where.Add($"component '{Component}'");
        if (Operation != null) where.Add(Operation);
        if (Time is { } t) where.Add($"at t={t.Seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} s");
        return where.Count == 0 ? Message : $"{string.Join(", ", where)}: {Message}";
    }
}

/// <summary>Invalid user input (a model file, a CSV, an option): reported with its place, exit code 2.</summary>
public class InputException(string message, Exception? inner = null) : Exception(message, inner);
