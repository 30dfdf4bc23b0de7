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
/// passed on as <see cref="ModelExchangeOdeSystem.ZeroIndicator"/>, a tiny negative number: then every domain
/// change is a sign change, and nothing else is.
/// </summary>
internal sealed class FmuOdeSystem : ModelExchangeOdeSystem
{
    private readonly IModelExchangeInstance _fmu;
    private readonly double[] _lastX;
    private readonly double[] _dxBefore, _dxAfter, _gBefore, _gAfter;
    private double _lastT = double.NaN;

    /// <summary>An FMU's ODE; <paramref name="jacobian"/> (from its model structure) gives sparsity and directional derivatives, when known.</summary>
    public FmuOdeSystem(IModelExchangeInstance fmu, int states, int eventIndicators, bool needsCompletedStep, GroupJacobian? jacobian = null)
    {
        _fmu = fmu;
        JacobianSource = jacobian;
        FmuStates = states;
        StateCount = Math.Max(1, states);
        EventIndicatorCount = eventIndicators;
        NeedsCompletedStep = needsCompletedStep;
        _lastX = new double[states];
        NominalValues = new double[StateCount];
        NominalValues.AsSpan().Fill(1.0);
        _dxBefore = new double[StateCount];
        _dxAfter = new double[StateCount];
        _gBefore = new double[eventIndicators];
        _gAfter = new double[eventIndicators];
    }

    /// <summary>States of the FMU itself (0 when it has none and the dummy state stands in).</summary>
    public int FmuStates { get; }

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
        if (FmuStates > 0) _fmu.GetNominalsOfContinuousStates(NominalValues.AsSpan(0, FmuStates));
    }

    public override void Apply(double t, ReadOnlySpan<double> x)
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

    public override void Forget()
    {
        _lastT = double.NaN;
        _lastX.AsSpan().Fill(double.NaN);
    }

    private protected override void ReadDerivatives(Span<double> dx)
    {
        if (FmuStates == 0) dx[0] = 0;
        else _fmu.GetDerivatives(dx[..FmuStates]);
    }

    private protected override void ReadEventIndicators(Span<double> g) => _fmu.GetEventIndicators(g);

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

    public override StepAction CompletedStep(double t, ReadOnlySpan<double> x)
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
