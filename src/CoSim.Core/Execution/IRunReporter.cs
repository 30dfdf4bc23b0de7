namespace CoSim.Core;

/// <summary>
/// An observer, manipulator or component that has something to say about the run once it ended (a live
/// source's message counts and outages, the offsets it consumed; a replayed file's rows; a shadow
/// comparison's statistics): every front end prints <see cref="Summary"/> and records <see cref="Record"/>
/// in the result's provenance, so that the run can be reproduced.
/// </summary>
public interface IRunReporter
{
    /// <summary>The key of <see cref="Record"/> in the provenance (unique within a run, e.g. <c>kafka:topic</c>).</summary>
    string ReportKey { get; }

    /// <summary>Lines for the run summary (none: nothing worth saying).</summary>
    IEnumerable<string> Summary();

    /// <summary>A JSON-serializable record of what was read or written, for the provenance; null: none.</summary>
    object? Record();

    /// <summary>
    /// Why the run did not do its job although it ran to its end (e.g. a shadow comparison that compared
    /// no point): the run then counts as failed (exit 1) with this line. Null (default): nothing wrong.
    /// </summary>
    string? RunProblem() => null;
}
