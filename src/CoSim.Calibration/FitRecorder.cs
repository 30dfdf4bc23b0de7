using CoSim.Core;

namespace CoSim.Calibration;

/// <summary>
/// Records only the fitted outputs, only at the data's times: linear interpolation between the two
/// communication points around each time (exact when the time is a communication point). No file,
/// no other signal: a calibration run costs its steps and nothing more. <c>recorded</c> is told the
/// index of each time as soon as its values are in <see cref="Values"/> (a trial's running cost).
/// </summary>
internal sealed class FitRecorder(IReadOnlyList<VariableRef> outputs, double[] times, Action<int>? recorded = null) : IObserver
{
    private SignalHandle[] _handles = [];
    private double[] _previous = new double[outputs.Count];
    private double[] _current = new double[outputs.Count];
    private double _previousTime;
    private int _next;

    /// <summary>Per output, the value at every time of <c>times</c> (NaN where the run did not get there).</summary>
    public double[][] Values { get; } = outputs.Select(_ => Enumerable.Repeat(double.NaN, times.Length).ToArray()).ToArray();

    /// <summary>Whether every time was reached.</summary>
    public bool Complete => _next == times.Length;

    public void Attach(IObservationSetup setup) => _handles = outputs.Select(setup.Observe).ToArray();

    public void Started(SimTime start, StepValues values)
    {
        _next = 0;
        Read(values, _previous);
        _previousTime = start.Seconds;
        while (_next < times.Length && times[_next] <= _previousTime + Tolerance(_previousTime)) Take(_previous, _previous, 1);
    }

    public void StepComplete(SimTime time, StepValues values)
    {
        var t = time.Seconds;
        Read(values, _current);
        while (_next < times.Length && times[_next] <= t + Tolerance(t))
        {
            var span = t - _previousTime;
            var w = span <= 0 || Math.Abs(times[_next] - t) <= Tolerance(t) ? 1 : (times[_next] - _previousTime) / span;
            Take(_previous, _current, w);
        }
        (_previous, _current) = (_current, _previous);
        _previousTime = t;
    }

    public void Finished(SimTime end, Exception? failure)
    {
    }

    private static double Tolerance(double t) => 1e-9 * Math.Max(1, Math.Abs(t));

    private void Read(StepValues values, double[] into)
    {
        for (var k = 0; k < _handles.Length; k++) into[k] = values[_handles[k]];
    }

    private void Take(double[] before, double[] after, double w)
    {
        for (var k = 0; k < _handles.Length; k++) Values[k][_next] = w == 1 ? after[k] : before[k] + w * (after[k] - before[k]);
        recorded?.Invoke(_next);
        _next++;
    }
}
