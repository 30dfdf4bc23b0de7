using CoSim.Fmi.Description;
using CoSim.Fmi.Native;

namespace CoSim.Fmi;

/// <summary>
/// How CoSim switches on an FMU's logging. Instances are created with logging on, so that the
/// message explaining a failure reaches the error report (FMI 3 FMUs do not call the logger at all
/// otherwise). Unless everything was asked for, only the standard status categories
/// (logStatusWarning, logStatusError, ...) are then enabled, when the FMU declares them.
/// </summary>
internal static class FmuLogging
{
    public static void Configure(IFmiInstance instance, ModelDescription md, bool everything)
    {
        if (everything) return;
        var statusCategories = md.LogCategories.Select(c => c.Name).Where(n => n.StartsWith("logStatus", StringComparison.Ordinal)).ToList();
        if (statusCategories.Count > 0) instance.SetDebugLogging(true, statusCategories);
    }
}
