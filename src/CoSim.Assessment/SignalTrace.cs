namespace CoSim.Assessment;

/// <summary>
/// One recorded signal: its values at the communication points of a run. The trace is what the
/// recorder saw and nothing more: assertions judge these samples and assume nothing about the
/// signal between them (see docs/assertions.md). Times are strictly increasing; values may be NaN.
/// </summary>
public sealed class SignalTrace
{
    /// <summary>A trace over <paramref name="times"/> [s] and <paramref name="values"/> of the same length; the arrays are not copied.</summary>
    /// <exception cref="ArgumentException">The lengths differ, or a time is not finite or not greater than the one before.</exception>
    public SignalTrace(string name, ReadOnlyMemory<double> times, ReadOnlyMemory<double> values, string? unit = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (times.Length != values.Length)
            throw new ArgumentException($"trace '{name}': {times.Length} times but {values.Length} values");
        var t = times.Span;
        for (var i = 0; i < t.Length; i++)
        {
            if (!double.IsFinite(t[i]))
                throw new ArgumentException($"trace '{name}': time #{i} is {t[i]}, not a finite number");
            if (i > 0 && t[i] <= t[i - 1])
                throw new ArgumentException($"trace '{name}': times must increase strictly, but #{i} ({t[i]:R} s) follows {t[i - 1]:R} s");
        }
        Name = name;
        Unit = unit;
        Times = times;
        Values = values;
    }

    /// <summary>The signal's name, <c>Component.variable</c>.</summary>
    public string Name { get; }

    /// <summary>Its physical unit, when known (e.g. <c>m</c>).</summary>
    public string? Unit { get; }

    /// <summary>Sample times [s], strictly increasing.</summary>
    public ReadOnlyMemory<double> Times { get; }

    /// <summary>Sample values, one per time.</summary>
    public ReadOnlyMemory<double> Values { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Times.Length;

    /// <summary>
    /// The value at <paramref name="time"/>, interpolated linearly between the samples around it and
    /// held constant before the first and after the last sample; NaN for an empty trace.
    /// </summary>
    public double ValueAt(double time)
    {
        var t = Times.Span;
        var v = Values.Span;
        if (t.Length == 0) return double.NaN;
        if (time <= t[0]) return v[0];
        if (time >= t[^1]) return v[^1];
        var i = TraceMath.FirstAtOrAfter(t, time);
        return t[i] == time ? v[i] : TraceMath.Interpolate(t[i - 1], v[i - 1], t[i], v[i], time);
    }

    /// <summary>The samples with <paramref name="from"/> ≤ t ≤ <paramref name="to"/> (inclusive; no copy, no interpolation).</summary>
    public SignalTrace Slice(double from, double to)
    {
        var t = Times.Span;
        var first = TraceMath.FirstAtOrAfter(t, from - TraceMath.TimeEpsilon);
        var end = TraceMath.FirstAfter(t, to + TraceMath.TimeEpsilon);
        var length = Math.Max(0, end - first);
        return new SignalTrace(Name, Times.Slice(first, length), Values.Slice(first, length), Unit);
    }

    /// <summary>A trace of <paramref name="function"/> sampled at <paramref name="times"/> (e.g. a reference given as a formula).</summary>
    public static SignalTrace FromFunction(string name, ReadOnlySpan<double> times, Func<double, double> function, string? unit = null)
    {
        var values = new double[times.Length];
        for (var i = 0; i < times.Length; i++) values[i] = function(times[i]);
        return new SignalTrace(name, times.ToArray(), values, unit);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Count} samples)";
}

/// <summary>
/// Collects the samples of one signal as a run produces them (an observer appends one per
/// communication point), then hands them over as a <see cref="SignalTrace"/> without copying.
/// Appending is amortized O(1) and allocates only when the buffers grow.
/// </summary>
public sealed class SignalTraceBuilder
{
    private double[] _times;
    private double[] _values;

    /// <summary>A builder for signal <paramref name="name"/>, with room for <paramref name="capacity"/> samples before it grows.</summary>
    public SignalTraceBuilder(string name, string? unit = null, int capacity = 256)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Unit = unit;
        _times = new double[Math.Max(capacity, 4)];
        _values = new double[_times.Length];
    }

    /// <summary>The signal's name.</summary>
    public string Name { get; }

    /// <summary>Its physical unit, when known.</summary>
    public string? Unit { get; }

    /// <summary>Samples so far.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Appends a sample. A time equal to the last one replaces that sample (a communication point
    /// reported twice, e.g. an event iteration, keeps its final value); an earlier time throws.
    /// </summary>
    public void Add(double time, double value)
    {
        if (Count > 0)
        {
            var last = _times[Count - 1];
            if (time == last)
            {
                _values[Count - 1] = value;
                return;
            }
            if (!(time > last))
                throw new ArgumentException($"trace '{Name}': sample at {time:R} s comes after one at {last:R} s");
        }
        if (Count == _times.Length)
        {
            Array.Resize(ref _times, _times.Length * 2);
            Array.Resize(ref _values, _values.Length * 2);
        }
        _times[Count] = time;
        _values[Count] = value;
        Count++;
    }

    /// <summary>The samples so far as a trace, sharing the builder's buffers (no copy): take it when recording is done.</summary>
    public SignalTrace ToTrace() => new(Name, _times.AsMemory(0, Count), _values.AsMemory(0, Count), Unit);
}
