using System.Buffers;
using System.Runtime.InteropServices;
using Atc.Runtime.Execution.Memory;

namespace Atc.Runtime.Execution;

/// <summary>
/// A growable buffer whose start is 64-byte aligned: a pinned-heap array, or a block of a test
/// <see cref="IBufferAllocator"/>. Spans over the array keep it alive, so a span handed out before the buffer grew
/// still reads memory the GC cannot reuse.
/// </summary>
internal sealed class PinnedBuffer(IBufferAllocator? allocator = null) : IDisposable
{
    /// <summary>Largest buffer: what one pinned array can hold after the alignment slack.</summary>
    public static long MaxBytes => Array.MaxLength - ArenaAllocator.Alignment;

    private byte[] _array = [];
    private int _start;

    public nint Pointer { get; private set; }
    public long Capacity { get; private set; }

    /// <summary>Grows (discarding the content) so that at least <paramref name="bytes"/> fit.</summary>
    public void EnsureCapacity(long bytes)
    {
        if (bytes <= Capacity && Pointer != 0) return;
        if (bytes < 0 || bytes > MaxBytes)
            throw new NotSupportedException($"a buffer of {bytes} bytes exceeds the runtime's {MaxBytes}-byte limit");
        if (allocator is not null)
        {
            Release();
            Pointer = allocator.Allocate(bytes);
            Capacity = bytes;
            return;
        }
        _array = GC.AllocateArray<byte>((int)bytes + ArenaAllocator.Alignment, pinned: true);
        nint start = ExecutionPlanner.AddressOf(_array);
        Pointer = (start + ArenaAllocator.Alignment - 1) & ~(nint)(ArenaAllocator.Alignment - 1);
        _start = (int)(Pointer - start);
        Capacity = bytes;
        TouchPages(_array);
    }

    /// <summary>
    /// Writes one (zero) byte per page. A large new array's pages come fresh from the OS and are mapped on first
    /// write; a session makes its buffers in CreateSession, so without this the first Run took those page faults
    /// (about 2,300 for DenseNet-121's arena, a fifth of its first run's extra time over a steady run).
    /// </summary>
    private static void TouchPages(byte[] array)
    {
        int page = Environment.SystemPageSize;
        for (int i = 0; i < array.Length; i += page) array[i] = 0;
    }

    public unsafe Span<byte> AsSpan(long length)
    {
        if ((ulong)length > (ulong)Capacity)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"the buffer holds {Capacity} bytes");
        return allocator is null ? _array.AsSpan(_start, (int)length) : new Span<byte>((void*)Pointer, (int)length);
    }

    private void Release()
    {
        if (allocator is not null && Pointer != 0) allocator.Free(Pointer, Capacity);
        Pointer = 0;
        Capacity = 0;
    }

    /// <summary>Frees an allocator's block; pinned arrays are left to the GC.</summary>
    public void Dispose() => Release();
}

/// <summary>Memory that is not managed by the GC (a manifest resource mapped with its assembly).</summary>
internal sealed unsafe class UnmanagedMemoryManager(byte* pointer, int length, object? owner) : MemoryManager<byte>
{
    /// <summary>Keeps whatever owns the memory (the resource stream) reachable while the memory is in use.</summary>
    public object? Owner { get; } = owner;
    public nint Pointer => (nint)pointer;

    public override Span<byte> GetSpan() => new(pointer, length);
    public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);
    public override void Unpin() { }
    protected override void Dispose(bool disposing) { }
}

/// <summary>Addresses of memory that never moves: pinned-heap arrays and unmanaged memory.</summary>
internal static class FixedMemory
{
    public static nint AddressOf(ReadOnlyMemory<byte> memory)
    {
        if (MemoryMarshal.TryGetArray(memory, out var segment))
            return ExecutionPlanner.AddressOf(segment.Array!) + segment.Offset;
        if (MemoryMarshal.TryGetMemoryManager<byte, UnmanagedMemoryManager>(memory, out var manager, out int start, out _))
            return manager.Pointer + start;
        throw new InvalidOperationException("the memory is neither a pinned array nor unmanaged memory");
    }
}
