using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Passes;

/// <summary>
/// The arithmetic of moving a 4-D tensor between channels-first (NCHW) and channels-last (NHWC): the two
/// permutations, where an NCHW axis lands, and the re-laid form of a constant operand.
/// </summary>
internal static class ChannelsLast
{
    /// <summary>Transpose perm NCHW → NHWC: out[i] = in[perm[i]].</summary>
    public static readonly long[] ToNhwc = [0, 2, 3, 1];

    /// <summary>Transpose perm NHWC → NCHW; also the map from an NCHW axis to its NHWC position.</summary>
    public static readonly long[] ToNchw = [0, 3, 1, 2];

    /// <summary>The NHWC position of NCHW axis <paramref name="axis"/> (negative counts from the end); null when
    /// the axis is out of range for rank 4.</summary>
    public static long? Axis(long axis)
    {
        long a = axis < 0 ? axis + 4 : axis;
        return a is >= 0 and < 4 ? ToNchw[a] : null;
    }

    /// <summary>An NCHW shape (dims may be -1) in NHWC order; null stays null, other ranks are not 4-D tensors.</summary>
    public static long[]? Shape(long[]? nchw) => nchw is { Length: 4 } ? [nchw[0], nchw[2], nchw[3], nchw[1]] : null;

    /// <summary>
    /// A constant operand of an element-wise op whose other operands move to NHWC. Broadcasting aligns dims from the
    /// right, so the constant is first read as 4-D (leading 1s), then permuted like the data. Null when the
    /// constant's rank is above 4. Returns the constant itself when it varies at most along the batch (scalars
    /// included): the caller then keeps the original value.
    /// </summary>
    public static TensorData? Relaid(TensorData constant)
    {
        if (constant.Rank > 4) return null;
        int[] dims = new int[4];
        for (int i = 0; i < 4; i++) dims[i] = i < 4 - constant.Rank ? 1 : constant.Dims[i - (4 - constant.Rank)];
        int[] outDims = [dims[0], dims[2], dims[3], dims[1]];
        if (dims[1] == 1 && dims[2] == 1 && dims[3] == 1) return constant; // varies at most along the batch

        int size = constant.Type.SizeOf();
        var source = constant.Bytes.Span;
        var target = new byte[source.Length];
        int n = dims[0], c = dims[1], h = dims[2], w = dims[3];
        int at = 0;
        for (int b = 0; b < n; b++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int ch = 0; ch < c; ch++, at += size)
                        source.Slice((((b * c + ch) * h + y) * w + x) * size, size).CopyTo(target.AsSpan(at, size));
        return new TensorData(constant.Type, outDims, target);
    }

    /// <summary>A 4-value per-axis list (scales, sizes) in NCHW axis order, reordered to NHWC axis order.</summary>
    public static TensorData PermutedList(TensorData list)
    {
        int size = list.Type.SizeOf();
        var source = list.Bytes.Span;
        var target = new byte[source.Length];
        for (int i = 0; i < 4; i++) source.Slice((int)ToNhwc[i] * size, size).CopyTo(target.AsSpan(i * size, size));
        return new TensorData(list.Type, [4], target);
    }
}
