using CoSim.Core;

namespace CoSim.Solvers;

/// <summary>
/// The part shared by the one-step explicit methods: the step loop up to a target time, state-event
/// detection by sign changes of the indicators between accepted steps, and location of the first
/// root on the method's continuous extension (dense output) by the Illinois variant of regula falsi.
/// A subclass provides one accepted step at a time and the interpolant over it.
/// </summary>
public abstract class ExplicitIntegrator : IIntegrator
{
    private double[] _g;               // indicators at (T, X)
    private double[] _gNew;            // indicators at (TNew, XNew)
    private readonly double[] _gLo, _gHi, _gMid, _xMid;
    private readonly int[] _roots;
    private readonly double _eventTolerance;
    private readonly long _maxSteps;
    private bool _started;
    private bool _pending;             // a step [T, TNew] taken past the output point, not yet accepted (AdvanceFreely)
    private double _outputTime;        // with _pending: the output point inside it, and the state there
    private readonly double[] _outputState;
    private long _steps, _rejected, _fevals, _gevals, _events;

    protected ExplicitIntegrator(IOdeSystem system, SolverOptions options)
    {
        if (system.StateCount < 1) throw new ArgumentException("the system needs at least one state", nameof(system));
        System = system;
        N = system.StateCount;
        Nz = system.EventIndicatorCount;
        X = new double[N];
        XNew = new double[N];
        _g = new double[Nz];
        _gNew = new double[Nz];
        _gLo = new double[Nz];
        _gHi = new double[Nz];
        _gMid = new double[Nz];
        _xMid = new double[N];
        _roots = new int[Nz];
        _outputState = new double[N];
        _eventTolerance = options.EventTolerance;
        _maxSteps = options.MaxStepsPerAdvance;
    }

    protected IOdeSystem System { get; }
    protected int N { get; }
    protected int Nz { get; }

    /// <summary>Start of the current step (the integrator's time).</summary>
    protected double T { get; private set; }
    protected double[] X { get; private set; }

    /// <summary>End of the step proposed by <see cref="TakeStep"/>, and the state there.</summary>
    protected double TNew { get; set; }
    protected double[] XNew { get; private set; }

    public abstract string Name { get; }
    public double Time => _pending ? _outputTime : T;
    public ReadOnlySpan<double> State => _pending ? _outputState : X;

    /// <summary>Whether <see cref="Interpolate"/> is accurate to the method's order, so that <see cref="AdvanceFreely"/> may use it.</summary>
    protected virtual bool HasDenseOutput => false;
    public ReadOnlySpan<int> RootsFound => _roots;

    public IntegratorStatistics Statistics => new()
    {
        Steps = _steps,
        RejectedSteps = _rejected,
        FunctionEvaluations = _fevals,
        EventIndicatorEvaluations = _gevals,
        StateEvents = _events,
    };

    /// <summary>Evaluates the right-hand side, counting it.</summary>
    protected void F(double t, ReadOnlySpan<double> x, Span<double> dx)
    {
        _fevals++;
        System.Derivatives(t, x, dx);
    }

    private void G(double t, ReadOnlySpan<double> x, Span<double> g)
    {
        _gevals++;
        System.EventIndicators(t, x, g);
    }

    /// <summary>Counts a step the error test rejected.</summary>
    protected void CountRejected() => _rejected++;

    /// <summary>A failure with the integrator's name and the current time.</summary>
    protected SimulationException Failure(string message) =>
        new($"{Name}: {message}", operation: Name, time: SimTime.FromSeconds(T));

    public void Reset(double t, ReadOnlySpan<double> x)
    {
        if (x.Length != N) throw new ArgumentException($"expected {N} states, got {x.Length}", nameof(x));
        if (!double.IsFinite(t)) throw new ArgumentOutOfRangeException(nameof(t), t, "time must be finite");
        T = t;
        x.CopyTo(X);
        _pending = false;
        Array.Clear(_roots);
        if (Nz > 0) G(T, X, _g);
        _started = true;
        OnReset();
    }

