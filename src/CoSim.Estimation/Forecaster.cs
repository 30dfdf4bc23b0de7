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

    /// <summary>
    /// Runs every column of <paramref name="start"/> from <paramref name="time"/> to time + H; returns their states and
    /// outputs there. An ensemble (<paramref name="unscented"/> false) draws its process noise at random per member; sigma
    /// points (true) meet at every synchronization time inside the horizon, where the UKF's prediction is made again:
    /// mean and covariance of the points, plus the interval's process noise, give the next sigma points.
    /// </summary>
    public (Matrix<double> States, Matrix<double> Outputs) Run(double time, Matrix<double> start, long[] syncTicks, Random random, bool unscented)
    {
        var members = start.ColumnCount;
        var states = Matrix<double>.Build.Dense(layout.Values.Count, members);
        var outputs = Matrix<double>.Build.Dense(layout.Measured.Count, members);
        var stopTicks = SimTime.FromSeconds(time + horizon).Ticks;
        var hooks = Enumerable.Range(0, members).Select(j => new Hook(layout, start.Column(j).ToArray(), syncTicks, stopTicks, new Random(random.Next()))).ToArray();
        using var barrier = unscented ? new Barrier(members, _ => Resample(hooks, syncTicks)) : null;
        foreach (var h in hooks) h.Barrier = barrier;
        void RunMember(int j)
        {
            try
            {
                var spec = newSpecification();
                spec.Output = null;
                spec.Threads = 1;
                spec.Start = time;
                spec.Stop = time + horizon;
                spec.Observers.Add(hooks[j]);
                using var run = PreparedRun.Prepare(spec, Registry, log);
                hooks[j].Run = run;
                run.Run();
                states.SetColumn(j, hooks[j].States);
                outputs.SetColumn(j, hooks[j].Outputs);
            }
            catch (Exception e) when (e is SimulationException or InputException)
            {
                // A forecast member that fails has no forecast: NaN, left out of the statistics.
                states.SetColumn(j, Enumerable.Repeat(double.NaN, states.RowCount).ToArray());
                outputs.SetColumn(j, Enumerable.Repeat(double.NaN, outputs.RowCount).ToArray());
            }
            finally
            {
                hooks[j].Done = true;
                barrier?.RemoveParticipant();
            }
        }
        if (barrier == null)
            Parallel.For(0, members, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, RunMember);
        else
        {
            // Sigma points wait for each other: every one needs its own thread.
            var threads = Enumerable.Range(0, members).Select(j => new Thread(() => RunMember(j)) { IsBackground = true, Name = $"forecast member {j}" }).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
        }
        return (states, outputs);
    }

    /// <summary>The UKF prediction at a synchronization inside the horizon: new sigma points of the points' mean and covariance plus the interval's noise.</summary>
    private void Resample(Hook[] hooks, long[] syncTicks)
    {
        if (hooks.Any(h => h.Done)) return; // a failed point: the others go on as they are
        var ticks = hooks[0].PendingTicks;
        var index = Array.BinarySearch(syncTicks, ticks) + 1;
        var dt = index < syncTicks.Length ? new SimTime(syncTicks[index] - ticks).Seconds : 0;
        var points = Matrix<double>.Build.DenseOfColumnArrays(hooks.Select(h => h.States));
        var mean = points.RowSums() / points.ColumnCount;
        var a = points - Matrix<double>.Build.Dense(points.RowCount, points.ColumnCount, (i, _) => mean[i]);
        var covariance = a * a.Transpose() / points.ColumnCount
                         + Matrix<double>.Build.DiagonalOfDiagonalVector(Vector<double>.Build.DenseOfEnumerable(layout.Values.Select(v => v.Noise * v.Noise * dt)));
        var next = KalmanAnalysis.SigmaPoints(mean, covariance);
        for (var j = 0; j < hooks.Length; j++) hooks[j].Next = next.Column(j).ToArray();
    }

    /// <summary>Writes a member's start state, adds process noise at the synchronization times, reads states and outputs at the end.</summary>
    private sealed class Hook(EstimationLayout layout, double[] start, long[] syncTicks, long stopTicks, Random random) : IObserver
    {
        private MemberAccess? _access;

        public PreparedRun? Run { get; set; }
        public Barrier? Barrier { get; set; }
        public volatile bool Done;
        public long PendingTicks;
        public double[]? Next;
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
            if (Barrier != null)
            {
                // Sigma points: the UKF prediction is made again here, over all of them (see Resample).
                PendingTicks = t.Ticks;
                Next = null;
                Barrier.SignalAndWait();
                if (Next != null) _access.Write(Next);
                return;
            }
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
