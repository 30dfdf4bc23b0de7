using CoSim.Fmi.Description;

namespace CoSim.Fmi.Tests.Description;

/// <summary>The standard's causality/variability/initial tables, cell by cell.</summary>
public class VariableRulesTests
{
    // Columns: structuralParameter, parameter, calculatedParameter, input, output, local, independent.
    // "-" = combination not allowed; otherwise the default initial (E exact, C calculated, U unspecified).
    private static readonly Causality[] Columns =
    [
        Causality.StructuralParameter, Causality.Parameter, Causality.CalculatedParameter,
        Causality.Input, Causality.Output, Causality.Local, Causality.Independent,
    ];

    private static readonly Dictionary<Variability, string> Table = new()
    {
        [Variability.Constant] = "- - - - E E -",
        [Variability.Fixed] = "E E C - - C -",
        [Variability.Tunable] = "E E C - - C -",
        [Variability.Discrete] = "- - - E C C -",
        [Variability.Continuous] = "- - - E C C U",
    };

    public static IEnumerable<TestCaseData> Cells()
    {
        foreach (var (variability, row) in Table)
        {
            var cells = row.Split(' ');
            for (var i = 0; i < Columns.Length; i++)
                yield return new TestCaseData(Columns[i], variability, cells[i]).SetArgDisplayNames(Columns[i].ToString(), variability.ToString());
        }
    }

    [TestCaseSource(nameof(Cells))]
    public void IsAllowedAndDefaultInitial_EveryCell_MatchTheStandardsTables(Causality causality, Variability variability, string cell)
    {
        VariableRules.IsAllowed(causality, variability).ShouldBe(cell != "-");
        var expected = cell switch
        {
            "E" => Initial.Exact,
            "C" => Initial.Calculated,
            _ => Initial.Unspecified,
        };
        VariableRules.DefaultInitial(causality, variability).ShouldBe(expected);
    }

    [TestCase(Causality.Parameter, Variability.Fixed, new[] { Initial.Exact })]
    [TestCase(Causality.StructuralParameter, Variability.Tunable, new[] { Initial.Exact })]
    [TestCase(Causality.CalculatedParameter, Variability.Fixed, new[] { Initial.Calculated, Initial.Approx })]
    [TestCase(Causality.Local, Variability.Tunable, new[] { Initial.Calculated, Initial.Approx })]
    [TestCase(Causality.Output, Variability.Constant, new[] { Initial.Exact })]
    [TestCase(Causality.Output, Variability.Discrete, new[] { Initial.Calculated, Initial.Exact, Initial.Approx })]
    [TestCase(Causality.Local, Variability.Continuous, new[] { Initial.Calculated, Initial.Exact, Initial.Approx })]
    [TestCase(Causality.Independent, Variability.Continuous, new Initial[0])]
    public void AllowedInitials_AllowedCombination_MatchesTheStandard(Causality causality, Variability variability, Initial[] expected)
    {
        VariableRules.AllowedInitials(causality, variability, FmiVersion.Fmi3).ShouldBe(expected, ignoreOrder: true);
        VariableRules.AllowedInitials(causality, variability, FmiVersion.Fmi2).ShouldBe(expected, ignoreOrder: true);
    }

    [Test]
    public void AllowedInitials_Input_NoneInFmi2ButExactInFmi3()
    {
        VariableRules.AllowedInitials(Causality.Input, Variability.Continuous, FmiVersion.Fmi2).ShouldBeEmpty();
        VariableRules.AllowedInitials(Causality.Input, Variability.Continuous, FmiVersion.Fmi3).ShouldBe([Initial.Exact]);
    }

    [Test]
    public void AllowedInitials_ForbiddenCombination_AllowsAllSoOnlyTheCombinationIsReported()
    {
        VariableRules.AllowedInitials(Causality.Parameter, Variability.Continuous, FmiVersion.Fmi3).Count.ShouldBe(3);
    }

    private static ModelVariable Variable(Causality causality, Variability variability, Initial initial = Initial.Unspecified, VariableType type = VariableType.Float64) =>
        new() { Name = "v", ValueReference = 1, Type = type, Causality = causality, Variability = variability, Initial = initial };

    [Test]
    public void EffectiveInitial_Explicit_WinsOverTheDefault()
    {
        VariableRules.EffectiveInitial(Variable(Causality.Output, Variability.Continuous, Initial.Approx)).ShouldBe(Initial.Approx);
        VariableRules.EffectiveInitial(Variable(Causality.Output, Variability.Continuous)).ShouldBe(Initial.Calculated);
        VariableRules.EffectiveInitial(Variable(Causality.Parameter, Variability.Fixed)).ShouldBe(Initial.Exact);
    }

    [TestCase(Causality.Input, Variability.Discrete, Initial.Unspecified, true)]
    [TestCase(Causality.Parameter, Variability.Fixed, Initial.Unspecified, true)]
    [TestCase(Causality.Local, Variability.Constant, Initial.Unspecified, true)]
    [TestCase(Causality.Output, Variability.Continuous, Initial.Approx, true)]
    [TestCase(Causality.Output, Variability.Continuous, Initial.Unspecified, false)]
    [TestCase(Causality.CalculatedParameter, Variability.Fixed, Initial.Unspecified, false)]
    [TestCase(Causality.Independent, Variability.Continuous, Initial.Unspecified, false)]
    public void RequiresStart_FollowsCausalityVariabilityAndInitial(Causality causality, Variability variability, Initial initial, bool expected)
    {
        VariableRules.RequiresStart(Variable(causality, variability, initial)).ShouldBe(expected);
    }

    [Test]
    public void RequiresStart_ClockInput_IsFalseBecauseClocksHaveNoStart()
    {
        VariableRules.RequiresStart(Variable(Causality.Input, Variability.Discrete, type: VariableType.Clock)).ShouldBeFalse();
    }

    [TestCase(Causality.Independent, Variability.Continuous, Initial.Unspecified, true)]
    [TestCase(Causality.Output, Variability.Discrete, Initial.Unspecified, true)]
    [TestCase(Causality.Output, Variability.Discrete, Initial.Exact, false)]
    [TestCase(Causality.Parameter, Variability.Fixed, Initial.Unspecified, false)]
    public void ForbidsStart_CalculatedOrIndependent(Causality causality, Variability variability, Initial initial, bool expected)
    {
        VariableRules.ForbidsStart(Variable(causality, variability, initial)).ShouldBe(expected);
    }

    [TestCase(VariableType.Float32, Variability.Continuous)]
    [TestCase(VariableType.Float64, Variability.Continuous)]
    [TestCase(VariableType.Int32, Variability.Discrete)]
    [TestCase(VariableType.Boolean, Variability.Discrete)]
    [TestCase(VariableType.Enumeration, Variability.Discrete)]
    [TestCase(VariableType.Clock, Variability.Discrete)]
    public void DefaultVariability_DependsOnTheType(VariableType type, Variability expected)
    {
        VariableRules.DefaultVariability(type).ShouldBe(expected);
    }
}
