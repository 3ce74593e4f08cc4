using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.Kernels;

/// <summary>
/// Portable SGEMM micro-kernel (Vector128, any CPU): 6 rows x 8 columns per slice of a packed panel, 12
/// accumulators. Same packed layout and epilogue as the AVX kernels; used where AVX2/FMA are missing.
/// </summary>
[SkipLocalsInit]
internal static unsafe class SgemmPortable
{
    public const int RowTile = 6;
    private const int SliceWidth = 8;

    public static void Run(ref MicroTile t)
    {
        float* panel = t.B;
        for (int col = 0; col < t.Columns; col += GemmLayout.PanelWidth)
        {
            int width = Math.Min(GemmLayout.PanelWidth, t.PaddedColumns - col);
            for (int slice = 0; slice < width && col + slice < t.Columns; slice += SliceWidth)
                Slice(ref t, panel + slice, width, col + slice);
            panel += GemmLayout.PanelWidth * t.Kc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Slice(ref MicroTile t, float* b, int stride, int col)
    {
        Vector128<float> c0x0 = default, c0x1 = default, c1x0 = default, c1x1 = default, c2x0 = default, c2x1 = default, c3x0 = default, c3x1 = default, c4x0 = default, c4x1 = default, c5x0 = default, c5x1 = default;
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
                var b0 = Vector128.Load(b);
                var b1 = Vector128.Load(b + 4);
                b += stride;
                Vector128<float> a;
                a = Vector128.Create(a0[k]); c0x0 = Vector128.MultiplyAddEstimate(a, b0, c0x0); c0x1 = Vector128.MultiplyAddEstimate(a, b1, c0x1);
                a = Vector128.Create(a1[k]); c1x0 = Vector128.MultiplyAddEstimate(a, b0, c1x0); c1x1 = Vector128.MultiplyAddEstimate(a, b1, c1x1);
                a = Vector128.Create(a2[k]); c2x0 = Vector128.MultiplyAddEstimate(a, b0, c2x0); c2x1 = Vector128.MultiplyAddEstimate(a, b1, c2x1);
                a = Vector128.Create(a3[k]); c3x0 = Vector128.MultiplyAddEstimate(a, b0, c3x0); c3x1 = Vector128.MultiplyAddEstimate(a, b1, c3x1);
                a = Vector128.Create(a4[k]); c4x0 = Vector128.MultiplyAddEstimate(a, b0, c4x0); c4x1 = Vector128.MultiplyAddEstimate(a, b1, c4x1);
                a = Vector128.Create(a5[k]); c5x0 = Vector128.MultiplyAddEstimate(a, b0, c5x0); c5x1 = Vector128.MultiplyAddEstimate(a, b1, c5x1);
            }
        }
        float* tile = stackalloc float[RowTile * SliceWidth];
        c0x0.Store(tile + 0); c0x1.Store(tile + 4);
        c1x0.Store(tile + 8); c1x1.Store(tile + 12);
        c2x0.Store(tile + 16); c2x1.Store(tile + 20);
        c3x0.Store(tile + 24); c3x1.Store(tile + 28);
        c4x0.Store(tile + 32); c4x1.Store(tile + 36);
        c5x0.Store(tile + 40); c5x1.Store(tile + 44);
        WriteTile(ref t, tile, col, Math.Min(SliceWidth, t.Columns - col));
    }

    private static void WriteTile(ref MicroTile t, float* tile, int col, int valid)
    {
        for (int r = 0; r < t.RowCount; r++, tile += SliceWidth)
        {
            float* c = t.C + r * t.Ldc + col;
            int j = 0;
            for (; j + 4 <= valid; j += 4) Store(ref t, c + j, r, col + j, Vector128.Load(tile + j));
            if (j < valid) PartialStore.Row(ref t, tile + j, r, col + j, valid - j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref MicroTile t, float* c, int row, int col, Vector128<float> v)
    {
        if (t.Accumulate) v += Vector128.Load(c);
        if (t.Final)
        {
            ref readonly GemmEpilogue e = ref t.Epilogue;
            if (e.RowBias != null) v += Vector128.Create(e.RowBias[row]);
            if (e.ColumnBias != null) v += Vector128.Load(e.ColumnBias + col);
            if (e.Residual != null) v += Vector128.Load(e.Residual + row * e.ResidualStride + col);
            if (e.Clamp) v = Vector128.MinNative(Vector128.MaxNative(v, Vector128.Create(e.Min)), Vector128.Create(e.Max));
        }
        v.Store(c);
    }
}
