using CoSim.Solvers.Cvode;

namespace CoSim.Solvers.Tests;

/// <summary>
/// A chain of n unit masses joined by springs c and dampers d (ends tied to walls): states
/// (x_0, v_0, x_1, v_1, ...), linear, dx/dt = A x. Row 2i+1 depends on x and v of masses i-1, i, i+1,
/// so the Jacobian is banded and 6 colors cover any chain of 3 or more masses.
/// </summary>
/// <summary>A chain of masses; <c>wrongJacobian</c>: its own Jacobian has the diagonal's sign flipped (as an exporter's wrong directional derivatives).</summary>
internal sealed class MassChain(int masses, double c, double d, bool declareSparsity = true, bool provideJacobian = false, bool wrongJacobian = false) : IOdeSystem
{
    public readonly double[,] A = Matrix(masses, c, d);

    public int StateCount => 2 * masses;
    public int EventIndicatorCount => 0;
    public long DerivativeCalls { get; private set; }
    public long JacobianCalls { get; private set; }
    public JacobianMismatch? Rejected { get; private set; }

    public void Derivatives(double t, ReadOnlySpan<double> x, Span<double> dx)
    {
        DerivativeCalls++;
        for (var i = 0; i < StateCount; i++)
        {
            var sum = 0.0;
            for (var j = Math.Max(0, i - 3); j <= Math.Min(StateCount - 1, i + 3); j++) sum += A[i, j] * x[j];
            dx[i] = sum;
        }
    }

    public void EventIndicators(double t, ReadOnlySpan<double> x, Span<double> g) { }

    public IReadOnlyList<int[]>? JacobianSparsity => declareSparsity
        ? Enumerable.Range(0, StateCount).Select(i => Enumerable.Range(0, StateCount).Where(j => A[i, j] != 0).ToArray()).ToList()
        : null;

    public bool ProvidesJacobian => provideJacobian;

    public void Jacobian(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> fx, Span<double> jacobian)
    {
        JacobianCalls++;
        for (var j = 0; j < StateCount; j++)
        for (var i = 0; i < StateCount; i++)
            jacobian[i + j * StateCount] = wrongJacobian && i == j ? -A[i, j] : A[i, j];
    }

    public void JacobianRejected(JacobianMismatch mismatch)
    {
        Rejected.ShouldBeNull("the integrator tells once");
        Rejected = mismatch;
    }

    private static double[,] Matrix(int n, double c, double d)
    {
        var a = new double[2 * n, 2 * n];
        for (var i = 0; i < n; i++)
        {
            a[2 * i, 2 * i + 1] = 1;
            a[2 * i + 1, 2 * i] = -2 * c;
            a[2 * i + 1, 2 * i + 1] = -2 * d;
            if (i > 0)
            {
                a[2 * i + 1, 2 * (i - 1)] = c;
                a[2 * i + 1, 2 * (i - 1) + 1] = d;
            }
            if (i < n - 1)
            {
                a[2 * i + 1, 2 * (i + 1)] = c;
                a[2 * i + 1, 2 * (i + 1) + 1] = d;
            }
        }
        return a;
    }
}

public class JacobianTests
{
    [TestCase(1, 2)]
    [TestCase(2, 4)]
    [TestCase(3, 6)]
    [TestCase(50, 6)]
    public void ColoredJacobian_MassChain_NeedsSixColorsFromThreeMassesOn(int masses, int colors)
    {
        var chain = new MassChain(masses, 1e4, 1);
        new ColoredJacobian(chain.JacobianSparsity!, chain.StateCount).Colors.ShouldBe(colors);
    }

