using System.Globalization;
using CoSim.Core;
using CoSim.Engine.Execution;
using CoSim.Reports;
using CoSim.Runner;

namespace CoSim.Cli.Commands;

/// <summary>The HTML report of <c>cosim simulate|run --report</c>: the run's summary, its recorded signals read back from the result file, and its provenance.</summary>
internal static class RunReportWriter
{
    /// <summary>Writes the report; a report that cannot be written is a warning, never a change of the run's outcome.</summary>
    public static void Write(string path, RunResult run, ILogSink log)
    {
        var spec = run.Specification;
        var (report, failure) = (run.Report, run.Failure);
        try
        {
            var output = spec.Output;
            var result = output != null && File.Exists(output) ? ResultTable.Load(output) : null;
            var provenance = output != null && File.Exists(Provenance.PathFor(output)) ? File.ReadAllText(Provenance.PathFor(output)) : null;
            var traces = result?.Traces ?? [];
            ReportWriter.Write(new Report
            {
                Title = spec.Name,
                Outcome = failure != null ? "failed" : report?.Outcome switch
                {
                    RunOutcome.Completed => "completed",
                    RunOutcome.TerminatedByComponent => "terminated by a component",
                    _ => "stopped",
                },
                Summary = Summary(run, result),
                Traces = traces,
                Residuals = ResidualStatistics.Of(traces),
                ProvenanceJson = provenance,
            }, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InputException)
        {
            log.Log(LogLevel.Warning, spec.Name, $"{path}: report not written: {e.Message}");
        }
    }

    private static List<KeyValuePair<string, string>> Summary(RunResult run, ResultTable? result)
    {
        var (report, failure) = (run.Report, run.Failure);
        static string F(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
        var s = run.Schedule;
        var facts = new List<KeyValuePair<string, string>>
        {
            new("run", run.Description),
            new("components", string.Join(", ", run.Components)),
            new("start, stop, step", $"{F(s.Start.Seconds)} s, {F(s.Stop.Seconds)} s, {F(s.Step.Seconds)} s"),
        };
        if (report != null)
        {
            facts.Add(new("steps", report.Statistics.Steps.ToString(CultureInfo.InvariantCulture)));
            facts.Add(new("ended at", $"t = {F(report.EndTime.Seconds)} s{(report.Reason != null ? ": " + report.Reason : "")}"));
            facts.Add(new("wall time", $"{report.WallTime.TotalSeconds:0.###} s"));
        }
        if (failure != null) facts.Add(new("error", failure is SimulationException se ? se.Describe() : failure.Message));
        if (run.ResultPath is { } path) facts.Add(new("result", $"{path} ({run.Rows} rows, {result?.Traces.Count ?? 0} signals)"));
        return facts;
    }
}
