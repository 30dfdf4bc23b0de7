using CoSim.Core;

namespace CoSim.Isolation;

/// <summary>What an isolated FMU component does when its host process fails (dies, hangs, exceeds its memory limit).</summary>
public enum CrashPolicy
{
    /// <summary>The failure is an error that ends the run (default).</summary>
    Stop,
    /// <summary>
    /// Start a new host, restore the state saved after the last completed step and retry: only for
    /// components that can save and serialize their state (co-simulation FMUs with canGetAndSetFMUstate and
    /// canSerializeFMUstate); others stop. At most <see cref="IsolationOptions.MaxRestarts"/> times per component.
    /// </summary>
    Restart,
}

/// <summary>Settings of isolated FMU components (one per run; every isolated component of a run shares them).</summary>
public sealed record IsolationOptions
{
    /// <summary>Longest a call may take (a step, a get, ...) before the host is taken to hang and killed. Default 60 s.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest the host may take to start and load the FMU. Default 60 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Resident memory (VmRSS) above which the host is killed; null = no limit.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>What to do when a host fails.</summary>
    public CrashPolicy OnCrash { get; init; } = CrashPolicy.Stop;

    /// <summary>Restarts allowed per component under <see cref="CrashPolicy.Restart"/>.</summary>
    public int MaxRestarts { get; init; } = 3;

    /// <summary>
    /// How long the parent spins on the channel before it sleeps on the futex. A spin catches fast
    /// steps without a context switch; a longer one only burns a core. Default 50 µs.
    /// </summary>
    public TimeSpan Spin { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>
    /// The host program (CoSim.FmuHost.dll, started with the running dotnet, or an executable).
    /// Default: <c>COSIM_FMU_HOST</c>, else CoSim.FmuHost.dll next to the application.
    /// </summary>
    public string? HostPath { get; init; }

    /// <summary>The defaults.</summary>
    public static IsolationOptions Default { get; } = new();

    /// <summary>Checks the values; an <see cref="InputException"/> names the bad one.</summary>
    public void Validate()
    {
        if (CallTimeout <= TimeSpan.Zero) throw new InputException($"isolation call timeout must be positive (got {CallTimeout})");
        if (StartTimeout <= TimeSpan.Zero) throw new InputException($"isolation start timeout must be positive (got {StartTimeout})");
        if (MemoryLimitBytes is <= 0) throw new InputException($"isolation memory limit must be positive (got {MemoryLimitBytes})");
        if (MaxRestarts < 0) throw new InputException($"max restarts must not be negative (got {MaxRestarts})");
        if (Spin < TimeSpan.Zero) throw new InputException($"spin time must not be negative (got {Spin})");
    }
}

/// <summary>Why an isolated FMU component's host process failed.</summary>
public enum HostFault
{
    /// <summary>Killed by a signal (e.g. SIGSEGV in the FMU).</summary>
    Signal,
    /// <summary>Exited on its own (e.g. the FMU called exit()).</summary>
    Exited,
    /// <summary>Did not answer within the call timeout (e.g. a hang in doStep); it was killed.</summary>
    Timeout,
    /// <summary>Exceeded the memory limit; it was killed.</summary>
    MemoryLimit,
    /// <summary>Could not be started.</summary>
    StartFailed,
}

/// <summary>
/// The host process of an isolated FMU component failed: names the component, the FMI function in progress, the
/// time, and the signal or reason (with the FMU's last log message when it logged one).
/// </summary>
public sealed class HostFailedException(string message, string component, string operation, SimTime? time, HostFault fault)
    : SimulationException(message, component, operation, time)
{
    /// <summary>What happened to the host.</summary>
    public HostFault Fault { get; } = fault;
}