    [Test]
    public void Compute_LinearChain_ReproducesTheMatrixWithOneCallPerColor()
    {
        var chain = new MassChain(20, 1e4, 3);
        var n = chain.StateCount;
        var colored = new ColoredJacobian(chain.JacobianSparsity!, n);
        var x = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1.0)).ToArray();
        var fx = new double[n];
        chain.Derivatives(0, x, fx);
        var jacobian = new double[n * n];
        var scale = Enumerable.Repeat(1.0, n).ToArray();
        var before = chain.DerivativeCalls;

        colored.Compute(chain, 0, x, fx, scale, jacobian);

        (chain.DerivativeCalls - before).ShouldBe(colored.Colors);
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
            jacobian[i + j * n].ShouldBe(chain.A[i, j], 1e-6 * Math.Max(1, Math.Abs(chain.A[i, j])), $"J[{i},{j}]");
    }

    [Test]
    public void ColoredJacobian_SparsityNamingAMissingState_IsRefused()
    {
        Should.Throw<ArgumentException>(() => new ColoredJacobian([[0, 5], [1]], 2)).Message.ShouldContain("state 5");
    }

    [TestCase(JacobianStrategy.DenseDifferences, false)]
    [TestCase(JacobianStrategy.ColoredDifferences, false)]
    [TestCase(JacobianStrategy.Provided, true)]
    [TestCase(JacobianStrategy.Auto, true)]
    [TestCase(JacobianStrategy.Auto, false)]
    public void Cvode_StiffChainWithEachJacobianStrategy_MatchesATightReference(JacobianStrategy strategy, bool provide)
    {
        const int masses = 30; // 60 states: below JacobianCheck.DirectionalMinimumStates
        var reference = Reference(masses);
        var chain = new MassChain(masses, 1e5, 10, provideJacobian: provide);

        var x = Solve(chain, strategy, 1e-8, out var integrator);

        // Auto never uses the system's own Jacobian on 60 states: there it does not pay (issue 21, point 2).
        var expected = strategy == JacobianStrategy.Auto ? JacobianStrategy.ColoredDifferences : strategy;
        integrator.JacobianStrategy.ShouldBe(expected);
        (chain.JacobianCalls > 0).ShouldBe(strategy == JacobianStrategy.Provided);
        var error = x.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
        // CVODE's global error on this stiff chain at rtol 1e-8 is ~1.5e-7 m whichever Jacobian it uses
        // (a Jacobian only steers Newton's iteration); a broken one shows as failures or a far larger error.
        error.ShouldBeLessThan(5e-7, $"{strategy}: max error {error:G3} on positions of 0.01 m");
        integrator.Statistics.JacobianEvaluations.ShouldBeGreaterThan(0);
        // The counted function evaluations include the Jacobian's own calls: what the system really saw.
        integrator.Statistics.FunctionEvaluations.ShouldBe(chain.DerivativeCalls);
        integrator.Dispose();
    }

    [TestCase(31, false)]
    [TestCase(32, true)]
    public void Auto_ProvidedJacobian_OnlyFrom64StatesAndAfterItAgreedWithDifferences(int masses, bool used)
    {
        var chain = new MassChain(masses, 1e5, 10, provideJacobian: true);
        var reference = Reference(masses);

        var x = Solve(chain, JacobianStrategy.Auto, 1e-8, out var integrator);

        integrator.JacobianStrategy.ShouldBe(used ? JacobianStrategy.Provided : JacobianStrategy.ColoredDifferences);
        (chain.JacobianCalls > 0).ShouldBe(used);
        if (used) integrator.Jacobian.ShouldBe("provided by the system, checked against difference quotients");
        chain.Rejected.ShouldBeNull();
        x.Zip(reference, (a, b) => Math.Abs(a - b)).Max().ShouldBeLessThan(5e-7);
        integrator.Statistics.FunctionEvaluations.ShouldBe(chain.DerivativeCalls); // the check's quotients are counted too
        integrator.Dispose();
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Auto_WrongProvidedJacobian_FallsBackToDifferencesAndTellsTheSystemOnce(bool sparsity)
    {
        var chain = new MassChain(32, 1e5, 10, declareSparsity: sparsity, provideJacobian: true, wrongJacobian: true);
        var reference = Reference(32);

        var x = Solve(chain, JacobianStrategy.Auto, 1e-8, out var integrator);

        var fallback = sparsity ? JacobianStrategy.ColoredDifferences : JacobianStrategy.DenseDifferences;
        integrator.JacobianStrategy.ShouldBe(fallback);
        chain.JacobianCalls.ShouldBe(1); // the first Jacobian only: compared, found wrong, never asked again
        var mismatch = chain.Rejected.ShouldNotBeNull();
        mismatch.ShouldBe(integrator.JacobianMismatch);
        (mismatch.Row, mismatch.Column).ShouldBe((1, 1)); // the first wrong entry, column-major: ∂f1/∂x1 = -2d, given as +2d
        mismatch.Provided.ShouldBe(20, 1e-9);
        mismatch.Differences.ShouldBe(-20, 1e-3);
        integrator.Jacobian.ShouldEndWith("; the system's own Jacobian disagreed with difference quotients");
        x.Zip(reference, (a, b) => Math.Abs(a - b)).Max().ShouldBeLessThan(5e-7);
        integrator.Dispose();
    }

    [Test]
    public void ExplicitProvided_WrongJacobian_IsUsedAsAsked()
    {
        var chain = new MassChain(32, 1e5, 10, provideJacobian: true, wrongJacobian: true);
        try
        {
            Solve(chain, JacobianStrategy.Provided, 1e-8, out var integrator);
            integrator.JacobianStrategy.ShouldBe(JacobianStrategy.Provided);
            integrator.Dispose();
        }
        catch (CoSim.Core.SimulationException)
        {
            // A wrong Newton matrix may also make CVODE fail: either way it was used, not checked.
        }
        chain.Rejected.ShouldBeNull();
        chain.JacobianCalls.ShouldBeGreaterThan(1);
    }

    [Test]
    public void Cvode_ColoredJacobianOnAStiffChain_CostsFewerCallsThanDense()
    {
        var dense = new MassChain(30, 1e5, 10);
        var colored = new MassChain(30, 1e5, 10);
        Solve(dense, JacobianStrategy.DenseDifferences, 1e-8, out var i1);
        Solve(colored, JacobianStrategy.ColoredDifferences, 1e-8, out var i2);
        var (s1, s2) = (i1.Statistics, i2.Statistics);
        i1.Dispose();
        i2.Dispose();
        // Per Jacobian, dense differences cost 60 calls and colored ones 6; the Newton iterations cost the same.
        TestContext.Out.WriteLine($"dense: {s1}; colored: {s2}");
        colored.DerivativeCalls.ShouldBeLessThan((long)(dense.DerivativeCalls * 0.7)); // measured: 5509 vs 9484
        s2.JacobianEvaluations.ShouldBeGreaterThan(0);
    }

    [Test]
    public void Cvode_ProvidedAskedOfASystemWithoutJacobian_IsAnInputError()
    {
        Should.Throw<CoSim.Core.InputException>(() => new CvodeIntegrator(new MassChain(3, 1, 1), new SolverOptions { Jacobian = JacobianStrategy.Provided }, 1e-6))
            .Message.ShouldContain("does not compute its Jacobian");
        Should.Throw<CoSim.Core.InputException>(() => new CvodeIntegrator(new MassChain(3, 1, 1, declareSparsity: false), new SolverOptions { Jacobian = JacobianStrategy.ColoredDifferences }, 1e-6))
            .Message.ShouldContain("sparsity is unknown");
    }

    /// <summary>Integrates the chain from a displaced first mass over 0.5 s; returns the final state.</summary>
    private static readonly Dictionary<int, double[]> References = [];

    /// <summary>The chain's state at 0.5 s with dense differences at tolerance 1e-12, computed once per length (it is the slow part).</summary>
    private static double[] Reference(int masses)
    {
        lock (References)
        {
            if (!References.TryGetValue(masses, out var x))
                References[masses] = x = Solve(new MassChain(masses, 1e5, 10), JacobianStrategy.DenseDifferences, 1e-12, out _);
            return x;
        }
    }

    private static double[] Solve(MassChain chain, JacobianStrategy strategy, double tolerance, out CvodeIntegrator integrator)
    {
        integrator = new CvodeIntegrator(chain, new SolverOptions { Jacobian = strategy, AbsoluteTolerance = tolerance * 1e-2 }, tolerance);
        var x0 = new double[chain.StateCount];
        x0[0] = 0.01;
        integrator.Reset(0, x0);
        integrator.Advance(0.5).Reason.ShouldBe(StopReason.ReachedTarget);
        return integrator.State.ToArray();
    }
}
