namespace CoSim.Scripting.Tests;

/// <summary>A small globals type for the host's own tests (the scenario API is tested with the real Scenario).</summary>
public class TestGlobals
{
    /// <summary>Set by scripts.</summary>
    public double Stop { get; set; }

    /// <summary>Actions registered by <see cref="At"/>, run later by the test (like events during a run).</summary>
    public List<Action> Actions { get; } = [];

    /// <summary>Values scripts report.</summary>
    public List<object?> Seen { get; } = [];

    public void At(double time, Action action) => Actions.Add(action);

    public void Report(object? value) => Seen.Add(value);

    /// <summary>An API call that rejects its argument, as the scenario API does for a bad name.</summary>
    public void Connect(string from, string to)
    {
        if (!from.Contains('.')) throw new ArgumentException($"'{from}' is not Component.variable");
    }
}
