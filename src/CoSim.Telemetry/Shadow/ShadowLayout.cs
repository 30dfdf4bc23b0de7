namespace CoSim.Telemetry.Shadow;

/// <summary>
/// Where each variable of a shadow of <see cref="Signals"/> compared signals sits in its variable list (the index is the
/// variable's value reference): per signal j four in a row, the <c>.simulated</c> input and the <c>.measured</c>,
/// <c>.residual</c> and <c>.flag</c> outputs; after them the overall <c>flag</c>, then <c>label</c> when a label column
/// is scored. The component, its accessor and its evaluation share this one arithmetic.
/// </summary>
internal readonly record struct ShadowLayout(int Signals)
{
    /// <summary>Variables per compared signal.</summary>
    public const int PerSignal = 4;

    /// <summary>The <c>.simulated</c> input of signal <paramref name="j"/>.</summary>
    public static int Simulated(int j) => PerSignal * j;

    /// <summary>The <c>.measured</c> output of signal <paramref name="j"/>.</summary>
    public static int Measured(int j) => PerSignal * j + 1;

    /// <summary>The <c>.residual</c> output of signal <paramref name="j"/>.</summary>
    public static int Residual(int j) => PerSignal * j + 2;

    /// <summary>The <c>.flag</c> output of signal <paramref name="j"/>.</summary>
    public static int Flag(int j) => PerSignal * j + 3;

    /// <summary>The signal a per-signal variable belongs to.</summary>
    public static int SignalOf(int variable) => variable / PerSignal;

    /// <summary>The overall <c>flag</c> output.</summary>
    public int AnyFlag => PerSignal * Signals;

    /// <summary>The <c>label</c> output (present only with a label column).</summary>
    public int Label => AnyFlag + 1;
}
