using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Channels-first [C, P] to channels-last [P, C] and back, in 8 x 8 blocks (AVX shuffles where available). The way
/// back also adds a channels-first residual and clamps, so a convolution computed channels-last can finish its
/// epilogue in the same pass.
/// </summary>
internal static unsafe class LayoutTranspose
{
    public const int Block = 8;

    /// <summary>dst[c, r] = src[r, c] for columns [c0, c1) of src [rows, columns] (dst is [columns, rows]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Columns(float* src, float* dst, int rows, int columns, int c0, int c1)
    {
        for (int rb = 0; rb < rows; rb += 64)
        {
            int re = Math.Min(rows, rb + 64);
            int c = c0;
            if (Transpose8x8.IsSupported)
            {
                for (; c + Block <= c1; c += Block)
                {
                    int r = rb;
                    for (; r + Block <= re; r += Block) Transpose8x8.Run(src + (long)r * columns + c, columns, dst + (long)c * rows + r, rows);
                    for (; r < re; r++)
                        for (int i = 0; i < Block; i++) dst[(long)(c + i) * rows + r] = src[(long)r * columns + c + i];
                }
            }
            for (; c < c1; c++)
                for (int r = rb; r < re; r++) dst[(long)c * rows + r] = src[(long)r * columns + c];
        }
    }

    /// <summary>
    /// Channels [c0, c1) of src [pixels, channels] to dst [channels, pixels], adding a channels-first residual and
    /// clamping on the way.
    /// </summary>
    public static void BackWithEpilogue(float* src, float* dst, float* residual, int pixels, int channels, int c0, int c1, Activation activation)
    {
        Columns(src, dst, pixels, channels, c0, c1);
        if (residual == null && !activation.IsClamp) return;
        var lo = Vector256.Create(activation.Min);
        var hi = Vector256.Create(activation.Max);
        for (int c = c0; c < c1; c++)
        {
            float* d = dst + (long)c * pixels;
            float* res = residual == null ? null : residual + (long)c * pixels;
            int i = 0;
            for (; i + 8 <= pixels; i += 8)
            {
                var v = Vector256.Load(d + i);
                if (res != null) v += Vector256.Load(res + i);
                if (activation.IsClamp) v = Vector256.MinNative(Vector256.MaxNative(v, lo), hi);
                v.Store(d + i);
            }
            for (; i < pixels; i++) d[i] = activation.Apply(res == null ? d[i] : d[i] + res[i]);
        }
    }
}
