using CoSim.Core;
using CoSim.Solvers.Cvode;

namespace CoSim.Solvers.Tests;

public class IntegratorTests
{
    public static IEnumerable<TestCaseData> Adaptive() =>
    [
        new TestCaseData(new SolverOptions { Kind = SolverKind.DormandPrince54, RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 }).SetArgDisplayNames("dopri5"),
        new TestCaseData(new SolverOptions { Kind = SolverKind.Cvode, CvodeMethod = CvodeMethod.Bdf, RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 }).SetArgDisplayNames("cvode-bdf"),
        new TestCaseData(new SolverOptions { Kind = SolverKind.Cvode, CvodeMethod = CvodeMethod.Adams, RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 }).SetArgDisplayNames("cvode-adams"),
    ];

    [TestCaseSource(nameof(Adaptive))]
    public void Advance_ExponentialDecay_MatchesAnalyticSolutionAtEveryOutputPoint(SolverOptions options)
    {
        using var integrator = Solver.Create(LambdaSystem.Decay(), options);
        integrator.Reset(0, [1]);
        for (var k = 1; k <= 20; k++)
        {
            var target = k * 0.25;
            var r = integrator.Advance(target);
            r.Reason.ShouldBe(StopReason.ReachedTarget);
            r.Time.ShouldBe(target); // output points are hit exactly
            integrator.State[0].ShouldBe(Math.Exp(-target), 1e-7);
        }
        integrator.Statistics.Steps.ShouldBeGreaterThan(0);
        integrator.Statistics.FunctionEvaluations.ShouldBeGreaterThan(integrator.Statistics.Steps);
    }

    [Test]
    public void Advance_EulerOnExponentialDecay_IsFirstOrderWithinFewPercent()
    {
        double Error(double h)
        {
            using var euler = new Euler(LambdaSystem.Decay(), h);
            euler.Reset(0, [1]);
            euler.Advance(1);
            euler.Statistics.Steps.ShouldBe((long)Math.Round(1 / h));
            return Math.Abs(euler.State[0] - Math.Exp(-1));
        }
        var order = Math.Log2(Error(0.01) / Error(0.005));
        order.ShouldBe(1.0, 0.05);
    }

    [Test]
    public void Advance_FixedStepDormandPrinceOnOscillator_IsFifthOrder()
    {
        double Error(double h)
        {
            using var rk = Solver.Create(LambdaSystem.Oscillator(), new SolverOptions { Kind = SolverKind.DormandPrince54, FixedStep = h });
            rk.Reset(0, [1, 0]);
            rk.Advance(10);
            return Math.Abs(rk.State[0] - Math.Cos(10));
        }
        var order = Math.Log2(Error(0.1) / Error(0.05));
        TestContext.Out.WriteLine($"dopri5 observed order {order:F2}");
        order.ShouldBe(5.0, 0.3);
    }

    [Test]
    public void Advance_AdaptiveDormandPrince_StepsGrowAsTolerancePowerMinusOneFifth()
    {
        long Steps(double rtol)
        {
            using var rk = Solver.Create(LambdaSystem.Oscillator(), new SolverOptions { Kind = SolverKind.DormandPrince54, RelativeTolerance = rtol, AbsoluteTolerance = rtol });
            rk.Reset(0, [1, 0]);
            rk.Advance(20);
            return rk.Statistics.Steps;
        }
        // A fifth-order local error: 32 times tighter tolerance -> about twice the steps.
        var ratio = (double)Steps(1e-10 / 32) / Steps(1e-10);
        ratio.ShouldBe(2.0, 0.25);
    }

    [TestCaseSource(nameof(Adaptive))]
    public void Advance_HarmonicOscillatorOverTenPeriods_KeepsEnergy(SolverOptions options)
    {
        using var integrator = Solver.Create(LambdaSystem.Oscillator(), options);
        integrator.Reset(0, [1, 0]);
        integrator.Advance(20 * Math.PI);
        var x = integrator.State;
        // BDF damps oscillations slightly (it is dissipative by design): about 5e-6 of the energy here.
        (0.5 * (x[0] * x[0] + x[1] * x[1])).ShouldBe(0.5, 1e-5);
        x[0].ShouldBe(1, 1e-5);
    }

