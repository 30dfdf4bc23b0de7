using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using CoSim.Core;

namespace CoSim.Solvers.Cvode;

/// <summary>
/// SUNDIALS CVODE (variable-order, variable-step BDF or Adams) with a Newton iteration on a dense
/// direct linear solver, CVODE's own root finding for state events and
/// a stop time at every target so that time events and output points are hit exactly
/// (<see cref="Advance"/>), or only at time events and the run's end with outputs interpolated
/// (<see cref="AdvanceFreely"/>). After an
/// event the owner calls <see cref="Reset"/>, which re-initializes CVODE (CVodeReInit: order 1,
/// fresh step size) and keeps the statistics counting.
/// The Jacobian comes from <see cref="SolverOptions.Jacobian"/>: CVODE's dense difference quotients,
/// colored difference quotients on the system's sparsity (<see cref="ColoredJacobian"/>), or the
/// system's own <see cref="IOdeSystem.Jacobian"/>; their right-hand-side calls count as function evaluations.
/// Under <see cref="JacobianStrategy.Auto"/> the system's own Jacobian is used only from
/// <see cref="JacobianCheck.DirectionalMinimumStates"/> states on, and only after the first one agreed with
/// difference quotients; otherwise the integrator falls back to differences and tells the system once
/// (<see cref="IOdeSystem.JacobianRejected"/>).
/// When the system needs <see cref="IOdeSystem.CompletedStep"/>, CVODE runs one internal step per
/// call (CV_ONE_STEP); otherwise it runs to the target in one call (CV_NORMAL).
/// Failures (CV_TOO_MUCH_WORK, CV_CONV_FAILURE, ...) become <see cref="SimulationException"/> with
/// the flag's name, the time and CVODE's own message. An exception thrown by the system inside a
/// callback stops CVODE and is rethrown as it was.
/// </summary>
public sealed unsafe class CvodeIntegrator : IIntegrator
{
    private readonly CvodeLibrary _lib;
    private readonly IOdeSystem _system;
    private readonly CvodeMethod _method;
    private readonly SolverOptions _options;
    private readonly double _rtol;
    private readonly double[] _atol;
    private readonly int _n, _nz;
    private readonly int[] _roots;
    private readonly double[] _state;
    private JacobianStrategy _jacobian; // changes once: an auto-chosen provided Jacobian that failed its check
    private readonly ColoredJacobian? _colored; // colored differences, also the fallback of an auto-chosen provided Jacobian
    private bool _checkPending; // auto chose the provided Jacobian: compare the first one with difference quotients
    private bool _checked;
    private JacobianMismatch? _mismatch;
    private readonly double[] _scale; // the states' nominal magnitudes: the size of a difference-quotient perturbation
    private long _jacobianRhs;
    private GCHandle _self;
    private nint _context, _mem, _y, _abstol, _matrix, _solver;
    private bool _initialized;
    private double _t;
    private IntegratorStatistics _before; // counters of CVODE runs before the last CVodeReInit
    private long _events;
    private Exception? _callbackFailure;
    private string? _lastMessage;

