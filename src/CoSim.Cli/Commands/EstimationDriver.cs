using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Estimation;
using CoSim.Runner;
using CoSim.Telemetry.Replay;

namespace CoSim.Cli.Commands;

/// <summary>
/// <c>cosim simulate|run ... --replay FILE --estimate OUTPUT=COLUMN@SIGMA</c>: the run becomes a state estimation
/// (<see cref="Ensemble"/>): every member is built as the run would be (the run's own specification builder, with the overrides),
/// the measurements are the replay file's columns. Writes the estimate's rows (also the rows up to a failure) and prints its summary.
/// </summary>
internal static class EstimationDriver
{
    public static int Execute(Func<RunSpecification> build, Func<HistorianData?> replayData, RunOverrides overrides, ILogSink log)
    {
        var settings = Settings(overrides);
        var first = build();
        var data = replayData() ?? throw new InputException("--estimate needs --replay FILE: the measurements are its columns");
        var defaultComponent = first.MainComponent ?? (first.Components.Count == 1 ? first.Components[0].Name : null);
        var output = overrides.Output ?? $"{first.Name}_estimate.csv";
        var pending = first;
        RunSpecification Member()
        {
            var spec = Interlocked.Exchange(ref pending, null) ?? build();
            overrides.ApplyTo(spec, defaultComponent);
            return spec;
        }

        using var interrupt = ConsoleInterrupt.Catch();
        using var ensemble = new Ensemble(Member, data, settings, log);
        Exception? failure = null;
        try
        {
            ensemble.Run(interrupt.Token);
        }
        catch (Exception e) when (e is SimulationException or InputException)
        {
            failure = e;
        }
        ensemble.Result.WriteCsv(output); // also after a failure: the rows up to it are results
        var kind = settings.Kind == EstimatorKind.Ukf ? "UKF" : "EnKF";
        if (failure != null)
        {
            Console.Error.WriteLine($"{ensemble.Result.Rows.Count} rows estimated up to the failure are in {output}");
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        Console.WriteLine($"{first.Name}: estimated {ensemble.Layout.Values.Count} values from {ensemble.Layout.Measured.Count} measured signals to t={CliOptions.Text(ensemble.Schedule.Stop.Seconds)} s; " +
                          $"{ensemble.Result.Rows.Count} rows -> {output}");
        foreach (var line in ensemble.Result.Summary(ensemble.Size, kind)) Console.WriteLine(line);
        return CliOptions.Success;
    }

    /// <summary>The estimator's settings from the run options (bad values: one line each, as an <see cref="InputException"/>).</summary>
    internal static EstimationSettings Settings(RunOverrides o)
    {
        var noise = new Dictionary<string, double>();
        foreach (var n in o.ProcessNoise) EstimationSettings.ParseNamedSigma("--process-noise", n, noise);
        var spread = new Dictionary<string, double>();
        foreach (var s in o.InitialSpread) EstimationSettings.ParseNamedSigma("--initial-spread", s, spread);
        return new EstimationSettings
        {
            Measurements = o.Estimate.Select(Measurement.Parse).ToList(),
            Kind = o.Estimator == "ukf" ? EstimatorKind.Ukf : EstimatorKind.EnKF,
            Ensemble = o.Ensemble ?? 32,
            Seed = o.Seed ?? 1,
            Inflation = o.Inflation ?? 1.0,
            ProcessNoise = noise,
            InitialSpread = spread,
            ForecastHorizon = o.Forecast,
            ForecastEvery = o.ForecastEvery ?? 1,
        };
    }
}
