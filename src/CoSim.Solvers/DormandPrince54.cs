namespace CoSim.Solvers;

/// <summary>
/// The Dormand-Prince 5(4) embedded Runge-Kutta pair: the fifth-order solution is propagated, the
/// difference to the fourth-order one estimates the error. Seven stages, the last of which is the
/// first of the next step (first same as last), so an accepted step costs six evaluations.
/// Step control: err = RMS of (estimate / (atol + rtol·max(|x|, |x_new|))); a step is accepted when
/// err ≤ 1 and the next step is h·min(5, max(0.2, 0.9·err^(-1/5))) (no growth right after a
/// rejection), bounded by <see cref="SolverOptions.MaxStep"/>. The first step follows the usual
/// estimate from the sizes of x, f and a difference quotient of f. The continuous extension is the
/// fourth-order one of Dormand and Prince (as in Hairer's DOPRI5), used to locate events.
/// With <see cref="SolverOptions.FixedStep"/> set, error control is off and every step is that size.
/// </summary>
public sealed class DormandPrince54 : ExplicitIntegrator
{
    // Butcher tableau.
    private const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private const double A21 = 1.0 / 5;
    private const double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private const double A71 = 35.0 / 384, A73 = 500.0 / 1113, A74 = 125.0 / 192, A75 = -2187.0 / 6784, A76 = 11.0 / 84;
    // Fifth-order weights minus fourth-order weights.
    private const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;
    // Dense output.
    private const double D1 = -12715105075.0 / 11282082432, D3 = 87487479700.0 / 32700410799, D4 = -10690763975.0 / 1880347072,
        D5 = 701980252875.0 / 199316789632, D6 = -1453857185.0 / 822651844, D7 = 69997945.0 / 29380423;

    private const double Safety = 0.9, MinFactor = 0.2, MaxFactor = 5.0;

    private readonly double _rtol;
    private readonly double[] _atol;
    private readonly double _maxStep;
    private readonly double? _fixedStep;
    private readonly double? _initialStep;
    private double[] _k1, _k7;
    private readonly double[] _k2, _k3, _k4, _k5, _k6, _y;
    private readonly double[] _r1, _r2, _r3, _r4, _r5; // dense output coefficients of the last step
    private bool _fsal;            // _k1 holds f(T, X)
    private bool _denseReady;
    private double _h;             // proposed next step, 0 = choose one
    private double _lastH;         // size of the step [T, TNew]

    public DormandPrince54(IOdeSystem system, SolverOptions options, double relativeTolerance) : base(system, options)
    {
        _rtol = relativeTolerance;
        _atol = Solver.AbsoluteTolerances(system, options, relativeTolerance);
        _maxStep = options.MaxStep ?? double.PositiveInfinity;
        _fixedStep = options.FixedStep;
        _initialStep = options.InitialStep;
        _k1 = new double[N]; _k2 = new double[N]; _k3 = new double[N]; _k4 = new double[N];
        _k5 = new double[N]; _k6 = new double[N]; _k7 = new double[N]; _y = new double[N];
        _r1 = new double[N]; _r2 = new double[N]; _r3 = new double[N]; _r4 = new double[N]; _r5 = new double[N];
    }

    public override string Name => "dopri5";

    /// <summary>The method's fourth-order continuous extension (Hairer, Nørsett, Wanner: dense output of DOPRI5).</summary>
    protected override bool HasDenseOutput => true;

    protected override void OnReset()
    {
        _fsal = false;
        _h = _fixedStep ?? _initialStep ?? 0;
    }

    protected override void OnAccepted()
    {
        (_k1, _k7) = (_k7, _k1);
        _fsal = true;
    }

    protected override void OnTruncated() => _fsal = false;

    private double Scale(int i, double a, double b) => _atol[i] + _rtol * Math.Max(Math.Abs(a), Math.Abs(b));

