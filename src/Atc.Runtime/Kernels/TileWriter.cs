using System.Runtime.CompilerServices;

namespace Atc.Runtime.Kernels;

/// <summary>
/// Writes a micro-kernel's accumulated tile (rows of <c>stride</c> floats) to C with the epilogue, whole vectors
/// first and the last partial vector through <see cref="PartialStore"/>. Shared by every SGEMM kernel; kept out of
/// the FMA loop's method so no call crosses the accumulators' live range.
/// </summary>
internal static unsafe class TileWriter
{
    public static void Write<TOps, TVec>(ref MicroTile t, float* tile, int stride, int col, int valid)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        for (int r = 0; r < t.RowCount; r++, tile += stride)
        {
            float* c = t.C + r * t.Ldc + col;
            int j = 0;
            for (; j + TOps.Count <= valid; j += TOps.Count) Store<TOps, TVec>(ref t, c + j, r, col + j, TOps.Load(tile + j));
            if (j < valid) PartialStore.Row(ref t, tile + j, r, col + j, valid - j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TOps, TVec>(ref MicroTile t, float* c, int row, int col, TVec v)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        if (t.Accumulate) v = TOps.Add(v, TOps.Load(c));
        if (t.Final)
        {
            ref readonly GemmEpilogue e = ref t.Epilogue;
            if (e.RowBias != null) v = TOps.Add(v, TOps.Broadcast(e.RowBias[row]));
            if (e.ColumnBias != null) v = TOps.Add(v, TOps.Load(e.ColumnBias + col));
            if (e.Residual != null) v = TOps.Add(v, TOps.Load(e.Residual + row * e.ResidualStride + col));
            if (e.Clamp) v = TOps.Clamp(v, TOps.Broadcast(e.Min), TOps.Broadcast(e.Max));
        }
        TOps.Store(v, c);
    }
}
