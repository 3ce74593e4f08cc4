using Atc.Runtime.Operators.Elementwise.Unary;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Runs a mapped activation in place over a block a kernel has just written (rows of <c>columns</c> floats,
/// <c>stride</c> apart), while it is still in L1/L2: one call when the rows are contiguous, else one per row, so
/// the map's per-call cost is spread over a whole row tile rather than a micro-tile.
/// </summary>
internal static unsafe class BlockActivation
{
    public static void Apply(FloatMap map, float* block, int rows, int columns, nint stride)
    {
        if (rows <= 0 || columns <= 0) return;
        if (stride == columns || rows == 1)
        {
            var all = new Span<float>(block, checked(rows * columns));
            map(all, all);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            var row = new Span<float>(block + r * stride, columns);
            map(row, row);
        }
    }
}
