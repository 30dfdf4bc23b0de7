using CoSim.Core;

namespace CoSim.Telemetry.Units;

/// <summary>
/// The physical units historians write in column headers or that users name for a column, as
/// <see cref="BaseUnit"/>s, so that <see cref="UnitConversion"/> can convert a column to the unit of
/// the variable it feeds. A variable's unit is looked up here by name (a manipulator cannot see a
/// component's own unit definitions): an unknown name means no conversion, and the caller says so.
/// </summary>
public static class KnownUnits
{
    private static readonly Dictionary<string, BaseUnit> Table = new(StringComparer.Ordinal)
    {
        ["1"] = U(),
        ["%"] = U(factor: 0.01),
        ["s"] = U(s: 1),
        ["ms"] = U(s: 1, factor: 1e-3),
        ["min"] = U(s: 1, factor: 60),
        ["h"] = U(s: 1, factor: 3600),
        ["m"] = U(m: 1),
        ["mm"] = U(m: 1, factor: 1e-3),
        ["kg"] = U(kg: 1),
        ["V"] = U(kg: 1, m: 2, s: -3, a: -1),
        ["kV"] = U(kg: 1, m: 2, s: -3, a: -1, factor: 1e3),
        ["mV"] = U(kg: 1, m: 2, s: -3, a: -1, factor: 1e-3),
        ["A"] = U(a: 1),
        ["mA"] = U(a: 1, factor: 1e-3),
        ["W"] = U(kg: 1, m: 2, s: -3),
        ["kW"] = U(kg: 1, m: 2, s: -3, factor: 1e3),
        ["Pa"] = U(kg: 1, m: -1, s: -2),
        ["kPa"] = U(kg: 1, m: -1, s: -2, factor: 1e3),
        ["MPa"] = U(kg: 1, m: -1, s: -2, factor: 1e6),
        ["bar"] = U(kg: 1, m: -1, s: -2, factor: 1e5),
        ["mbar"] = U(kg: 1, m: -1, s: -2, factor: 100),
        ["psi"] = U(kg: 1, m: -1, s: -2, factor: 6894.757293168361),
        ["K"] = U(k: 1),
        ["degC"] = U(k: 1, offset: 273.15),
        ["degF"] = U(k: 1, factor: 5.0 / 9, offset: 273.15 - 32 * 5.0 / 9),
        ["m3/s"] = U(m: 3, s: -1),
        ["m3/h"] = U(m: 3, s: -1, factor: 1.0 / 3600),
        ["l/s"] = U(m: 3, s: -1, factor: 1e-3),
        ["l/min"] = U(m: 3, s: -1, factor: 1e-3 / 60),
        ["rad/s"] = U(s: -1, rad: 1),
        ["rpm"] = U(s: -1, rad: 1, factor: 2 * Math.PI / 60),
        ["Hz"] = U(s: -1),
        ["m/s"] = U(m: 1, s: -1),
        ["N.m"] = U(kg: 1, m: 2, s: -2),
    };

    private static BaseUnit U(int kg = 0, int m = 0, int s = 0, int a = 0, int k = 0, int rad = 0, double factor = 1, double offset = 0) =>
        new(kg, m, s, a, k, 0, 0, rad, factor, offset);

    /// <summary>The unit of this name, or null when it is not one of the known ones.</summary>
    public static BaseUnit? Find(string? name) => name != null && Table.TryGetValue(name, out var u) ? u : null;

    /// <summary>The names known, for messages.</summary>
    public static IEnumerable<string> Names => Table.Keys;

    /// <summary>
    /// The transform from <paramref name="from"/> to <paramref name="to"/>; identity when they are equal.
    /// Throws <see cref="InputException"/> when either is unknown or they measure different quantities.
    /// </summary>
    public static LinearTransform Between(string from, string to, string what)
    {
        if (from == to) return LinearTransform.Identity;
        var f = Find(from) ?? throw new InputException($"{what}: unit '{from}' is unknown (known: {string.Join(", ", Names)})");
        var t = Find(to) ?? throw new InputException($"{what}: unit '{to}' is unknown (known: {string.Join(", ", Names)})");
        if (!UnitConversion.Compatible(f, t)) throw new InputException($"{what}: '{from}' ({UnitConversion.Describe(f)}) cannot be converted to '{to}' ({UnitConversion.Describe(t)})");
        return UnitConversion.Between(f, t);
    }
}
