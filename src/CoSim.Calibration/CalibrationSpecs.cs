using System.Globalization;
using CoSim.Core;

namespace CoSim.Calibration;

/// <summary>
/// A parameter to estimate (<c>NAME=LO..HI[@START]</c>): a model parameter, an input held constant,
/// or the start value of a state, searched for between <see cref="Lower"/> and <see cref="Upper"/>.
/// </summary>
/// <param name="Name">The variable: <c>Component.variable</c>, or a bare name of a single-component model.</param>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="Start">Where the search starts; null: the model's start value when inside the bounds, else the middle.</param>
/// <param name="PerExperiment">One value per data file (e.g. an initial temperature), not one shared value.</param>
public sealed record ParameterSpec(string Name, double Lower, double Upper, double? Start = null, bool PerExperiment = false)
{
    /// <summary>Parses <c>NAME=LO..HI[@START]</c>; bad text, inverted bounds and a start outside them throw <see cref="InputException"/> naming <paramref name="option"/>.</summary>
    public static ParameterSpec Parse(string text, string option = "--param", bool perExperiment = false)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0) throw new InputException($"{option} '{text}': expected NAME=LO..HI[@START], e.g. 'area=0.1..2@0.5'");
        var name = text[..eq].Trim();
        var range = text[(eq + 1)..].Trim();
        double? start = null;
        var at = range.IndexOf('@');
        if (at >= 0)
        {
            start = Number(option, text, range[(at + 1)..]);
            range = range[..at];
        }
        var dots = range.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0) throw new InputException($"{option} '{text}': expected LO..HI bounds, e.g. '{name}=0.1..2'");
        var lower = Number(option, text, range[..dots]);
        var upper = Number(option, text, range[(dots + 2)..]);
        if (!(lower < upper)) throw new InputException($"{option} '{text}': the lower bound {Fmt(lower)} must be below the upper bound {Fmt(upper)}");
        if (start is { } s && (s < lower || s > upper))
            throw new InputException($"{option} '{text}': the start {Fmt(s)} is outside the bounds {Fmt(lower)}..{Fmt(upper)}");
        return new ParameterSpec(name, lower, upper, start, perExperiment);
    }

    internal static double Number(string option, string text, string part) =>
        double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new InputException($"{option} '{text}': '{part.Trim()}' is not a finite number");

    internal static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// A simulated output compared with a measured column (<c>OUTPUT=COLUMN[unit][@SIGMA|:WEIGHT]</c>).
/// Each residual is <c>(simulated - measured) / sigma</c>, or <c>sqrt(weight) x (simulated - measured)</c>.
/// </summary>
/// <param name="Output">The model output (<c>Component.variable</c>, or a bare name of a single-component model).</param>
/// <param name="Column">The data column's header name.</param>
/// <param name="Unit">The column's unit when it differs from the output's (converted as in shadow mode); null: the same.</param>
/// <param name="Sigma">Known measurement standard deviation, in the output's unit; null: unknown (estimated from the fit).</param>
/// <param name="Weight">Weight of the squared residuals when no sigma is given.</param>
public sealed record FitSpec(string Output, string Column, string? Unit = null, double? Sigma = null, double Weight = 1)
{
    /// <summary>Parses <c>OUTPUT=COLUMN[unit][@SIGMA|:WEIGHT]</c>; throws <see cref="InputException"/> for bad text.</summary>
    public static FitSpec Parse(string text, string option = "--fit")
    {
        var eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1) throw new InputException($"{option} '{text}': expected OUTPUT=COLUMN[unit][@SIGMA|:WEIGHT], e.g. 'level=Level[m]@0.01'");
        var output = text[..eq].Trim();
        var column = text[(eq + 1)..].Trim();
        double? sigma = null;
        double weight = 1;
        var at = column.LastIndexOf('@');
        var colon = column.LastIndexOf(':');
        if (at > 0 && at > column.LastIndexOf(']'))
        {
            sigma = ParameterSpec.Number(option, text, column[(at + 1)..]);
            if (sigma <= 0) throw new InputException($"{option} '{text}': the sigma must be positive");
            column = column[..at].TrimEnd();
        }
        else if (colon > 0 && colon > column.LastIndexOf(']') && double.TryParse(column[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            weight = ParameterSpec.Number(option, text, column[(colon + 1)..]);
            if (weight <= 0) throw new InputException($"{option} '{text}': the weight must be positive");
            column = column[..colon].TrimEnd();
        }
        string? unit = null;
        var open = column.LastIndexOf('[');
        if (open > 0 && column.EndsWith(']'))
        {
            unit = column[(open + 1)..^1];
            column = column[..open].TrimEnd();
        }
        if (column.Length == 0) throw new InputException($"{option} '{text}': no column named");
        return new FitSpec(output, column, unit, sigma, weight);
    }
}

/// <summary>An input driven from a data column (<c>COLUMN[unit]=INPUT</c>, as <c>--replay-map</c>).</summary>
public sealed record InputMapSpec(string Column, string Input, string? Unit = null)
{
    /// <summary>Parses <c>COLUMN[unit]=INPUT</c>.</summary>
    public static InputMapSpec Parse(string text, string option = "--map")
    {
        var eq = text.LastIndexOf('=');
        if (eq <= 0 || eq == text.Length - 1) throw new InputException($"{option} '{text}': expected COLUMN[unit]=INPUT, e.g. 'Valve=valve'");
        var column = text[..eq].Trim();
        string? unit = null;
        var open = column.LastIndexOf('[');
        if (open > 0 && column.EndsWith(']'))
        {
            unit = column[(open + 1)..^1];
            column = column[..open].TrimEnd();
        }
        return new InputMapSpec(column, text[(eq + 1)..].Trim(), unit);
    }
}

/// <summary>What a measured value that is missing (an empty cell, NaN) does.</summary>
public enum MissingValues
{
    /// <summary>Bad input: one line naming the file, line and column.</summary>
    Fail,

    /// <summary>The point is left out of the fit (counted in the summary).</summary>
    Skip,
}

/// <summary>Which rows of each data file the fit uses.</summary>
public sealed record FitSelection
{
    /// <summary>Only the first N rows (SKAB's rule: 400); null: all.</summary>
    public int? Rows { get; init; }

    /// <summary>Leave out the rows before this one (0-based; validation after the rows a file's own values were fitted on); null: none.</summary>
    public int? FromRow { get; init; }

    /// <summary>Only rows with FROM &lt;= time &lt;= TO (simulation seconds); null: all.</summary>
    public (double From, double To)? Window { get; init; }

    /// <summary>Parses <c>FROM..TO</c> for <c>--fit-window</c>.</summary>
    public static (double From, double To) ParseWindow(string text, string option = "--fit-window")
    {
        var dots = text.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0) throw new InputException($"{option} '{text}': expected FROM..TO in seconds, e.g. '0..400'");
        var from = ParameterSpec.Number(option, text, text[..dots]);
        var to = ParameterSpec.Number(option, text, text[(dots + 2)..]);
        if (!(from < to)) throw new InputException($"{option} '{text}': FROM must be below TO");
        return (from, to);
    }
}
