using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// How many groups share one AVX-512 vector when a group has 16 / k output channels, and how a tap's input values
/// for those k groups (k adjacent floats of the interleaved image) are broadcast: as one 64- or 128-bit element, a
/// load-port broadcast like a single float's.
/// </summary>
internal unsafe interface IGroupPack
{
    static abstract int Groups { get; }
    static abstract Vector512<float> Broadcast(float* p);
}

internal unsafe struct GroupPack2 : IGroupPack
{
    public static int Groups => 2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float* p) => Vector512.Create(*(double*)p).AsSingle();
}

internal unsafe struct GroupPack4 : IGroupPack
{
    public static int Groups => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float* p) => Vector512.Create(Vector128.Load(p));
}

/// <summary>
/// The narrow-group direct convolution on AVX-512 for groups of 8 (or 4) channels: k = 2 (or 4) groups fill one
/// 512-bit vector instead of half (a quarter) of one. Lane j * k + h holds output j of the pack's group h; the input
/// image is interleaved the same way ([pack][input channel][k]), so the k groups' values of one input channel are
/// adjacent and broadcast together. The accumulators are put back in channel order (one permute) before the
/// epilogue. <see cref="NarrowGroupTile.X"/> points at the pack's first interleaved value, Y, Bias and Residual at
/// the pack's first output channel.
/// </summary>
[SkipLocalsInit]
internal static unsafe class NarrowGroupPairs512<TPack, TPixels> where TPack : struct, IGroupPack where TPixels : struct, IRowCount
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ref NarrowGroupTile t, Vector512<int> toChannelOrder)
    {
        int p = TPixels.Value, k = TPack.Groups;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        nint s = t.PixelStep;
        int channels = t.Channels;
        float* w = t.Weights;
        float* row = t.X;
        for (int kh = 0; kh < t.KernelRows; kh++, row += t.RowStep)
        {
            float* tap = row;
            for (int kw = 0; kw < t.KernelCols; kw++, tap += t.TapStep)
            {
                float* x0 = tap, x1 = tap + s, x2 = tap + 2 * s, x3 = tap + 3 * s, x4 = tap + 4 * s, x5 = tap + 5 * s;
                float* x6 = tap + 6 * s, x7 = tap + 7 * s;
                for (int c = 0; c < channels; c++, w += 16)
                {
                    var b = Vector512.Load(w);
                    nint at = c * k;
                    c0 = Vector512.FusedMultiplyAdd(TPack.Broadcast(x0 + at), b, c0);
                    c1 = Vector512.FusedMultiplyAdd(TPack.Broadcast(x1 + at), b, c1);
                    c2 = Vector512.FusedMultiplyAdd(TPack.Broadcast(x2 + at), b, c2);
                    c3 = Vector512.FusedMultiplyAdd(TPack.Broadcast(x3 + at), b, c3);
                    c4 = Vector512.FusedMultiplyAdd(TPack.Broadcast(x4 + at), b, c4);
                    c5 = Vector512.FusedMultiplyAdd(TPack.Broadcast(x5 + at), b, c5);
                    if (p > 6)
                    {
                        c6 = Vector512.FusedMultiplyAdd(TPack.Broadcast(x6 + at), b, c6);
                        c7 = Vector512.FusedMultiplyAdd(TPack.Broadcast(x7 + at), b, c7);
                    }
                }
            }
        }
        int valid = t.Pixels;
        Store(ref t, 0, c0, toChannelOrder); if (valid > 1) Store(ref t, 1, c1, toChannelOrder);
        if (valid > 2) Store(ref t, 2, c2, toChannelOrder); if (valid > 3) Store(ref t, 3, c3, toChannelOrder);
        if (valid > 4) Store(ref t, 4, c4, toChannelOrder); if (valid > 5) Store(ref t, 5, c5, toChannelOrder);
        if (p > 6)
        {
            if (valid > 6) Store(ref t, 6, c6, toChannelOrder);
            if (valid > 7) Store(ref t, 7, c7, toChannelOrder);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref NarrowGroupTile t, int pixel, Vector512<float> acc, Vector512<int> toChannelOrder)
    {
        var v = Vector512.Shuffle(acc, toChannelOrder);
        if (t.Bias != null) v += Vector512.Load(t.Bias);
        if (t.Residual != null) v += Vector512.Load(t.Residual + pixel * t.ResidualStride);
        if (t.Clamp) v = Vector512.MinNative(Vector512.MaxNative(v, Vector512.Create(t.Min)), Vector512.Create(t.Max));
        v.Store(t.Y + pixel * t.OutputStride);
    }
}
