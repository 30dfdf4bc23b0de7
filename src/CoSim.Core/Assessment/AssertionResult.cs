namespace CoSim.Core.Assessment;

/// <summary>The outcome of one check on a run (an assertion of a commissioning scenario).</summary>
public enum Verdict
{
    /// <summary>The signal met the requirement over the whole window the assertion looks at.</summary>
    Pass,

    /// <summary>The signal violated the requirement; <see cref="AssertionResult.Violation"/> says where.</summary>
    Fail,

    /// <summary>The assertion could not be judged (e.g. the run ended before its window, or the signal was not recorded).</summary>
    NotEvaluated,
}

/// <summary>Where a signal first broke an assertion: the time, the value it had and the bound it crossed.</summary>
/// <param name="Time">Simulation time of the first violation [s].</param>
/// <param name="Value">The signal's value there.</param>
/// <param name="Bound">The bound it was compared with (the limit, or the reference value at that time).</param>
public sealed record Violation(double Time, double Value, double Bound);

/// <summary>
/// The verdict of one assertion, shared by every consumer of verdicts: the console summary,
/// <c>cosim test</c>'s JUnit XML and the HTML report. <see cref="Message"/> is a full sentence
/// a reader understands without the script (what was required, what happened).
/// </summary>
/// <param name="Name">The assertion's name (given in the script, or made from its kind and signal).</param>
/// <param name="Signal">The signal it judges (<c>Component.variable</c>).</param>
/// <param name="Verdict">Pass, fail or not evaluated.</param>
/// <param name="Message">What was required and what happened.</param>
public sealed record AssertionResult(string Name, string Signal, Verdict Verdict, string Message)
{
    /// <summary>The first violation, for a failed assertion whose failure has a time and a value.</summary>
    public Violation? Violation { get; init; }

    /// <summary>The time window [s] the assertion looked at, for plots that mark it; null: the whole run.</summary>
    public (double From, double To)? Window { get; init; }

    /// <summary>For an assertion that follows a reference: the reference and its tube at the samples judged, for plots that draw them.</summary>
    public ReferenceTube? Tube { get; init; }
}

/// <summary>A reference and the tube around it, at the sample times a <c>FollowsReference</c> assertion judged (up to its first violation).</summary>
/// <param name="Reference">What the reference is (a signal name, "a given trace", "a function of time").</param>
/// <param name="Time">The sample times [s].</param>
/// <param name="Centre">The reference at each time.</param>
/// <param name="Lower">The tube's lower edge.</param>
/// <param name="Upper">The tube's upper edge.</param>
public sealed record ReferenceTube(string Reference, double[] Time, double[] Centre, double[] Lower, double[] Upper);
