using CoSim.Core;

namespace CoSim.Ml.Training;

/// <summary>
/// A data column and the variable name it gets in a fitted model: <c>Pump.valve</c> becomes
/// <c>valve</c> (a CoSim result column loses its component prefix), <c>COLUMN=NAME</c> names it explicitly.
/// </summary>
public sealed record ColumnChoice(string Column, string Variable)
{
    public static ColumnChoice Parse(string text)
    {
        var eq = text.IndexOf('=');
        if (eq == 0 || eq == text.Length - 1) throw new InputException($"'{text}': expected COLUMN or COLUMN=NAME");
        if (eq > 0) return new ColumnChoice(text[..eq].Trim(), text[(eq + 1)..].Trim());
        var dot = text.IndexOf('.');
        return new ColumnChoice(text.Trim(), dot > 0 && dot < text.Length - 1 ? text[(dot + 1)..].Trim() : text.Trim());
    }

    /// <summary>Parses a list and checks that its variable names are distinct (also across <paramref name="others"/>).</summary>
    public static IReadOnlyList<ColumnChoice> ParseList(IEnumerable<string> texts, string what, IEnumerable<ColumnChoice>? others = null)
    {
        var list = texts.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(Parse).ToList();
        if (list.Count == 0) throw new InputException($"{what}: name at least one column");
        var clash = list.Concat(others ?? []).GroupBy(c => c.Variable).FirstOrDefault(g => g.Count() > 1);
        if (clash != null)
            throw new InputException($"{what}: columns {string.Join(" and ", clash.Select(c => $"'{c.Column}'"))} would both be the variable '{clash.Key}'; name them with COLUMN=NAME");
        return list;
    }
}
