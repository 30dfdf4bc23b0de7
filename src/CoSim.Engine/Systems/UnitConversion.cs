using CoSim.Fmi.Description;

namespace CoSim.Engine.Systems;

/// <summary>
/// Conversion between two physical units given as SI base-unit exponents with factor and offset
/// (<c>value_SI = factor * value + offset</c>, as FMI's and SSP's <c>BaseUnit</c>).
/// </summary>
public static class UnitConversion
{
    /// <summary>Whether both units measure the same quantity (equal exponents).</summary>
    public static bool Compatible(BaseUnit a, BaseUnit b) =>
        a.Kg == b.Kg && a.M == b.M && a.S == b.S && a.A == b.A && a.K == b.K && a.Mol == b.Mol && a.Cd == b.Cd && a.Rad == b.Rad;

    /// <summary>The linear map from a value in <paramref name="from"/> to the same quantity in <paramref name="to"/>.</summary>
    public static LinearTransform Between(BaseUnit from, BaseUnit to)
    {
        if (from.Factor == to.Factor && from.Offset == to.Offset) return LinearTransform.Identity;
        var factor = from.Factor / to.Factor;
        return new LinearTransform(factor, (from.Offset - to.Offset) / to.Factor);
    }

    /// <summary>Applies <paramref name="first"/>, then <paramref name="second"/>, as one transformation.</summary>
    public static LinearTransform Compose(LinearTransform first, LinearTransform second) =>
        new(second.Factor * first.Factor, second.Factor * first.Offset + second.Offset);

    /// <summary>Text like "kg.m/s2" for messages.</summary>
    public static string Describe(BaseUnit u)
    {
        var parts = new List<string>();
        void Add(string n, int e)
        {
            if (e != 0) parts.Add(e == 1 ? n : $"{n}^{e}");
        }
        Add("kg", u.Kg); Add("m", u.M); Add("s", u.S); Add("A", u.A); Add("K", u.K); Add("mol", u.Mol); Add("cd", u.Cd); Add("rad", u.Rad);
        return parts.Count == 0 ? "1" : string.Join("·", parts);
    }
}
