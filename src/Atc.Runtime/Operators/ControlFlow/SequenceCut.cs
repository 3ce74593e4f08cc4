namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>
/// Where iteration t's slice of a stacked tensor is: along axis 0 a contiguous block read or written in place; along
/// another axis <see cref="Blocks"/> strided blocks gathered into (or scattered from) a scratch buffer.
/// </summary>
internal sealed record SequenceCut(long SliceBytes, long Blocks, long BlockBytes, long Length, bool Reversed)
{
    public static SequenceCut Along(TensorType tensor, int axis, bool reversed)
    {
        long outer = 1, inner = tensor.Type.SizeOf();
        for (int d = 0; d < axis; d++) outer *= tensor.Dims[d];
        for (int d = axis + 1; d < tensor.Rank; d++) inner *= tensor.Dims[d];
        return new SequenceCut(outer * inner, outer, inner, tensor.Dims[axis], reversed);
    }

    /// <summary>Whether the slice is one contiguous block (axis 0): the body then reads or writes it in place.</summary>
    public bool InPlace => Blocks == 1;

    public long Index(long t) => Reversed ? Length - 1 - t : t;

    /// <summary>Address of slice <paramref name="t"/> when <see cref="InPlace"/>.</summary>
    public nint At(nint tensor, long t) => tensor + (nint)(Index(t) * SliceBytes);

    public unsafe void Gather(nint tensor, long t, nint slice)
    {
        long index = Index(t);
        for (long b = 0; b < Blocks; b++)
            Buffer.MemoryCopy((void*)(tensor + (nint)((b * Length + index) * BlockBytes)), (void*)(slice + (nint)(b * BlockBytes)), BlockBytes, BlockBytes);
    }

    public unsafe void Scatter(nint slice, long t, nint tensor)
    {
        long index = Index(t);
        for (long b = 0; b < Blocks; b++)
            Buffer.MemoryCopy((void*)(slice + (nint)(b * BlockBytes)), (void*)(tensor + (nint)((b * Length + index) * BlockBytes)), BlockBytes, BlockBytes);
    }
}
