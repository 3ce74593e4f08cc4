using Atc.Runtime.Execution.Memory;

namespace Atc.Runtime;

/// <summary>Options of one <see cref="InferenceSession"/>.</summary>
public sealed record SessionOptions
{
    /// <summary>
    /// Threads the kernels may use; 0 (the default) = one per processor. At most
    /// <see cref="InferenceSession.MaxThreadsPerProcessor"/> per processor: a larger value is capped and the session
    /// reports warning ATC2101 (<see cref="InferenceSession.Warnings"/>, Trace). Negative values are rejected (ATC2102).
    /// Sessions share one process-wide worker pool per thread count.
    /// </summary>
    public int ThreadCount { get; init; }

    /// <summary>Test hook: where the session's arena, scratch, input and output buffers come from (null = pinned arrays).</summary>
    internal IBufferAllocator? Allocator { get; init; }
}
