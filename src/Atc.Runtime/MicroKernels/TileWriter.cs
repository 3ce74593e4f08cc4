using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Writes a staged tile (rows of <c>stride</c> floats, spilled from a micro-kernel's accumulators) to C through
/// <see cref="TileStore{TOps, TVec}"/>: whole vectors first, then the last columns one float at a time. For widths
/// without masked stores; kept out of the FMA loop's method so no call crosses the accumulators' live range.
/// </summary>
internal static unsafe class TileWriter
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Write<TOps, TVec>(ref MicroTile t, float* tile, int stride, int col, int valid)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        var vectors = new TileStore<TOps, TVec>(ref t, col);
        var floats = new TileStore<Float1, float>(ref t, col);
        for (int r = 0; r < t.RowCount; r++, tile += stride)
        {
            int j = 0;
            for (; j + TOps.Count <= valid; j += TOps.Count) vectors.Store(r, j, TOps.Load(tile + j), default(AllLanes<TOps, TVec>));
            for (; j < valid; j++) floats.Store(r, j, tile[j], default(AllLanes<Float1, float>));
        }
    }
}
