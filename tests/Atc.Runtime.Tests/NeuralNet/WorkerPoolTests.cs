using Atc.Runtime.Operators;
using Atc.Runtime.Threading;

namespace Atc.Tests.NeuralNet;

public class WorkerPoolTests
{
    private struct CountingBody : IParallelBody
    {
        public int[] Hits;
        public void Invoke(int index) => Interlocked.Increment(ref Hits[index]);
    }

    private struct NestedBody : IParallelBody
    {
        public WorkerPool Pool;
        public int[] Hits;

        public void Invoke(int index)
        {
            var inner = new CountingBody { Hits = Hits };
            Pool.For(Hits.Length, ref inner);
        }
    }

    private struct ThrowingBody : IParallelBody
    {
        public void Invoke(int index)
        {
            if (index == 7) throw new InvalidOperationException("task 7 failed");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void EveryIndexRunsExactlyOnce(int threads)
    {
        using var pool = new WorkerPool(threads);
        Assert.Equal(threads, pool.ThreadCount);
        for (int round = 0; round < 200; round++)
        {
            var body = new CountingBody { Hits = new int[1 + round % 37] };
            pool.For(body.Hits.Length, ref body);
            Assert.All(body.Hits, h => Assert.Equal(1, h));
        }
    }

    private struct ThreadRecordingBody : IParallelBody
    {
        public int[] Threads;

        public void Invoke(int index)
        {
            Threads[index] = Environment.CurrentManagedThreadId;
            Thread.SpinWait(20_000); // long enough that the worker, once awake, takes some tasks
        }
    }

    [Fact]
    public void TheCallerTakesTasksFromTheFrontAndTheWorkerFromTheBack()
    {
        using var pool = new WorkerPool(2);
        int caller = Environment.CurrentManagedThreadId;
        for (int round = 0; round < 20; round++)
        {
            var body = new ThreadRecordingBody { Threads = new int[16] };
            pool.For(16, ref body);
            // The caller's tasks are a prefix, the worker's the rest: each thread keeps its end of the range.
            int split = Array.FindIndex(body.Threads, t => t != caller);
            if (split < 0) continue;
            Assert.All(body.Threads[..split], t => Assert.Equal(caller, t));
            Assert.All(body.Threads[split..], t => Assert.NotEqual(caller, t));
        }
    }

    [Fact]
    public void NestedCallsRunInline()
    {
        using var pool = new WorkerPool(2);
        var hits = new int[5];
        var body = new NestedBody { Pool = pool, Hits = hits };
        pool.For(4, ref body);
        Assert.All(hits, h => Assert.Equal(4, h));
    }

    [Fact]
    public void ConcurrentCallersAllComplete()
    {
        using var pool = new WorkerPool(2);
        var results = new int[4][];
        Parallel.For(0, 4, caller =>
        {
            for (int round = 0; round < 50; round++)
            {
                var body = new CountingBody { Hits = new int[64] };
                pool.For(64, ref body);
                if (body.Hits.Any(h => h != 1)) throw new InvalidOperationException("a task ran twice or never");
            }
            results[caller] = [1];
        });
        Assert.All(results, r => Assert.NotNull(r));
    }

    [Fact]
    public void ExceptionsReachTheCaller()
    {
        using var pool = new WorkerPool(2);
        var body = new ThrowingBody();
        var e = Assert.Throws<InvalidOperationException>(() => pool.For(20, ref body));
        Assert.Equal("task 7 failed", e.Message);
        var ok = new CountingBody { Hits = new int[10] };
        pool.For(10, ref ok);
        Assert.All(ok.Hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void ZeroThreadsIsRejected() => Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(0));
}
