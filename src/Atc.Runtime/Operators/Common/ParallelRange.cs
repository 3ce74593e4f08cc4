namespace Atc.Runtime.Operators.Common;

/// <summary>A range body: processes items [start, end). Must not mutate itself (it runs on several threads).</summary>
internal interface IRangeBody
{
    void Run(long start, long end);
}

/// <summary>Splits [0, count) into a few contiguous chunks for the worker pool when the work is large enough.</summary>
internal static class ParallelRange
{
    /// <summary>Below this many element operations per task, threading costs more than it saves.</summary>
    public const long MinWorkPerTask = 1 << 15;

    public static void For<TBody>(IWorkerPool workers, long count, long workPerItem, ref TBody body) where TBody : struct, IRangeBody
    {
        if (count <= 0) return;
        long total = count * Math.Max(1, workPerItem);
        long tasks = workers.ThreadCount <= 1 ? 1 : Math.Min(Math.Min(count, workers.ThreadCount * 4L), total / MinWorkPerTask);
        if (tasks <= 1)
        {
            body.Run(0, count);
            return;
        }
        var chunks = new Chunks<TBody>(body, count, (int)tasks);
        workers.For((int)tasks, ref chunks);
    }

    private readonly struct Chunks<TBody>(TBody body, long count, int tasks) : IParallelBody where TBody : struct, IRangeBody
    {
        public void Invoke(int index) => body.Run(count * index / tasks, count * (index + 1) / tasks);
    }
}
