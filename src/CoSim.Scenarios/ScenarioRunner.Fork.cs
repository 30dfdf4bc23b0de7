using System.Globalization;
using CoSim.Core;
using CoSim.Runner;

namespace CoSim.Scenarios;

public static partial class ScenarioRunner
{
    /// <summary>
    /// The state a <see cref="Scenario.Fork"/> branches from: the scenario (with the first branch's values, which act only
    /// from the fork time) run once from the start to just past the fork time, with a checkpoint at the first communication
    /// point at or after it, into a hidden folder beside the result (deleted afterwards). When that run cannot take the
    /// checkpoint (a component that cannot save its state), there is no fork point: the branches each run from the start.
    /// </summary>
    private sealed class ForkPoint : IDisposable
    {
        private readonly string _folder;
        private readonly string _checkpoint;

        private ForkPoint(string folder, string checkpoint)
        {
            _folder = folder;
            _checkpoint = checkpoint;
        }

        /// <summary>A branch: resumed from the fork point, writing no checkpoints of its own.</summary>
        public RunOverrides BranchOverrides(RunOverrides overrides) =>
            overrides with { ResumeFrom = _checkpoint, CheckpointEvery = null, CheckpointDirectory = null };

        public static ForkPoint? Take(Func<ScenarioContext, Scenario> build, ScenarioContext context, Scenario scenario, double at, string output,
            ScenarioRunOptions options, CancellationToken cancel)
        {
            var log = options.Log ?? NullLogSink.Instance;
            var sweep = scenario.Sweep!;
            var start = options.Overrides.Start ?? scenario.Specification.Start ?? 0;
            var step = options.Overrides.Step ?? scenario.Step
                       ?? throw new InputException($"Fork(at: {F(at)}): set the communication step (Step = ... in the script, or --step): the run to the fork point stops one step after it");
            if (at <= start) return null; // nothing to share: the branches start at the start
            var folder = Path.Combine(Path.GetDirectoryName(output) ?? ".", $".{Path.GetFileNameWithoutExtension(output)}.fork");
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.CreateDirectory(folder);
            var baseScenario = build(context with { CaseParameters = sweep.Cases[0], CaseNumber = 1 });
            var overrides = options.Overrides with
            {
                Stop = at + step, CheckpointEvery = at - start, CheckpointDirectory = folder, ResumeFrom = null,
            };
            var wall = System.Diagnostics.Stopwatch.StartNew();
            var run = RunOnce(baseScenario, Path.Combine(folder, "fork.csv"), options, null, null, cancel, overrides);
            var checkpoint = Directory.GetFiles(folder, "*.ckpt").SingleOrDefault();
            if (run.Failure == null && checkpoint != null)
            {
                log.Log(LogLevel.Info, "scenario", $"fork at t={F(at)} s: state taken in {wall.Elapsed.TotalSeconds:0.###} s; {sweep.Cases.Count} branches continue from it");
                return new ForkPoint(folder, checkpoint);
            }
            Directory.Delete(folder, recursive: true);
            var why = run.Failure?.Message.Replace("--checkpoint-every: ", "") ?? "no checkpoint was taken";
            log.Log(LogLevel.Warning, "scenario",
                $"fork at t={F(at)} s: {why}; each of the {sweep.Cases.Count} branches re-simulates from t={F(start)} s to the fork instead " +
                $"(the run up to the fork {sweep.Cases.Count} times, {F(at - start)} s of simulated time each, instead of once)");
            return null;
        }

        public void Dispose()
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }

        private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    }
}