    public static IEnumerable<TestCaseData> BallSolvers() =>
    [
        new TestCaseData(new SolverOptions { Kind = SolverKind.DormandPrince54, RelativeTolerance = 1e-8 }).SetArgDisplayNames("dopri5"),
        new TestCaseData(new SolverOptions { Kind = SolverKind.Cvode, RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 }).SetArgDisplayNames("cvode-bdf"),
        new TestCaseData(new SolverOptions { Kind = SolverKind.Cvode, CvodeMethod = CvodeMethod.Adams, RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 }).SetArgDisplayNames("cvode-adams"),
    ];

    [TestCaseSource(nameof(BallSolvers))]
    public void Advance_BouncingBall_LocatesImpactsToAMicrosecond(SolverOptions options)
    {
        using var integrator = Solver.Create(new BouncingBall(), options);
        var (times, lowest) = BouncingBall.Run(integrator, 8);
        var expected = BouncingBall.ImpactTimes(8);
        times.Length.ShouldBe(8);
        var worst = times.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        TestContext.Out.WriteLine($"{integrator.Name}: worst impact time error {worst:E2} s, lowest height {lowest:E2} m, {integrator.Statistics}");
        worst.ShouldBeLessThan(1e-6);
        lowest.ShouldBeGreaterThan(-1e-8); // never below ground by more than the event tolerance allows
        integrator.Statistics.StateEvents.ShouldBe(8);
    }

    [Test]
    public void Advance_BouncingBallWithEuler_FindsImpactsNearAnalyticTimes()
    {
        using var euler = new Euler(new BouncingBall(), 1e-4);
        var (times, _) = BouncingBall.Run(euler, 3);
        times.Zip(BouncingBall.ImpactTimes(3), (a, b) => Math.Abs(a - b)).Max().ShouldBeLessThan(1e-3);
    }

    [Test]
    public void Advance_TwoIndicatorsCrossingInOneStep_StopsAtTheEarlierWithItsDirection()
    {
        // x' = 1; indicators x - 0.3 (rising) and 0.35 - x (falling): one large step crosses both.
        var system = new LambdaSystem(1, (_, _, dx) => dx[0] = 1, 2, (_, x, g) =>
        {
            g[0] = x[0] - 0.3;
            g[1] = 0.35 - x[0];
        });
        using var rk = Solver.Create(system, new SolverOptions { Kind = SolverKind.DormandPrince54, FixedStep = 1 });
        rk.Reset(0, [0]);
        var r = rk.Advance(1);
        r.Reason.ShouldBe(StopReason.StateEvent);
        r.Time.ShouldBe(0.3, 1e-9);
        r.Time.ShouldBeGreaterThanOrEqualTo(0.3); // just past the root
        rk.RootsFound.ToArray().ShouldBe([1, 0]);
        var next = rk.Advance(1);
        next.Time.ShouldBe(0.35, 1e-9);
        rk.RootsFound.ToArray().ShouldBe([0, -1]);
        rk.Advance(1).Reason.ShouldBe(StopReason.ReachedTarget);
    }

    [TestCase(SolverKind.DormandPrince54)]
    [TestCase(SolverKind.Cvode)]
    [TestCase(SolverKind.Euler)]
    public void Advance_SystemAsksForEventModeAfterAStep_StopsThere(SolverKind kind)
    {
        var calls = 0;
        var system = new LambdaSystem(1, (_, x, dx) => dx[0] = -x[0]) { OnStep = (_, _) => ++calls == 3 ? StepAction.EnterEventMode : StepAction.Continue };
        using var integrator = Solver.Create(system, new SolverOptions { Kind = kind, FixedStep = kind == SolverKind.Euler ? 0.1 : null });
        integrator.Reset(0, [1]);
        var r = integrator.Advance(5);
        r.Reason.ShouldBe(StopReason.StepEvent);
        r.Time.ShouldBeLessThan(5);
        calls.ShouldBe(3);
    }

