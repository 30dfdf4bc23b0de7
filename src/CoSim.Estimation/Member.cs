using CoSim.Core;
using CoSim.Engine.Specification;
using CoSim.Runner;

namespace CoSim.Estimation;

/// <summary>
/// One member of the ensemble: a full instance of the system (a <see cref="PreparedRun"/> of its own
/// specification) run on its own thread. At every synchronization point its <see cref="Lockstep"/>
/// observer waits at the ensemble's barrier, where the analysis reads and sets its states. A member whose
/// run fails (an FMU error) is rebuilt from the last synchronization point with a resampled state, and counted.
/// </summary>
internal sealed class Member : IDisposable
{
    private readonly Ensemble _ensemble;
    private readonly Func<RunSpecification> _newSpecification;
    private readonly ILogSink _log;
    private Thread? _thread;

    public Member(Ensemble ensemble, int index, Func<RunSpecification> newSpecification, ILogSink log)
    {
        _ensemble = ensemble;
        Index = index;
        _newSpecification = newSpecification;
        _log = log;
        Run = Prepare(null);
    }

    /// <summary>The member's position in the ensemble's matrices.</summary>
    public int Index { get; }

    /// <summary>The run in force (replaced when the member is rebuilt).</summary>
    public PreparedRun Run { get; private set; }

    /// <summary>Set when the member's run has been rebuilt at the last synchronization and still needs its state (written at its start).</summary>
    public bool Rebuilt { get; private set; }

    /// <summary>The component instance named <paramref name="name"/> in the member's system.</summary>
    public IComponent Component(string name) => Run.System.Components.First(c => c.Name == name).Instance;

    /// <summary>Starts the member's thread.</summary>
    public void Start()
    {
        _thread = new Thread(Body) { IsBackground = true, Name = $"estimation member {Index}" };
        _thread.Start();
    }

    /// <summary>Waits for the member's thread.</summary>
    public void Join() => _thread?.Join();

    private PreparedRun Prepare(double? start)
    {
        var spec = _newSpecification();
        spec.Output = null;
        spec.Threads = 1;
        if (start != null) spec.Start = start;
        spec.Observers.Add(new Lockstep(this));
        return PreparedRun.Prepare(spec, Registry, _log);
    }

    private static readonly ComponentRegistry Registry = PreparedRun.DefaultRegistry();

    private void Body()
    {
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    Run.Run(_ensemble.Cancel);
                    return;
                }
                catch (Exception e) when (e is SimulationException or InputException && _ensemble.Failure == null && !_ensemble.Cancel.IsCancellationRequested
                                           && attempt < MaxRebuilds && _ensemble.LastSync != null)
                {
                    // A diverged member: counted, rebuilt from the last synchronization with a resampled state.
                    _ensemble.MemberFailed(this, e);
                    Run.Dispose();
                    Run = Prepare(_ensemble.LastSync.Value);
                    Rebuilt = true;
                }
            }
        }
        catch (Exception e)
        {
            _ensemble.Fail(e);
        }
        finally
        {
            _ensemble.Leave();
        }
    }

    /// <summary>How often one member may be rebuilt before its failure ends the estimation.</summary>
    private const int MaxRebuilds = 3;

    public void Dispose() => Run.Dispose();

    /// <summary>The observer that holds the member at synchronization points.</summary>
    private sealed class Lockstep(Member member) : IObserver
    {
        public void Attach(IObservationSetup setup)
        {
        }

        public void Started(SimTime start, StepValues values)
        {
            if (member.Rebuilt)
            {
                member.Rebuilt = false;
                member._ensemble.WriteResampled(member);
                return;
            }
            member._ensemble.Arrive(start);
        }

        public void StepComplete(SimTime time, StepValues values) => member._ensemble.Arrive(time);

        public void Finished(SimTime end, Exception? failure)
        {
        }
    }
}
