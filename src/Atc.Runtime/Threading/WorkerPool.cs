using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.ExceptionServices;
using Atc.Runtime.Operators;

namespace Atc.Runtime.Threading;

/// <summary>
/// A pool of persistent worker threads. <see cref="For{TBody}"/> publishes one job (a body and a task count); the
/// calling thread and whichever workers are awake take task indices until none are left, so a sleeping worker never
/// delays a call. The caller takes indices from the front and the workers from the back: consecutive steps split the
/// same way (rows, pixels) then give the caller the same part of the tensor every time, so each core mostly reads
/// what it wrote a step before instead of the other core's cache lines, while the meeting point still balances. No allocation per call. A call made while the pool is busy (another
/// session, or a body that itself calls For) runs inline. Workers spin briefly after a job so back-to-back operator
/// calls find them awake.
/// </summary>
/// <remarks>
/// Job protocol: <c>_generation</c> is odd while a job is open. A worker registers in <c>_inside</c>, then checks the
/// generation it woke for is still open; the caller closes the job (even generation) once every task is done and
/// waits for <c>_inside</c> to drain before the job fields may be reused.
/// </remarks>
internal sealed unsafe class WorkerPool : IWorkerPool, IDisposable
{
    private const int SpinRoundsBeforeSleep = 1_000;

    private readonly Thread[] _workers;
    private readonly object _sleepGate = new();
    private int _busy;
    private int _generation;
    private int _inside;
    private int _sleepers;
    private volatile bool _disposed;

    private void* _body;
    private delegate*<void*, int, void> _invoke;
    private TaskCounters _tasks;
    private ExceptionDispatchInfo? _failure;

    /// <summary>
    /// The two words every task writes, each on its own cache line: the caller spins on Done while a worker takes
    /// from Left, and idle workers poll the job fields above; sharing one line would move it between cores on every
    /// read and increment. Left holds the tasks not yet taken: the next front index in its low half, one past the
    /// last back index in its high half.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
    private struct TaskCounters
    {
        private const int CacheLine = 64;
        [FieldOffset(CacheLine)] public long Left;
        [FieldOffset(2 * CacheLine)] public int Done;
    }

    /// <param name="threadCount">Threads that run tasks, the calling thread included (at least 1).</param>
    public WorkerPool(int threadCount)
    {
        if (threadCount < 1) throw new ArgumentOutOfRangeException(nameof(threadCount), threadCount, "need at least one thread");
        ThreadCount = threadCount;
        _workers = new Thread[threadCount - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"Atc worker {i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>A pool with one thread per processor.</summary>
    public WorkerPool() : this(Environment.ProcessorCount) { }

    public int ThreadCount { get; }

    public void For<TBody>(int count, ref TBody body) where TBody : struct, IParallelBody
    {
        if (count <= 0) return;
        if (count == 1 || _workers.Length == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body.Invoke(i);
            return;
        }

        // The body stays in this frame for the whole job, so its address is valid for the workers.
        TBody local = body;
        ExceptionDispatchInfo? failure;
        try
        {
            _body = Unsafe.AsPointer(ref local);
            _invoke = &InvokeBody<TBody>;
            _tasks.Left = (long)count << 32;
            _tasks.Done = 0;
            _failure = null;
            Interlocked.Increment(ref _generation); // open (odd)
            if (Volatile.Read(ref _sleepers) > 0)
                lock (_sleepGate) Monitor.PulseAll(_sleepGate);

            RunTasks(fromBack: false);

            var spin = new SpinWait();
            while (Volatile.Read(ref _tasks.Done) < count) spin.SpinOnce(sleep1Threshold: -1);
            Interlocked.Increment(ref _generation); // closed (even)
            while (Volatile.Read(ref _inside) != 0) Thread.SpinWait(1);
            failure = _failure;
        }
        finally
        {
            _body = null;
            Volatile.Write(ref _busy, 0);
        }
        body = local;
        failure?.Throw();
    }

    private static void InvokeBody<TBody>(void* body, int index) where TBody : struct, IParallelBody
        => Unsafe.AsRef<TBody>(body).Invoke(index);

    /// <summary>Takes one task index from the front or the back of those left; -1 when none are.</summary>
    private int Take(bool fromBack)
    {
        while (true)
        {
            long left = Volatile.Read(ref _tasks.Left);
            int front = (int)left, back = (int)(left >> 32);
            if (front >= back) return -1;
            long taken = fromBack ? ((long)(back - 1) << 32) | (uint)front : ((long)back << 32) | (uint)(front + 1);
            if (Interlocked.CompareExchange(ref _tasks.Left, taken, left) == left) return fromBack ? back - 1 : front;
        }
    }

    private void RunTasks(bool fromBack)
    {
        int i;
        while ((i = Take(fromBack)) >= 0)
        {
            try
            {
                _invoke(_body, i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                Interlocked.Increment(ref _tasks.Done);
            }
        }
    }

    private void WorkerLoop()
    {
        int seen = 0;
        while (!_disposed)
        {
            int g = WaitForJob(seen);
            if (g < 0) return;
            seen = g;
            Interlocked.Increment(ref _inside);
            if (Volatile.Read(ref _generation) == g) RunTasks(fromBack: true);
            Interlocked.Decrement(ref _inside);
        }
    }

    /// <summary>Waits until an open job other than <paramref name="seen"/> is published; -1 when disposed.</summary>
    private int WaitForJob(int seen)
    {
        for (int round = 0; ; round++)
        {
            if (_disposed) return -1;
            int g = Volatile.Read(ref _generation);
            if ((g & 1) == 1 && g != seen) return g;
            if (round < SpinRoundsBeforeSleep) { Thread.SpinWait(30); continue; }
            lock (_sleepGate)
            {
                Interlocked.Increment(ref _sleepers);
                while (!_disposed)
                {
                    g = Volatile.Read(ref _generation);
                    if ((g & 1) == 1 && g != seen) break;
                    Monitor.Wait(_sleepGate);
                }
                Interlocked.Decrement(ref _sleepers);
            }
            round = 0;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_sleepGate) Monitor.PulseAll(_sleepGate);
        foreach (var t in _workers) t.Join();
    }
}
