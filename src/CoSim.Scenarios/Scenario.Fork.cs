using CoSim.Core;

namespace CoSim.Scenarios;

public partial class Scenario
{
    /// <summary>The fork time of <see cref="Fork"/>, or null: the cases (if any) each run from the start.</summary>
    public double? ForkTime { get; private set; }

    /// <summary>
    /// What-if branches from one state: the run goes once from the start to <paramref name="at"/> (the first
    /// communication point at or after it), its whole state is checkpointed there, and every combination of the axes'
    /// values (one branch each, as in <see cref="SweepGrid"/>) continues from that state, in parallel, each with its own
    /// result file <c>NAME.case-N.csv</c> and verdicts, and a summary <c>NAME.summary.csv</c>. A branch's values act
    /// from the fork time: read them with <see cref="Case"/> in events at or after it (<c>At(at, ...)</c>) or in faults
    /// that start there; so each branch equals a run from the start with its change applied from the fork time.
    /// When a component cannot save its state, every branch re-simulates from the start instead (a warning says so).
    /// </summary>
    public void Fork(double at, params (string Name, double[] Values)[] branches)
    {
        if (!double.IsFinite(at)) throw new ArgumentException($"Fork: the fork time {at} is not a finite number");
        foreach (var (name, _) in branches.Where(b => b.Name.Contains('.')))
            throw new ArgumentException($"Fork: '{name}' is a start value (Component.variable), which acts before the fork; read a branch value with Case(\"{name}\", fallback) in an event at or after t={at}");
        Sweep = Sweep.Grid(branches);
        ForkTime = at;
    }

    /// <summary>The same as <see cref="Fork"/>: "what if" each of these values from <paramref name="at"/> on.</summary>
    public void WhatIf(double at, params (string Name, double[] Values)[] branches) => Fork(at, branches);
}
