namespace CoSim.Assessment;

/// <summary>Whether a signal must rise or fall (non-strictly).</summary>
public enum Direction
{
    /// <summary>Never falls (by more than the tolerance).</summary>
    Increasing,

    /// <summary>Never rises (by more than the tolerance).</summary>
    Decreasing,
}

/// <summary>
/// Makes the assertions of a commissioning scenario, one method per kind. Times are in seconds;
/// <c>from</c>/<c>to</c> bound an inclusive window (null: the run's start / end). Every kind judges
/// the recorded samples and nothing between them; see <see cref="Assertion"/> for the rules
/// shared by all kinds (NaN, not-evaluated) and docs/assertions.md for the details.
/// Arguments are checked here: a bad one throws <see cref="ArgumentException"/>, naming it.
/// </summary>
public static class Assertions
{
    /// <summary>
    /// <paramref name="signal"/> stays within [<paramref name="min"/> − tolerance, <paramref name="max"/> + tolerance]
    /// at every sample of the window. Fails at the first sample outside (bound: the edge it crossed).
    /// </summary>
    public static Assertion StaysWithin(string signal, double min, double max, double? from = null, double? to = null, double tolerance = 0)
    {
        Check.Band(min, max);
        Check.Window(from, to);
        Check.NonNegative(tolerance, nameof(tolerance));
        return new BandAssertion(signal, min, max, from, to, tolerance);
    }

    /// <summary>
    /// <paramref name="signal"/> comes within ±<paramref name="tolerance"/> of <paramref name="target"/> at some sample
    /// in [from, from + <paramref name="within"/>] (from: default the run's start). NaN samples never count as
    /// reaching. Fails at from + within with the value then and the nearer edge of the band.
    /// </summary>
    public static Assertion Reaches(string signal, double target, double within, double tolerance, double? from = null)
    {
        Check.Finite(target, nameof(target));
        Check.NonNegative(within, nameof(within));
        Check.NonNegative(tolerance, nameof(tolerance));
        Check.Finite(from, nameof(from));
        return new ReachesAssertion(signal, target, within, tolerance, from);
    }

    /// <summary>
    /// Settling time below <paramref name="limit"/>: from from + limit to the window's end every sample is
    /// within target ± max(<paramref name="absoluteBand"/>, <paramref name="relativeBand"/>·|target|) (default ±2 % of
    /// the target). <paramref name="target"/> null: the last sample's value (the final value; needs the run to end normally).
    /// The measured settling time (<see cref="StepMetrics.SettlingTime"/>) is in the message.
    /// </summary>
    public static Assertion SettlesWithin(string signal, double limit, double? target = null, double relativeBand = 0.02, double absoluteBand = 0, double? from = null, double? to = null)
    {
        Check.NonNegative(limit, nameof(limit));
        Check.Finite(target, nameof(target));
        Check.NonNegative(relativeBand, nameof(relativeBand));
        Check.NonNegative(absoluteBand, nameof(absoluteBand));
        if (relativeBand == 0 && absoluteBand == 0) throw new ArgumentException("settling needs a band: give relativeBand or absoluteBand > 0");
        Check.Window(from, to);
        return new SettlingAssertion(signal, limit, target, relativeBand, absoluteBand, from, to);
    }

    /// <summary>
    /// Overshoot below <paramref name="percent"/> % of the step from <paramref name="initial"/> (default: the first
    /// sample of the window) to <paramref name="target"/> (default: the last): no sample goes beyond
    /// target + percent/100·(target − initial). Fails at the first sample beyond (bound: that level).
    /// </summary>
    public static Assertion OvershootBelow(string signal, double percent, double? target = null, double? initial = null, double? from = null, double? to = null)
    {
        Check.NonNegative(percent, nameof(percent));
        Check.Finite(target, nameof(target));
        Check.Finite(initial, nameof(initial));
        Check.Window(from, to);
        return new OvershootAssertion(signal, percent, target, initial, from, to);
    }

    /// <summary>
    /// Rise time below <paramref name="limit"/>: the signal goes from initial + <paramref name="low"/>·step to
    /// initial + <paramref name="high"/>·step (default 10-90 %) in at most <paramref name="limit"/> seconds; crossing
    /// times are interpolated between samples. initial/target default as in <see cref="OvershootBelow"/>.
    /// Fails at (time of the low crossing) + limit, with the value then and the upper level as bound.
    /// </summary>
    public static Assertion RiseTimeBelow(string signal, double limit, double? target = null, double? initial = null, double low = 0.1, double high = 0.9, double? from = null)
    {
        Check.NonNegative(limit, nameof(limit));
        Check.Finite(target, nameof(target));
        Check.Finite(initial, nameof(initial));
        if (!(low >= 0 && low < high && high <= 1)) throw new ArgumentException($"rise time levels must satisfy 0 <= low < high <= 1, got low {low}, high {high}");
        Check.Finite(from, nameof(from));
        return new RiseTimeAssertion(signal, limit, target, initial, low, high, from);
    }

    /// <summary>
    /// <paramref name="signal"/> is monotonic over the window: increasing means no sample is more than
    /// <paramref name="tolerance"/> below the highest sample before it (decreasing: above the lowest), so noise
    /// up to the tolerance passes but a slow drift back does not.
    /// </summary>
    public static Assertion Monotonic(string signal, Direction direction, double tolerance = 0, double? from = null, double? to = null)
    {
        Check.NonNegative(tolerance, nameof(tolerance));
        Check.Window(from, to);
        return new MonotonicAssertion(signal, direction, tolerance, from, to);
    }

