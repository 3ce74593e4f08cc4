using System.Buffers;
using System.Runtime.InteropServices;

namespace Atc.Runtime.Execution;

/// <summary>A growable buffer on the pinned object heap whose start is 64-byte aligned.</summary>
internal sealed class PinnedBuffer
{
    private byte[] _array = [];

    public nint Pointer { get; private set; }
    public long Capacity { get; private set; }

    /// <summary>Grows (discarding the content) so that at least <paramref name="bytes"/> fit.</summary>
    public void EnsureCapacity(long bytes)
    {
        if (bytes <= Capacity && Pointer != 0) return;
        if (bytes > Array.MaxLength - ArenaAllocator.Alignment)
            throw new NotSupportedException($"a buffer of {bytes} bytes exceeds the runtime's {Array.MaxLength - ArenaAllocator.Alignment}-byte limit");
        _array = GC.AllocateArray<byte>((int)bytes + ArenaAllocator.Alignment, pinned: true);
        nint start = ExecutionPlanner.AddressOf(_array);
        Pointer = (start + ArenaAllocator.Alignment - 1) & ~(nint)(ArenaAllocator.Alignment - 1);
        Capacity = bytes;
    }

    public unsafe Span<byte> AsSpan(long length) => new((void*)Pointer, checked((int)length));
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
