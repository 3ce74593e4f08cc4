using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.Kernels;

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
/// Winograd F(4x4, 3x3) output transform, Y = A^T M A, for one tile: reads the 36 GEMM results of a tile (point e
/// at <c>m + e * pointStride</c>, a run of channels each) and writes the 4x4 pixels with bias, residual and
/// activation applied, skipping pixels past the image's edge.
/// </summary>
[SkipLocalsInit]
internal static unsafe class WinogradOutputTransform
{
    public static void Run(Isa isa, float* m, nint pointStride, int channels, in WinogradOutputTile tile)
    {
        if (isa == Isa.Avx512) Run<Float512, Vector512<float>>(m, pointStride, channels, tile);
        else if (isa == Isa.Avx2) Run<Float256, Vector256<float>>(m, pointStride, channels, tile);
        else Run<Float128, Vector128<float>>(m, pointStride, channels, tile);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TOps, TVec>(float* m, nint pointStride, int channels, in WinogradOutputTile tile)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        float* rows = stackalloc float[WinogradTile.Input * WinogradTile.Output * 16];
        int c = 0;
        for (; c + TOps.Count <= channels; c += TOps.Count) Channels<TOps, TVec>(m, pointStride, c, rows, tile);
        for (; c < channels; c++) Channels<WinogradScalarLane, float>(m, pointStride, c, rows, tile);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Channels<TOps, TVec>(float* m, nint pointStride, int c, float* rows, in WinogradOutputTile tile)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        int n = TOps.Count;
        // Rows pass: row a of the 6x6 points to 4 values, kept in L1.
        for (int a = 0; a < 6; a++)
        {
            float* p = m + c + a * 6 * pointStride;
            Line<TOps, TVec>(TOps.Load(p), TOps.Load(p + pointStride), TOps.Load(p + 2 * pointStride),
                TOps.Load(p + 3 * pointStride), TOps.Load(p + 4 * pointStride), TOps.Load(p + 5 * pointStride),
                out var t0, out var t1, out var t2, out var t3);
            float* r = rows + a * 4 * n;
            TOps.Store(t0, r);
            TOps.Store(t1, r + n);
            TOps.Store(t2, r + 2 * n);
            TOps.Store(t3, r + 3 * n);
        }
        TVec bias = tile.Bias != null ? TOps.Load(tile.Bias + c) : TOps.Zero;
        bool clamp = tile.Activation.IsClamp;
        TVec min = TOps.Broadcast(tile.Activation.Min), max = TOps.Broadcast(tile.Activation.Max);
        // Columns pass: column j gives output column j of the 4 rows.
        int s = 4 * n;
        for (int j = 0; j < tile.Columns; j++)
        {
            float* r = rows + j * n;
            Line<TOps, TVec>(TOps.Load(r), TOps.Load(r + s), TOps.Load(r + 2 * s),
                TOps.Load(r + 3 * s), TOps.Load(r + 4 * s), TOps.Load(r + 5 * s),
                out var y0, out var y1, out var y2, out var y3);
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

    /// <summary>A^T applied to six values: four results.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Line<TOps, TVec>(TVec m0, TVec m1, TVec m2, TVec m3, TVec m4, TVec m5,
        out TVec r0, out TVec r1, out TVec r2, out TVec r3)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        TVec minusOne = TOps.Broadcast(-1f);
        TVec a = TOps.Add(m1, m2), b = TOps.MultiplyAdd(m2, minusOne, m1);   // m1 + m2, m1 - m2
        TVec c = TOps.Add(m3, m4), d = TOps.MultiplyAdd(m4, minusOne, m3);   // m3 + m4, m3 - m4
        r0 = TOps.Add(TOps.Add(m0, a), c);
        r1 = TOps.MultiplyAdd(d, TOps.Broadcast(2f), b);
        r2 = TOps.MultiplyAdd(c, TOps.Broadcast(4f), a);
        r3 = TOps.Add(TOps.MultiplyAdd(d, TOps.Broadcast(8f), b), m5);
    }
}