    /// <summary>Forgets history (step size, first-same-as-last stage) after <see cref="Reset"/>.</summary>
    protected abstract void OnReset();

    /// <summary>
    /// Takes one accepted step from (T, X), ending at or before <paramref name="tEnd"/>: sets
    /// <see cref="TNew"/> (exactly <paramref name="tEnd"/> when the step reaches it) and <see cref="XNew"/>.
    /// Rejected attempts are counted with <see cref="CountRejected"/>.
    /// </summary>
    protected abstract void TakeStep(double tEnd);

    /// <summary>The continuous extension over the last step [T, TNew] at <paramref name="t"/>.</summary>
    protected abstract void Interpolate(double t, Span<double> x);

    /// <summary>The step was accepted whole: (TNew, XNew) becomes the current point.</summary>
    protected virtual void OnAccepted() { }

    /// <summary>The step was cut at an event: the current point is now inside the old step.</summary>
    protected virtual void OnTruncated() { }

    public IntegrationResult Advance(double tEnd)
    {
        if (!_started) throw new InvalidOperationException("call Reset before Advance");
        if (tEnd < Time) throw new ArgumentOutOfRangeException(nameof(tEnd), tEnd, $"target is before the integrator's time {Time}");
        SettlePending(tEnd);
        return Run(tEnd, tEnd);
    }

    /// <summary>
    /// Steps towards <paramref name="tStop"/> and returns the dense output at <paramref name="tOut"/> as soon as a step
    /// passes it; that step stays pending (not yet accepted) and the next call goes on from its end. Without dense
    /// output, for a system that needs completed steps, or for one with event indicators, it is <see cref="Advance"/>:
    /// state events are found by sign changes at step ends, and a free step long enough to hold two crossings of
    /// one indicator would miss both (the DiodeBridge lost 26 of its 40 events so); steps that end at every output
    /// point keep the detection as fine as the communication grid.
    /// </summary>
    public IntegrationResult AdvanceFreely(double tOut, double tStop)
    {
        if (!HasDenseOutput || System.NeedsCompletedStep || Nz > 0) return Advance(tOut);
        if (!_started) throw new InvalidOperationException("call Reset before Advance");
        if (tOut < Time) throw new ArgumentOutOfRangeException(nameof(tOut), tOut, $"target is before the integrator's time {Time}");
        Array.Clear(_roots);
        if (_pending)
        {
            if (TNew > tOut) return Output(tOut);
            AcceptPending();
        }
        return Run(tOut, Math.Max(tOut, tStop));
    }

    /// <summary>The output point inside the pending step.</summary>
    private IntegrationResult Output(double tOut)
    {
        _pending = true;
        _outputTime = tOut;
        Interpolate(tOut, _outputState);
        return new IntegrationResult(StopReason.ReachedTarget, tOut);
    }

    /// <summary>Accepts the pending step if it ends by <paramref name="tEnd"/>, else restarts the method at the output point inside it.</summary>
    private void SettlePending(double tEnd)
    {
        if (!_pending) return;
        if (TNew <= tEnd)
        {
            AcceptPending();
            return;
        }
        _pending = false;
        T = _outputTime;
        _outputState.CopyTo(X, 0);
        OnTruncated();
    }

    private void AcceptPending()
    {
        _pending = false;
        T = TNew;
        (X, XNew) = (XNew, X);
        OnAccepted();
    }

