namespace CoSim.Core;

/// <summary>
/// A physical unit as SI base-unit exponents with a factor and an offset:
/// <c>value_SI = Factor * value + Offset</c> (FMI's and SSP's <c>BaseUnit</c>).
/// "Unit" in CoSim means this and only this; the simulated things are components.
/// </summary>
/// <param name="Kg">Exponent of kilogram.</param>
/// <param name="M">Exponent of metre.</param>
/// <param name="S">Exponent of second.</param>
/// <param name="A">Exponent of ampere.</param>
/// <param name="K">Exponent of kelvin.</param>
/// <param name="Mol">Exponent of mole.</param>
/// <param name="Cd">Exponent of candela.</param>
/// <param name="Rad">Exponent of radian.</param>
/// <param name="Factor">Scale to SI.</param>
/// <param name="Offset">Offset to SI (e.g. 273.15 for degrees Celsius).</param>
public sealed record BaseUnit(int Kg, int M, int S, int A, int K, int Mol, int Cd, int Rad, double Factor, double Offset);

/// <summary>
/// A linear transformation <c>value = Factor * source + Offset</c>: a connection's explicit scaling
/// (SSP <c>LinearTransformation</c>) or a conversion between physical units.
/// </summary>
/// <param name="Factor">Scale.</param>
/// <param name="Offset">Offset added after scaling.</param>
public readonly record struct LinearTransform(double Factor, double Offset)
{
    /// <summary>No change.</summary>
    public static readonly LinearTransform Identity = new(1, 0);

    /// <summary>Applies this transformation to <paramref name="value"/>.</summary>
    public double Apply(double value) => Factor * value + Offset;
}

/// <summary>Conversion between two physical units (<see cref="BaseUnit"/>).</summary>
public static class UnitConversion
{
    /// <summary>Whether both units measure the same quantity (equal exponents).</summary>
    public static bool Compatible(BaseUnit a, BaseUnit b) =>
        a.Kg == b.Kg && a.M == b.M && a.S == b.S && a.A == b.A && a.K == b.K && a.Mol == b.Mol && a.Cd == b.Cd && a.Rad == b.Rad;

    /// <summary>The linear map from a value in <paramref name="from"/> to the same quantity in <paramref name="to"/>.</summary>
    public static LinearTransform Between(BaseUnit from, BaseUnit to)
    {
        if (from.Factor == to.Factor && from.Offset == to.Offset) return LinearTransform.Identity;
        return new LinearTransform(from.Factor / to.Factor, (from.Offset - to.Offset) / to.Factor);
    }

    /// <summary>Applies <paramref name="first"/>, then <paramref name="second"/>, as one transformation.</summary>
    public static LinearTransform Compose(LinearTransform first, LinearTransform second) =>
        new(second.Factor * first.Factor, second.Factor * first.Offset + second.Offset);

    /// <summary>Text like "kg·m·s^-2" for messages.</summary>
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
