using CoSim.Core;

namespace CoSim.Scenarios;

/// <summary>
/// What a scenario is built with: its name (names the result file), the folder relative paths in
/// the script resolve against (the script's folder), where messages go, and for a sweep case the
/// case's parameter values.
/// </summary>
/// <param name="Name">The scenario's name (the script's file name without extension).</param>
/// <param name="BaseDirectory">Relative paths in the script resolve against this folder.</param>
/// <param name="Log">Where messages (event triggers, warnings) go.</param>
public sealed record ScenarioContext(string Name, string BaseDirectory, ILogSink Log)
{
    /// <summary>The sweep case's values by parameter name; empty for a plain run and for the first (discovering) build of a sweep.</summary>
    public IReadOnlyDictionary<string, double> CaseParameters { get; init; } = new Dictionary<string, double>();

    /// <summary>The sweep case's number (1-based); null for a plain run.</summary>
    public int? CaseNumber { get; init; }

    /// <summary>A result's provenance whose recorded Kafka offsets <see cref="Scenario.Kafka"/> reads again; null: live.</summary>
    public string? KafkaReplay { get; init; }

    /// <summary>
    /// The script <c>#load</c>s other files: a relative path then resolves against the folder of the script file whose
    /// code names it (as <c>#load</c> and <c>#r</c> do), found from the call stack; false: against <see cref="BaseDirectory"/>.
    /// </summary>
    public bool LoadsFiles { get; init; }
}
