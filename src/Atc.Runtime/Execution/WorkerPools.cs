using Atc.Runtime.Operators;

namespace Atc.Runtime.Execution;

/// <summary>Creates the worker pool a session runs its kernels on.</summary>
internal static class WorkerPools
{
    // The one line to change when Threading/WorkerPool.cs lands: return a pool of `threadCount` threads.
    public static IWorkerPool Create(int threadCount) => InlineWorkerPool.Instance;
}
