using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.Kernels;

/// <summary>
/// Winograd F(4x4, 3x3) input transform, V = B^T d B, for one 6x6 tile of a channels-last image: every step is
/// vector math over channels, so a tile's 36 pixels are read as 36 channel runs (a pointer per pixel; pixels in the
/// padding or past the edge point at zeros) and point e of the result goes to <c>dst + e * pointStride</c>.
/// </summary>
[SkipLocalsInit]
internal static unsafe class WinogradInputTransform
{
    public static void Run(Isa isa, float** pixels, int channels, float* dst, nint pointStride)
    {
        if (isa == Isa.Avx512) Run<Float512, Vector512<float>>(pixels, channels, dst, pointStride);
        else if (isa == Isa.Avx2) Run<Float256, Vector256<float>>(pixels, channels, dst, pointStride);
        else Run<Float128, Vector128<float>>(pixels, channels, dst, pointStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TOps, TVec>(float** pixels, int channels, float* dst, nint pointStride)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        // Rows pass into a small buffer (stays in L1), then the columns pass writes the 36 points.
        float* rows = stackalloc float[WinogradTile.Points * 16];
        int c = 0;
        for (; c + TOps.Count <= channels; c += TOps.Count) Channels<TOps, TVec>(pixels, c, rows, dst, pointStride);
        for (; c < channels; c++) Channels<WinogradScalarLane, float>(pixels, c, rows, dst, pointStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Channels<TOps, TVec>(float** pixels, int c, float* rows, float* dst, nint pointStride)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        int n = TOps.Count;
        for (int a = 0; a < 6; a++)
        {
            float** p = pixels + a * 6;
            Line<TOps, TVec>(TOps.Load(p[0] + c), TOps.Load(p[1] + c), TOps.Load(p[2] + c),
                TOps.Load(p[3] + c), TOps.Load(p[4] + c), TOps.Load(p[5] + c), rows + a * 6 * n, n);
        }
        // Point (i, j) is e = 6 i + j.
        for (int j = 0; j < 6; j++)
        {
            float* r = rows + j * n;
            int s = 6 * n;
            Line<TOps, TVec>(TOps.Load(r), TOps.Load(r + s), TOps.Load(r + 2 * s),
                TOps.Load(r + 3 * s), TOps.Load(r + 4 * s), TOps.Load(r + 5 * s), dst + c + j * pointStride, 6 * pointStride);
        }
    }

    /// <summary>B^T applied to six values d0..d5, writing r0..r5 n floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Line<TOps, TVec>(TVec d0, TVec d1, TVec d2, TVec d3, TVec d4, TVec d5, float* r, nint n)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        TVec four = TOps.Broadcast(4f), minusFour = TOps.Broadcast(-4f), minusFive = TOps.Broadcast(-5f);
        TVec minusOne = TOps.Broadcast(-1f), two = TOps.Broadcast(2f), minusTwo = TOps.Broadcast(-2f);
        TVec p = TOps.MultiplyAdd(d2, minusFour, d4);      // d4 - 4 d2
        TVec q = TOps.MultiplyAdd(d1, minusFour, d3);      // d3 - 4 d1
        TVec s = TOps.MultiplyAdd(d2, minusOne, d4);       // d4 - d2
        TVec t = TOps.MultiplyAdd(d1, minusOne, d3);       // d3 - d1
        TOps.Store(TOps.MultiplyAdd(d0, four, TOps.MultiplyAdd(d2, minusFive, d4)), r);
        TOps.Store(TOps.Add(p, q), r + n);
        TOps.Store(TOps.MultiplyAdd(q, minusOne, p), r + 2 * n);
        TOps.Store(TOps.MultiplyAdd(t, two, s), r + 3 * n);
        TOps.Store(TOps.MultiplyAdd(t, minusTwo, s), r + 4 * n);
        TOps.Store(TOps.MultiplyAdd(d1, four, TOps.MultiplyAdd(d3, minusFive, d5)), r + 5 * n);
    }
}
