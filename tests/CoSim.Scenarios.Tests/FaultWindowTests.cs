using CoSim.Core;
using CoSim.TestSupport;
using static CoSim.Scenarios.Tests.ScenarioFixture;

namespace CoSim.Scenarios.Tests;

/// <summary>
/// When a fault acts, for every way of saying it: <c>From</c>, <c>Until</c>, <c>For</c>, on demand, and their
/// combinations, also started and stopped by actions. One formula: from the start (by time, the run's start, or the
/// action) until the earlier of <c>Until</c> and start + <c>For</c>. Each case runs a bias of +1 on the held input
/// <c>u</c> (0.7) of an inline component, 0..20 s in steps of 1 s, and checks both what the input received over
/// every step (u read after the step from t_k is 1.7 exactly when the fault acts at t_k) and the event log's
/// fault-start and fault-end entries.
/// </summary>
public class FaultWindowTests
{
    private const double Never = double.PositiveInfinity;
    private const double Stop = 20;
    private static string _dir = "";

    [OneTimeSetUp]
    public void MakeFolder() => _dir = NewFolder();

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, true);

    /// <summary>One way of declaring a fault: its settings, the times actions start and stop it, and the windows [from, to) it must act in.</summary>
    public sealed record WindowCase(string Name, Func<Fault, Fault> Settings, double[] StartAt, double[] StopAt, (double From, double To)[] Windows)
    {
        public override string ToString() => Name;
    }

    private static TestCaseData Case(string name, Func<Fault, Fault> settings, (double, double)[] windows, double[]? startAt = null, double[]? stopAt = null) =>
        new TestCaseData(new WindowCase(name, settings, startAt ?? [], stopAt ?? [], windows)).SetArgDisplayNames(name);

    public static IEnumerable<TestCaseData> Cases()
    {
        // By time.
        yield return Case("no settings: the whole run", f => f, [(0, Never)]);
        yield return Case("From", f => f.From(5), [(5, Never)]);
        yield return Case("Until", f => f.Until(10), [(0, 10)]);
        yield return Case("For", f => f.For(5), [(0, 5)]);
        yield return Case("From Until", f => f.From(5).Until(10), [(5, 10)]);
        yield return Case("From For", f => f.From(5).For(3), [(5, 8)]);
        yield return Case("From Until For, For ends first", f => f.From(5).Until(12).For(3), [(5, 8)]);
        yield return Case("From Until For, Until ends first", f => f.From(5).Until(7).For(3), [(5, 7)]);
        yield return Case("Until For, For ends first", f => f.Until(10).For(5), [(0, 5)]);
        yield return Case("Until For, Until ends first", f => f.Until(3).For(5), [(0, 3)]);
        // On demand: an action at t = 8 starts it.
        yield return Case("OnDemand, never started", f => f.OnDemand(), []);
        yield return Case("OnDemand", f => f.OnDemand(), [(8, Never)], startAt: [8]);
        yield return Case("OnDemand For", f => f.OnDemand().For(5), [(8, 13)], startAt: [8]);
        yield return Case("OnDemand Until", f => f.OnDemand().Until(10), [(8, 10)], startAt: [8]);
        yield return Case("OnDemand Until For, Until ends first", f => f.OnDemand().Until(10).For(5), [(8, 10)], startAt: [8]);
        yield return Case("OnDemand Until For, For ends first", f => f.OnDemand().Until(12).For(2), [(8, 10)], startAt: [8]);
        yield return Case("OnDemand Until before the start: never acts", f => f.OnDemand().Until(5), [], startAt: [8]);
        yield return Case("OnDemand For, stopped early", f => f.OnDemand().For(5), [(8, 10)], startAt: [8], stopAt: [10]);
        yield return Case("OnDemand, started twice", f => f.OnDemand().For(2), [(3, 5), (8, 10)], startAt: [3, 8]);
        // By time, then an action.
        yield return Case("From Until, stopped early", f => f.From(5).Until(15), [(5, 10)], stopAt: [10]);
        yield return Case("From For, started again", f => f.From(2).For(3), [(2, 5), (12, 15)], startAt: [12]);
        yield return Case("From Until For, started again after Until", f => f.From(2).Until(10).For(3), [(2, 5)], startAt: [12]);
    }

    [TestCaseSource(nameof(Cases))]
    public void Bias_WindowSettings_ActsExactlyInTheWindowAndLogsItsStartAndEnd(WindowCase c)
    {
        var outcome = Run(_dir, "window-" + Guid.NewGuid().ToString("N")[..8], s =>
        {
            var ramp = s.Component(new RampSource("Ramp"));
            s.Set(ramp["u"], 0.7);
            s.Stop = Stop;
            s.Step = 1;
            s.Record("Ramp.u");
            var fault = c.Settings(s.Bias(ramp["u"], 1).Named("bias"));
            foreach (var t in c.StartAt) s.At(t, () => fault.Start(), $"start at {t}");
            foreach (var t in c.StopAt) s.At(t, () => fault.Stop(), $"stop at {t}");
        });

        outcome.Failure.ShouldBeNull();
        var csv = ResultCsv.Load(outcome.ResultPath!);
        var u = csv.Values("u");
        for (var k = 0; k + 1 < u.Length; k++)
        {
            var t = csv.Times[k];
            var active = c.Windows.Any(w => t >= w.From - 1e-9 && t < w.To - 1e-9);
            u[k + 1].ShouldBe(active ? 1.7 : 0.7, 1e-12, $"{c.Name}: the input over the step from t = {t} s");
        }
        var expectedLog = c.Windows.SelectMany(w => w.To < Stop
                ? new[] { new TriggeredEvent(w.From, "fault-start", "bias"), new TriggeredEvent(w.To, "fault-end", "bias") }
                : [new TriggeredEvent(w.From, "fault-start", "bias")]);
        outcome.Events.Where(e => e.Kind.StartsWith("fault-", StringComparison.Ordinal)).ShouldBe(expectedLog, c.Name);
    }

    [Test]
    public void Start_AfterTheFaultsUntilTime_WarnsThatItHasNoEffect()
    {
        var log = new ListLog();
        var outcome = Run(_dir, "late-start", s =>
        {
            var ramp = s.Component(new RampSource("Ramp"));
            s.Stop = 10;
            s.Step = 1;
            var fault = s.Bias(ramp["u"], 1).OnDemand().Until(5).Named("late");
            s.At(8, () => fault.Start());
        }, log: log);

        outcome.Failure.ShouldBeNull();
        log.Lines.ShouldContain("Warning [scenario] t=8 s: fault 'late' started after its end (Until 5 s): it has no effect");
    }

    [Test]
    public void Fault_UntilNotAfterFrom_IsReportedBeforeTheRun()
    {
        var outcome = Run(_dir, "until-before-from", s =>
        {
            var ramp = s.Component(new RampSource("Ramp"));
            s.Bias(ramp["u"], 1).From(12).Until(10).Named("backwards");
        });

        outcome.Failure.ShouldBeOfType<InputException>().Message
            .ShouldContain("fault 'backwards': it ends (Until 10 s) before it starts (From 12 s), so it would never act");
    }

    [Test]
    public void StartingAt_AVeryLongDuration_EndsNeverInsteadOfWrappingAround()
    {
        var fault = new BiasFault(new Signal("A", "u"), 1).For(1e12);

        var window = FaultWindow.StartingAt(fault, SimTime.FromSeconds(8));

        window.ShouldBe(new FaultWindow(SimTime.FromSeconds(8).Ticks, long.MaxValue));
        window.Contains(SimTime.FromSeconds(9e9)).ShouldBeTrue();
    }

    private sealed class ListLog : ILogSink
    {
        public List<string> Lines { get; } = [];

        public void Log(LogLevel level, string source, string message)
        {
            lock (Lines) Lines.Add($"{level} [{source}] {message}");
        }
    }
}
