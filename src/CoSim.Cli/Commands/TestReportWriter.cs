using System.Globalization;
using CoSim.Core;
using CoSim.Reports;
using CoSim.Scripting;
using nietras.SeparatedValues;

namespace CoSim.Cli.Commands;

/// <summary>
/// The HTML report of <c>cosim test --report</c>: one page for the whole test run. Each scenario's
/// assertions and the signals they judge (read back from its result file) are named
/// <c>scenario: ...</c>, so that scenarios sharing signal names stay apart, and plotted per scenario
/// (its own time axis, units from its provenance, its events and faults marked); a sweep's summary
/// table is shown as it was written.
/// </summary>
internal static class TestReportWriter
{
    /// <summary>Writes the report; one that cannot be written is an error (<see cref="InputException"/> naming the file), after the tests ran.</summary>
    public static void Write(string path, TestRunReport run)
    {
        try
        {
            var assertions = new List<Core.Assessment.AssertionResult>();
            var traces = new List<Trace>();
            var groups = new List<SignalGroup>();
            var tables = new List<ReportTable>();
            var cases = new List<IReadOnlyList<string>>();
            foreach (var scenario in run.Scenarios)
            {
                foreach (var c in scenario.Cases)
                    cases.Add([c.Name, c.Status.ToString().ToLowerInvariant(), c.Seconds.ToString("0.0", CultureInfo.InvariantCulture), c.Message ?? ""]);
                if (scenario.Outcome is not { } outcome) continue;
                string Prefixed(string text) => $"{scenario.Name}: {text}";
                if (outcome.Cases.Count == 0)
                {
                    assertions.AddRange(outcome.Assertions.Select(a => a with { Name = Prefixed(a.Name), Signal = Prefixed(a.Signal) }));
                    var asserted = AssertedTraces(outcome.ResultPath, outcome.Assertions.Select(a => a.Signal)).Select(t => t with { Signal = Prefixed(t.Signal) }).ToList();
                    traces.AddRange(asserted);
                    groups.Add(new SignalGroup(scenario.Name, asserted, Markers(outcome.Events)));
                }
                else
                {
                    // A sweep: every case's verdicts (no plots: one file per case would swamp the page), and its summary table.
                    foreach (var c in outcome.Cases)
                        assertions.AddRange(c.Assertions.Select(a => a with { Name = Prefixed($"case {c.Number}: {a.Name}"), Signal = Prefixed(a.Signal) }));
                    if (outcome.SummaryPath is { } summary && File.Exists(summary)) tables.Add(CsvTable($"{scenario.Name}: sweep summary", summary));
                }
            }
            var counts = run.Cases.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Count());
            int Count(TestStatus s) => counts.GetValueOrDefault(s);
            ReportWriter.Write(new Report
            {
                Title = "cosim test",
                Outcome = run.ExitCode switch { 0 => "passed", 1 => "failed", _ => "could not run" },
                Summary =
                [
                    new("scenarios", run.Scenarios.Count.ToString(CultureInfo.InvariantCulture)),
                    new("test cases", $"{Count(TestStatus.Passed)} passed, {Count(TestStatus.Failed)} failed, {Count(TestStatus.Error)} errors, {Count(TestStatus.Skipped)} skipped"),
                    new("started", run.Started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                    new("wall time", $"{run.Seconds:0.#} s"),
                ],
                Assertions = assertions,
                Traces = traces,
                SignalGroups = groups,
                Tables = [new ReportTable("Test cases", ["test case", "status", "seconds", "message"], cases), .. tables],
            }, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InputException)
        {
            throw new InputException($"--report {path}: the report was not written (the tests ran; their results are on disk): {e.Message}");
        }
    }

    /// <summary>
    /// The scenario's events and faults as plot markers: an event or a fault's start labelled with its name, a fault's
    /// end with "end" (a short label: the two are often close); periodic events are left out.
    /// </summary>
    private static List<PlotMarker> Markers(IReadOnlyList<CoSim.Scenarios.TriggeredEvent> events) =>
        events.Where(e => e.Kind != "every").Select(e => new PlotMarker(e.Time, e.Kind == "fault-end" ? "end" : e.Name)).ToList();

    /// <summary>
    /// The recorded traces of <paramref name="signals"/> (<c>Component.variable</c>) in a result file, named
    /// like the signals; a run of one component writes bare variable names. None when the file is missing or lacks them.
    /// </summary>
    private static IEnumerable<Trace> AssertedTraces(string? resultPath, IEnumerable<string> signals)
    {
        if (resultPath == null || !File.Exists(resultPath)) return [];
        var byName = ResultTable.Load(resultPath).Traces.ToDictionary(t => t.Signal);
        var found = new List<Trace>();
        foreach (var signal in signals.Distinct())
        {
            var bare = signal[(signal.IndexOf('.') + 1)..];
            if (byName.TryGetValue(signal, out var trace) || byName.TryGetValue(bare, out trace)) found.Add(trace with { Signal = signal });
        }
        return found;
    }

    /// <summary>A small CSV file that CoSim wrote (a sweep's summary: text cells, quoted when they hold a comma) as a table.</summary>
    private static ReportTable CsvTable(string title, string path)
    {
        using var reader = Sep.Reader(o => o with { Sep = new Sep(','), Unescape = true, DisableColCountCheck = true })
            .FromFile(path);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var row in reader)
        {
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++) cells[i] = row[i].ToString();
            rows.Add(cells);
        }
        return new ReportTable(title, reader.Header.ColNames.ToList(), rows);
    }
}