    public CvodeIntegrator(IOdeSystem system, SolverOptions options, double relativeTolerance)
    {
        if (system.StateCount < 1) throw new ArgumentException("the system needs at least one state", nameof(system));
        _lib = CvodeLibrary.Shared;
        _system = system;
        _options = options;
        _method = options.CvodeMethod;
        _rtol = relativeTolerance;
        _atol = Solver.AbsoluteTolerances(system, options, relativeTolerance);
        _n = system.StateCount;
        _nz = system.EventIndicatorCount;
        _roots = new int[_nz];
        _state = new double[_n];
        _scale = new double[_n];
        system.Nominals(_scale);
        for (var i = 0; i < _n; i++) _scale[i] = _scale[i] is > 0 and < double.PositiveInfinity ? _scale[i] : 1.0;
        (_jacobian, _colored, _checkPending) = JacobianCheck.Choose(system, options.Jacobian);
        _self = GCHandle.Alloc(this);
        try
        {
            nint context;
            Check(_lib.SUNContext_Create(0, &context), "SUNContext_Create");
            _context = context;
            _mem = _lib.CVodeCreate(_method == CvodeMethod.Bdf ? CvodeLibrary.CV_BDF : CvodeLibrary.CV_ADAMS, _context);
            if (_mem == 0) throw new SimulationException("CVodeCreate failed (out of memory?)", operation: "CVodeCreate");
            _y = NewVector();
            _abstol = NewVector();
            _atol.AsSpan().CopyTo(Data(_abstol));
            _matrix = _lib.SUNDenseMatrix(_n, _n, _context);
            if (_matrix == 0) throw new SimulationException("SUNDenseMatrix failed", operation: "SUNDenseMatrix");
            _solver = _lib.SUNLinSol_Dense(_y, _matrix, _context);
            if (_solver == 0) throw new SimulationException("SUNLinSol_Dense failed", operation: "SUNLinSol_Dense");
            if (_lib.CVodeSetErrHandlerFn != null)
            {
                delegate* unmanaged[Cdecl]<int, byte*, byte*, byte*, nint, void> handler = &OnError;
                Check(_lib.CVodeSetErrHandlerFn(_mem, (nint)handler, GCHandle.ToIntPtr(_self)), "CVodeSetErrHandlerFn");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name => _method == CvodeMethod.Bdf ? "cvode-bdf" : "cvode-adams";

    /// <summary>How the Jacobian is obtained, e.g. "colored differences (6 colors for 100 states)".</summary>
    public string Jacobian => (_jacobian switch
    {
        JacobianStrategy.ColoredDifferences => $"colored differences ({_colored!.Colors} colors for {_n} states)",
        JacobianStrategy.Provided => "provided by the system",
        _ => $"dense differences ({_n} states)",
    }) + (_mismatch != null ? "; the system's own Jacobian disagreed with difference quotients"
        : _checked ? ", checked against difference quotients" : "");

    /// <summary>Where the system's own Jacobian disagreed with difference quotients (auto then stopped using it); null when it did not.</summary>
    public JacobianMismatch? JacobianMismatch => _mismatch;

    /// <summary>The strategy in force (never <see cref="JacobianStrategy.Auto"/>).</summary>
    public JacobianStrategy JacobianStrategy => _jacobian;

    /// <summary>
    /// The first Jacobian of an auto-chosen provided one: compared with difference quotients; on disagreement
    /// <paramref name="jacobian"/> gets the differences, the fallback is in force from now on, and the system is told.
    /// </summary>
    private void CheckProvided(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> fx, Span<double> jacobian)
    {
        _checkPending = false;
        var differences = new double[_n * _n];
        var bad = JacobianCheck.Compare(_system, t, x, fx, _scale, jacobian, _colored, differences, out var calls);
        _jacobianRhs += calls;
        if (bad is not { } at)
        {
            _checked = true;
            return;
        }
        var (provided, quotient) = (jacobian[at.Row + at.Column * _n], differences[at.Row + at.Column * _n]);
        differences.CopyTo(jacobian);
        _jacobian = _colored != null ? JacobianStrategy.ColoredDifferences : JacobianStrategy.DenseDifferences;
        _mismatch = new JacobianMismatch(t, at.Row, at.Column, provided, quotient, Jacobian);
        _system.JacobianRejected(_mismatch);
    }

    /// <summary>Path and version of the SUNDIALS library in use.</summary>
    public string Library => $"{_lib.Path} (SUNDIALS {_lib.Version})";

    public double Time => _t;

    public ReadOnlySpan<double> State => _state;

    public ReadOnlySpan<int> RootsFound => _roots;

    public IntegratorStatistics Statistics
    {
        get
        {
            var total = _before + Current();
            return total with { StateEvents = _events, FunctionEvaluations = total.FunctionEvaluations + _jacobianRhs };
        }
    }

    private nint NewVector()
    {
        var v = _lib.N_VNew_Serial(_n, _context);
        if (v == 0) throw new SimulationException("N_VNew_Serial failed", operation: "N_VNew_Serial");
        return v;
    }

    private Span<double> Data(nint vector) => new(_lib.N_VGetArrayPointer(vector), _n);

    private void Check(int flag, string function)
    {
        if (flag >= 0) return;
        var name = function.StartsWith("CVode", StringComparison.Ordinal) ? _lib.FlagName(flag) : $"flag {flag}";
        throw new SimulationException($"{function} failed with {name}{(_lastMessage != null ? ": " + _lastMessage : "")}",
            operation: function, time: double.IsFinite(_t) ? SimTime.FromSeconds(_t) : null);
    }

    private IntegratorStatistics Current()
    {
        if (!_initialized) return default;
        long steps, rhs, linRhs, errFails, convFails, gEvals, jacs;
        _lib.CVodeGetNumSteps(_mem, &steps);
        _lib.CVodeGetNumRhsEvals(_mem, &rhs);
        _lib.CVodeGetNumErrTestFails(_mem, &errFails);
        _lib.CVodeGetNumNonlinSolvConvFails(_mem, &convFails);
        _lib.CVodeGetNumGEvals(_mem, &gEvals);
        if (_lib.CVodeGetNumLinRhsEvals(_mem, &linRhs) < 0) linRhs = 0;
        if (_lib.CVodeGetNumJacEvals(_mem, &jacs) < 0) jacs = 0;
        return new IntegratorStatistics
        {
            Steps = steps,
            RejectedSteps = errFails + convFails,
            FunctionEvaluations = rhs + linRhs,
            EventIndicatorEvaluations = gEvals,
            JacobianEvaluations = jacs,
        };
    }

    public void Reset(double t, ReadOnlySpan<double> x)
    {
        if (x.Length != _n) throw new ArgumentException($"expected {_n} states, got {x.Length}", nameof(x));
        if (!double.IsFinite(t)) throw new ArgumentOutOfRangeException(nameof(t), t, "time must be finite");
        ObjectDisposedException.ThrowIf(_mem == 0, this);
        x.CopyTo(Data(_y));
        x.CopyTo(_state);
        _t = t;
        Array.Clear(_roots);
        if (!_initialized)
        {
            delegate* unmanaged[Cdecl]<double, nint, nint, nint, int> rhs = &OnRhs;
            Check(_lib.CVodeInit(_mem, (nint)rhs, t, _y), "CVodeInit");
            Check(_lib.CVodeSetUserData(_mem, GCHandle.ToIntPtr(_self)), "CVodeSetUserData");
            Check(_lib.CVodeSVtolerances(_mem, _rtol, _abstol), "CVodeSVtolerances");
            Check(_lib.CVodeSetLinearSolver(_mem, _solver, _matrix), "CVodeSetLinearSolver");
            if (_jacobian != JacobianStrategy.DenseDifferences)
            {
                delegate* unmanaged[Cdecl]<double, nint, nint, nint, nint, nint, nint, nint, int> jac = &OnJacobian;
                Check(_lib.CVodeSetJacFn(_mem, (nint)jac), "CVodeSetJacFn");
            }
            Check(_lib.CVodeSetMaxNumSteps(_mem, _options.MaxStepsPerAdvance), "CVodeSetMaxNumSteps");
            if (_options.MaxStep is { } hmax) Check(_lib.CVodeSetMaxStep(_mem, hmax), "CVodeSetMaxStep");
            if (_options.InitialStep is { } h0) Check(_lib.CVodeSetInitStep(_mem, h0), "CVodeSetInitStep");
            if (_nz > 0)
            {
                delegate* unmanaged[Cdecl]<double, nint, double*, nint, int> root = &OnRoot;
                Check(_lib.CVodeRootInit(_mem, _nz, (nint)root), "CVodeRootInit");
                Check(_lib.CVodeSetNoInactiveRootWarn(_mem), "CVodeSetNoInactiveRootWarn");
            }
            _initialized = true;
            return;
        }
        _before += Current(); // CVodeReInit zeroes CVODE's counters
        Check(_lib.CVodeReInit(_mem, t, _y), "CVodeReInit");
    }

    public IntegrationResult Advance(double tEnd) => Run(tEnd, tEnd);

    /// <summary>
    /// CV_NORMAL to <paramref name="tOut"/> with the stop time at <paramref name="tStop"/>: CVODE steps past the
    /// output as its error control allows and returns its interpolant there (CVodeGetDky inside CVode), so a run with
    /// many output points costs the steps the solution needs, not one per point. A system that needs
    /// <see cref="IOdeSystem.CompletedStep"/> runs one step per call and stops at <paramref name="tOut"/>.
    /// </summary>
    public IntegrationResult AdvanceFreely(double tOut, double tStop) =>
        Run(tOut, _system.NeedsCompletedStep ? tOut : Math.Max(tOut, tStop));

    private IntegrationResult Run(double tEnd, double tStop)
    {
        if (!_initialized) throw new InvalidOperationException("call Reset before Advance");
        if (tEnd < _t) throw new ArgumentOutOfRangeException(nameof(tEnd), tEnd, $"target is before the integrator's time {_t}");
        Array.Clear(_roots);
        if (tEnd == _t) return new IntegrationResult(StopReason.ReachedTarget, _t);
        double internalTime;
        _lib.CVodeGetCurrentTime(_mem, &internalTime);
        // A stop time once reached may stay set (SUNDIALS 6.4): set the next one before every call that steps on.
        // No stop (+inf) is the largest finite time: CVODE compares it with tn and clips the step size to it.
        if (internalTime < tStop) Check(_lib.CVodeSetStopTime(_mem, double.IsFinite(tStop) ? tStop : double.MaxValue), "CVodeSetStopTime");
        var oneStep = _system.NeedsCompletedStep;
        long taken = 0;
        while (true)
        {
            double reached = _t;
            _callbackFailure = null;
            _lastMessage = null;
            var flag = _lib.CVode(_mem, tEnd, _y, &reached, oneStep ? CvodeLibrary.CV_ONE_STEP : CvodeLibrary.CV_NORMAL);
            if (_callbackFailure is { } failure)
            {
                _callbackFailure = null;
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
            if (flag < 0)
                throw new SimulationException(
                    $"CVODE ({Name}) failed with {_lib.FlagName(flag)} at t={reached:R}{(_lastMessage != null ? ": " + _lastMessage : "")}",
                    operation: "CVode", time: SimTime.FromSeconds(double.IsFinite(reached) ? reached : _t));
            Data(_y).CopyTo(_state);
            var atEnd = flag == CvodeLibrary.CV_TSTOP_RETURN || reached >= tEnd;
            _t = atEnd && flag != CvodeLibrary.CV_ROOT_RETURN ? tEnd : reached;
            if (flag == CvodeLibrary.CV_ROOT_RETURN)
            {
                fixed (int* r = _roots) Check(_lib.CVodeGetRootInfo(_mem, r), "CVodeGetRootInfo");
                _events++;
                return new IntegrationResult(StopReason.StateEvent, _t);
            }
            if (oneStep)
            {
                switch (_system.CompletedStep(_t, _state))
                {
                    case StepAction.EnterEventMode: return new IntegrationResult(StopReason.StepEvent, _t);
                    case StepAction.Terminate: return new IntegrationResult(StopReason.Terminate, _t);
                }
                if (++taken > _options.MaxStepsPerAdvance && !atEnd)
                    throw new SimulationException($"CVODE ({Name}): too much work: {_options.MaxStepsPerAdvance} steps did not reach t={tEnd:R}",
                        operation: "CVode", time: SimTime.FromSeconds(_t));
            }
            if (atEnd || !oneStep) return new IntegrationResult(StopReason.ReachedTarget, _t);
        }
    }

    private static CvodeIntegrator Self(nint userData) => (CvodeIntegrator)GCHandle.FromIntPtr(userData).Target!;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnRhs(double t, nint y, nint ydot, nint userData)
    {
        CvodeIntegrator? self = null;
        try
        {
            self = Self(userData);
            var lib = self._lib;
            self._system.Derivatives(t, new ReadOnlySpan<double>(lib.N_VGetArrayPointer(y), self._n), new Span<double>(lib.N_VGetArrayPointer(ydot), self._n));
            return 0;
        }
        catch (Exception e)
        {
            if (self != null) self._callbackFailure = e;
            return -1; // unrecoverable: CVode returns CV_RHSFUNC_FAIL and Advance rethrows e
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnJacobian(double t, nint y, nint fy, nint matrix, nint userData, nint tmp1, nint tmp2, nint tmp3)
    {
        CvodeIntegrator? self = null;
        try
        {
            self = Self(userData);
            var lib = self._lib;
            var n = self._n;
            var x = new ReadOnlySpan<double>(lib.N_VGetArrayPointer(y), n);
            var fx = new ReadOnlySpan<double>(lib.N_VGetArrayPointer(fy), n);
            var jacobian = new Span<double>(lib.SUNDenseMatrix_Data(matrix), n * n); // column-major, leading dimension n
            if (self._jacobian == JacobianStrategy.Provided)
            {
                self._system.Jacobian(t, x, fx, jacobian);
                if (self._checkPending) self.CheckProvided(t, x, fx, jacobian);
            }
            else if (self._colored != null)
            {
                self._colored.Compute(self._system, t, x, fx, self._scale, jacobian);
                self._jacobianRhs += self._colored.Colors;
            }
            else
            {
                // Only after a provided Jacobian was rejected (CVODE's own quotients are in force otherwise).
                JacobianCheck.DenseDifferences(self._system, t, x, fx, self._scale, jacobian);
                self._jacobianRhs += n;
            }
            return 0;
        }
        catch (Exception e)
        {
            if (self != null) self._callbackFailure = e;
            return -1; // unrecoverable: CVode fails and Advance rethrows e
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnRoot(double t, nint y, double* gout, nint userData)
    {
        CvodeIntegrator? self = null;
        try
        {
            self = Self(userData);
            self._system.EventIndicators(t, new ReadOnlySpan<double>(self._lib.N_VGetArrayPointer(y), self._n), new Span<double>(gout, self._nz));
            return 0;
        }
        catch (Exception e)
        {
            if (self != null) self._callbackFailure = e;
            return -1;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(int code, byte* module, byte* function, byte* message, nint userData)
    {
        try
        {
            var self = Self(userData);
            var text = Marshal.PtrToStringUTF8((nint)message) ?? "";
            var where = Marshal.PtrToStringUTF8((nint)function);
            self._lastMessage = string.IsNullOrEmpty(where) ? text : $"{where}: {text}";
        }
        catch
        {
            // Never unwind into native code.
        }
    }

    public void Dispose()
    {
        if (_mem != 0)
        {
            var mem = _mem;
            _lib.CVodeFree(&mem);
            _mem = 0;
        }
        if (_solver != 0) _lib.SUNLinSolFree(_solver);
        if (_matrix != 0) _lib.SUNMatDestroy(_matrix);
        if (_y != 0) _lib.N_VDestroy(_y);
        if (_abstol != 0) _lib.N_VDestroy(_abstol);
        _solver = _matrix = _y = _abstol = 0;
        if (_context != 0)
        {
            var context = _context;
            _lib.SUNContext_Free(&context);
            _context = 0;
        }
        if (_self.IsAllocated) _self.Free();
    }
}
