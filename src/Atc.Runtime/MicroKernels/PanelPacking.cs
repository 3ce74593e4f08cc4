using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.MicroKernels;

/// <summary>Packing of B blocks into <see cref="GemmLayout"/> panels.</summary>
internal static unsafe class PanelPacking
{
    /// <summary>Packs rows [0, kc) of a row-major block (columns [n0, n1) of a matrix N wide) into dst.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackRowMajor(float* b, nint ldb, int kc, int n0, int n1, int n, float scale, float* dst)
    {
        int padded = GemmLayout.PadColumns(n1 - n0);
        for (int j = 0; j < padded; j += GemmLayout.PanelWidth)
        {
            int width = Math.Min(GemmLayout.PanelWidth, padded - j);
            int valid = Math.Clamp(n - (n0 + j), 0, width);
            float* src = b + n0 + j;
            if (valid == GemmLayout.PanelWidth && scale == 1f)
            {
                for (int k = 0; k < kc; k++, src += ldb, dst += GemmLayout.PanelWidth)
                {
                    Vector256.Store(Vector256.Load(src), dst);
                    Vector256.Store(Vector256.Load(src + 8), dst + 8);
                    Vector256.Store(Vector256.Load(src + 16), dst + 16);
                    Vector256.Store(Vector256.Load(src + 24), dst + 24);
                }
            }
            else
            {
                for (int k = 0; k < kc; k++, src += ldb, dst += width)
                {
                    int c = 0;
                    for (; c < valid; c++) dst[c] = src[c] * scale;
                    for (; c < width; c++) dst[c] = 0f;
                }
            }
        }
    }

    /// <summary>Packs B = Bt^T for K rows [0, kc) (bt already offset to k0) and columns [n0, n1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTransposed(float* bt, nint ldb, int kc, int n0, int n1, int n, float scale, float* dst)
    {
        int padded = GemmLayout.PadColumns(n1 - n0);
        for (int j = 0; j < padded; j += GemmLayout.PanelWidth)
        {
            int width = Math.Min(GemmLayout.PanelWidth, padded - j);
            int valid = Math.Clamp(n - (n0 + j), 0, width);
            // Column c of the panel is row (n0 + j + c) of Bt: walk it once, writing with the panel stride.
            for (int c = 0; c < valid; c++)
            {
                float* src = bt + (n0 + j + c) * ldb;
                float* d = dst + c;
                for (int k = 0; k < kc; k++, d += width) *d = src[k] * scale;
            }
            for (int c = valid; c < width; c++)
            {
                float* d = dst + c;
                for (int k = 0; k < kc; k++, d += width) *d = 0f;
            }
            dst += width * kc;
        }
    }

    /// <summary>Packs a whole constant B (all K blocks, all columns) once, for a kernel to keep.</summary>
    public static AlignedBuffer PackAll<TSource>(TSource source, int[] kStarts, int n) where TSource : struct, IPanelSource
    {
        int k = kStarts[^1];
        int padded = GemmLayout.PadColumns(n);
        var packed = new AlignedBuffer(Math.Max(1, (long)k * padded));
        for (int kb = 0; kb + 1 < kStarts.Length; kb++)
        {
            int k0 = kStarts[kb], kc = kStarts[kb + 1] - k0;
            source.Block(k0, kc, 0, n, packed.Pointer + (long)k0 * padded);
        }
        return packed;
    }
}
