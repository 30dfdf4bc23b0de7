namespace CoSim.Core;

/// <summary>
/// A manipulator, observer or component that reads data files while the run goes (a replayed historian
/// file, the measured file of shadow mode): the provenance lists them with their hashes beside the input
/// tables, and <c>cosim rerun</c> refuses to rerun when one changed.
/// </summary>
public interface IReadsDataFiles
{
    /// <summary>The files read, as given (relative to the working folder, or absolute).</summary>
    IEnumerable<string> DataFiles { get; }
}
