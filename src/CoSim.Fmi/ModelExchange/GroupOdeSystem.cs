using CoSim.Solvers;

namespace CoSim.Fmi.ModelExchange;

/// <summary>
/// All members' continuous states of a strongly coupled group as one <see cref="IOdeSystem"/>: each evaluation
/// sets time and states on every member and propagates the internal connections (skipped when time and states
/// equal the last ones), then reads derivatives or event indicators, member by member. Dimensions are known
/// after initialization (<see cref="Dimension"/>).
/// </summary>
internal sealed class GroupOdeSystem(IReadOnlyList<FmuModelExchangeComponent> members, GroupConnections connections, Action propagate)
    : ModelExchangeOdeSystem
{
    private int[] _stateOffset = [], _states = [], _indicatorOffset = [], _indicators = [];
    private double[] _lastX = [];
    private double _lastT = double.NaN;

    /// <summary>The members' states together (0 when none and the dummy state stands in).</summary>
    public int TotalStates { get; private set; }

    /// <summary>Reads every member's dimensions (after initialization).</summary>
    public void Dimension()
    {
        _states = new int[members.Count];
        _indicators = new int[members.Count];
        _stateOffset = new int[members.Count];
        _indicatorOffset = new int[members.Count];
        var indicators = 0;
        for (var m = 0; m < members.Count; m++)
        {
            (_states[m], _indicators[m]) = members[m].QueryDimensions();
            _stateOffset[m] = TotalStates;
            _indicatorOffset[m] = indicators;
            TotalStates += _states[m];
            indicators += _indicators[m];
        }
        EventIndicatorCount = indicators;
        StateCount = Math.Max(1, TotalStates); // a dummy state with derivative 0 lets the integrator step time
        NeedsCompletedStep = members.Any(m => m.NeedsCompletedIntegratorStep);
        JacobianSource = GroupJacobian.Create(members.Select(m => m.Instance).ToList(), members.Select(m => m.Partials).ToList(), _states,
            connections.Links.Select(l => new JacobianLink(l.Connection.FromMember, members[l.Connection.FromMember].ValueReferenceOf(l.Connection.FromVariable),
                l.Connection.ToMember, members[l.Connection.ToMember].ValueReferenceOf(l.Connection.ToVariable), l.Connection.Transform?.Factor ?? 1)).ToList(),
            directional: !connections.HasLoop); // seeds cannot be carried round an algebraic loop
        _lastX = new double[StateCount];
        NominalValues = new double[StateCount];
        NominalValues.AsSpan().Fill(1.0);
        Forget();
    }

    /// <summary>Reads every member's states (the dummy state is 0).</summary>
    public void ReadStates(Span<double> x)
    {
        x.Clear();
        for (var m = 0; m < _states.Length; m++)
            if (_states[m] > 0) members[m].Instance.GetContinuousStates(x.Slice(_stateOffset[m], _states[m]));
        Forget();
    }

    /// <summary>Reads the nominal values of every member's states.</summary>
    public void ReadNominals()
    {
        for (var m = 0; m < _states.Length; m++)
            if (_states[m] > 0) members[m].Instance.GetNominalsOfContinuousStates(NominalValues.AsSpan(_stateOffset[m], _states[m]));
    }

    public override void Forget()
    {
        _lastT = double.NaN;
        _lastX.AsSpan().Fill(double.NaN);
    }

    /// <summary>Sets (t, x) on every member and propagates the connections, unless (t, x) is the point set last.</summary>
    public override void Apply(double t, ReadOnlySpan<double> x)
    {
        var timeChanged = t != _lastT;
        if (!timeChanged && x.SequenceEqual(_lastX)) return;
        for (var m = 0; m < members.Count; m++)
        {
            var instance = members[m].Instance;
            if (timeChanged) instance.SetTime(t);
            // Only members whose states changed are set (a difference-quotient column perturbs one state).
            if (_states[m] > 0 && !x.Slice(_stateOffset[m], _states[m]).SequenceEqual(_lastX.AsSpan(_stateOffset[m], _states[m])))
                instance.SetContinuousStates(x.Slice(_stateOffset[m], _states[m]));
        }
        propagate();
        _lastT = t;
        x.CopyTo(_lastX);
    }

    private protected override void ReadDerivatives(Span<double> dx)
    {
        if (TotalStates == 0) dx[0] = 0;
        for (var m = 0; m < _states.Length; m++)
            if (_states[m] > 0) members[m].Instance.GetDerivatives(dx.Slice(_stateOffset[m], _states[m]));
    }

    private protected override void ReadEventIndicators(Span<double> g)
    {
        for (var m = 0; m < _indicators.Length; m++)
            if (_indicators[m] > 0) members[m].Instance.GetEventIndicators(g.Slice(_indicatorOffset[m], _indicators[m]));
    }

    public override StepAction CompletedStep(double t, ReadOnlySpan<double> x)
    {
        Apply(t, x);
        var action = StepAction.Continue;
        foreach (var m in members.Where(m => m.NeedsCompletedIntegratorStep))
        {
            var (enterEventMode, terminate) = m.Instance.CompletedIntegratorStep(noSetFmuStatePriorToCurrentPoint: true);
            if (terminate) return StepAction.Terminate;
            if (enterEventMode) action = StepAction.EnterEventMode;
        }
        return action;
    }
}
