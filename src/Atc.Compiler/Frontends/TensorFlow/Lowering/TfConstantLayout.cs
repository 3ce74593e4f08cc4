using Atc.Runtime;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>Re-lays constant tensors at import (filters HWIO → OIHW), byte-wise so any element type works.</summary>
internal static class TfConstantLayout
{
    public static TensorData Transpose(TensorData data, int[] perm)
    {
        int rank = data.Rank;
        int size = data.Type.SizeOf();
        var outDims = new int[rank];
        for (int i = 0; i < rank; i++) outDims[i] = data.Dims[perm[i]];

        var inStrides = Shape.Strides(data.Dims);
        var source = data.Bytes.Span;
        var result = new byte[source.Length];
        var index = new int[rank];
        long count = data.ElementCount;
        for (long o = 0; o < count; o++)
        {
            long offset = 0;
            for (int i = 0; i < rank; i++) offset += (long)index[i] * inStrides[perm[i]];
            source.Slice((int)(offset * size), size).CopyTo(result.AsSpan((int)(o * size), size));
            // Advance the output index odometer (last axis fastest).
            for (int i = rank - 1; i >= 0 && ++index[i] == outDims[i]; i--) index[i] = 0;
        }
        return new TensorData(data.Type, outDims, result);
    }

    public static TensorData Reshape(TensorData data, int[] dims) => new(data.Type, dims, data.Bytes);
}
