using CoSim.Engine.Algorithms;
using CoSim.Engine.Execution;

namespace CoSim.Engine.Tests.Execution;

public class StepWorkersTests
{
    [Test]
    public void Run_ManyRounds_EveryIndexRunsExactlyOncePerRound()
    {
        var counts = new int[7];
        using (var pool = new StepWorkers(3, i =>
               {
                   Interlocked.Increment(ref counts[i]);
                   Thread.SpinWait(200);
               }))
        {
            for (var round = 0; round < 500; round++) pool.Run(round % 2 == 0 ? 7 : 4);
        }
        counts.ShouldBe([500, 500, 500, 500, 250, 250, 250]);
    }

    [Test]
    public void Run_TwoIndicesThatMustRunAtTheSameTime_WorkerTakesOne()
    {
        // Each index waits for the other: the round completes only if a worker thread runs one of them.
        using var barrier = new Barrier(2);
        var threads = new int[2];
        using var pool = new StepWorkers(2, i =>
        {
            threads[i] = Environment.CurrentManagedThreadId;
            if (!barrier.SignalAndWait(TimeSpan.FromSeconds(20))) throw new TimeoutException($"index {i} ran alone");
        });
        for (var round = 0; round < 10; round++)
        {
            pool.Run(2);
            threads[0].ShouldNotBe(threads[1]);
        }
    }

    [Test]
    public void Run_SeveralIndicesThrow_RethrowsTheLowestIndexAfterAllRan()
    {
        var ran = new int[6];
        using var pool = new StepWorkers(2, i =>
        {
            Interlocked.Increment(ref ran[i]);
            if (i is 2 or 4) throw new InvalidOperationException($"unit {i}");
        });
        for (var round = 0; round < 20; round++)
            Should.Throw<InvalidOperationException>(() => pool.Run(6)).Message.ShouldBe("unit 2");
        ran.ShouldAllBe(n => n == 20);
        pool.Run(2); // a failed round leaves the pool usable
        ran[0].ShouldBe(21);
    }

    [Test]
    public void Dispose_JoinsTheWorkers_ThenRunThrows()
    {
        var pool = new StepWorkers(2, _ => { });
        pool.Run(3);
        pool.Dispose();
        pool.Dispose();
        Should.Throw<ObjectDisposedException>(() => pool.Run(1));
    }
}
