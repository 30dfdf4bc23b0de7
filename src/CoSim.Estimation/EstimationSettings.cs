using System.Globalization;
using CoSim.Core;

namespace CoSim.Estimation;

/// <summary>Which filter runs the analysis.</summary>
public enum EstimatorKind
{
    /// <summary>Stochastic ensemble Kalman filter (perturbed observations) over <see cref="EstimationSettings.Ensemble"/> members.</summary>
    EnKF,
    /// <summary>Unscented Kalman filter: 2n members at the symmetric sigma points of the n estimated values.</summary>
    Ukf,
}

/// <summary>A measured signal: the model output, the data column that measures it, the measurement noise sigma (the output's units).</summary>
public sealed record Measurement(string Output, string Column, double Sigma)
{
    /// <summary>Parses <c>OUTPUT=COLUMN@SIGMA</c> (the <c>--estimate</c> option); a bad text throws <see cref="InputException"/>.</summary>
    public static Measurement Parse(string text)
    {
        var eq = text.IndexOf('=');
        var at = text.LastIndexOf('@');
        if (eq <= 0 || at <= eq + 1 || at == text.Length - 1)
            throw new InputException($"--estimate {text}: write OUTPUT=COLUMN@SIGMA, e.g. level=level_sensor@0.01");
        return new Measurement(text[..eq], text[(eq + 1)..at], EstimationSettings.ParseSigma("--estimate", text, text[(at + 1)..]));
    }
}

/// <summary>
/// What the estimator does. Process noise is a random walk added at each assimilation time for the interval
/// up to the next one (variance <c>sigma^2 * dt</c>, sigma per square root of a second), then propagated by the
/// model: the discrete model <c>x[k+1] = f(x[k] + w[k])</c>, <c>w[k] ~ N(0, Q dt)</c>.
/// </summary>
public sealed record EstimationSettings
{
    /// <summary>The measured signals (at least one).</summary>
    public IReadOnlyList<Measurement> Measurements { get; init; } = [];

    /// <summary>EnKF or UKF.</summary>
    public EstimatorKind Kind { get; init; } = EstimatorKind.EnKF;

    /// <summary>Members of the EnKF (the UKF uses 2n).</summary>
    public int Ensemble { get; init; } = 32;

    /// <summary>Seed of the random numbers (initial spread, process noise, perturbed observations).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Process noise sigma per square root of a second, by state or tunable parameter name; a parameter named here is estimated as a slowly varying state.</summary>
    public IReadOnlyDictionary<string, double> ProcessNoise { get; init; } = new Dictionary<string, double>();

    /// <summary>Initial spread (sigma) of states and estimated parameters around the model's start values.</summary>
    public IReadOnlyDictionary<string, double> InitialSpread { get; init; } = new Dictionary<string, double>();

    /// <summary>Multiplicative prior inflation of the ensemble anomalies (EnKF; 1 = none).</summary>
    public double Inflation { get; init; } = 1.0;

    /// <summary>Lead time of forecasts [s]; null: none.</summary>
    public double? ForecastHorizon { get; init; }

    /// <summary>Forecast at every this many analyses (1: every one).</summary>
    public int ForecastEvery { get; init; } = 1;

    /// <summary>The two-sided interval reported as <c>.lower</c> / <c>.upper</c>.</summary>
    public const double IntervalProbability = 0.90;

    /// <summary>Every problem of the settings, one line each.</summary>
    public IEnumerable<string> Problems()
    {
        if (Measurements.Count == 0) yield return "--estimate: at least one measured signal OUTPUT=COLUMN@SIGMA is needed";
        if (Kind == EstimatorKind.EnKF && Ensemble < 2) yield return $"--ensemble {Ensemble}: an ensemble needs at least 2 members";
        if (!(Inflation >= 1.0) || !double.IsFinite(Inflation)) yield return $"--inflation {Inflation.ToString(CultureInfo.InvariantCulture)}: must be a number >= 1";
        foreach (var m in Measurements)
            if (!(m.Sigma > 0) || !double.IsFinite(m.Sigma)) yield return $"--estimate {m.Output}: sigma must be > 0";
        foreach (var (name, sigma) in ProcessNoise)
            if (!(sigma >= 0) || !double.IsFinite(sigma)) yield return $"--process-noise {name}: sigma must be >= 0";
        foreach (var (name, sigma) in InitialSpread)
            if (!(sigma >= 0) || !double.IsFinite(sigma)) yield return $"--initial-spread {name}: sigma must be >= 0";
        if (ForecastHorizon is { } h && !(h > 0)) yield return "--forecast: the horizon must be > 0 s";
        if (ForecastEvery < 1) yield return $"--forecast-every {ForecastEvery}: must be at least 1";
    }

    /// <summary>Parses <c>NAME=SIGMA</c> (<c>--process-noise</c>, <c>--initial-spread</c>) into <paramref name="into"/>.</summary>
    public static void ParseNamedSigma(string option, string text, IDictionary<string, double> into)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1) throw new InputException($"{option} {text}: write NAME=SIGMA");
        into[text[..eq]] = ParseSigma(option, text, text[(eq + 1)..]);
    }

    internal static double ParseSigma(string option, string text, string sigma) =>
        double.TryParse(sigma, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) && s > 0
            ? s
            : throw new InputException($"{option} {text}: sigma '{sigma}' must be a number > 0");
}