    private double InitialStep(double tEnd)
    {
        double d0 = 0, d1 = 0;
        for (var i = 0; i < N; i++)
        {
            var sc = Scale(i, X[i], 0);
            d0 += (X[i] / sc) * (X[i] / sc);
            d1 += (_k1[i] / sc) * (_k1[i] / sc);
        }
        d0 = Math.Sqrt(d0 / N);
        d1 = Math.Sqrt(d1 / N);
        var h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.Min(Math.Min(h0, _maxStep), tEnd - T);
        for (var i = 0; i < N; i++) _y[i] = X[i] + h0 * _k1[i];
        F(T + h0, _y, _k2);
        double d2 = 0;
        for (var i = 0; i < N; i++)
        {
            var q = (_k2[i] - _k1[i]) / Scale(i, X[i], 0);
            d2 += q * q;
        }
        d2 = Math.Sqrt(d2 / N) / h0;
        var dm = Math.Max(d1, d2);
        var h1 = dm <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3) : Math.Pow(0.01 / dm, 1.0 / 5);
        return Math.Min(Math.Min(100 * h0, h1), _maxStep);
    }

    protected override void TakeStep(double tEnd)
    {
        if (!_fsal)
        {
            F(T, X, _k1);
            _fsal = true;
        }
        if (_h <= 0) _h = InitialStep(tEnd);
        var rejectedBefore = false;
        while (true)
        {
            var h = Math.Min(_h, _maxStep);
            var last = T + h * (_fixedStep == null ? 1.01 : 1 + 1e-9) >= tEnd;
            if (last) h = tEnd - T;
            if (h < 8 * (Math.BitIncrement(Math.Abs(T)) - Math.Abs(T)) || h <= 0)
                throw Failure($"step size too small ({h:G3} s)");
            Stages(h);
            var tNew = last ? tEnd : T + h;
            if (_fixedStep != null)
            {
                Accept(tNew, h);
                return;
            }
            var err = ErrorNorm(h);
            if (err <= 1)
            {
                var factor = err == 0 ? MaxFactor : Math.Clamp(Safety * Math.Pow(err, -0.2), MinFactor, MaxFactor);
                if (rejectedBefore) factor = Math.Min(factor, 1);
                var proposal = h * factor;
                // A step cut short by the target says little about the step the solution allows.
                _h = last && h < _h ? Math.Max(_h, proposal) : proposal;
                Accept(tNew, h);
                return;
            }
            CountRejected();
            rejectedBefore = true;
            _h = h * Math.Max(MinFactor, Safety * Math.Pow(err, -0.2));
        }
    }

    private void Accept(double tNew, double h)
    {
        TNew = tNew;
        _lastH = h;
        _denseReady = false;
    }

    /// <summary>Stages 2-7 from (T, X) with step h: XNew holds the fifth-order solution, _k7 = f(T+h, XNew).</summary>
    private void Stages(double h)
    {
        var x = X;
        for (var i = 0; i < N; i++) _y[i] = x[i] + h * A21 * _k1[i];
        F(T + C2 * h, _y, _k2);
        for (var i = 0; i < N; i++) _y[i] = x[i] + h * (A31 * _k1[i] + A32 * _k2[i]);
        F(T + C3 * h, _y, _k3);
        for (var i = 0; i < N; i++) _y[i] = x[i] + h * (A41 * _k1[i] + A42 * _k2[i] + A43 * _k3[i]);
        F(T + C4 * h, _y, _k4);
        for (var i = 0; i < N; i++) _y[i] = x[i] + h * (A51 * _k1[i] + A52 * _k2[i] + A53 * _k3[i] + A54 * _k4[i]);
        F(T + C5 * h, _y, _k5);
        for (var i = 0; i < N; i++) _y[i] = x[i] + h * (A61 * _k1[i] + A62 * _k2[i] + A63 * _k3[i] + A64 * _k4[i] + A65 * _k5[i]);
        F(T + h, _y, _k6);
        var xNew = XNew;
        for (var i = 0; i < N; i++) xNew[i] = x[i] + h * (A71 * _k1[i] + A73 * _k3[i] + A74 * _k4[i] + A75 * _k5[i] + A76 * _k6[i]);
        F(T + h, xNew, _k7);
    }

    private double ErrorNorm(double h)
    {
        double sum = 0;
        for (var i = 0; i < N; i++)
        {
            var e = h * (E1 * _k1[i] + E3 * _k3[i] + E4 * _k4[i] + E5 * _k5[i] + E6 * _k6[i] + E7 * _k7[i]);
            var q = e / Scale(i, X[i], XNew[i]);
            sum += q * q;
        }
        return Math.Sqrt(sum / N);
    }

    protected override void Interpolate(double t, Span<double> x)
    {
        var h = _lastH;
        if (!_denseReady)
        {
            for (var i = 0; i < N; i++)
            {
                var diff = XNew[i] - X[i];
                var bspl = h * _k1[i] - diff;
                _r1[i] = X[i];
                _r2[i] = diff;
                _r3[i] = bspl;
                _r4[i] = diff - h * _k7[i] - bspl;
                _r5[i] = h * (D1 * _k1[i] + D3 * _k3[i] + D4 * _k4[i] + D5 * _k5[i] + D6 * _k6[i] + D7 * _k7[i]);
            }
            _denseReady = true;
        }
        var theta = (t - T) / h;
        var theta1 = 1 - theta;
        for (var i = 0; i < N; i++)
            x[i] = _r1[i] + theta * (_r2[i] + theta1 * (_r3[i] + theta * (_r4[i] + theta1 * _r5[i])));
    }
}
