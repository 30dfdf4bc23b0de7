using CoSim.Core;
namespace CoSim.Fmi.Description;

/// <summary>Rules on UnitDefinitions and TypeDefinitions.</summary>
internal static class TypeValidator
{
    public static void Check(ValidationContext context)
    {
        CheckUnits(context);
        CheckTypes(context);
    }

    private static void CheckUnits(ValidationContext context)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var unit in context.Model.Units)
        {
            if (string.IsNullOrEmpty(unit.Name))
                context.Error(unit.Line, "a <Unit> has no name");
            else if (!seen.TryAdd(unit.Name, unit.Line))
                context.Error(unit.Line, $"unit {ValueText.Quote(unit.Name)} is defined twice (first at line {seen[unit.Name]})");

            if (unit.BaseUnit is { Factor: 0 })
                context.Warning(unit.Line, $"unit {ValueText.Quote(unit.Name)} has a <BaseUnit> factor of 0");
            var displayNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var display in unit.DisplayUnits)
            {
                if (string.IsNullOrEmpty(display.Name))
                    context.Error(unit.Line, $"unit {ValueText.Quote(unit.Name)} has a <DisplayUnit> without a name");
                else if (!displayNames.Add(display.Name))
                    context.Warning(unit.Line, $"unit {ValueText.Quote(unit.Name)} defines display unit {ValueText.Quote(display.Name)} twice");
                if (display.Factor == 0)
                    context.Warning(unit.Line, $"display unit {ValueText.Quote(display.Name)} of unit {ValueText.Quote(unit.Name)} has a factor of 0");
            }
        }
    }

    private static void CheckTypes(ValidationContext context)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var type in context.Model.TypeDefinitions)
        {
            var subject = "type " + ValueText.Quote(type.Name);
            if (string.IsNullOrEmpty(type.Name))
                context.Error(type.Line, "a type definition has no name");
            else if (!seen.TryAdd(type.Name, type.Line))
                context.Error(type.Line, $"{subject} is defined twice (first at line {seen[type.Name]})");

            if (type is { Min: { } min, Max: { } max } && min > max)
                context.Warning(type.Line, $"{subject} has min {ValueText.Number(min)} greater than max {ValueText.Number(max)}");
            context.CheckUnit(type.Unit, type.DisplayUnit, type.Line, subject);
            if (type.Type == VariableType.Enumeration) CheckItems(context, type, subject);
        }
    }

    private static void CheckItems(ValidationContext context, TypeDefinition type, string subject)
    {
        if (type.Items.Count == 0)
        {
            context.Error(type.Line, $"enumeration {subject} has no items");
            return;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        var values = new HashSet<long>();
        foreach (var item in type.Items)
        {
            if (string.IsNullOrEmpty(item.Name))
                context.Error(type.Line, $"enumeration {subject} has an item without a name");
            else if (!names.Add(item.Name))
                context.Error(type.Line, $"enumeration {subject} has two items named {ValueText.Quote(item.Name)}");
            if (!values.Add(item.Value))
                context.Error(type.Line, $"enumeration {subject} has two items with value {item.Value}");
        }
    }
}
