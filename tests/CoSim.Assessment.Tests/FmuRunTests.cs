using CoSim.Assessment;
using CoSim.Core;
using CoSim.Core.Assessment;
using CoSim.Engine.Execution;
using CoSim.Engine.Specification;
using CoSim.Runner;
using CoSim.TestSupport;

namespace CoSim.Assessment.Tests;

/// <summary>
/// Assertions judging a real run: the Tank FMU (compiled from C) filling from 0.1 m towards 1 m with
/// the valve at its start value 0.5, judged against the closed form of fmus/Tank/readme.md.
/// </summary>
public class FmuRunTests
{
    private const double H0 = 0.1;      // initial level [m]
    private const double Scale = 20;    // 2A/k [s/√m] for A = 0.5 m², k = 0.05
    private const double SStar = 1;     // √h* = q/k with q = 0.5·0.1 m³/s

    /// <summary>Closed form: when the level reaches h.</summary>
    private static double TimeAt(double h) =>
        Scale * (Math.Sqrt(H0) - Math.Sqrt(h) + SStar * Math.Log((SStar - Math.Sqrt(H0)) / (SStar - Math.Sqrt(h))));

    /// <summary>Closed form inverted by bisection: the level at t.</summary>
    private static double LevelAt(double t) =>
        t <= 0 ? H0 : Math.Pow(Traces.Root(s => TimeAt(s * s) - t, Math.Sqrt(H0), SStar - 1e-15), 2);

    /// <summary>Collects the listed signals of a run into traces; optionally stops the run once it passed a time.</summary>
    private sealed class TraceObserver(IReadOnlyList<string> signals, CancellationTokenSource? stop = null, double stopAfter = double.PositiveInfinity) : IObserver
    {
        private readonly List<(SignalHandle Handle, SignalTraceBuilder Builder)> _signals = [];

        public IEnumerable<SignalTrace> Traces => _signals.Select(s => s.Builder.ToTrace());

        public void Attach(IObservationSetup setup)
        {
            _signals.Clear(); // Prepare attaches once to collect problems, the execution once more for real
            foreach (var name in signals) _signals.Add((setup.Observe(VariableRef.Parse(name)), new SignalTraceBuilder(name)));
        }

        public void Started(SimTime start, StepValues values) => Append(start, values);

        public void StepComplete(SimTime time, StepValues values)
        {
            Append(time, values);
            if (time.Seconds >= stopAfter) stop?.Cancel();
        }

        public void Finished(SimTime end, Exception? failure) { }

        private void Append(SimTime time, StepValues values)
        {
            foreach (var (handle, builder) in _signals) builder.Add(time.Seconds, values[handle]);
        }
    }

    private static AssessmentContext Run(double stopAfter = double.PositiveInfinity)
    {
        var spec = new RunSpecification { Name = "tank", Stop = 100, Step = 0.1 };
        spec.Components.Add(new ComponentSpec(new ComponentRequest("Tank", ExampleFmus.Path(2, "Tank"), "fmu")));
        using var stop = new CancellationTokenSource();
        var observer = new TraceObserver(["Tank.level"], stop, stopAfter);
        spec.Observers.Add(observer);
        using var run = PreparedRun.Prepare(spec, PreparedRun.DefaultRegistry(), NullLogSink.Instance);
        var report = run.Run(stop.Token);
        return new AssessmentContext(observer.Traces, run.Schedule.Start.Seconds, report.EndTime.Seconds, report.Outcome == RunOutcome.Completed);
    }

    [Test]
    public void Evaluate_TankFillingRun_VerdictsAgreeWithTheClosedForm()
    {
        var context = Run();
        context.Completed.ShouldBeTrue();
        var level = context.Trace("Tank.level")!;
        level.Count.ShouldBe(1001);

        // The FMU (RK4, h = 0.01) follows the closed form closely: a tube of 1e-6 m holds.
        var follows = Assertions.FollowsReference("Tank.level", LevelAt, absolute: 1e-6).Evaluate(context);
        follows.Verdict.ShouldBe(Verdict.Pass, follows.Message);
        Assertions.Monotonic("Tank.level", Direction.Increasing).Evaluate(context).Verdict.ShouldBe(Verdict.Pass);
        Assertions.StaysWithin("Tank.level", 0.1, 1).Evaluate(context).Verdict.ShouldBe(Verdict.Pass);
        Assertions.OvershootBelow("Tank.level", 0.1, target: 1).Evaluate(context).Verdict.ShouldBe(Verdict.Pass);

        // Reaches 1 ± 0.05 at the first sample after t(0.95) = 52.75 s.
        var reaches = Assertions.Reaches("Tank.level", 1, within: 60, tolerance: 0.05).Evaluate(context);
        reaches.Verdict.ShouldBe(Verdict.Pass, reaches.Message);
        reaches.Message.ShouldContain($"at t = {Traces.NextSample(TimeAt(0.95), 0.1):G6} s");
        var late = Assertions.Reaches("Tank.level", 1, within: 50, tolerance: 0.05).Evaluate(context);
        foreach (var shown in new[] { follows, reaches, late }) TestContext.Out.WriteLine($"{shown.Verdict}: {shown.Message}");
        late.Verdict.ShouldBe(Verdict.Fail);
        late.Violation!.Time.ShouldBe(50);
        late.Violation.Value.ShouldBe(LevelAt(50), 1e-6);
        late.Violation.Bound.ShouldBe(0.95);

        // Settling to ±2 % of 1 m: t(0.98) = 70.9 s.
        StepMetrics.SettlingTime(level, target: 1).ShouldBe(TimeAt(0.98), 1e-3);
        Assertions.SettlesWithin("Tank.level", 75, target: 1).Evaluate(context).Verdict.ShouldBe(Verdict.Pass);
        var settle = Assertions.SettlesWithin("Tank.level", 70, target: 1).Evaluate(context);
        TestContext.Out.WriteLine($"{settle.Verdict}: {settle.Message}");
        settle.Verdict.ShouldBe(Verdict.Fail);
        settle.Violation!.Time.ShouldBe(70, 1e-9);
        settle.Violation.Value.ShouldBe(LevelAt(70), 1e-6);
        settle.Violation.Bound.ShouldBe(0.98);

        // 10-90 % of the step 0.1 -> 1 m: from h = 0.19 to h = 0.91.
        var rise = TimeAt(0.91) - TimeAt(0.19);
        StepMetrics.RiseTime(level, target: 1, initial: 0.1).ShouldBe(rise, 1e-3);
        Assertions.RiseTimeBelow("Tank.level", rise + 0.5, target: 1).Evaluate(context).Verdict.ShouldBe(Verdict.Pass);
        Assertions.RiseTimeBelow("Tank.level", rise - 0.5, target: 1).Evaluate(context).Violation!.Bound.ShouldBe(0.91, 1e-12);
    }

    [Test]
    public void Evaluate_RunStoppedEarly_LeavesLaterWindowsNotEvaluated()
    {
        var context = Run(stopAfter: 30);
        context.Completed.ShouldBeFalse();
        context.End.ShouldBe(30, 0.11);
        var r = Assertions.Reaches("Tank.level", 1, within: 60, tolerance: 0.05).Evaluate(context);
        r.Verdict.ShouldBe(Verdict.NotEvaluated);
        r.Message.ShouldContain("had not reached 1 ± 0.05 yet when the run ended at t = 30");
        Assertions.Reaches("Tank.level", 0.5, within: 60, tolerance: 0.05).Evaluate(context).Verdict.ShouldBe(Verdict.Pass); // t(0.45) ≈ 16 s
    }
}
