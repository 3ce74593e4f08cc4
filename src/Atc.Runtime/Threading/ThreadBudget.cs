using System.Diagnostics;

namespace Atc.Runtime.Threading;

/// <summary>
/// How many threads a session's kernels get. 0 means one per processor; a request above
/// <see cref="MaxThreadsPerProcessor"/> x <see cref="Environment.ProcessorCount"/> is capped (with warning ATC2101):
/// the kernels are compute-bound, so threads beyond the processors only add switching and spinning.
/// </summary>
internal static class ThreadBudget
{
    public const int MaxThreadsPerProcessor = 2;

    public static int Cap => MaxThreadsPerProcessor * Environment.ProcessorCount;

    /// <summary>The thread count to use for <paramref name="requested"/>, and the warning when it was capped.</summary>
    public static int Resolve(int requested, out string? warning)
    {
        warning = null;
        if (requested < 0) throw RuntimeErrors.InvalidThreadCount(requested, Cap);
        if (requested == 0) return Environment.ProcessorCount;
        if (requested <= Cap) return requested;
        warning = RuntimeErrors.ThreadCountCapped(requested, Cap, MaxThreadsPerProcessor, Environment.ProcessorCount);
        Trace.TraceWarning(warning);
        return Cap;
    }
}
