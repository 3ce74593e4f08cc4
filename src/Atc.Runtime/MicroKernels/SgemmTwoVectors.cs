using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// SGEMM micro-kernel of 6 rows x 2 vectors: 12 accumulators; per K step 2 loads of B, 6 broadcasts of A, 12 FMAs.
/// Instantiated for AVX2 + FMA (<see cref="Float256"/>: 6 x 16 in ymm registers, half a packed panel per slice) and
/// for any CPU (<see cref="Float128"/>: 6 x 8). Short row edges repeat row 0 and drop the extra results.
/// </summary>
[SkipLocalsInit]
internal static unsafe class SgemmTwoVectors<TOps, TVec> where TOps : struct, IFloatVector<TVec> where TVec : struct
{
    private const int RowTile = 6;

    public static void Run(ref MicroTile t)
    {
        int sliceWidth = 2 * TOps.Count;
        float* panel = t.B;
        for (int col = 0; col < t.Columns; col += GemmLayout.PanelWidth)
        {
            int width = Math.Min(GemmLayout.PanelWidth, t.PaddedColumns - col);
            for (int slice = 0; slice < width && col + slice < t.Columns; slice += sliceWidth)
                Slice(ref t, panel + slice, width, col + slice);
            panel += GemmLayout.PanelWidth * t.Kc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Slice(ref MicroTile t, float* b, int stride, int col)
    {
        TVec c0x0 = default, c0x1 = default, c1x0 = default, c1x1 = default, c2x0 = default, c2x1 = default, c3x0 = default, c3x1 = default, c4x0 = default, c4x1 = default, c5x0 = default, c5x1 = default;
        int n = TOps.Count;
        float** rows = t.Rows;
        nint off = t.AOffset;
        int kPerTap = t.KPerTap;
        for (int tap = 0; tap < t.Taps; tap++, rows += RowTile)
        {
            float* a0 = rows[0] + off;
            float* a1 = rows[1] + off;
            float* a2 = rows[2] + off;
            float* a3 = rows[3] + off;
            float* a4 = rows[4] + off;
            float* a5 = rows[5] + off;
            for (nint k = 0; k < kPerTap; k++)
            {
                var b0 = TOps.Load(b);
                var b1 = TOps.Load(b + n);
                b += stride;
                TVec a;
                a = TOps.Broadcast(a0[k]); c0x0 = TOps.MultiplyAdd(a, b0, c0x0); c0x1 = TOps.MultiplyAdd(a, b1, c0x1);
                a = TOps.Broadcast(a1[k]); c1x0 = TOps.MultiplyAdd(a, b0, c1x0); c1x1 = TOps.MultiplyAdd(a, b1, c1x1);
                a = TOps.Broadcast(a2[k]); c2x0 = TOps.MultiplyAdd(a, b0, c2x0); c2x1 = TOps.MultiplyAdd(a, b1, c2x1);
                a = TOps.Broadcast(a3[k]); c3x0 = TOps.MultiplyAdd(a, b0, c3x0); c3x1 = TOps.MultiplyAdd(a, b1, c3x1);
                a = TOps.Broadcast(a4[k]); c4x0 = TOps.MultiplyAdd(a, b0, c4x0); c4x1 = TOps.MultiplyAdd(a, b1, c4x1);
                a = TOps.Broadcast(a5[k]); c5x0 = TOps.MultiplyAdd(a, b0, c5x0); c5x1 = TOps.MultiplyAdd(a, b1, c5x1);
            }
        }
        if (col + 2 * n <= t.Columns)
        {
            // Whole slice: accumulators go straight to C with the epilogue, no staging tile.
            var w = new TileStore<TOps, TVec>(ref t, col);
            int count = t.RowCount;
            w.Row2(0, c0x0, c0x1);
            if (count > 1) w.Row2(1, c1x0, c1x1);
            if (count > 2) w.Row2(2, c2x0, c2x1);
            if (count > 3) w.Row2(3, c3x0, c3x1);
            if (count > 4) w.Row2(4, c4x0, c4x1);
            if (count > 5) w.Row2(5, c5x0, c5x1);
            return;
        }
        // The matrix's last columns. Widest instantiation (Float256): 6 rows x 16 floats.
        float* tile = stackalloc float[RowTile * 16];
        TOps.Store(c0x0, tile + 0 * n); TOps.Store(c0x1, tile + 1 * n);
        TOps.Store(c1x0, tile + 2 * n); TOps.Store(c1x1, tile + 3 * n);
        TOps.Store(c2x0, tile + 4 * n); TOps.Store(c2x1, tile + 5 * n);
        TOps.Store(c3x0, tile + 6 * n); TOps.Store(c3x1, tile + 7 * n);
        TOps.Store(c4x0, tile + 8 * n); TOps.Store(c4x1, tile + 9 * n);
        TOps.Store(c5x0, tile + 10 * n); TOps.Store(c5x1, tile + 11 * n);
        TileWriter.Write<TOps, TVec>(ref t, tile, 2 * n, col, Math.Min(2 * n, t.Columns - col));
    }
}
