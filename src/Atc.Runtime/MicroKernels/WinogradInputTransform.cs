using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Winograd input transform, V = B^T d B, for one input tile of a channels-last image: every step is vector math
/// over channels, so a tile's pixels are read as channel runs (a pointer per pixel, row-major; pixels in the padding
/// or past the edge point at zeros) and point e = i * size + j of the result goes to <c>dst + e * pointStride</c>.
/// Each pass applies B^T along one axis: rows into a small buffer that stays in L1, then columns into dst.
/// </summary>
[SkipLocalsInit]
internal static unsafe class WinogradInputTransform
{
    public static void Run(Isa isa, WinogradTile tile, float** pixels, int channels, float* dst, nint pointStride)
    {
        if (tile.Output == 4)
        {
            if (isa == Isa.Avx512) Run<F4, Float512, Vector512<float>>(pixels, channels, dst, pointStride);
            else if (isa == Isa.Avx2) Run<F4, Float256, Vector256<float>>(pixels, channels, dst, pointStride);
            else Run<F4, Float128, Vector128<float>>(pixels, channels, dst, pointStride);
        }
        else
        {
            if (isa == Isa.Avx512) Run<F2, Float512, Vector512<float>>(pixels, channels, dst, pointStride);
            else if (isa == Isa.Avx2) Run<F2, Float256, Vector256<float>>(pixels, channels, dst, pointStride);
            else Run<F2, Float128, Vector128<float>>(pixels, channels, dst, pointStride);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TLine, TOps, TVec>(float** pixels, int channels, float* dst, nint pointStride)
        where TLine : struct, ILine where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        float* rows = stackalloc float[WinogradTile.MaxPoints * 16];
        int c = 0;
        for (; c + TOps.Count <= channels; c += TOps.Count) Channels<TLine, TOps, TVec>(pixels, c, rows, dst, pointStride);
        for (; c < channels; c++) Channels<TLine, Float1, float>(pixels, c, rows, dst, pointStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Channels<TLine, TOps, TVec>(float** pixels, int c, float* rows, float* dst, nint pointStride)
        where TLine : struct, ILine where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        int n = TOps.Count, size = TLine.Size;
        for (int a = 0; a < size; a++)
            TLine.Apply<TOps, TVec>(pixels + a * size, c, null, 0, rows + a * size * n, n);
        for (int j = 0; j < size; j++)
            TLine.Apply<TOps, TVec>(null, 0, rows + j * n, size * n, dst + c + j * pointStride, size * pointStride);
    }

    /// <summary>B^T along one line of a tile: from pixel pointers (at channel c) or from floats <c>stride</c> apart.</summary>
    private interface ILine
    {
        static abstract int Size { get; }
        static abstract void Apply<TOps, TVec>(float** pixels, int c, float* src, nint stride, float* r, nint n)
            where TOps : struct, IFloatVector<TVec> where TVec : struct;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec At<TOps, TVec>(float** pixels, int c, float* src, nint stride, int i)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
        => pixels != null ? TOps.Load(pixels[i] + c) : TOps.Load(src + i * stride);

    private struct F4 : ILine
    {
        public static int Size => 6;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply<TOps, TVec>(float** pixels, int c, float* src, nint stride, float* r, nint n)
            where TOps : struct, IFloatVector<TVec> where TVec : struct
        {
            TVec d0 = At<TOps, TVec>(pixels, c, src, stride, 0), d1 = At<TOps, TVec>(pixels, c, src, stride, 1);
            TVec d2 = At<TOps, TVec>(pixels, c, src, stride, 2), d3 = At<TOps, TVec>(pixels, c, src, stride, 3);
            TVec d4 = At<TOps, TVec>(pixels, c, src, stride, 4), d5 = At<TOps, TVec>(pixels, c, src, stride, 5);
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

    private struct F2 : ILine
    {
        public static int Size => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply<TOps, TVec>(float** pixels, int c, float* src, nint stride, float* r, nint n)
            where TOps : struct, IFloatVector<TVec> where TVec : struct
        {
            TVec d0 = At<TOps, TVec>(pixels, c, src, stride, 0), d1 = At<TOps, TVec>(pixels, c, src, stride, 1);
            TVec d2 = At<TOps, TVec>(pixels, c, src, stride, 2), d3 = At<TOps, TVec>(pixels, c, src, stride, 3);
            TVec minusOne = TOps.Broadcast(-1f);
            TOps.Store(TOps.MultiplyAdd(d2, minusOne, d0), r);           // d0 - d2
            TOps.Store(TOps.Add(d1, d2), r + n);                         // d1 + d2
            TOps.Store(TOps.MultiplyAdd(d1, minusOne, d2), r + 2 * n);   // d2 - d1
            TOps.Store(TOps.MultiplyAdd(d3, minusOne, d1), r + 3 * n);   // d1 - d3
        }
    }
}
