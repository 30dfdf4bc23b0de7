using System.Globalization;
using CoSim.Core;
using CoSim.Fmi;
using CoSim.Fmi.Archive;

namespace CoSim.Isolation;

/// <summary>
/// The <c>fmu</c> kind of component, with isolation: a request with option <c>isolated=true</c> runs
/// the FMU in its own host process (<see cref="IsolatedFmuComponent"/>), others are made in process by
/// <see cref="FmuComponentFactory"/>. Options: <c>isolation-timeout</c> (seconds a call may take),
/// <c>isolation-memory</c> (MiB of resident memory), <c>on-crash</c> = stop | restart.
/// </summary>
public sealed class IsolatingFmuComponentFactory : IComponentFactory
{
    private readonly FmuComponentFactory _inProcess = new();

    /// <inheritdoc />
    public string Kind => _inProcess.Kind;

    /// <inheritdoc />
    public bool Recognizes(string source) => _inProcess.Recognizes(source);

    /// <inheritdoc />
    public IComponent Create(ComponentRequest request, ILogSink log)
    {
        if (request.Option("isolated") is not ("true" or "yes" or "1")) return _inProcess.Create(request, log);
        var archive = FmuArchive.Open(request.Source);
        if (request.Option("interface") == "se" || (request.Option("interface") == null && FmuComponents.ChooseInterface(archive, null) == FmuInterface.ScheduledExecution))
            throw new InputException("scheduled execution (FMI 3 clocks) cannot run isolated yet; run it without --isolate");
        var me = request.Option("interface") switch
        {
            null => FmuComponents.ChooseInterface(archive, null) == FmuInterface.ModelExchange,
            "cs" => false,
            "me" => true,
            var other => throw new InputException($"component '{request.Name}': interface '{other}' is neither cs nor me"),
        };
        return new IsolatedFmuComponent(archive, request.Name, log, me, FmuComponentFactory.SolverFrom(request), request.Logging, OptionsFrom(request));
    }

    /// <summary>Isolation settings from the request's options (defaults for the ones it does not give).</summary>
    public static IsolationOptions OptionsFrom(ComponentRequest request)
    {
        double? Number(string key)
        {
            if (request.Option(key) is not { } text) return null;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v <= 0 || v > 1e6)
                throw new InputException($"component '{request.Name}': {key} '{text}' must be a positive number");
            return v;
        }
        var options = new IsolationOptions
        {
            CallTimeout = Number("isolation-timeout") is { } s ? TimeSpan.FromSeconds(s) : IsolationOptions.Default.CallTimeout,
            MemoryLimitBytes = Number("isolation-memory") is { } mib ? (long)(mib * 1024 * 1024) : null,
            OnCrash = request.Option("on-crash") switch
            {
                null or "stop" => CrashPolicy.Stop,
                "restart" => CrashPolicy.Restart,
                var other => throw new InputException($"component '{request.Name}': on-crash '{other}' is neither stop nor restart"),
            },
        };
        options.Validate();
        return options;
    }
}
