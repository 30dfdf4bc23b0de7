namespace CoSim.Fmi.Description;

/// <summary>
/// Checks a <see cref="ModelDescription"/> against the FMI 2.0/3.0 rules and reports every problem
/// at once, each with its XML line. Errors mean the model cannot be run safely; warnings are
/// deviations from the standard that real exporters produce and that CoSim can live with.
/// <see cref="ModelDescriptionReader"/> runs it on every read; it can also be run on a model built in code.
/// </summary>
/// <remarks>
/// Rule groups: the header (required names, interfaces, modelIdentifier as a file name,
/// generationDateAndTime, default experiment), unit and type definitions, each variable (names,
/// value references, the causality/variability/initial tables, start values, declared types,
/// units, derivatives, clocks, dimensions) and the model structure (outputs, derivatives, initial
/// unknowns, event indicators, dependencies).
/// </remarks>
public static class ModelDescriptionValidator
{
    /// <summary>Validates a model description.</summary>
    /// <param name="model">The model, e.g. from <see cref="ModelDescriptionReader"/> or built in code.</param>
    /// <param name="fileName">Name used in the diagnostics.</param>
    /// <returns>Every problem found, ordered by line; empty when the model is valid.</returns>
    public static IReadOnlyList<Diagnostic> Validate(ModelDescription model, string fileName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(fileName);
        var diagnostics = new DiagnosticBag(fileName);
        Validate(model, diagnostics, ParseNotes.None);
        return diagnostics.ToList();
    }

    internal static void Validate(ModelDescription model, DiagnosticBag diagnostics, ParseNotes notes)
    {
        var context = new ValidationContext(model, diagnostics, notes);
        HeaderValidator.Check(context);
        TypeValidator.Check(context);
        VariableValidator.Check(context);
        ClockValidator.Check(context);
        StructureValidator.Check(context);
        context.ReportUnitsWithoutDefinitions();
    }
}
