using System.Runtime.InteropServices;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>Re-lays constant tensors at import (filters HWIO → OIHW) for any element type.</summary>
internal static class TfConstantLayout
{
    public static TensorData Transpose(TensorData data, int[] perm)
    {
        int rank = data.Rank;
        var outDims = new int[rank];
        var inStrides = Shape.Strides(data.Dims);
        // Source stride of each output axis, so the odometer below moves the source offset incrementally.
        var strides = new long[rank];
        for (int i = 0; i < rank; i++) { outDims[i] = data.Dims[perm[i]]; strides[i] = inStrides[perm[i]]; }

        var result = new byte[data.Bytes.Length];
        var source = data.Bytes.Span;
        switch (data.Type.SizeOf())
        {
            case 1: Permute(source, result.AsSpan(), outDims, strides); break;
            case 4: Permute(MemoryMarshal.Cast<byte, uint>(source), MemoryMarshal.Cast<byte, uint>(result.AsSpan()), outDims, strides); break;
            default: Permute(MemoryMarshal.Cast<byte, ulong>(source), MemoryMarshal.Cast<byte, ulong>(result.AsSpan()), outDims, strides); break;
        }
        return new TensorData(data.Type, outDims, result);
    }

    public static TensorData Reshape(TensorData data, int[] dims) => new(data.Type, dims, data.Bytes);

    private static void Permute<T>(ReadOnlySpan<T> source, Span<T> target, int[] outDims, long[] strides) where T : unmanaged
    {
        int rank = outDims.Length;
        var index = new int[rank];
        long offset = 0;
        for (int o = 0; o < target.Length; o++)
        {
            target[o] = source[(int)offset];
            // Advance the output index (last axis fastest) and the matching source offset.
            for (int i = rank - 1; i >= 0; i--)
            {
                offset += strides[i];
                if (++index[i] < outDims[i]) break;
                offset -= strides[i] * outDims[i];
                index[i] = 0;
            }
        }
    }
}
