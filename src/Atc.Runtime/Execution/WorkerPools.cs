using System.Collections.Concurrent;
using Atc.Runtime.Operators;
using Atc.Runtime.Threading;

namespace Atc.Runtime.Execution;

/// <summary>
/// The process-wide worker pools: one per thread count, created on first use and shared by every session that asks
/// for that count, so N sessions do not make N pools of threads. A pool busy with one session's job runs another
/// session's job inline on that session's thread (see <see cref="WorkerPool"/>), so sharing never blocks.
/// </summary>
internal static class WorkerPools
{
    private static readonly ConcurrentDictionary<int, Lazy<WorkerPool>> Shared = new();

    /// <param name="threadCount">Already within <see cref="ThreadBudget"/>.</param>
    public static IWorkerPool For(int threadCount)
        => threadCount <= 1
            ? InlineWorkerPool.Instance
            : Shared.GetOrAdd(threadCount, count => new Lazy<WorkerPool>(() => new WorkerPool(count))).Value;
}
