using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.MicroKernels;

/// <summary>Where one 4x4 output tile goes in a channels-last Y, and what is added on the way.</summary>
internal unsafe struct WinogradOutputTile
{
    /// <summary>Y at the tile's first pixel and first channel; pixels are <see cref="PixelStride"/> floats apart,
    /// rows <see cref="RowStride"/>.</summary>
    public float* Y;
    /// <summary>Residual laid out like Y (same offsets), or null.</summary>
    public float* Residual;
    /// <summary>Bias for the tile's first channel on, or null.</summary>
    public float* Bias;
    public nint PixelStride, RowStride;
    /// <summary>Output rows and columns of the tile inside Y (fewer than 4 at the bottom and right edges).</summary>
    public int Rows, Columns;
    public Activation Activation;
}

/// <summary>
/// Winograd output transform, Y = A^T M A, for one tile: reads the tile's GEMM results (point e = i * size + j at
/// <c>m + e * pointStride</c>, a run of channels each) and writes its output pixels with bias, residual and
/// activation applied, skipping pixels past the image's edge. Rows pass into an L1 buffer, then columns into Y.
/// </summary>
[SkipLocalsInit]
internal static unsafe class WinogradOutputTransform
{
    public static void Run(Isa isa, WinogradTile variant, float* m, nint pointStride, int channels, in WinogradOutputTile tile)
    {
        if (variant.Output == 4)
        {
            if (isa == Isa.Avx512) Run<F4, Float512, Vector512<float>>(m, pointStride, channels, tile);
            else if (isa == Isa.Avx2) Run<F4, Float256, Vector256<float>>(m, pointStride, channels, tile);
            else Run<F4, Float128, Vector128<float>>(m, pointStride, channels, tile);
        }
        else
        {
            if (isa == Isa.Avx512) Run<F2, Float512, Vector512<float>>(m, pointStride, channels, tile);
            else if (isa == Isa.Avx2) Run<F2, Float256, Vector256<float>>(m, pointStride, channels, tile);
            else Run<F2, Float128, Vector128<float>>(m, pointStride, channels, tile);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TLine, TOps, TVec>(float* m, nint pointStride, int channels, in WinogradOutputTile tile)
        where TLine : struct, ILine where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        float* rows = stackalloc float[6 * 4 * 16];
        int c = 0;
        for (; c + TOps.Count <= channels; c += TOps.Count) Channels<TLine, TOps, TVec>(m, pointStride, c, rows, tile);
        for (; c < channels; c++) Channels<TLine, Float1, float>(m, pointStride, c, rows, tile);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Channels<TLine, TOps, TVec>(float* m, nint pointStride, int c, float* rows, in WinogradOutputTile tile)
        where TLine : struct, ILine where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        int n = TOps.Count, size = TLine.Size, outputs = TLine.Outputs;
        // Rows pass: row a of the points to `outputs` values.
        for (int a = 0; a < size; a++)
        {
            TLine.Apply<TOps, TVec>(m + c + a * size * pointStride, pointStride, out var t0, out var t1, out var t2, out var t3);
            float* r = rows + a * outputs * n;
            TOps.Store(t0, r);
            TOps.Store(t1, r + n);
            if (outputs > 2)
            {
                TOps.Store(t2, r + 2 * n);
                TOps.Store(t3, r + 3 * n);
            }
        }
        TVec bias = tile.Bias != null ? TOps.Load(tile.Bias + c) : TOps.Zero;
        bool clamp = tile.Activation.IsClamp;
        TVec min = TOps.Broadcast(tile.Activation.Min), max = TOps.Broadcast(tile.Activation.Max);
        // Columns pass: column j gives output column j of every row.
        for (int j = 0; j < tile.Columns; j++)
        {
            TLine.Apply<TOps, TVec>(rows + j * n, outputs * n, out var y0, out var y1, out var y2, out var y3);
            nint at = j * tile.PixelStride + c;
            Store<TOps, TVec>(y0, at, bias, clamp, min, max, tile);
            if (tile.Rows > 1) Store<TOps, TVec>(y1, at + tile.RowStride, bias, clamp, min, max, tile);
            if (tile.Rows > 2) Store<TOps, TVec>(y2, at + 2 * tile.RowStride, bias, clamp, min, max, tile);
            if (tile.Rows > 3) Store<TOps, TVec>(y3, at + 3 * tile.RowStride, bias, clamp, min, max, tile);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TOps, TVec>(TVec v, nint at, TVec bias, bool clamp, TVec min, TVec max, in WinogradOutputTile tile)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        v = TOps.Add(v, bias);
        if (tile.Residual != null) v = TOps.Add(v, TOps.Load(tile.Residual + at));
        if (clamp) v = TOps.Clamp(v, min, max);
        TOps.Store(v, tile.Y + at);
    }

    /// <summary>A^T along one line of points read <c>stride</c> floats apart (results past Outputs are unused).</summary>
    private interface ILine
    {
        static abstract int Size { get; }
        static abstract int Outputs { get; }
        static abstract void Apply<TOps, TVec>(float* p, nint stride, out TVec r0, out TVec r1, out TVec r2, out TVec r3)
            where TOps : struct, IFloatVector<TVec> where TVec : struct;
    }

    private struct F4 : ILine
    {
        public static int Size => 6;
        public static int Outputs => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply<TOps, TVec>(float* p, nint stride, out TVec r0, out TVec r1, out TVec r2, out TVec r3)
            where TOps : struct, IFloatVector<TVec> where TVec : struct
        {
            TVec m0 = TOps.Load(p), m1 = TOps.Load(p + stride), m2 = TOps.Load(p + 2 * stride);
            TVec m3 = TOps.Load(p + 3 * stride), m4 = TOps.Load(p + 4 * stride), m5 = TOps.Load(p + 5 * stride);
            TVec minusOne = TOps.Broadcast(-1f);
            TVec a = TOps.Add(m1, m2), b = TOps.MultiplyAdd(m2, minusOne, m1);   // m1 + m2, m1 - m2
            TVec c = TOps.Add(m3, m4), d = TOps.MultiplyAdd(m4, minusOne, m3);   // m3 + m4, m3 - m4
            r0 = TOps.Add(TOps.Add(m0, a), c);
            r1 = TOps.MultiplyAdd(d, TOps.Broadcast(2f), b);
            r2 = TOps.MultiplyAdd(c, TOps.Broadcast(4f), a);
            r3 = TOps.Add(TOps.MultiplyAdd(d, TOps.Broadcast(8f), b), m5);
        }
    }

    private struct F2 : ILine
    {
        public static int Size => 4;
        public static int Outputs => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Apply<TOps, TVec>(float* p, nint stride, out TVec r0, out TVec r1, out TVec r2, out TVec r3)
            where TOps : struct, IFloatVector<TVec> where TVec : struct
        {
            TVec m0 = TOps.Load(p), m1 = TOps.Load(p + stride), m2 = TOps.Load(p + 2 * stride), m3 = TOps.Load(p + 3 * stride);
            TVec minusOne = TOps.Broadcast(-1f);
            r0 = TOps.Add(TOps.Add(m0, m1), m2);                          // m0 + m1 + m2
            r1 = TOps.MultiplyAdd(m3, minusOne, TOps.MultiplyAdd(m2, minusOne, m1));   // m1 - m2 - m3
            r2 = TOps.Zero;
            r3 = TOps.Zero;
        }
    }
}
