using CoSim.Core;
using CoSim.Fmi;

namespace CoSim.Estimation.Tests;

/// <summary>
/// Honest intervals on a nonlinear model: the Pump FMU (model exchange; pump curve a w^2, losses Q|Q|, copper
/// losses R i^2). The truth is the same FMU started from another state and driven by the process noise the
/// filter assumes (added to its states at every measurement time); flow and motor temperature are measured
/// with noise. The twin starts from the model's own start values. After it settles, the 90 % interval of the
/// unmeasured shaft speed must contain the truth 85-95 % of the time.
/// </summary>
[TestFixture]
public sealed class HonestIntervalTests
{
    private const double Dt = 0.1, Stop = 40, Settle = 5, FlowSigma = 0.5, TemperatureSigma = 0.2;
    private static readonly string[] States = ["omega", "volumeFlow", "motorTemperature"];
    private static readonly double[] Noise = [20, 2e-4, 0.1];
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("cosim-estimate-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [TestCase(EstimatorKind.EnKF)]
    [TestCase(EstimatorKind.Ukf)]
    public void TheIntervalOfAnUnmeasuredStateContainsTheTruthAbout90PercentOfTheTime(EstimatorKind kind)
    {
        var (data, truth) = Truth();
        var settings = new EstimationSettings
        {
            Kind = kind,
            Ensemble = 64,
            Seed = 11,
            Measurements = [new("flowRate", "flow", FlowSigma), new("motorTemperature", "temperature", TemperatureSigma)],
            InitialSpread = new Dictionary<string, double> { ["omega"] = 150, ["volumeFlow"] = 1e-3, ["motorTemperature"] = 30 },
            ProcessNoise = States.Zip(Noise).ToDictionary(p => p.First, p => p.Second),
        };
        using var ensemble = new Ensemble(Models.Spec(Models.Pump, "pump", Stop, Dt), data, settings, NullLogSink.Instance);
        var result = ensemble.Run();
        var time = result.Column("time");
        var lower = result.Column("omega.lower");
        var upper = result.Column("omega.upper");
        int inside = 0, total = 0;
        for (var k = 0; k < time.Length; k++)
        {
            if (time[k] < Settle) continue;
            total++;
            if (truth[k] >= lower[k] && truth[k] <= upper[k]) inside++;
        }
        var coverage = (double)inside / total;
        var startError = Math.Abs(result.Column("omega")[0] - truth[0]);
        TestContext.Out.WriteLine($"{kind}: omega 90 % interval holds the truth at {inside}/{total} = {coverage:P1} of the analyses after {Settle} s; " +
                                  $"error at t=0 {startError:F1} rad/s; {string.Join(" ", result.Summary(ensemble.Size, kind.ToString()))}");
        coverage.ShouldBeInRange(0.85, 0.95);
    }

    /// <summary>
    /// Forecasts at the declared horizon are honest too: every 4th analysis the UKF's members run 1 s ahead (with the
    /// process noise), and the 90 % forecast interval of the unmeasured shaft speed at t + 1 s must hold the truth there
    /// 85-95 % of the time (after the settling time).
    /// </summary>
    [Test]
    public void TheForecastIntervalAtTheHorizonContainsTheTruthAbout90PercentOfTheTime()
    {
        var (data, truth) = Truth();
        var settings = new EstimationSettings
        {
            Kind = EstimatorKind.Ukf,
            Measurements = [new("flowRate", "flow", FlowSigma), new("motorTemperature", "temperature", TemperatureSigma)],
            InitialSpread = new Dictionary<string, double> { ["omega"] = 150, ["volumeFlow"] = 1e-3, ["motorTemperature"] = 30 },
            ProcessNoise = States.Zip(Noise).ToDictionary(p => p.First, p => p.Second),
            ForecastHorizon = 1.0,
            ForecastEvery = 4,
        };
        using var ensemble = new Ensemble(Models.Spec(Models.Pump, "pump", Stop, Dt), data, settings, NullLogSink.Instance);
        var result = ensemble.Run();
        var time = result.Column("time");
        var forecast = result.Column("omega.forecast");
        var lower = result.Column("omega.forecast_lower");
        var upper = result.Column("omega.forecast_upper");
        int inside = 0, total = 0;
        for (var k = 0; k < time.Length; k++)
        {
            if (time[k] < Settle || double.IsNaN(forecast[k])) continue;
            total++;
            if (truth[k] >= lower[k] && truth[k] <= upper[k]) inside++;
        }
        var coverage = (double)inside / total;
        TestContext.Out.WriteLine($"UKF forecast 1 s ahead: omega 90 % interval holds the truth at {inside}/{total} = {coverage:P1}; " +
                                  string.Join(" ", result.Summary(ensemble.Size, "UKF")));
        total.ShouldBeGreaterThan(80);
        coverage.ShouldBeInRange(0.85, 0.95);
    }

    /// <summary>The truth: the Pump from another state, with process noise added to its states at every data time; measured flow and temperature with noise.</summary>
    private (Telemetry.Replay.HistorianData Data, double[] Omega) Truth()
    {
        var random = new Random(5);
        using var pump = FmuComponents.Create(Models.Pump, "truth", NullLogSink.Instance, FmuInterface.ModelExchange);
        var access = (IContinuousStateAccess)pump;
        access.ContinuousStateNames.ShouldBe(States);
        var outputs = pump.CreateAccessor([Index(pump, "flowRate"), Index(pump, "motorTemperature")]);
        pump.Instantiate();
        pump.EnterInitialization(SimTime.Zero, SimTime.FromSeconds(Stop), null);
        pump.ExitInitialization();
        var x = new double[] { 250, 1.5e-3, 60 };
        var y = new double[2];
        var times = new List<double>();
        var rows = new List<double[]>();
        var omega = new List<double>();
        var count = (int)Math.Round(Stop / Dt);
        for (var k = 0; k <= count; k++)
        {
            if (k == 0) access.SetContinuousStates(x);
            outputs.Read(y);
            access.GetContinuousStates(x);
            times.Add(k * Dt);
            omega.Add(x[0]);
            rows.Add([y[0] + FlowSigma * Models.Gaussian(random), y[1] + TemperatureSigma * Models.Gaussian(random)]);
            if (k == count) break;
            for (var i = 0; i < 3; i++) x[i] += Noise[i] * Math.Sqrt(Dt) * Models.Gaussian(random);
            access.SetContinuousStates(x);
            pump.Step(SimTime.FromSeconds(k * Dt), SimTime.FromSeconds(Dt));
        }
        pump.Terminate();
        return (Models.Data(_folder, ["flow", "temperature"], times, rows), omega.ToArray());
    }

    private static int Index(IComponent c, string name) => c.Variables.First(v => v.Name == name).Index;
}
