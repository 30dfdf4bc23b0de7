namespace CoSim.Core;

/// <summary>
/// An observer or manipulator that has something to say about the run once it ended (a live source's
/// message counts and outages, the offsets it consumed): front ends print <see cref="Summary"/> and record
/// <see cref="Record"/> in the result's provenance, so that the run can be reproduced.
/// </summary>
public interface IRunReporter
{
    /// <summary>The key of <see cref="Record"/> in the provenance (unique within a run, e.g. <c>kafka:topic</c>).</summary>
    string ReportKey { get; }

    /// <summary>Lines for the run summary (none: nothing worth saying).</summary>
    IEnumerable<string> Summary();

    /// <summary>A JSON-serializable record of what was read or written, for the provenance; null: none.</summary>
    object? Record();
}
