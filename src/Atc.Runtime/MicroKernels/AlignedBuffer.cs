using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Float storage owned by a kernel (packed weights, folded scales): pinned on the pinned object heap, so the
/// pointer is stable for the kernel's lifetime, and 64-byte aligned for vector loads.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private const int AlignFloats = 16;
    private readonly float[] _storage;

    public AlignedBuffer(long length)
    {
        Length = checked((int)length);
        _storage = GC.AllocateArray<float>(Length + AlignFloats, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref _storage[0]);
        nint aligned = (address + 63) & ~(nint)63;
        Pointer = (float*)aligned;
    }

    public int Length { get; }
    public float* Pointer { get; }
    public Span<float> Span => new(Pointer, Length);

    public static AlignedBuffer From(ReadOnlySpan<float> values)
    {
        var b = new AlignedBuffer(values.Length);
        values.CopyTo(b.Span);
        return b;
    }
}
