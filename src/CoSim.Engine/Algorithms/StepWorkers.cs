namespace CoSim.Engine.Algorithms;

/// <summary>
/// A small pool of dedicated threads that run one body over the indices 0..count-1 per round, for
/// the parallel step of the Jacobi and variable-step algorithms. The calling thread takes part, so
/// <c>participants</c> threads work in all and <c>participants - 1</c> are created; with one participant, or a
/// round of one index, the caller runs the round alone and no thread is woken. A round allocates
/// nothing: each worker waits on its own <see cref="ManualResetEventSlim"/> (which spins briefly
/// before it blocks), takes indices from a shared counter until none are left, and signals a
/// <see cref="CountdownEvent"/>. Which thread runs which index varies; the body must therefore only
/// write state that belongs to its index. A body that throws does not stop the round; after it, the
/// failure of the lowest index is rethrown (the one place step failures are collected). Call order: construct, <see cref="Run"/> any number of
/// times from one thread, <see cref="Dispose"/> (joins the threads).
/// </summary>
internal sealed class StepWorkers : IDisposable
{
    private readonly Action<int> _body;
    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _go;
    private readonly CountdownEvent _done;
    private Exception?[] _failures = [];
    private int _count;
    private int _next;
    private volatile bool _stopping;

    public StepWorkers(int participants, Action<int> body)
    {
        if (participants < 1) throw new ArgumentOutOfRangeException(nameof(participants), participants, "a pool needs at least 1 participant");
        _body = body;
        var workers = participants - 1;
        _go = new ManualResetEventSlim[workers];
        _threads = new Thread[workers];
        _done = new CountdownEvent(workers);
        for (var i = 0; i < workers; i++)
        {
            _go[i] = new ManualResetEventSlim(false);
            var go = _go[i];
            _threads[i] = new Thread(() => Work(go)) { IsBackground = true, Name = $"CoSim step worker {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary>Runs the body once for every index in 0..count-1 on all participants; returns when all are done.</summary>
    public void Run(int count)
    {
        if (_stopping) throw new ObjectDisposedException(nameof(StepWorkers));
        if (_failures.Length < count) _failures = new Exception?[count];
        _count = count;
        _next = 0;
        if (_go.Length == 0 || count == 1)
        {
            for (var i = 0; i < count; i++) RunOne(i); // nothing to share: no thread is woken
        }
        else
        {
            _done.Reset(_go.Length);
            foreach (var go in _go) go.Set(); // the event's fence publishes _count, _next and _failures to the workers
            Take();
            _done.Wait();
        }
        for (var i = 0; i < count; i++)
        {
            if (_failures[i] is not { } e) continue;
            Array.Clear(_failures);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
        }
    }

    private void Take()
    {
        int i;
        while ((i = Interlocked.Increment(ref _next) - 1) < _count) RunOne(i);
    }

    private void RunOne(int i)
    {
        try { _body(i); }
        catch (Exception e) { _failures[i] = e; }
    }

    private void Work(ManualResetEventSlim go)
    {
        while (true)
        {
            go.Wait();
            go.Reset();
            if (_stopping) return;
            Take();
            _done.Signal();
        }
    }

    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        foreach (var go in _go) go.Set();
        foreach (var t in _threads) t.Join();
        foreach (var go in _go) go.Dispose();
        _done.Dispose();
    }
}
