using CoSim.Core;
using CoSim.Engine.Systems;
using CoSim.Fmi.Description;

namespace CoSim.Engine.Tests.Systems;

public class SystemModelTests
{
    private static ComponentVariable Var(int i, string name, ValueKind kind, VariableRole role, string? unit = null) => new(i, name, kind, role, true, unit, null, "0");

    private static TestComponent Unit(string name, params ComponentVariable[] vars) => new(name, [], []) { Variables = vars };

    [Test]
    public void Validate_SeveralProblems_ReportsAllAtOnce()
    {
        using var system = new SystemModel();
        var m = new BaseUnit(0, 1, 0, 0, 0, 0, 0, 0, 1, 0);
        var s = new BaseUnit(0, 0, 1, 0, 0, 0, 0, 0, 1, 0);
        system.Add(new SystemComponent(Unit("A",
            Var(0, "y", ValueKind.Real, VariableRole.Output, "m"),
            Var(1, "n", ValueKind.Integer, VariableRole.Output),
            Var(2, "u", ValueKind.Real, VariableRole.Input)), new Dictionary<string, BaseUnit> { ["m"] = m }));
        system.Add(new SystemComponent(Unit("B",
            Var(0, "u", ValueKind.Real, VariableRole.Input, "s"),
            Var(1, "v", ValueKind.Real, VariableRole.Input),
            Var(2, "w", ValueKind.Real, VariableRole.Input),
            Var(3, "y", ValueKind.Real, VariableRole.Output)), new Dictionary<string, BaseUnit> { ["s"] = s }));
        system.Connect("A.y", "B.u");       // incompatible units
        system.Connect("A.n", "B.v");       // type mismatch
        system.Connect("A.y", "B.v");       // B.v connected twice
        system.Connect("B.w", "A.y");       // wrong way round
        system.Connect("A.nope", "B.w");    // unknown variable
        system.Connect("C.y", "B.w");       // unknown component

        var result = system.Validate();

        var errors = result.Errors.Select(e => e.Message).ToList();
        errors.ShouldContain(e => e.Contains("incompatible units") && e.Contains("A.y -> B.u"));
        errors.ShouldContain(e => e.Contains("type mismatch") && e.Contains("A.n"));
        errors.ShouldContain(e => e.Contains("'B.v' is connected 2 times"));
        errors.ShouldContain(e => e.Contains("wrong way round"));
        errors.ShouldContain(e => e.Contains("has no variable 'nope'"));
        errors.ShouldContain(e => e.Contains("unknown component 'C'"));
        result.Warnings.ShouldContain(w => w.Message.Contains("'A.u' is not connected"));
        var thrown = Should.Throw<InputException>(result.ThrowIfErrors);
        thrown.Message.ShouldContain("incompatible units");
        thrown.Message.ShouldContain("unknown component");
    }

    [Test]
    public void EffectiveTransform_KilometresToMetresWithLinearTransform_ComposesBoth()
    {
        var km = new BaseUnit(0, 1, 0, 0, 0, 0, 0, 0, 1000, 0);
        var m = new BaseUnit(0, 1, 0, 0, 0, 0, 0, 0, 1, 0);
        var a = new SystemComponent(Unit("A", Var(0, "y", ValueKind.Real, VariableRole.Output, "km")), new Dictionary<string, BaseUnit> { ["km"] = km });
        var b = new SystemComponent(Unit("B", Var(0, "u", ValueKind.Real, VariableRole.Input, "m")), new Dictionary<string, BaseUnit> { ["m"] = m });
        var conn = new Connection(VariableRef.Parse("A.y"), VariableRef.Parse("B.u"), new LinearTransform(2, 1));

        var t = SystemModel.EffectiveTransform(conn, a, a.Instance.Variables[0], b, b.Instance.Variables[0]);

        // 3 km -> 2*3+1 = 7 km -> 7000 m
        (t.Factor * 3 + t.Offset).ShouldBe(7000, 1e-9);
    }

    [Test]
    public void EffectiveTransform_CelsiusToKelvin_UsesOffsets()
    {
        var degC = new BaseUnit(0, 0, 0, 0, 1, 0, 0, 0, 1, 273.15);
        var kelvin = new BaseUnit(0, 0, 0, 0, 1, 0, 0, 0, 1, 0);
        var a = new SystemComponent(Unit("A", Var(0, "T", ValueKind.Real, VariableRole.Output, "degC")), new Dictionary<string, BaseUnit> { ["degC"] = degC });
        var b = new SystemComponent(Unit("B", Var(0, "T", ValueKind.Real, VariableRole.Input, "K")), new Dictionary<string, BaseUnit> { ["K"] = kelvin });

        var t = SystemModel.EffectiveTransform(new Connection(VariableRef.Parse("A.T"), VariableRef.Parse("B.T")), a, a.Instance.Variables[0], b, b.Instance.Variables[0]);

        (t.Factor * 20 + t.Offset).ShouldBe(293.15, 1e-9);
    }
}