    [Test]
    public void Advance_RobertsonToForty_CvodeBdfNeedsFarFewerStepsThanDormandPrince()
    {
        var options = new SolverOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-10 };
        using var cvode = Solver.Create(LambdaSystem.Robertson(), options with { Kind = SolverKind.Cvode });
        using var dopri = Solver.Create(LambdaSystem.Robertson(), options with { Kind = SolverKind.DormandPrince54 });
        cvode.Reset(0, [1, 0, 0]);
        dopri.Reset(0, [1, 0, 0]);
        cvode.Advance(40).Reason.ShouldBe(StopReason.ReachedTarget);
        dopri.Advance(40).Reason.ShouldBe(StopReason.ReachedTarget);
        TestContext.Out.WriteLine($"Robertson to t=40: cvode-bdf {cvode.Statistics}; dopri5 {dopri.Statistics}");
        // Reference values at t = 40 (Hairer & Wanner): y1 = 0.7158, y3 = 0.2842.
        cvode.State[0].ShouldBe(0.7158, 1e-3);
        dopri.State[0].ShouldBe(0.7158, 1e-3);
        (cvode.State[0] + cvode.State[1] + cvode.State[2]).ShouldBe(1, 1e-6);
        cvode.Statistics.Steps.ShouldBeLessThan(1000);
        ((double)dopri.Statistics.Steps / cvode.Statistics.Steps).ShouldBeGreaterThan(50);
    }

    [Test]
    public void Advance_CvodeWithTooFewStepsAllowed_ThrowsNamingTheFlagAndTime()
    {
        using var cvode = Solver.Create(LambdaSystem.Robertson(), new SolverOptions { Kind = SolverKind.Cvode, MaxStepsPerAdvance = 20 });
        cvode.Reset(0, [1, 0, 0]);
        var e = Should.Throw<SimulationException>(() => cvode.Advance(40));
        e.Message.ShouldContain("CV_TOO_MUCH_WORK");
        e.Time.ShouldNotBeNull();
        e.Time!.Value.Seconds.ShouldBeGreaterThan(0);
    }

    [TestCase(SolverKind.Cvode)]
    [TestCase(SolverKind.DormandPrince54)]
    public void Advance_SystemThrowsInDerivatives_PassesTheExceptionOn(SolverKind kind)
    {
        var system = new LambdaSystem(1, (t, _, dx) => dx[0] = t > 0.5 ? throw new InvalidOperationException("model failed") : 1);
        using var integrator = Solver.Create(system, new SolverOptions { Kind = kind });
        integrator.Reset(0, [0]);
        Should.Throw<InvalidOperationException>(() => integrator.Advance(1)).Message.ShouldBe("model failed");
    }

    [Test]
    public void Reset_AfterEvents_CvodeStatisticsKeepCounting()
    {
        using var cvode = Solver.Create(new BouncingBall(), new SolverOptions { Kind = SolverKind.Cvode });
        var (times, _) = BouncingBall.Run(cvode, 3);
        times.Length.ShouldBe(3);
        var stats = cvode.Statistics;
        stats.StateEvents.ShouldBe(3);
        stats.Steps.ShouldBeGreaterThan(10); // more than the last segment alone
        stats.EventIndicatorEvaluations.ShouldBeGreaterThan(0);
    }

    [Test]
    public void Create_InvalidTolerance_ThrowsNamingTheOption()
    {
        Should.Throw<ArgumentException>(() => Solver.Create(LambdaSystem.Decay(), new SolverOptions { RelativeTolerance = -1 }))
            .ParamName.ShouldBe("RelativeTolerance");
    }

    [Test]
    public void Cvode_LibraryIsSundialsSix()
    {
        using var cvode = (CvodeIntegrator)Solver.Create(LambdaSystem.Decay(), new SolverOptions { Kind = SolverKind.Cvode });
        cvode.Library.ShouldContain("SUNDIALS 6.");
    }
}