    /// <summary>
    /// <paramref name="signal"/> follows the recorded signal <paramref name="reference"/> within a tube: at each sample
    /// time t the reference's minimum and maximum over [t − <paramref name="timeTolerance"/>, t + timeTolerance]
    /// (linear between its samples), widened by max(<paramref name="absolute"/>, <paramref name="relative"/>·|reference|).
    /// </summary>
    public static Assertion FollowsReference(string signal, string reference, double absolute = 0, double relative = 0, double timeTolerance = 0, double? from = null, double? to = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        Check.Tube(absolute, relative, timeTolerance);
        Check.Window(from, to);
        return new TubeAssertion(signal, new Reference.Recorded(reference), absolute, relative, timeTolerance, from, to);
    }

    /// <summary>As <see cref="FollowsReference(string, string, double, double, double, double?, double?)"/>, with a given reference trace (e.g. a measured or a golden result).</summary>
    public static Assertion FollowsReference(string signal, SignalTrace reference, double absolute = 0, double relative = 0, double timeTolerance = 0, double? from = null, double? to = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Check.Tube(absolute, relative, timeTolerance);
        Check.Window(from, to);
        return new TubeAssertion(signal, new Reference.Given(reference), absolute, relative, timeTolerance, from, to);
    }

    /// <summary>
    /// As <see cref="FollowsReference(string, string, double, double, double, double?, double?)"/>, with a reference function of
    /// time; for a time tolerance the function is evaluated at the signal's own sample times in the window and at its edges.
    /// </summary>
    public static Assertion FollowsReference(string signal, Func<double, double> reference, double absolute = 0, double relative = 0, double timeTolerance = 0, double? from = null, double? to = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Check.Tube(absolute, relative, timeTolerance);
        Check.Window(from, to);
        return new TubeAssertion(signal, new Reference.Function(reference), absolute, relative, timeTolerance, from, to);
    }

    /// <summary>
    /// An alarm: <paramref name="signal"/> is at or above <paramref name="threshold"/> (default 0.5: a Boolean's true)
    /// at some sample within <paramref name="within"/> seconds after the named event or fault started (already being
    /// on counts). Not evaluated when the event never happened. Fails at event + within (bound: the threshold).
    /// </summary>
    public static Assertion RisesWithinAfter(string signal, string eventName, double within, double threshold = 0.5)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        Check.NonNegative(within, nameof(within));
        Check.Finite(threshold, nameof(threshold));
        return new AlarmAssertion(signal, eventName, null, within, threshold);
    }

    /// <summary>As <see cref="RisesWithinAfter(string, string, double, double)"/>, after a given time instead of an event.</summary>
    public static Assertion RisesWithinAfter(string signal, double time, double within, double threshold = 0.5)
    {
        Check.Finite(time, nameof(time));
        Check.NonNegative(within, nameof(within));
        Check.Finite(threshold, nameof(threshold));
        return new AlarmAssertion(signal, null, time, within, threshold);
    }

    /// <summary>
    /// A custom requirement on every sample of the window: <paramref name="predicate"/>(time, value) must hold.
    /// Fails at the first sample where it does not (the violation's bound is NaN: a predicate has none).
    /// NaN samples are violations without calling the predicate, unless <see cref="Assertion.IgnoringNaN"/>.
    /// </summary>
    public static Assertion Custom(string name, string signal, Func<double, double, bool> predicate, double? from = null, double? to = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        Check.Window(from, to);
        return new SamplePredicateAssertion(name, signal, predicate, from, to);
    }

    /// <summary>
    /// A custom requirement on the whole recorded trace: passes when <paramref name="predicate"/> returns true.
    /// A failure has no violation (the predicate says only yes or no); derive from <see cref="Assertion"/> for more.
    /// </summary>
    public static Assertion Custom(string name, string signal, Func<SignalTrace, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new TracePredicateAssertion(name, signal, predicate);
    }

    /// <summary>Argument checks with messages that name the argument.</summary>
    private static class Check
    {
        public static void Finite(double? value, string name)
        {
            if (value is { } v && !double.IsFinite(v)) throw new ArgumentException($"{name} must be a finite number, got {v}", name);
        }

        public static void NonNegative(double value, string name)
        {
            if (!(value >= 0) || double.IsPositiveInfinity(value)) throw new ArgumentException($"{name} must be a finite number >= 0, got {value}", name);
        }

        public static void Band(double min, double max)
        {
            if (double.IsNaN(min) || double.IsNaN(max) || min > max) throw new ArgumentException($"band [{min}, {max}]: min must not exceed max");
        }

        public static void Window(double? from, double? to)
        {
            Finite(from, nameof(from));
            Finite(to, nameof(to));
            if (from > to) throw new ArgumentException($"window [{from}, {to}]: from must not be after to");
        }

        public static void Tube(double absolute, double relative, double timeTolerance)
        {
            NonNegative(absolute, nameof(absolute));
            NonNegative(relative, nameof(relative));
            NonNegative(timeTolerance, nameof(timeTolerance));
        }
    }
}
