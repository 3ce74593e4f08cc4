namespace Atc.Runtime.Execution.Memory;

/// <summary>
/// Where a session's buffers (arena, scratch, inputs, outputs) come from when they are not the default pinned
/// arrays. A test hook: <see cref="GuardPageAllocator"/> places each buffer against a no-access page so that any
/// out-of-bounds access crashes at once instead of corrupting memory silently.
/// </summary>
internal interface IBufferAllocator
{
    /// <summary>A block of at least <paramref name="bytes"/> bytes whose start is 64-byte aligned (never 0).</summary>
    nint Allocate(long bytes);

    /// <summary>Frees a block returned by <see cref="Allocate"/> for the same <paramref name="bytes"/>.</summary>
    void Free(nint pointer, long bytes);
}
