namespace CoSim.Fmi.Description;

/// <summary>
/// What the reader knows but the records cannot say: which variables were built from incomplete
/// elements. The validator skips the checks that would only repeat the reader's error about them.
/// </summary>
internal sealed class ParseNotes
{
    public static ParseNotes None { get; } = new();

    /// <summary>Variables (by index) whose value reference was missing or invalid; their ValueReference is a placeholder.</summary>
    public HashSet<int> MissingValueReference { get; } = [];

    /// <summary>Variables (by index) without a usable type element; their Type is a placeholder.</summary>
    public HashSet<int> MissingType { get; } = [];
}
