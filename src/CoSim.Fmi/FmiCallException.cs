using CoSim.Core;

namespace CoSim.Fmi;

/// <summary>
/// An FMI function returned Error or Fatal (or Discard where that cannot be handled). The one
/// place where FMI status codes become exceptions: carries the instance, function, status and the
/// FMU's last log message.
/// </summary>
public sealed class FmiCallException(string instance, string function, string status, string? fmuMessage, SimTime? time)
    : SimulationException(
        $"{function} returned {status}" + (string.IsNullOrEmpty(fmuMessage) ? " (the FMU logged no message)" : $": {fmuMessage}"),
        instance, function, time)
{
    public string Status { get; } = status;
    public string? FmuMessage { get; } = fmuMessage;

    /// <summary>True for Fatal: the instance must not be called again (not even to terminate).</summary>
    public bool IsFatal => Status == "Fatal";
}
