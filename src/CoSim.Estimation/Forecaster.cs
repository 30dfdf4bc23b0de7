using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Runner;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CoSim.Estimation;

/// <summary>
/// Forecasts: from the ensemble at an analysis time t, every member runs on as its own instance of the system
/// (a <see cref="PreparedRun"/> from t to t + H, no measurement), with the process noise added at the same
/// synchronization times as in the filter, and its states and outputs at t + H are read. The members run
/// concurrently, as fast as they can; the filter's members wait meanwhile.
/// </summary>
internal sealed class Forecaster(Func<RunSpecification> newSpecification, EstimationLayout layout, double horizon, ILogSink log)
{
    private static readonly ComponentRegistry Registry = PreparedRun.DefaultRegistry();

    /// <summary>The lead time [s].</summary>
    public double Horizon => horizon;

    /// <summary>Runs every column of <paramref name="start"/> from <paramref name="time"/> to time + H; returns their states and outputs there.</summary>
    public (Matrix<double> States, Matrix<double> Outputs) Run(double time, Matrix<double> start, long[] syncTicks, Random random)
    {
        var members = start.ColumnCount;
        var states = Matrix<double>.Build.Dense(layout.Values.Count, members);
        var outputs = Matrix<double>.Build.Dense(layout.Measured.Count, members);
        var seeds = Enumerable.Range(0, members).Select(_ => random.Next()).ToArray();
        Exception? failure = null;
        Parallel.For(0, members, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, j =>
        {
            try
            {
                var spec = newSpecification();
                spec.Output = null;
                spec.Threads = 1;
                spec.Start = time;
                spec.Stop = time + horizon;
                var hook = new Hook(layout, start.Column(j).ToArray(), syncTicks, SimTime.FromSeconds(time + horizon).Ticks, new Random(seeds[j]));
                spec.Observers.Add(hook);
                using var run = PreparedRun.Prepare(spec, Registry, log);
                hook.Run = run;
                run.Run();
                states.SetColumn(j, hook.States);
                outputs.SetColumn(j, hook.Outputs);
            }
            catch (Exception e) when (e is SimulationException or InputException)
            {
                // A forecast member that fails has no forecast: NaN, left out of the statistics.
                Interlocked.CompareExchange(ref failure, e, null);
                states.SetColumn(j, Enumerable.Repeat(double.NaN, states.RowCount).ToArray());
                outputs.SetColumn(j, Enumerable.Repeat(double.NaN, outputs.RowCount).ToArray());
            }
        });
        return (states, outputs);
    }

    /// <summary>Writes a member's start state, adds process noise at the synchronization times, reads states and outputs at the end.</summary>
    private sealed class Hook(EstimationLayout layout, double[] start, long[] syncTicks, long stopTicks, Random random) : IObserver
    {
        private MemberAccess? _access;

        public PreparedRun? Run { get; set; }
        public double[] States { get; } = new double[layout.Values.Count];
        public double[] Outputs { get; } = new double[layout.Measured.Count];

        public void Attach(IObservationSetup setup)
        {
        }

        public void Started(SimTime t, StepValues values)
        {
            _access = new MemberAccess(Run!, layout);
            _access.Write(start);
            _access.ReadOutputs(Outputs);
            Array.Copy(start, States, start.Length);
        }

        public void StepComplete(SimTime t, StepValues values)
        {
            _access!.Read(States);
            _access.ReadOutputs(Outputs);
            if (t.Ticks >= stopTicks || Array.BinarySearch(syncTicks, t.Ticks) < 0) return;
            // The noise of the interval from here to the next synchronization, as the filter adds it.
            var index = Array.BinarySearch(syncTicks, t.Ticks) + 1;
            if (index >= syncTicks.Length) return;
            var dt = new SimTime(syncTicks[index] - t.Ticks).Seconds;
            var any = false;
            for (var i = 0; i < States.Length; i++)
            {
                var q = layout.Values[i].Noise;
                if (q <= 0) continue;
                States[i] += Normal.Sample(random, 0, q * Math.Sqrt(dt));
                any = true;
            }
            if (any) _access.Write(States);
        }

        public void Finished(SimTime end, Exception? failure)
        {
        }
    }
}
