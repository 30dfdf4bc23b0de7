using System.CommandLine;
using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Systems;
using CoSim.Fmi.Archive;
using CoSim.Fmi.Description;
using CoSim.Isolation;

namespace CoSim.Cli;

/// <summary>The isolation options of <c>simulate</c> and <c>run</c>: which components run in their own host process, and how faults are handled.</summary>
internal static class IsolationCli
{
    public static readonly Option<string[]> Isolate = new("--isolate")
    {
        Description = "Run this component's FMU (simulate: its model name) in its own host process, or 'all': a crash, hang or leak of the FMU " +
                      "becomes an error naming it instead of ending cosim (repeatable).",
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<double?> Timeout = new("--isolation-timeout")
    {
        Description = "Isolated FMUs: seconds one call (e.g. a step) may take before the FMU is taken to hang and its process killed. Default 60.",
    };

    public static readonly Option<double?> MemoryLimit = new("--isolation-memory")
    {
        Description = "Isolated FMUs: resident memory in MiB above which an FMU's process is killed. Default: no limit.",
    };

    public static readonly Option<string> OnCrash = new("--on-crash")
    {
        Description = "Isolated FMUs: stop (the fault ends the run) or restart (restart the FMU from the state saved after the last step and retry; " +
                      "co-simulation FMUs that can serialize their state).",
        DefaultValueFactory = _ => "stop",
    };

    public static void AddTo(Command command)
    {
        OnCrash.AcceptOnlyFromAmong("stop", "restart");
        foreach (var o in new Option[] { Isolate, Timeout, MemoryLimit, OnCrash }) command.Options.Add(o);
    }

    /// <summary>What the command line asked for.</summary>
    public sealed record Request(IReadOnlyList<string> Names, IsolationOptions Options)
    {
        public bool Any => Names.Count > 0;
        public bool Wants(string name) => Names.Contains("all") || Names.Contains(name);

        /// <summary>Names that match none of <paramref name="components"/> (typing errors are bad input, not silently in-process runs).</summary>
        public void CheckNames(IEnumerable<string> components, string what)
        {
            var known = components.ToHashSet();
            var unknown = Names.Where(n => n != "all" && !known.Contains(n)).ToList();
            if (unknown.Count > 0) throw new InputException($"--isolate {string.Join(", ", unknown)}: no such {what} (have: {string.Join(", ", known)})");
        }

        /// <summary>For SSP import: isolated components for the names asked for, null for the rest (made in process).</summary>
        public Func<FmuArchive, string, IReadOnlyDictionary<string, BaseUnit>, SystemComponent>? Factory(ILogSink log) => !Any ? null : (archive, name, units) =>
            Wants(name)
                ? FmuComponents.FromUnit(new IsolatedUnit(archive, name, log, options: Options), archive.Model, extraUnits: units)
                : FmuComponents.Create(archive, name, log, extraUnits: units);
    }

    public static Request Read(ParseResult parse)
    {
        var options = new IsolationOptions
        {
            CallTimeout = parse.GetValue(Timeout) is { } s ? Seconds(s) : IsolationOptions.Default.CallTimeout,
            MemoryLimitBytes = parse.GetValue(MemoryLimit) is { } mib ? (long)(mib * 1024 * 1024) : null,
            OnCrash = parse.GetValue(OnCrash) == "restart" ? CrashPolicy.Restart : CrashPolicy.Stop,
        };
        options.Validate();
        return new Request(parse.GetValue(Isolate) ?? [], options);
    }

    private static TimeSpan Seconds(double s) =>
        double.IsFinite(s) && s > 0 && s < 1e6
            ? TimeSpan.FromSeconds(s)
            : throw new InputException($"--isolation-timeout {s.ToString(CultureInfo.InvariantCulture)}: must be a positive number of seconds");
}
