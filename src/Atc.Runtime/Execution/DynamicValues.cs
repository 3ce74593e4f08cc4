using Atc.Runtime.Execution.Memory;
using Atc.Runtime.Operators;

namespace Atc.Runtime.Execution;

/// <summary>
/// One session's storage for the dynamic region: a buffer per dynamic value, grown to the largest size a run has
/// needed and reused by later runs, and the actual type each value has in the current run.
/// </summary>
internal sealed class DynamicValues(int valueCount, IBufferAllocator? allocator) : IDisposable
{
    private readonly PinnedBuffer?[] _buffers = new PinnedBuffer?[valueCount];
    private readonly TensorType?[] _types = new TensorType?[valueCount];
    private readonly PinnedBuffer _scratch = new(allocator);

    /// <summary>Storage of at least <paramref name="bytes"/> for a value this step is about to write.</summary>
    public nint Reserve(int value, long bytes)
    {
        var buffer = _buffers[value] ??= new PinnedBuffer(allocator);
        buffer.EnsureCapacity(bytes);
        return buffer.Pointer;
    }

    public nint Scratch(long bytes)
    {
        _scratch.EnsureCapacity(bytes);
        return _scratch.Pointer;
    }

    /// <summary>Where a dynamic value's bytes are in this run.</summary>
    public nint Pointer(int value) => _buffers[value]?.Pointer
        ?? throw new InvalidOperationException($"dynamic value {value} is read before a step wrote it");

    /// <summary>A dynamic value's actual type in this run.</summary>
    public TensorType Type(int value) => _types[value]
        ?? throw new InvalidOperationException($"dynamic value {value} is read before a step wrote it");

    public void SetType(int value, TensorType type) => _types[value] = type;

    /// <summary>A run starts: nothing of the previous run's shapes may be read.</summary>
    public void BeginRun() => Array.Clear(_types);

    public ReadOnlySpan<byte> Bytes(int value, long length) => _buffers[value]!.AsSpan(length);

    public void Dispose()
    {
        foreach (var b in _buffers) b?.Dispose();
        _scratch.Dispose();
    }
}
