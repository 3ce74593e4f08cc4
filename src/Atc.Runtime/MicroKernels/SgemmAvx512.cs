using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// AVX-512 SGEMM micro-kernel: 12 rows x 32 columns of C in 24 zmm accumulators (16-wide last panel: 12 x 16).
/// Per K step: 2 loads of B, 12 broadcasts of A, 24 FMAs. Row counts 2 / 4 / 8 / 12 are separate instantiations so a
/// short edge does not pay for 12 rows. The accumulators go straight to C through <see cref="TileStore{TOps, TVec}"/>
/// (masked on the matrix's last columns).
/// </summary>
[SkipLocalsInit]
internal static unsafe class SgemmAvx512
{
    public const int RowTile = 12;
    /// <summary>How far ahead of the current row of B to prefetch, in floats (32 K steps).</summary>
    private const int PrefetchAhead = 1024;

    public static void Run(ref MicroTile t)
    {
        if (t.RowCount > 8) Panels<Rows12>(ref t);
        else if (t.RowCount > 4) Panels<Rows8>(ref t);
        else if (t.RowCount > 2) Panels<Rows4>(ref t);
        else Panels<Rows2>(ref t);
    }

    private static void Panels<R>(ref MicroTile t) where R : struct, IRowCount
    {
        float* b = t.B;
        for (int col = 0; col < t.Columns; col += GemmLayout.PanelWidth)
        {
            if (t.PaddedColumns - col >= GemmLayout.PanelWidth) Wide<R>(ref t, b, col);
            else Narrow<R>(ref t, b, col);
            b += GemmLayout.PanelWidth * t.Kc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Wide<R>(ref MicroTile t, float* b, int col) where R : struct, IRowCount
    {
        Vector512<float> c0x0 = default, c0x1 = default, c1x0 = default, c1x1 = default, c2x0 = default, c2x1 = default, c3x0 = default, c3x1 = default, c4x0 = default, c4x1 = default, c5x0 = default, c5x1 = default, c6x0 = default, c6x1 = default, c7x0 = default, c7x1 = default, c8x0 = default, c8x1 = default, c9x0 = default, c9x1 = default, c10x0 = default, c10x1 = default, c11x0 = default, c11x1 = default;
        float** rows = t.Rows;
        nint off = t.AOffset;
        nint kPerTap = t.KPerTap;
        for (int tap = 0; tap < t.Taps; tap++, rows += RowTile)
        {
            float* a0 = rows[0] + off;
            float* a1 = R.Value > 1 ? rows[1] + off : null;
            float* a2 = R.Value > 2 ? rows[2] + off : null;
            float* a3 = R.Value > 3 ? rows[3] + off : null;
            float* a4 = R.Value > 4 ? rows[4] + off : null;
            float* a5 = R.Value > 5 ? rows[5] + off : null;
            float* a6 = R.Value > 6 ? rows[6] + off : null;
            float* a7 = R.Value > 7 ? rows[7] + off : null;
            float* a8 = R.Value > 8 ? rows[8] + off : null;
            float* a9 = R.Value > 9 ? rows[9] + off : null;
            float* a10 = R.Value > 10 ? rows[10] + off : null;
            float* a11 = R.Value > 11 ? rows[11] + off : null;
            for (nint k = 0; k < kPerTap; k++)
            {
                // B is one contiguous stream across panels and K blocks: ask for it 4 KB ahead, into L2. Weights
                // come cold from memory in a real run, and a 12-row tile uses each for only 24 FMAs (--gemm --cold:
                // 7x7-map convs +10-25 %; hot caches: no change).
                Sse.Prefetch1(b + PrefetchAhead);
                Sse.Prefetch1(b + PrefetchAhead + 16);
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 16);
                b += 32;
                Vector512<float> a;
                { a = Vector512.Create(a0[k]); c0x0 = Avx512F.FusedMultiplyAdd(a, b0, c0x0); c0x1 = Avx512F.FusedMultiplyAdd(a, b1, c0x1); }
                { a = Vector512.Create(a1[k]); c1x0 = Avx512F.FusedMultiplyAdd(a, b0, c1x0); c1x1 = Avx512F.FusedMultiplyAdd(a, b1, c1x1); }
                if (R.Value > 2) { a = Vector512.Create(a2[k]); c2x0 = Avx512F.FusedMultiplyAdd(a, b0, c2x0); c2x1 = Avx512F.FusedMultiplyAdd(a, b1, c2x1); }
                if (R.Value > 3) { a = Vector512.Create(a3[k]); c3x0 = Avx512F.FusedMultiplyAdd(a, b0, c3x0); c3x1 = Avx512F.FusedMultiplyAdd(a, b1, c3x1); }
                if (R.Value > 4) { a = Vector512.Create(a4[k]); c4x0 = Avx512F.FusedMultiplyAdd(a, b0, c4x0); c4x1 = Avx512F.FusedMultiplyAdd(a, b1, c4x1); }
                if (R.Value > 5) { a = Vector512.Create(a5[k]); c5x0 = Avx512F.FusedMultiplyAdd(a, b0, c5x0); c5x1 = Avx512F.FusedMultiplyAdd(a, b1, c5x1); }
                if (R.Value > 6) { a = Vector512.Create(a6[k]); c6x0 = Avx512F.FusedMultiplyAdd(a, b0, c6x0); c6x1 = Avx512F.FusedMultiplyAdd(a, b1, c6x1); }
                if (R.Value > 7) { a = Vector512.Create(a7[k]); c7x0 = Avx512F.FusedMultiplyAdd(a, b0, c7x0); c7x1 = Avx512F.FusedMultiplyAdd(a, b1, c7x1); }
                if (R.Value > 8) { a = Vector512.Create(a8[k]); c8x0 = Avx512F.FusedMultiplyAdd(a, b0, c8x0); c8x1 = Avx512F.FusedMultiplyAdd(a, b1, c8x1); }
                if (R.Value > 9) { a = Vector512.Create(a9[k]); c9x0 = Avx512F.FusedMultiplyAdd(a, b0, c9x0); c9x1 = Avx512F.FusedMultiplyAdd(a, b1, c9x1); }
                if (R.Value > 10) { a = Vector512.Create(a10[k]); c10x0 = Avx512F.FusedMultiplyAdd(a, b0, c10x0); c10x1 = Avx512F.FusedMultiplyAdd(a, b1, c10x1); }
                if (R.Value > 11) { a = Vector512.Create(a11[k]); c11x0 = Avx512F.FusedMultiplyAdd(a, b0, c11x0); c11x1 = Avx512F.FusedMultiplyAdd(a, b1, c11x1); }
            }
        }
        var w = new TileStore<Float512, Vector512<float>>(ref t, col);
        int count = t.RowCount;
        int valid = Math.Min(32, t.Columns - col);
        if (valid == 32)
        {
            w.Row2(0, c0x0, c0x1);
            if (R.Value > 1 && count > 1) w.Row2(1, c1x0, c1x1);
            if (R.Value > 2 && count > 2) w.Row2(2, c2x0, c2x1);
            if (R.Value > 3 && count > 3) w.Row2(3, c3x0, c3x1);
            if (R.Value > 4 && count > 4) w.Row2(4, c4x0, c4x1);
            if (R.Value > 5 && count > 5) w.Row2(5, c5x0, c5x1);
            if (R.Value > 6 && count > 6) w.Row2(6, c6x0, c6x1);
            if (R.Value > 7 && count > 7) w.Row2(7, c7x0, c7x1);
            if (R.Value > 8 && count > 8) w.Row2(8, c8x0, c8x1);
            if (R.Value > 9 && count > 9) w.Row2(9, c9x0, c9x1);
            if (R.Value > 10 && count > 10) w.Row2(10, c10x0, c10x1);
            if (R.Value > 11 && count > 11) w.Row2(11, c11x0, c11x1);
        }
        else
        {
            // The matrix's last columns: masked loads and stores, never past C's row.
            var m0 = new MaskedLanes512(valid);
            var m1 = new MaskedLanes512(valid - 16);
            w.Row2(0, c0x0, c0x1, m0, m1);
            if (R.Value > 1 && count > 1) w.Row2(1, c1x0, c1x1, m0, m1);
            if (R.Value > 2 && count > 2) w.Row2(2, c2x0, c2x1, m0, m1);
            if (R.Value > 3 && count > 3) w.Row2(3, c3x0, c3x1, m0, m1);
            if (R.Value > 4 && count > 4) w.Row2(4, c4x0, c4x1, m0, m1);
            if (R.Value > 5 && count > 5) w.Row2(5, c5x0, c5x1, m0, m1);
            if (R.Value > 6 && count > 6) w.Row2(6, c6x0, c6x1, m0, m1);
            if (R.Value > 7 && count > 7) w.Row2(7, c7x0, c7x1, m0, m1);
            if (R.Value > 8 && count > 8) w.Row2(8, c8x0, c8x1, m0, m1);
            if (R.Value > 9 && count > 9) w.Row2(9, c9x0, c9x1, m0, m1);
            if (R.Value > 10 && count > 10) w.Row2(10, c10x0, c10x1, m0, m1);
            if (R.Value > 11 && count > 11) w.Row2(11, c11x0, c11x1, m0, m1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Narrow<R>(ref MicroTile t, float* b, int col) where R : struct, IRowCount
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        float** rows = t.Rows;
        nint off = t.AOffset;
        nint kPerTap = t.KPerTap;
        for (int tap = 0; tap < t.Taps; tap++, rows += RowTile)
        {
            float* a0 = rows[0] + off;
            float* a1 = R.Value > 1 ? rows[1] + off : null;
            float* a2 = R.Value > 2 ? rows[2] + off : null;
            float* a3 = R.Value > 3 ? rows[3] + off : null;
            float* a4 = R.Value > 4 ? rows[4] + off : null;
            float* a5 = R.Value > 5 ? rows[5] + off : null;
            float* a6 = R.Value > 6 ? rows[6] + off : null;
            float* a7 = R.Value > 7 ? rows[7] + off : null;
            float* a8 = R.Value > 8 ? rows[8] + off : null;
            float* a9 = R.Value > 9 ? rows[9] + off : null;
            float* a10 = R.Value > 10 ? rows[10] + off : null;
            float* a11 = R.Value > 11 ? rows[11] + off : null;
            for (nint k = 0; k < kPerTap; k++)
            {
                var b0 = Vector512.Load(b);
                b += 16;
                c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[k]), b0, c0);
                c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[k]), b0, c1);
                if (R.Value > 2) c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[k]), b0, c2);
                if (R.Value > 3) c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[k]), b0, c3);
                if (R.Value > 4) c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[k]), b0, c4);
                if (R.Value > 5) c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a5[k]), b0, c5);
                if (R.Value > 6) c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a6[k]), b0, c6);
                if (R.Value > 7) c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a7[k]), b0, c7);
                if (R.Value > 8) c8 = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[k]), b0, c8);
                if (R.Value > 9) c9 = Avx512F.FusedMultiplyAdd(Vector512.Create(a9[k]), b0, c9);
                if (R.Value > 10) c10 = Avx512F.FusedMultiplyAdd(Vector512.Create(a10[k]), b0, c10);
                if (R.Value > 11) c11 = Avx512F.FusedMultiplyAdd(Vector512.Create(a11[k]), b0, c11);
            }
        }
        var w = new TileStore<Float512, Vector512<float>>(ref t, col);
        int count = t.RowCount;
        var m = new MaskedLanes512(Math.Min(16, t.Columns - col));
        w.Store(0, 0, c0, m);
        if (R.Value > 1 && count > 1) w.Store(1, 0, c1, m);
        if (R.Value > 2 && count > 2) w.Store(2, 0, c2, m);
        if (R.Value > 3 && count > 3) w.Store(3, 0, c3, m);
        if (R.Value > 4 && count > 4) w.Store(4, 0, c4, m);
        if (R.Value > 5 && count > 5) w.Store(5, 0, c5, m);
        if (R.Value > 6 && count > 6) w.Store(6, 0, c6, m);
        if (R.Value > 7 && count > 7) w.Store(7, 0, c7, m);
        if (R.Value > 8 && count > 8) w.Store(8, 0, c8, m);
        if (R.Value > 9 && count > 9) w.Store(9, 0, c9, m);
        if (R.Value > 10 && count > 10) w.Store(10, 0, c10, m);
        if (R.Value > 11 && count > 11) w.Store(11, 0, c11, m);
    }
}
