using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.Kernels;

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
            if (Avx.IsSupported)
            {
                for (; c + Block <= c1; c += Block)
                {
                    int r = rb;
                    for (; r + Block <= re; r += Block) Transpose8x8(src + (long)r * columns + c, columns, dst + (long)c * rows + r, rows);
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

    private static void Transpose8x8(float* s, long ss, float* d, long ds)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ss);
        var r2 = Avx.LoadVector256(s + 2 * ss);
        var r3 = Avx.LoadVector256(s + 3 * ss);
        var r4 = Avx.LoadVector256(s + 4 * ss);
        var r5 = Avx.LoadVector256(s + 5 * ss);
        var r6 = Avx.LoadVector256(s + 6 * ss);
        var r7 = Avx.LoadVector256(s + 7 * ss);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ds, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ds, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ds, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ds, Avx.Permute2x128(u3, u7, 0x31));
    }
}
