using CoSim.Fmi.Native;
using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// An FMU in continuous-time mode seen as an <see cref="IOdeSystem"/>: every evaluation sets time
/// and states (skipped when they equal the last ones set) and reads derivatives or event
/// indicators. An FMU without continuous states gets one dummy state with derivative 0, so that the
/// integrators (which need at least one state) still step time and watch the event indicators.
/// </summary>
internal sealed class FmuOdeSystem : IOdeSystem
{
    private readonly IModelExchangeInstance _fmu;
    private readonly double[] _lastX;
    private readonly double[] _nominals;
    private double _lastT = double.NaN;

    public FmuOdeSystem(IModelExchangeInstance fmu, int states, int eventIndicators, bool needsCompletedStep)
    {
        _fmu = fmu;
        FmuStates = states;
        StateCount = Math.Max(1, states);
        EventIndicatorCount = eventIndicators;
        NeedsCompletedStep = needsCompletedStep;
        _lastX = new double[states];
        _nominals = new double[StateCount];
        _nominals.AsSpan().Fill(1.0);
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

    public void EventIndicators(double t, ReadOnlySpan<double> x, Span<double> g)
    {
        Apply(t, x);
        _fmu.GetEventIndicators(g);
    }

    public void Nominals(Span<double> nominals) => _nominals.CopyTo(nominals);

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
