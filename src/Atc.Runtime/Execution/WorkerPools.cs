using Atc.Runtime.Operators;
using Atc.Runtime.Threading;

namespace Atc.Runtime.Execution;

/// <summary>Creates the worker pool a session runs its kernels on (the session disposes it).</summary>
internal static class WorkerPools
{
    public static IWorkerPool Create(int threadCount) => threadCount <= 1 ? InlineWorkerPool.Instance : new WorkerPool(threadCount);
}
