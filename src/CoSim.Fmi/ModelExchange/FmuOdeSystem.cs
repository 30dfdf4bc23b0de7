using CoSim.Fmi.Native;
using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// An FMU in continuous-time mode seen as an <see cref="IOdeSystem"/>: every evaluation sets time
/// and states (skipped when they equal the last ones set) and reads derivatives or event
/// indicators. An FMU without continuous states gets one dummy state with derivative 0, so that the
/// integrators (which need at least one state) still step time and watch the event indicators.
///
/// FMI defines a state event as an indicator moving between the domains z &gt; 0 and z ≤ 0 (FMI 2.0.4
/// and 3.0, fmi*GetEventIndicators), while the integrators look for sign changes. An indicator that is
/// exactly 0 (typically at a restart: a source crossing zero at t = 0, a diode current reset to 0)
/// is in the z ≤ 0 domain, so leaving it upwards is an event; a sign-change detector does not see it
/// (CVODE even deactivates a root function that is zero at its initial point). So exact zeros are
/// passed on as <see cref="ZeroIndicator"/>, a tiny negative number: then every domain change is a
/// sign change, and nothing else is.
/// </summary>
internal sealed class FmuOdeSystem : IOdeSystem
{
    private readonly IModelExchangeInstance _fmu;
    private readonly double[] _lastX;
    private readonly double[] _nominals;
    private readonly double[] _dxBefore, _dxAfter, _gBefore, _gAfter;
    private readonly GroupJacobian? _jacobian;
    private double _lastT = double.NaN;

    /// <summary>An FMU's ODE; <paramref name="jacobian"/> (from its model structure) gives sparsity and directional derivatives, when known.</summary>
    public FmuOdeSystem(IModelExchangeInstance fmu, int states, int eventIndicators, bool needsCompletedStep, GroupJacobian? jacobian = null)
    {
        _fmu = fmu;
        _jacobian = jacobian;
        FmuStates = states;
        StateCount = Math.Max(1, states);
        EventIndicatorCount = eventIndicators;
        NeedsCompletedStep = needsCompletedStep;
        _lastX = new double[states];
        _nominals = new double[StateCount];
        _nominals.AsSpan().Fill(1.0);
        _dxBefore = new double[StateCount];
        _dxAfter = new double[StateCount];
        _gBefore = new double[eventIndicators];
        _gAfter = new double[eventIndicators];
    }

    /// <summary>States of the FMU itself (0 when it has none and the dummy state stands in).</summary>
    public int FmuStates { get; }

    public int StateCount { get; }
    public int EventIndicatorCount { get; }
    public bool NeedsCompletedStep { get; }

    /// <summary>Step events the FMU asked for after completed steps.</summary>
    public long StepEventRequests { get; private set; }

    /// <summary>Whether the FMU asked to terminate in fmi*CompletedIntegratorStep.</summary>
    public bool TerminateRequested { get; private set; }

    /// <summary>Reads the FMU's states (into the first <see cref="FmuStates"/> elements; the dummy state is 0).</summary>
    public void ReadStates(Span<double> x)
    {
        if (FmuStates == 0)
        {
            x[0] = 0;
            return;
        }
        _fmu.GetContinuousStates(x[..FmuStates]);
        Forget();
    }

    /// <summary>Reads the nominal values of the states (kept for the integrator's absolute tolerances).</summary>
    public void ReadNominals()
    {
        if (FmuStates > 0) _fmu.GetNominalsOfContinuousStates(_nominals.AsSpan(0, FmuStates));
    }

    /// <summary>Sets time and states in the FMU, unless they are the ones set last.</summary>
    public void Apply(double t, ReadOnlySpan<double> x)
    {
        if (t != _lastT)
        {
            _fmu.SetTime(t);
            _lastT = t;
        }
        if (FmuStates == 0) return;
        var states = x[..FmuStates];
        if (states.SequenceEqual(_lastX)) return;
        _fmu.SetContinuousStates(states);
        states.CopyTo(_lastX);
    }

    /// <summary>Forgets what was set last (after event mode, where the FMU may have changed its states).</summary>
    public void Forget()
    {
        _lastT = double.NaN;
        _lastX.AsSpan().Fill(double.NaN);
    }

    public void Derivatives(double t, ReadOnlySpan<double> x, Span<double> dx)
    {
        Apply(t, x);
        if (FmuStates == 0) dx[0] = 0;
        else _fmu.GetDerivatives(dx[..FmuStates]);
    }

    /// <summary>What an indicator that is exactly ±0 is reported as: in the z ≤ 0 domain, and large enough
    /// that a product with any indicator value of ordinary size (CVODE tests g_lo·g_hi &lt; 0) does not underflow.</summary>
    public const double ZeroIndicator = -1e-150;

    public void EventIndicators(double t, ReadOnlySpan<double> x, Span<double> g)
    {
        Apply(t, x);
        _fmu.GetEventIndicators(g);
        for (var i = 0; i < g.Length; i++)
            if (g[i] == 0) g[i] = ZeroIndicator;
    }

    /// <summary>Keeps derivatives and event indicators at (t, x), before event mode, for <see cref="RightHandSideUnchanged"/>.</summary>
    public void CaptureRightHandSide(double t, ReadOnlySpan<double> x)
    {
        Derivatives(t, x, _dxBefore);
        if (EventIndicatorCount > 0) EventIndicators(t, x, _gBefore);
    }

    /// <summary>
    /// Whether derivatives and event indicators at (t, x), back in continuous-time mode, are bit for bit
    /// those captured before event mode: then no discrete state that the integrator sees has changed.
    /// </summary>
    public bool RightHandSideUnchanged(double t, ReadOnlySpan<double> x)
    {
        Derivatives(t, x, _dxAfter);
        if (!_dxAfter.AsSpan().SequenceEqual(_dxBefore)) return false;
        if (EventIndicatorCount == 0) return true;
        EventIndicators(t, x, _gAfter);
        return _gAfter.AsSpan().SequenceEqual(_gBefore);
    }

    public void Nominals(Span<double> nominals) => _nominals.CopyTo(nominals);

    public IReadOnlyList<int[]>? JacobianSparsity => _jacobian?.Sparsity;

    public bool ProvidesJacobian => _jacobian?.Directional == true;

    public void Jacobian(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> fx, Span<double> jacobian)
    {
        Apply(t, x);
        _jacobian!.Compute(jacobian);
    }

    public StepAction CompletedStep(double t, ReadOnlySpan<double> x)
    {
        Apply(t, x);
        var (enterEventMode, terminate) = _fmu.CompletedIntegratorStep(noSetFmuStatePriorToCurrentPoint: true);
        if (terminate)
        {
            TerminateRequested = true;
            return StepAction.Terminate;
        }
        if (!enterEventMode) return StepAction.Continue;
        StepEventRequests++;
        return StepAction.EnterEventMode;
    }
}
