using CoSim.Core.Assessment;

namespace CoSim.Scenarios;

public partial class Scenario
{
    /// <summary>The signals assertions and metrics judge, with what uses them (for messages).</summary>
    internal IReadOnlyList<(Signal Signal, string Usage)> JudgedSignals() => [];

    /// <summary>The assertions' verdicts and the metrics' values on a finished or failed run.</summary>
    internal (IReadOnlyList<AssertionResult> Verdicts, IReadOnlyDictionary<string, double> Metrics) Judge(RunRecord record) =>
        ([], new Dictionary<string, double>());
}