    /// <summary>Steps to <paramref name="tEnd"/>; with <paramref name="tStop"/> beyond it, a step may pass it and stay pending.</summary>
    private IntegrationResult Run(double tEnd, double tStop)
    {
        Array.Clear(_roots);
        long taken = 0;
        while (T < tEnd)
        {
            if (++taken > _maxSteps) throw Failure($"too much work: {_maxSteps} steps did not reach t={tEnd}");
            TakeStep(tStop);
            if (!double.IsFinite(TNew) || TNew <= T) throw Failure("the step size became zero");
            for (var i = 0; i < N; i++)
                if (!double.IsFinite(XNew[i])) throw Failure($"state {i} became {XNew[i]}");
            _steps++;
            if (Nz > 0)
            {
                G(TNew, XNew, _gNew);
                if (AnyCrossing(_g, _gNew))
                {
                    LocateRoot();
                    _events++;
                    return new IntegrationResult(StopReason.StateEvent, T);
                }
                (_g, _gNew) = (_gNew, _g);
            }
            if (TNew > tEnd) return Output(tEnd); // only free steps (no indicators) pass the output
            T = TNew;
            (X, XNew) = (XNew, X);
            OnAccepted();
            if (System.NeedsCompletedStep)
            {
                switch (System.CompletedStep(T, X))
                {
                    case StepAction.EnterEventMode: return new IntegrationResult(StopReason.StepEvent, T);
                    case StepAction.Terminate: return new IntegrationResult(StopReason.Terminate, T);
                }
            }
        }
        return new IntegrationResult(StopReason.ReachedTarget, T);
    }

    private static bool Crossed(double before, double after) => (before < 0 && after >= 0) || (before > 0 && after <= 0);

    private static bool AnyCrossing(double[] before, double[] after)
    {
        for (var i = 0; i < before.Length; i++)
            if (Crossed(before[i], after[i])) return true;
        return false;
    }

    /// <summary>
    /// Shrinks [T, TNew] around the earliest sign change until it is no wider than the event
    /// tolerance, then moves to the bracket's right end (where the indicator has changed sign, as an
    /// FMU expects when it enters event mode). The secant estimate over all crossing indicators is
    /// the earliest; the end point that stays twice in a row has its values halved (Illinois).
    /// </summary>
    private void LocateRoot()
    {
        double tLo = T, tHi = TNew;
        _g.CopyTo(_gLo, 0);
        _gNew.CopyTo(_gHi, 0);
        double wLo = 1, wHi = 1;
        var side = 0;
        var tol = Math.Max(_eventTolerance, 4 * Math.BitIncrement(Math.Abs(tHi)) - 4 * Math.Abs(tHi));
        var hiIsEnd = true;
        for (var iteration = 0; iteration < 200 && tHi - tLo > tol; iteration++)
        {
            var tc = tHi;
            for (var i = 0; i < Nz; i++)
            {
                if (!Crossed(_gLo[i], _gHi[i])) continue;
                double a = wLo * _gLo[i], b = wHi * _gHi[i];
                var estimate = b == 0 ? tHi : tHi - b * (tHi - tLo) / (b - a);
                if (estimate < tc) tc = estimate;
            }
            var margin = Math.Min(0.5 * tol, 0.25 * (tHi - tLo));
            tc = Math.Clamp(tc, tLo + margin, tHi - margin);
            if (tc <= tLo || tc >= tHi) break;
            Interpolate(tc, _xMid);
            G(tc, _xMid, _gMid);
            if (AnyCrossing(_gLo, _gMid))
            {
                tHi = tc;
                _gMid.CopyTo(_gHi, 0);
                hiIsEnd = false;
                wHi = 1;
                if (side == 1) wLo *= 0.5;
                side = 1;
            }
            else
            {
                tLo = tc;
                _gMid.CopyTo(_gLo, 0);
                wLo = 1;
                if (side == -1) wHi *= 0.5;
                side = -1;
            }
        }
        for (var i = 0; i < Nz; i++)
            _roots[i] = Crossed(_g[i], _gHi[i]) ? (_g[i] < 0 ? 1 : -1) : 0;
        if (hiIsEnd)
            XNew.CopyTo(X, 0);
        else
            Interpolate(tHi, X);
        T = tHi;
        _gHi.CopyTo(_g, 0);
        OnTruncated();
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
